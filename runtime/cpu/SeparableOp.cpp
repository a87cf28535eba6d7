//===- SeparableOp.cpp - Akida 1.0 separable convolutions -----------------===//
//
// SeparableConvolutional: a depthwise true convolution whose exact sums d
// (not saturated) feed a pointwise product, then pooling and the activation.
// The depthwise kernel accumulates uint8 inputs into int16 sums (the layer is
// refused when |d| could exceed 32767).
//
// The pointwise product reads d in one of two exact forms:
//  * hybrid (the usual one): d = o + s + r per input channel, with o a
//    centre (where the 256 values around it hold most of the channel's d
//    on the first frame), s = d - o saturated to int8 and a sparse residual
//    r (nonzero only where |d - o| > 127, a small share of the values).
//    s runs through the uint8 GEMM (s + 128, the epilogue adding the
//    weights times o - 128) at the full VNNI rate;
//    the residuals, an event path for the rare large values, are multiplied
//    by their weight rows once per pixel for all output channels
//    (residualSums), and the GEMM tiles start from those sums;
//  * int16: d times int16 weights (vpdpwssd, half the rate), for bands where
//    residuals would exceed an eighth of the values.
// Large layers go band by band of output rows, so that d stays in cache
// between the two stages; small layers and globally pooled ones compute d
// for the whole frame first, then split it and run the pointwise product
// in parts of the frame (up to four, in parallel on several threads) and
// channel blocks.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Gemm.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace akida::cpu {

namespace {

/// d for a run of pixels, as the pointwise product reads it.
struct DView {
  const int16_t *d16 = nullptr;  ///< int16 rows
  const uint8_t *d8 = nullptr;   ///< saturated + 128 rows, or null (int16)
  const int32_t *rowStart = nullptr;
  const int32_t *res = nullptr;  ///< residual sums [pixel][fPad], or null
  int64_t first = 0;             ///< pixel of row 0
};

class SeparableOp final : public LayerOp {
public:
  explicit SeparableOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  size_t tempBytes() const override { return temp_; }
  int64_t macs() const override { return s_.pixels() * s_.c * (s_.taps() + s_.f); }
  std::string kernelName() const override {
    if (!hybrid_)
      return name_;
    const int64_t values = values_.load(std::memory_order_relaxed);
    char share[32];
    std::snprintf(share, sizeof share, "%.2f%%",
                  values ? 100.0 * residuals_.load() / values : 0.0);
    return name_ + " (u8 on " +
           std::to_string(hybridBands_.load(std::memory_order_relaxed)) +
           " of " + std::to_string(bands_.load(std::memory_order_relaxed)) +
           " bands, residual events " + share + " of values)";
  }

private:
  /// Buffers of the hybrid form of `pixels` pixels.
  struct Split {
    uint8_t *d8;
    int32_t *rowStart, *chan, *val;
    int32_t *res; ///< residual sums, pixels x fPad_
  };
  Split splitAt(uint8_t *base, int64_t pixels) const;
  size_t splitBytes(int64_t pixels) const;
  /// d of output rows [r0, r1) into rows of dStride_ int16 at `d`.
  void depthwise(const Frame &frame, const uint8_t *x, int64_t r0, int64_t r1,
                 int16_t *d) const;
  /// The hybrid form of `pixels` pixels of d, or a view of d as int16 when
  /// residuals would be too many.
  DView split(const int16_t *d, int64_t first, int64_t pixels,
              const Split &buffers) const;
  /// The pointwise product of pixels [p0, p1) of view `v` with block b.
  void pointwise(const Frame &frame, const DView &v, int b, int64_t p0,
                 int64_t p1, uint8_t *dst, int64_t *sums) const;

