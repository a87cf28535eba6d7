//===- DepthwiseOp.cpp - Akida 2.0 depthwise convolutions -----------------===//
//
// DepthwiseConv2D: a per-channel cross-correlation of uint8 inputs (signed
// inputs read as value + 128, corrected in the epilogue), accumulated in
// int16 when no sum can leave it and in int32 otherwise, then the v2 output
// stage row by row, with max or global average pooling.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Epilogue.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <cstdlib>

namespace akida::cpu {

namespace {

class DepthwiseOp final : public LayerOp {
public:
  explicit DepthwiseOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  size_t tempBytes() const override { return temp_; }
  int64_t macs() const override { return s_.pixels() * s_.c * s_.taps(); }
  std::string kernelName() const override { return name_; }

private:
  const KernelTable &k_;
  ConvShape s_;
  std::vector<int16_t> w_;
  int64_t cPad_ = 0;
  bool offset_ = false, narrow_ = false;
  std::unique_ptr<Epilogue> epi_;
  ElemKind outKind_;
  size_t scratch_ = 0, temp_ = 0;
  int64_t copyOff_ = 0, convOff_ = 0, sumsOff_ = 0;
  std::string name_;
};

DepthwiseOp::DepthwiseOp(const OpContext &ctx) : k_(ctx.kernels) {
  initOp(*this, ctx);
  const LayerDesc &layer = ctx.layer;
  const ActType &in = ctx.inTypes[0];
  if (in.isFloat || in.bits > 8)
    unsupported(layer, "inputs wider than 8 bits");
  auto it = layer.variables.find("input_shift");
  if (it != layer.variables.end())
    for (int64_t v : it->second.array.ints())
      if (v != 0)
        unsupported(layer, "a nonzero input_shift");
  s_ = convShape(layer, in, in.shape[2]);
  const int64_t c = s_.c;
  const int taps = s_.taps();
  const std::vector<int64_t> w = layer.variables.at("weights").array.ints();
  if (static_cast<int64_t>(w.size()) != taps * c)
    unsupported(layer, "weights of an unexpected size");
  cPad_ = roundUp(c, 32);
  w_.assign(taps * cPad_, 0);
  int64_t wMax = 0;
  std::vector<int32_t> sum(c, 0);
  for (int t = 0; t < taps; ++t)
    for (int64_t ch = 0; ch < c; ++ch) {
      const int64_t v = w[t * c + ch];
      wMax = std::max<int64_t>(wMax, std::llabs(v));
      sum[ch] += static_cast<int32_t>(v);
      w_[t * cPad_ + ch] = static_cast<int16_t>(v);
    }
  offset_ = in.isSigned;
  const int64_t maxX = offset_ ? 255 : maxMagnitude(in);
  const int64_t bound = maxX * wMax * taps;
  if (bound >= INT32_MAX)
    unsupported(layer, "sums that could exceed 32 bits");
  narrow_ = bound <= 32767;
  std::vector<int32_t> accBias;
  if (offset_)
    for (int64_t ch = 0; ch < c; ++ch)
      accBias.push_back(-128 * sum[ch]);
  outKind_ = elemKind(outType);
  epi_ = std::make_unique<Epilogue>(OutputStage::v2(layer, outType), outKind_,
                                    k_, std::move(accBias));
  if (s_.pool == PoolType::Max && !epi_->stage().monotone())
    unsupported(layer, "max pooling after a non-monotone activation");
  scratch_ = roundUp(s_.ow * cPad_ * 4, 64);
  copyOff_ = 0;
  convOff_ = offset_ ? roundUp(s_.h * s_.w * c, 64) : 0;
  sumsOff_ =
      convOff_ + (s_.pool == PoolType::Max
                      ? roundUp(s_.pixels() * c * elemSize(outKind_), 64)
                      : 0);
  temp_ = sumsOff_ + (s_.pool == PoolType::Average ? c * 8 : 0);
  name_ = "depthwise " + std::to_string(s_.kh) + "x" + std::to_string(s_.kw) +
          "/" + std::to_string(s_.sh) + (narrow_ ? " i16" : " i32") +
          (offset_ ? " signed" : "") +
          (s_.pool == PoolType::Max       ? " +maxpool"
           : s_.pool == PoolType::Average ? " +globalsum"
                                          : "") +
          epi_->describe();
}

void DepthwiseOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  uint8_t *tmp = temp(frame);
  if (offset_) {
    uint8_t *copy = tmp + copyOff_;
    const int64_t n = s_.h * s_.w * s_.c;
    for (int64_t i = 0; i < n; ++i)
      copy[i] = x[i] ^ 0x80;
    x = copy;
  }
  uint8_t *dst = s_.pool == PoolType::Max ? tmp + convOff_ : out(frame);
  int64_t *sums = nullptr;
  if (s_.pool == PoolType::Average) {
    sums = reinterpret_cast<int64_t *>(tmp + sumsOff_);
    std::fill(sums, sums + s_.c, 0);
  }
  const int64_t rowBytes = s_.ow * s_.c * elemSize(outKind_);
  auto rows = [&](int64_t r0, int64_t r1) {
    int32_t *acc = reinterpret_cast<int32_t *>(frame.scratch());
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
    row.weights = w_.data();
    row.cPad = cPad_;
    row.padValue = offset_ ? 128 : 0;
    row.narrow = narrow_;
    row.acc = acc;
    for (int64_t oy = r0; oy < r1; ++oy) {
      row.oy = oy;
      k_.depthwiseRow(row);
      const int cp = static_cast<int>(cPad_);
      if (sums)
        epi_->accumulate(acc, cp, static_cast<int>(s_.ow), 0,
                         static_cast<int>(s_.c), sums);
      else
        epi_->write(acc, cp, static_cast<int>(s_.ow), 0,
                    static_cast<int>(s_.c), dst + oy * rowBytes,
                    s_.c * elemSize(outKind_));
    }
  };
  if (sums) // the sums are shared: one task
    rows(0, s_.oh);
  else
    parallelFor(frame, s_.oh, 2, rows);
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

std::unique_ptr<LayerOp> makeDepthwiseOp(const OpContext &ctx) {
  return std::make_unique<DepthwiseOp>(ctx);
}

} // namespace akida::cpu
