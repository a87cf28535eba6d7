//===- SeparableOp.cpp - Akida 1.0 separable convolutions -----------------===//
//
// SeparableConvolutional: a depthwise true convolution whose exact sums d
// (not saturated) feed a pointwise product, then pooling and the activation.
// The depthwise kernel accumulates uint8 inputs into int16/int32 sums; d is
// stored as int16 (the layer is refused when |d| could exceed 32767) and the
// pointwise product runs int16 x int16 (vpdpwssd). Large layers go band by
// band of output rows, so that d stays in cache between the two stages;
// small layers and globally pooled ones compute d for the whole frame first,
// then split the pointwise product across channel blocks.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Gemm.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <cstdlib>

namespace akida::cpu {

namespace {

class SeparableOp final : public LayerOp {
public:
  explicit SeparableOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  size_t tempBytes() const override { return temp_; }
  std::string kernelName() const override { return name_; }

private:
  /// d of output rows [r0, r1) into rows of dStride_ int16 at `d`.
  void depthwise(const Frame &frame, const uint8_t *x, int64_t r0, int64_t r1,
                 int16_t *d) const;
  /// The pointwise product of pixels [p0, p1) (d rows from `d`, pixel p0
  /// first) with block b.
  void pointwise(const Frame &frame, const int16_t *d, int b, int64_t p0,
                 int64_t p1, uint8_t *dst, int64_t *sums) const;

