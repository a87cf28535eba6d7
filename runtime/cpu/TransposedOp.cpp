//===- TransposedOp.cpp - Stride-2 transposed convolutions ----------------===//
//
// Conv2DTranspose and DepthwiseConv2DTranspose (output 2H x 2W; input (iy,
// ix) and tap (ky, kx) reach output (2 iy + ky - pad, 2 ix + kx - pad)). Seen
// from the output, the pixels of one parity class (oy % 2, ox % 2) all read
// the same taps, so each class is an ordinary implicit GEMM over the input
// grid with its own packed tap subset: output (2a + py, 2b + px) reads input
// (a + (py + pad - ky) / 2, b + (px + pad - kx) / 2). The depthwise variant
// runs the same gather in plain loops (it is rare and cheap).
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Gemm.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace akida::cpu {

namespace {

struct ParityClass {
  std::vector<int64_t> ky, kx;   ///< taps of the class
  std::vector<int64_t> dy, dx;   ///< input offset of each tap row / column
  PackedWeights w;               ///< Conv2DTranspose only
  std::unique_ptr<Epilogue> epi;
};

class TransposedOp final : public LayerOp {
public:
  explicit TransposedOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  size_t tempBytes() const override { return temp_; }
  int64_t macs() const override { return h_ * w_ * k_size_ * k_size_ * c_ * (depthwise_ ? 1 : f_); }
  std::string kernelName() const override { return name_; }

private:
  void gemmRow(const Frame &frame, const uint8_t *x, const ParityClass &pc,
               int py, int px, int64_t a, int b, uint8_t *o) const;
  void depthwiseRow(const Frame &frame, const uint8_t *x,
                    const ParityClass &pc, int py, int px, int64_t a,
                    uint8_t *o) const;

  const KernelTable &k_;
  bool depthwise_ = false, offset_ = false, im2col_ = false;
  int64_t h_ = 0, w_ = 0, c_ = 0, f_ = 0, k_size_ = 0, pad_ = 0;
  std::vector<int64_t> weights_; ///< (k, k, c, f) or (k, k, c)
  ParityClass classes_[2][2];
  std::vector<uint8_t> padRow_;
  ElemKind outKind_;
  int mrMax_ = 1;
  int64_t kPadMax_ = 0;
  size_t scratch_ = 0, temp_ = 0;
  int64_t accOff_ = 0, colOff_ = 0;
  std::string name_;
};

TransposedOp::TransposedOp(const OpContext &ctx) : k_(ctx.kernels) {
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
  depthwise_ = layer.type == LayerType::DepthwiseConv2DTranspose;
  h_ = in.shape[0];
  w_ = in.shape[1];
  c_ = in.shape[2];
  f_ = outType.shape[2];
  k_size_ = param(layer, "kernel_size");
  pad_ = std::max<int64_t>(k_size_ - 2, 0) / 2;
  weights_ = layer.variables.at("weights").array.ints();
  if (static_cast<int64_t>(weights_.size()) !=
      k_size_ * k_size_ * c_ * (depthwise_ ? 1 : f_))
    unsupported(layer, "weights of an unexpected size");
  offset_ = in.isSigned && !depthwise_;
  const int64_t maxX = offset_ ? 255 : maxMagnitude(in);
  int64_t wMax = 0;
  for (int64_t v : weights_)
    wMax = std::max<int64_t>(wMax, std::llabs(v));
  const int64_t maxTaps = ((k_size_ + 1) / 2) * ((k_size_ + 1) / 2);
  if (static_cast<long double>(maxX) * wMax * maxTaps * (depthwise_ ? 1 : c_) >=
      2147483647.0L)
    unsupported(layer, "sums that could exceed 32 bits");
  outKind_ = elemKind(outType);
  const DotKind kind = maxX <= 127 ? DotKind::U8S8 : DotKind::U8S8Wide;
  im2col_ = c_ % 4 != 0;
  for (int py = 0; py < 2; ++py)
    for (int px = 0; px < 2; ++px) {
      ParityClass &pc = classes_[py][px];
      // Output 2a + py gets tap ky from input a + (py + pad - ky) / 2.
      for (int64_t ky = 0; ky < k_size_; ++ky)
        if ((py + pad_ - ky) % 2 == 0) {
          pc.ky.push_back(ky);
          pc.dy.push_back((py + pad_ - ky) / 2);
        }
      for (int64_t kx = 0; kx < k_size_; ++kx)
        if ((px + pad_ - kx) % 2 == 0) {
          pc.kx.push_back(kx);
          pc.dx.push_back((px + pad_ - kx) / 2);
        }
      const int taps = static_cast<int>(pc.ky.size() * pc.kx.size());
      std::vector<int32_t> accBias;
      if (!depthwise_) {
        std::vector<int64_t> w(int64_t(taps) * c_ * f_);
        int t = 0;
        for (int64_t ky : pc.ky)
          for (int64_t kx : pc.kx) {
            std::copy_n(weights_.begin() + (ky * k_size_ + kx) * c_ * f_,
                        c_ * f_, w.begin() + t * c_ * f_);
            ++t;
          }
        pc.w = im2col_ ? packWeights(w, 1, taps * c_, f_, kind, k_)
                       : packWeights(w, taps, c_, f_, kind, k_);
        kPadMax_ = std::max(kPadMax_, roundUp(taps * c_, 4));
        if (offset_)
          for (int64_t o = 0; o < f_; ++o)
            accBias.push_back(-128 * pc.w.channelSum[o]);
      }
      pc.epi = std::make_unique<Epilogue>(OutputStage::v2(layer, outType),
                                          outKind_, k_, std::move(accBias));
    }
  padRow_.assign(roundUp(c_, 64), offset_ ? 128 : 0);
  for (int nv = 1; nv <= k_.maxPanels; ++nv)
    mrMax_ = std::max(mrMax_, k_.rows[nv]);
  const int64_t ptrBytes = roundUp(maxTaps * mrMax_ * 8, 64);
  accOff_ = ptrBytes;
  const int64_t accBytes =
      depthwise_ ? roundUp(w_ * c_ * 4, 64)
                 : roundUp(int64_t(mrMax_) * k_.maxPanels * 16 * 4, 64);
  colOff_ = accOff_ + accBytes;
  scratch_ = colOff_ + (im2col_ && !depthwise_
                            ? mrMax_ * roundUp(kPadMax_, 64)
                            : 0);
  temp_ = offset_ ? roundUp(h_ * w_ * c_, 64) : 0;
  name_ = std::string(depthwise_ ? "depthwise-transposed" : "transposed") +
          " " + std::to_string(k_size_) + "x" + std::to_string(k_size_) +
          "/2 " + (depthwise_ ? "gather" : "parity-class implicit-gemm") +
          classes_[0][0].epi->describe();
}

void TransposedOp::gemmRow(const Frame &frame, const uint8_t *x,
                           const ParityClass &pc, int py, int px, int64_t a,
                           int b, uint8_t *o) const {
  uint8_t *scratch = frame.scratch();
  const uint8_t **ptrs = reinterpret_cast<const uint8_t **>(scratch);
  int32_t *acc = reinterpret_cast<int32_t *>(scratch + accOff_);
  uint8_t *col = scratch + colOff_;
  const int64_t colStride = roundUp(kPadMax_, 64);
  const int mr = k_.rows[pc.w.blockPanels[b]];
  const int64_t esize = elemSize(outKind_);
  const int64_t ow = 2 * w_;
  const int64_t taps = int64_t(pc.ky.size() * pc.kx.size());
  const int64_t kLen = taps * c_, kPad = roundUp(kLen, 4);
  const TileRows tiles(w_, mr);
  for (int64_t ti = 0; ti < tiles.count; ++ti) {
    const int64_t b0 = tiles.start(ti);
    const int m = tiles.rows(ti);
    for (int r = 0; r < m; ++r) {
      uint8_t *rowBuf = col + r * colStride;
      int64_t t = 0;
      for (int64_t dy : pc.dy)
        for (int64_t dx : pc.dx) {
          const int64_t iy = a + dy, ix = b0 + r + dx;
          const bool inside = iy >= 0 && iy < h_ && ix >= 0 && ix < w_;
          const uint8_t *src =
              inside ? x + (iy * w_ + ix) * c_ : padRow_.data();
          if (im2col_)
            std::memcpy(rowBuf + t * c_, src, c_);
          else
            ptrs[t * m + r] = src;
          ++t;
        }
      if (im2col_) {
        std::memset(rowBuf + kLen, 0, kPad - kLen);
        ptrs[r] = rowBuf;
      }
    }
    uint8_t *dst = o + ((2 * a + py) * ow + 2 * b0 + px) * f_ * esize;
    runTile(k_, pc.w, b, ptrs, m, acc, *pc.epi, dst, 2 * f_ * esize,
            nullptr);
  }
}

void TransposedOp::depthwiseRow(const Frame &frame, const uint8_t *x,
                                const ParityClass &pc, int py, int px,
                                int64_t a, uint8_t *o) const {
  int32_t *acc = reinterpret_cast<int32_t *>(frame.scratch() + accOff_);
  const bool isSigned = inTypes[0].isSigned;
  for (int64_t b = 0; b < w_; ++b) {
    int32_t *ac = acc + b * c_;
    std::fill(ac, ac + c_, 0);
    for (size_t i = 0; i < pc.ky.size(); ++i) {
      const int64_t iy = a + pc.dy[i];
      if (iy < 0 || iy >= h_)
        continue;
      for (size_t j = 0; j < pc.kx.size(); ++j) {
        const int64_t ix = b + pc.dx[j];
        if (ix < 0 || ix >= w_)
          continue;
        const int64_t *w =
            weights_.data() + (pc.ky[i] * k_size_ + pc.kx[j]) * c_;
        const uint8_t *xs = x + (iy * w_ + ix) * c_;
        if (isSigned)
          for (int64_t ch = 0; ch < c_; ++ch)
            ac[ch] += int32_t(static_cast<int8_t>(xs[ch])) * int32_t(w[ch]);
        else
          for (int64_t ch = 0; ch < c_; ++ch)
            ac[ch] += int32_t(xs[ch]) * int32_t(w[ch]);
      }
    }
  }
  const int64_t esize = elemSize(outKind_);
  uint8_t *dst = o + ((2 * a + py) * 2 * w_ + px) * f_ * esize;
  pc.epi->write(acc, static_cast<int>(c_), static_cast<int>(w_), 0,
                static_cast<int>(c_), dst, 2 * f_ * esize);
}

void TransposedOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  if (offset_) {
    uint8_t *copy = temp(frame);
    const int64_t n = h_ * w_ * c_;
    for (int64_t i = 0; i < n; ++i)
      copy[i] = x[i] ^ 0x80;
    x = copy;
  }
  uint8_t *o = out(frame);
  const int blocks = depthwise_ ? 1 : classes_[0][0].w.blocks();
  // Items: (class, input row, block).
  parallelFor(frame, 4 * h_ * blocks, 4, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const int cls = static_cast<int>(i / (h_ * blocks));
      const int64_t a = (i / blocks) % h_;
      const int b = static_cast<int>(i % blocks);
      const int py = cls / 2, px = cls % 2;
      const ParityClass &pc = classes_[py][px];
      if (depthwise_)
        depthwiseRow(frame, x, pc, py, px, a, o);
      else
        gemmRow(frame, x, pc, py, px, a, b, o);
    }
  });
}

} // namespace

std::unique_ptr<LayerOp> makeTransposedOp(const OpContext &ctx) {
  return std::make_unique<TransposedOp>(ctx);
}

} // namespace akida::cpu