  const KernelTable &k_;
  ConvShape s_;
  std::vector<int16_t> dw_;
  std::vector<int8_t> dwPairs_; ///< dw_ as byte pairs, or empty
  int64_t cPad_ = 0, dStride_ = 0, d8Stride_ = 0, fPad_ = 0;
  int64_t dBound_ = 0; ///< the largest |d| the inputs and weights allow
  PackedWeights pw_, pw8_;
  std::vector<int8_t> wc_; ///< pointwise weights [c][fPad_] (residuals)
  std::unique_ptr<Epilogue> epi_;
  /// The hybrid form's centres and epilogue, replaced once, on the first
  /// frame, by centres measured on it (calibrate()).
  mutable std::vector<int16_t> center_;
  mutable std::unique_ptr<Epilogue> epi8_;
  mutable std::once_flag calibrated_;
  std::vector<int64_t> pwWeights_; ///< (c, f) for the centre correction
  /// Centres each channel of the hybrid form on the window of 256 values
  /// that holds the most of its d over the first frame, so that few values
  /// leave int8.
  void calibrate(const Frame &frame, const uint8_t *x) const;
  std::unique_ptr<Epilogue> hybridEpilogue() const;
  ElemKind outKind_;
  bool wholeFrame_ = false;
  static constexpr int64_t kMaxParts = 4;
  int64_t parts_ = 1, partPixels_ = 0; ///< whole frames: split parts
  bool hybrid_ = false; ///< whether the hybrid form pays (see constructor)
  int64_t bandRows_ = 1;
  int mrMax_ = 1;
  size_t scratch_ = 0, temp_ = 0;
  int64_t accOff_ = 0, dwOff_ = 0, bandOff_ = 0, bandSplitOff_ = 0;
  int64_t dOff_ = 0, splitOff_ = 0, convOff_ = 0, sumsOff_ = 0;
  std::string name_;
  mutable std::atomic<int64_t> bands_{0}, hybridBands_{0}, residuals_{0},
      values_{0};
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
  dBound_ = maxMagnitude(in) * dwMax * taps;
  if (dBound_ > 32767)
    unsupported(layer, "depthwise sums that could exceed 16 bits");
  // Byte pairs (vpmaddubsw, 64 channels a vector; the AVX-512 kernels, 3x3
  // windows, where they were measured) when two products cannot saturate
  // int16 and the channels fill whole vectors (at C = 32 the int16 lanes'
  // 32 channels a vector run 9% faster: MobileNet's separable_1).
  if (k_.isa == Isa::Avx512Vnni && s_.kh == 3 && s_.kw == 3 &&
      2 * maxMagnitude(in) * dwMax <= 32767 && cPad_ % 64 == 0)
    dwPairs_ = pairedDepthwiseWeights(dw_.data(), taps, c, cPad_);
  pw_ = packWeights(pw, 1, c, f, DotKind::S16S16, k_);
  pw8_ = packWeights(pw, 1, c, f, DotKind::U8S8Wide, k_);
  if (static_cast<long double>(dBound_) * pw_.maxAbs * c >= 2147483647.0L)
    unsupported(layer, "pointwise sums that could exceed 32 bits");
  dStride_ = roundUp(c, 2);
  d8Stride_ = roundUp(c, 4);
  // The uint8 product saves about c * f / 64 cycles a pixel, the split
  // costs about c plus the residuals: measured per layer (bench/README.md),
  // the hybrid form wins from 64 input channels (DS-CNN's 64 x 64: 7%
  // faster, AkidaNet's separable_4 and MobileNet's separable_2 at 64 x 128:
  // 8 to 9%), not at 32 x 64 (MobileNet's separable_1: 36% slower). Only
  // with AVX-512 VNNI: AVX2 multiplies 8-bit inputs as two nibbles, no
  // faster than int16, and its split is the portable one (AkidaNet 5.0 ms
  // with the int16 form against 7.1 with the hybrid, MobileNet about 11
  // against 19, DS-CNN 86 against 156 us).
  hybrid_ = k_.isa == Isa::Avx512Vnni && c >= 64;
  fPad_ = roundUp(f, 32); // ResidualSums::wStride
  if (hybrid_) {
    wc_.assign(c * fPad_, 0);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t o = 0; o < f; ++o)
        wc_[ch * fPad_ + o] = static_cast<int8_t>(pw[ch * f + o]);
  }