  const KernelTable &k_;
  ConvShape s_;
  std::vector<int16_t> dw_;
  int64_t cPad_ = 0, dStride_ = 0;
  PackedWeights pw_;
  std::unique_ptr<Epilogue> epi_;
  ElemKind outKind_;
  bool wholeFrame_ = false;
  int64_t bandRows_ = 1;
  int mrMax_ = 1;
  size_t scratch_ = 0, temp_ = 0;
  int64_t accOff_ = 0, dwOff_ = 0, bandOff_ = 0;
  int64_t dOff_ = 0, convOff_ = 0, sumsOff_ = 0;
  std::string name_;
};

SeparableOp::SeparableOp(const OpContext &ctx) : k_(ctx.kernels) {
  initOp(*this, ctx);
  const LayerDesc &layer = ctx.layer;
  const ActType &in = ctx.inTypes[0];
  if (in.isFloat || in.isSigned || in.bits > 8)
    unsupported(layer, "inputs other than unsigned 8-bit or narrower");
  s_ = convShape(layer, in, outType.shape[2]);
  const int64_t c = s_.c, f = s_.f;
  const int taps = s_.taps();
  const std::vector<int64_t> w = layer.variables.at("weights").array.ints();
  const std::vector<int64_t> pw =
      layer.variables.at("weights_pw").array.ints();
  if (static_cast<int64_t>(w.size()) != taps * c ||
      static_cast<int64_t>(pw.size()) != c * f)
    unsupported(layer, "weights of an unexpected size");
  // Depthwise weights, flipped (true convolution), int16, [tap][cPad].
  cPad_ = roundUp(c, 32);
  dw_.assign(taps * cPad_, 0);
  int64_t dwMax = 0;
  for (int64_t i = 0; i < s_.kh; ++i)
    for (int64_t j = 0; j < s_.kw; ++j)
      for (int64_t ch = 0; ch < c; ++ch) {
        int64_t v = w[((s_.kh - 1 - i) * s_.kw + (s_.kw - 1 - j)) * c + ch];
        dwMax = std::max<int64_t>(dwMax, std::llabs(v));
        dw_[(i * s_.kw + j) * cPad_ + ch] = static_cast<int16_t>(v);
      }
  const int64_t dBound = maxMagnitude(in) * dwMax * taps;
  if (dBound > 32767)
    unsupported(layer, "depthwise sums that could exceed 16 bits");
  pw_ = packWeights(pw, 1, c, f, DotKind::S16S16, k_);
  if (static_cast<long double>(dBound) * pw_.maxAbs * c >= 2147483647.0L)
    unsupported(layer, "pointwise sums that could exceed 32 bits");
  dStride_ = roundUp(c, 2);

  outKind_ = elemKind(outType);
  epi_ = std::make_unique<Epilogue>(OutputStage::v1(layer, outType), outKind_,
                                    k_);
  if (s_.pool == PoolType::Max && !epi_->stage().monotone())
    unsupported(layer, "max pooling after a non-monotone activation");

  for (int nv = 1; nv <= k_.maxPanels; ++nv)
    mrMax_ = std::max(mrMax_, k_.rows[nv]);
  const int64_t pixels = s_.pixels();
  const int64_t dBytes = pixels * dStride_ * 2;
  wholeFrame_ = s_.pool == PoolType::Average || dBytes <= 64 * 1024;
  if (!wholeFrame_) {
    const int64_t target = std::max<int64_t>(4 * mrMax_, 24576 / c);
    bandRows_ = std::clamp<int64_t>((target + s_.ow - 1) / s_.ow, 1, s_.oh);
  } else {
    bandRows_ = s_.oh;
  }
  // Scratch: tile row pointers, tile sums, one row of depthwise sums and,
  // when banded, the band's d.
  accOff_ = roundUp(mrMax_ * 8, 64);
  dwOff_ = accOff_ + roundUp(int64_t(mrMax_) * k_.maxPanels * 16 * 4, 64);
  bandOff_ = dwOff_ + roundUp(s_.ow * cPad_ * 4, 64);
  scratch_ = bandOff_ +
             (wholeFrame_ ? 0 : roundUp(bandRows_ * s_.ow * dStride_ * 2, 64));
  const int64_t esize = elemSize(outKind_);
  dOff_ = 0;
  convOff_ = wholeFrame_ ? roundUp(dBytes, 64) : 0;
  sumsOff_ = convOff_ + (s_.pool == PoolType::Max
                             ? roundUp(pixels * f * esize, 64)
                             : 0);
  temp_ = sumsOff_ + (s_.pool == PoolType::Average ? f * 8 : 0);
  name_ = "separable " + std::to_string(s_.kh) + "x" + std::to_string(s_.kw) +
          "/" + std::to_string(s_.sh) + " depthwise-i16 + pointwise-s16" +
          (wholeFrame_ ? "" : " banded") +
          (s_.pool == PoolType::Max       ? " +maxpool"
           : s_.pool == PoolType::Average ? " +globalsum"
                                          : "") +
          (epi_->fast() ? " fused-requant" : " exact-stage");
}

void SeparableOp::depthwise(const Frame &frame, const uint8_t *x, int64_t r0,
                            int64_t r1, int16_t *d) const {
  int32_t *acc = reinterpret_cast<int32_t *>(frame.scratch() + dwOff_);
  DepthwiseRow row;
  row.x = x;
  row.h = s_.h;
  row.w = s_.w;
  row.c = s_.c;
  row.kh = static_cast<int>(s_.kh);
  row.kw = static_cast<int>(s_.kw);
  row.sh = static_cast<int>(s_.sh);
  row.sw = static_cast<int>(s_.sw);
  row.pt = static_cast<int>(s_.pt);
  row.pl = static_cast<int>(s_.pl);
  row.ow = s_.ow;
  row.weights = dw_.data();
  row.cPad = cPad_;
  row.narrow = true;
  row.acc = acc;
  row.out16Stride = dStride_;
  for (int64_t oy = r0; oy < r1; ++oy) {
    row.oy = oy;
    row.out16 = d + (oy - r0) * s_.ow * dStride_;
    k_.depthwiseRow(row);
  }
}

void SeparableOp::pointwise(const Frame &frame, const int16_t *d, int b,
                            int64_t p0, int64_t p1, uint8_t *dst,
                            int64_t *sums) const {
  uint8_t *scratch = frame.scratch();
  const uint8_t **ptrs = reinterpret_cast<const uint8_t **>(scratch);
  int32_t *acc = reinterpret_cast<int32_t *>(scratch + accOff_);
  const int mr = k_.rows[pw_.blockPanels[b]];
  const int64_t rowStride = s_.f * elemSize(outKind_);
  for (int64_t p = p0; p < p1; p += mr) {
    const int m = static_cast<int>(std::min<int64_t>(mr, p1 - p));
    for (int r = 0; r < m; ++r)
      ptrs[r] = reinterpret_cast<const uint8_t *>(d + (p - p0 + r) * dStride_);
    runTile(k_, pw_, b, ptrs, m, acc, *epi_, dst + p * rowStride, rowStride,
            sums);
  }
}

void SeparableOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  uint8_t *tmp = temp(frame);
  uint8_t *dst = s_.pool == PoolType::Max ? tmp + convOff_ : out(frame);
  int64_t *sums = nullptr;
  if (s_.pool == PoolType::Average) {
    sums = reinterpret_cast<int64_t *>(tmp + sumsOff_);
    std::fill(sums, sums + s_.f, 0);
  }
  const int blocks = pw_.blocks();
  const int64_t pixels = s_.pixels();
  if (wholeFrame_) {
    int16_t *d = reinterpret_cast<int16_t *>(tmp + dOff_);
    parallelFor(frame, s_.oh, 4, [&](int64_t r0, int64_t r1) {
      depthwise(frame, x, r0, r1, d + r0 * s_.ow * dStride_);
    });
    int64_t chunk = pixels;
    if (frame.parallel && !sums)
      chunk = std::max<int64_t>(roundUp(pixels / 4 + 1, mrMax_), 2 * mrMax_);
    const int64_t chunks = (pixels + chunk - 1) / chunk;
    parallelFor(frame, blocks * chunks, 1, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) {
        const int b = static_cast<int>(i / chunks);
        const int64_t p0 = (i % chunks) * chunk;
        pointwise(frame, d + p0 * dStride_, b, p0,
                  std::min(pixels, p0 + chunk), dst, sums);
      }
    });
  } else {
    const int64_t bands = (s_.oh + bandRows_ - 1) / bandRows_;
    parallelFor(frame, bands, 1, [&](int64_t i0, int64_t i1) {
      int16_t *d = reinterpret_cast<int16_t *>(frame.scratch() + bandOff_);
      for (int64_t band = i0; band < i1; ++band) {
        const int64_t r0 = band * bandRows_;
        const int64_t r1 = std::min(s_.oh, r0 + bandRows_);
        depthwise(frame, x, r0, r1, d);
        for (int b = 0; b < blocks; ++b)
          pointwise(frame, d, b, r0 * s_.ow, r1 * s_.ow, dst, nullptr);
      }
    });
  }
  if (sums)
    epi_->writeSums(sums, out(frame));
  if (s_.pool == PoolType::Max) {
    uint8_t *o = out(frame);
    parallelFor(frame, s_.maxPool.oh, 8, [&](int64_t r0, int64_t r1) {
      maxPool(dst, o, outKind_, s_.maxPool, r0, r1);
    });
  }
}

} // namespace

std::unique_ptr<LayerOp> makeSeparableOp(const OpContext &ctx) {
  return std::make_unique<SeparableOp>(ctx);
}

} // namespace akida::cpu
