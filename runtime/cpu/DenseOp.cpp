//===- DenseOp.cpp - Fully connected layers -------------------------------===//
//
// FullyConnected (Akida 1.0, which flattens channel-major: its weights are
// permuted at packing time so the kernel reads the NHWC input as it lies)
// and Dense1D (Akida 2.0, NHWC flatten). One frame is one GEMM row against
// every channel block. This is the layer where the event path pays: the
// product only reads the weight rows of nonzero input groups, so when enough
// 4-byte input groups are all zero (measured per frame, see eventShare) the
// kernel walks the list of nonzero groups instead of all of them.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Gemm.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace akida::cpu {

/// Share of all-zero 4-byte input groups from which a dense layer takes the
/// event path, measured by `akida-bench events` (bench/README.md), where the
/// event path starts to win: from about 25% while the weights are in cache,
/// from about 75% when they come from memory (the gaps between the groups
/// read defeat the hardware prefetchers that a sequential walk enjoys).
/// Layers whose weights exceed kCachedWeights are taken to be in memory when
/// a whole network runs. AKIDA_DENSE_EVENT_SHARE overrides both (0: always
/// events; above 1: never), for that measurement.
constexpr size_t kCachedWeights = 256 * 1024;
static double eventShare(size_t weightBytes) {
  const char *env = std::getenv("AKIDA_DENSE_EVENT_SHARE");
  if (env && *env)
    return std::atof(env);
  return weightBytes <= kCachedWeights ? 0.25 : 0.75;
}

namespace {

class DenseOp final : public LayerOp {
public:
  explicit DenseOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  int64_t macs() const override { return k_len_ * w_.channels; }
  std::string kernelName() const override {
    return name_ + " (event path on " +
           std::to_string(eventFrames_.load(std::memory_order_relaxed)) +
           " of " + std::to_string(frames_.load(std::memory_order_relaxed)) +
           " frames)";
  }

private:
  const KernelTable &k_;
  int64_t k_len_ = 0, kPad_ = 0;
  PackedWeights w_;
  std::unique_ptr<Epilogue> epi_;
  ElemKind outKind_;
  bool offset_ = false, copy_ = false, events_ = false;
  double eventShare_ = 0; ///< zero-group share from which events run
  size_t scratch_ = 0;
  int64_t accOff_ = 0, rowOff_ = 0, eventOff_ = 0;
  std::string name_;
  mutable std::atomic<int64_t> frames_{0}, eventFrames_{0};
};

DenseOp::DenseOp(const OpContext &ctx) : k_(ctx.kernels) {
  initOp(*this, ctx);
  const LayerDesc &layer = ctx.layer;
  const ActType &in = ctx.inTypes[0];
  if (in.isFloat || in.bits > 8)
    unsupported(layer, "inputs wider than 8 bits");
  const bool v1 = layer.type == LayerType::FullyConnected;
  if (!v1) {
    auto it = layer.variables.find("input_shift");
    if (it != layer.variables.end())
      for (int64_t v : it->second.array.ints())
        if (v != 0)
          unsupported(layer, "a nonzero input_shift");
  }
  const int64_t h = in.shape[0], wd = in.shape[1], c = in.shape[2];
  const int64_t f = outType.shape[2];
  k_len_ = h * wd * c;
  std::vector<int64_t> w = layer.variables.at("weights").array.ints();
  if (static_cast<int64_t>(w.size()) != k_len_ * f)
    unsupported(layer, "weights of an unexpected size");
  if (v1) { // feature c * (H * W) + col * H + row -> NHWC (row * W + col) * C + c
    std::vector<int64_t> nhwc(w.size());
    for (int64_t row = 0; row < h; ++row)
      for (int64_t col = 0; col < wd; ++col)
        for (int64_t ch = 0; ch < c; ++ch)
          std::copy_n(w.begin() + (ch * h * wd + col * h + row) * f, f,
                      nhwc.begin() + ((row * wd + col) * c + ch) * f);
    w.swap(nhwc);
  }
  offset_ = in.isSigned;
  const int64_t maxX = offset_ ? 255 : maxMagnitude(in);
  const DotKind kind = maxX <= 127 ? DotKind::U8S8 : DotKind::U8S8Wide;
  w_ = packWeights(w, 1, k_len_, f, kind, k_);
  if (static_cast<long double>(maxX) * w_.maxAbs * k_len_ >= 2147483647.0L)
    unsupported(layer, "sums that could exceed 32 bits");
  std::vector<int32_t> accBias;
  if (offset_)
    for (int64_t o = 0; o < f; ++o)
      accBias.push_back(-128 * w_.channelSum[o]);
  outKind_ = elemKind(outType);
  epi_ = std::make_unique<Epilogue>(v1 ? OutputStage::v1(layer, outType)
                                       : OutputStage::v2(layer, outType),
                                    outKind_, k_, std::move(accBias));
  kPad_ = roundUp(k_len_, 4);
  copy_ = offset_ || kPad_ != k_len_;
  events_ = !offset_;
  eventShare_ = eventShare(w_.data.size());
  accOff_ = 64;
  rowOff_ = accOff_ + roundUp(k_.maxPanels * 16 * 4, 64);
  eventOff_ = rowOff_ + (copy_ ? roundUp(kPad_, 64) : 0);
  scratch_ = eventOff_ + (events_ ? roundUp(kPad_, 64) : 0);
  name_ = std::string(v1 ? "fully-connected" : "dense1d") + " gemv" +
          (kind == DotKind::U8S8 ? " u8" : " u8-wide") +
          (offset_ ? " signed" : "") +
          epi_->describe();
}

void DenseOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  const int blocks = w_.blocks();
  // Whether to walk only nonzero groups: decided once per frame.
  const int32_t *events = nullptr;
  int eventCount = 0;
  uint8_t *scratch = frame.scratch();
  const uint8_t *row = x;
  if (copy_) {
    uint8_t *r = scratch + rowOff_;
    for (int64_t i = 0; i < k_len_; ++i)
      r[i] = offset_ ? x[i] ^ 0x80 : x[i];
    std::memset(r + k_len_, 0, kPad_ - k_len_);
    row = r;
  }
  if (events_) {
    int32_t *list = reinterpret_cast<int32_t *>(scratch + eventOff_);
    const int groups = w_.groups;
    for (int g = 0; g < groups; ++g) {
      uint32_t v;
      std::memcpy(&v, row + 4 * g, 4);
      list[eventCount] = g;
      eventCount += v != 0;
    }
    frames_.fetch_add(1, std::memory_order_relaxed);
    if (groups - eventCount >= eventShare_ * groups) {
      events = list;
      eventFrames_.fetch_add(1, std::memory_order_relaxed);
    } else {
      eventCount = 0;
    }
  }
  uint8_t *o = out(frame);
  parallelFor(frame, blocks, 4, [&](int64_t b0, int64_t b1) {
    uint8_t *s = frame.scratch();
    int32_t *acc = reinterpret_cast<int32_t *>(s + accOff_);
    const uint8_t *rows[1] = {row};
    for (int64_t b = b0; b < b1; ++b)
      runTile(k_, w_, static_cast<int>(b), rows, 1, acc, *epi_, o, 0, nullptr,
              events, eventCount);
  });
}

} // namespace

std::unique_ptr<LayerOp> makeDenseOp(const OpContext &ctx) {
  return std::make_unique<DenseOp>(ctx);
}

} // namespace akida::cpu