  outKind_ = elemKind(outType);
  pwWeights_ = pw;
  center_.assign(cPad_, 0);
  epi_ = std::make_unique<Epilogue>(OutputStage::v1(layer, outType), outKind_,
                                    k_);
  epi8_ = hybridEpilogue();
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
    // Parts of the frame split and multiplied on their own, in parallel
    // when the frame is (at least two tiles of pixels each).
    parts_ = std::clamp<int64_t>(pixels / (2 * mrMax_), 1, kMaxParts);
    partPixels_ = (pixels + parts_ - 1) / parts_;
  }
  // Scratch: tile row pointers, tile sums, one row of depthwise sums and,
  // when banded, the band's d in both forms.
  const int64_t bandPixels = bandRows_ * s_.ow;
  accOff_ = roundUp(mrMax_ * 8, 64);
  dwOff_ = accOff_ + roundUp(int64_t(mrMax_) * k_.maxPanels * 16 * 4, 64);
  bandOff_ = dwOff_ + roundUp(s_.ow * cPad_ * 4, 64);
  bandSplitOff_ = bandOff_ + roundUp(bandPixels * dStride_ * 2 + 64, 64);
  scratch_ = wholeFrame_ ? bandOff_ : bandSplitOff_ + splitBytes(bandPixels);
  const int64_t esize = elemSize(outKind_);
  dOff_ = 0;
  splitOff_ = wholeFrame_ ? roundUp(dBytes + 64, 64) : 0;
  convOff_ = splitOff_ + (wholeFrame_ ? parts_ * splitBytes(partPixels_) : 0);
  sumsOff_ = convOff_ + (s_.pool == PoolType::Max
                             ? roundUp(pixels * f * esize, 64)
                             : 0);
  temp_ = sumsOff_ + (s_.pool == PoolType::Average ? f * 8 : 0);
  name_ = "separable " + std::to_string(s_.kh) + "x" + std::to_string(s_.kw) +
          "/" + std::to_string(s_.sh) +
          (dwPairs_.empty() ? " depthwise-i16" : " depthwise-u8pairs") +
          " + pointwise " +
          (hybrid_ ? "u8+residual" : "s16") +
          (wholeFrame_ ? "" : " banded") +
          (s_.pool == PoolType::Max       ? " +maxpool"
           : s_.pool == PoolType::Average ? " +globalsum"
                                          : "") +
          epi_->describe();
}

std::unique_ptr<Epilogue> SeparableOp::hybridEpilogue() const {
  // sum_c w d = sum_c w (u8 - 128 + o) + residuals.
  const int64_t c = s_.c, f = s_.f;
  std::vector<int32_t> correction(f);
  for (int64_t o = 0; o < f; ++o) {
    int64_t sum = 0;
    for (int64_t ch = 0; ch < c; ++ch)
      sum += pwWeights_[ch * f + o] * (int64_t(center_[ch]) - 128);
    correction[o] = static_cast<int32_t>(sum);
  }
  return std::make_unique<Epilogue>(epi_->stage(), outKind_, k_,
                                    std::move(correction));
}

void SeparableOp::calibrate(const Frame &frame, const uint8_t *x) const {
  const int64_t rows = s_.oh, n = rows * s_.ow;
  std::vector<int16_t> d(n * dStride_ + 64);
  depthwise(frame, x, 0, rows, d.data());
  // Centres keep the correction within int32 (|sum w (o - 128)| < 2^31)
  // and every residual within int16: |d - o - sat(d - o)| <= |d| + |o| - 127.
  const int64_t limit = std::min<int64_t>(
      {2147483647 / std::max<int64_t>(1, pw_.maxAbs * s_.c) - 128, 32767,
       32767 + 127 - dBound_});
  std::vector<int16_t> v(n);
  for (int64_t ch = 0; ch < s_.c; ++ch) {
    // The window of 256 values [o - 128, o + 127] that holds the most
    // sums of the frame: the fewest residuals. Against the mean over the
    // first band, which this replaced: residual events 1.2-1.5% -> 0.5-1.0%
    // of the values on AkidaNet, 0.5-1.6% -> 0.1-1.2% on MobileNet.
    for (int64_t p = 0; p < n; ++p)
      v[p] = d[p * dStride_ + ch];
    std::sort(v.begin(), v.end());
    int64_t best = 0, start = v[0];
    for (int64_t i = 0, j = 0; i < n; ++i) {
      while (j < n && v[j] <= v[i] + 255)
        ++j;
      if (j - i > best) {
        best = j - i;
        start = v[i];
      }
    }
    center_[ch] =
        static_cast<int16_t>(std::clamp<int64_t>(start + 128, -limit, limit));
  }
  epi8_ = hybridEpilogue();
}

/// Residuals allowed per value before a band falls back to int16.
constexpr int64_t kResidualDivisor = 8;

/// Residual slots of a split of `pixels` pixels: an eighth of the values,
/// plus one pixel's worth (splitInt16 checks room per pixel).
int64_t residualCapacity(int64_t pixels, int64_t c) {
  return pixels * c / kResidualDivisor + c;
}

size_t SeparableOp::splitBytes(int64_t pixels) const {
  // 64 more slots: the kernels store whole vectors past the last residual.
  const int64_t capacity = residualCapacity(pixels, s_.c) + 64;
  return roundUp(pixels * d8Stride_ + 64, 64) + roundUp((pixels + 1) * 4, 64) +
         2 * roundUp(capacity * 4, 64) + (hybrid_ ? pixels * fPad_ * 4 : 0);
}

SeparableOp::Split SeparableOp::splitAt(uint8_t *base, int64_t pixels) const {
  const int64_t capacity = residualCapacity(pixels, s_.c) + 64;
  Split s;
  s.d8 = base;
  base += roundUp(pixels * d8Stride_ + 64, 64);
  s.rowStart = reinterpret_cast<int32_t *>(base);
  base += roundUp((pixels + 1) * 4, 64);
  s.chan = reinterpret_cast<int32_t *>(base);
  base += roundUp(capacity * 4, 64);
  s.val = reinterpret_cast<int32_t *>(base);
  base += roundUp(capacity * 4, 64);
  s.res = reinterpret_cast<int32_t *>(base);
  return s;
}

DView SeparableOp::split(const int16_t *d, int64_t first, int64_t pixels,
                         const Split &b) const {
  SplitInt16 sp;
  sp.d = d;
  sp.pixels = pixels;
  sp.c = s_.c;
  sp.dStride = dStride_;
  sp.center = center_.data();
  sp.d8 = b.d8;
  sp.d8Stride = d8Stride_;
  sp.rowStart = b.rowStart;
  sp.chan = b.chan;
  sp.val = b.val;
  sp.capacity = residualCapacity(pixels, s_.c);
  DView v;
  v.d16 = d;
  v.first = first;
  bands_.fetch_add(1, std::memory_order_relaxed);
  if (hybrid_ && k_.splitInt16(sp)) {
    v.d8 = b.d8;
    v.rowStart = b.rowStart;
    if (b.rowStart[pixels] > 0) {
      ResidualSums rs;
      rs.pixels = pixels;
      rs.rowStart = b.rowStart;
      rs.chan = b.chan;
      rs.val = b.val;
      rs.weights = wc_.data();
      rs.wStride = fPad_;
      rs.out = b.res;
      rs.outStride = fPad_;
      k_.residualSums(rs);
      v.res = b.res;
    }
    hybridBands_.fetch_add(1, std::memory_order_relaxed);
    residuals_.fetch_add(b.rowStart[pixels], std::memory_order_relaxed);
    values_.fetch_add(pixels * s_.c, std::memory_order_relaxed);
  }
  return v;
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
  row.pairWeights = dwPairs_.empty() ? nullptr : dwPairs_.data();
  row.oy = r0;
  row.rows = r1 - r0;
  row.out16 = d;
  k_.depthwiseRow(row);
}

void SeparableOp::pointwise(const Frame &frame, const DView &v, int b,
                            int64_t p0, int64_t p1, uint8_t *dst,
                            int64_t *sums) const {
  uint8_t *scratch = frame.scratch();
  const uint8_t **ptrs = reinterpret_cast<const uint8_t **>(scratch);
  int32_t *acc = reinterpret_cast<int32_t *>(scratch + accOff_);
  const bool hybrid = v.d8 != nullptr;
  const PackedWeights &w = hybrid ? pw8_ : pw_;
  const Epilogue &epi = hybrid ? *epi8_ : *epi_;
  const int mr = k_.rows[w.blockPanels[b]];
  const int64_t rowStride = s_.f * elemSize(outKind_);
  const TileRows tiles(p1 - p0, mr);
  for (int64_t ti = 0; ti < tiles.count; ++ti) {
    const int64_t p = p0 + tiles.start(ti);
    const int m = tiles.rows(ti);
    const int64_t row0 = p - v.first;
    ptrs[0] = hybrid ? v.d8 + row0 * d8Stride_
                     : reinterpret_cast<const uint8_t *>(v.d16 + row0 * dStride_);
    // Tiles without residuals start from zero.
    const bool corrected =
        v.res && v.rowStart[row0] != v.rowStart[row0 + m];
    runTile(k_, w, b, ptrs, m, acc, epi, dst + p * rowStride, rowStride, sums,
            nullptr, 0, hybrid ? d8Stride_ : dStride_ * 2,
            corrected ? v.res + row0 * fPad_ : nullptr, fPad_);
  }
}

void SeparableOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  if (hybrid_)
    std::call_once(calibrated_, [&] { calibrate(frame, x); });
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
    // One part on one thread; on several, parts split in parallel, then
    // (block, part) products (a global sum keeps each block on one task).
    const int64_t parts = frame.parallel ? parts_ : 1;
    const int64_t n = frame.parallel ? partPixels_ : pixels;
    const size_t partBytes = splitBytes(n);
    DView views[kMaxParts];
    parallelFor(frame, parts, 1, [&](int64_t k0, int64_t k1) {
      for (int64_t k = k0; k < k1; ++k) {
        const int64_t p0 = k * n, m = std::min(pixels, p0 + n) - p0;
        views[k] = split(d + p0 * dStride_, p0, m,
                         splitAt(tmp + splitOff_ + k * partBytes, m));
      }
    });
    const int64_t items = sums ? blocks : blocks * parts;
    parallelFor(frame, items, 1, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) {
        const int b = static_cast<int>(sums ? i : i / parts);
        const int64_t kFirst = sums ? 0 : i % parts;
        const int64_t kEnd = sums ? parts : kFirst + 1;
        for (int64_t k = kFirst; k < kEnd; ++k)
          pointwise(frame, views[k], b, k * n, std::min(pixels, (k + 1) * n),
                    dst, sums);
      }
    });
  } else {
    const int64_t bands = (s_.oh + bandRows_ - 1) / bandRows_;
    parallelFor(frame, bands, 1, [&](int64_t i0, int64_t i1) {
      uint8_t *scratch = frame.scratch();
      int16_t *d = reinterpret_cast<int16_t *>(scratch + bandOff_);
      for (int64_t band = i0; band < i1; ++band) {
        const int64_t r0 = band * bandRows_;
        const int64_t r1 = std::min(s_.oh, r0 + bandRows_);
        depthwise(frame, x, r0, r1, d);
        const int64_t n = (r1 - r0) * s_.ow;
        const DView v =
            split(d, r0 * s_.ow, n, splitAt(scratch + bandSplitOff_, n));
        for (int b = 0; b < blocks; ++b)
          pointwise(frame, v, b, r0 * s_.ow, r1 * s_.ow, dst, nullptr);
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
