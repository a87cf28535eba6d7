//===- ConvOp.cpp - Convolutions as implicit GEMM ------------------------===//
//
// InputConvolutional, Convolutional (a true convolution: the kernel is
// flipped when packed), InputConv2D and Conv2D, any kernel size, stride and
// padding; pointwise (1x1) layers are the one-tap case. Output pixels are
// the GEMM rows: for each tap, each row points at its input pixel's channels
// (or at a row of the padding value). Inputs whose channel count is not a
// multiple of 4 (RGB or one-channel input convolutions) are copied into a
// plane surrounded by their padding, where each kernel row of a window is
// one contiguous run of kw * c bytes: a tile reads those runs in place, the
// run rounded up to 4-byte groups (the extra bytes, of the next pixel, meet
// zero weights). Where that rounding would cost more than a third more
// multiply-adds than one run per window, the windows are gathered into
// im2col rows instead. Signed 8-bit inputs are read as value + 128, and the
// epilogue subtracts 128 times each channel's weight sum. Max pooling runs on
// the outputs of the fused requantization; global average pooling sums the
// pooling terms per channel.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Gemm.h"
#include "runtime/cpu/LayerOp.h"

#include <algorithm>
#include <cstring>

namespace akida::cpu {

namespace {

class ConvOp final : public LayerOp {
public:
  explicit ConvOp(const OpContext &ctx);
  void run(const Frame &frame) const override;
  size_t scratchBytes() const override { return scratch_; }
  size_t tempBytes() const override { return temp_; }
  int64_t macs() const override { return s_.pixels() * s_.f * s_.taps() * s_.c; }
  std::string kernelName() const override { return name_; }

private:
  /// Output rows [y0, y1) times block b.
  void tiles(const Frame &frame, const uint8_t *x, int b, int64_t y0,
             int64_t y1, uint8_t *dst, int64_t *sums) const;

  const KernelTable &k_;
  ConvShape s_;
  PackedWeights w_;
  /// The same weights with each kernel row as one tap (kw * c inputs): a
  /// window row is contiguous in the input, so inside it a tile reads kh
  /// long runs instead of kh * kw short ones.
  PackedWeights wRows_;
  bool rowTaps_ = false;
  /// Whether tiles across the left or right border split off their
  /// outside pixels (few channels: the per-tap path is slow there).
  bool peelBorders_ = false;
  std::unique_ptr<Epilogue> epi_;
  ElemKind outKind_;
  bool im2col_ = false, offset_ = false;
  /// Window rows read in place from the padded plane (a channel count not
  /// a multiple of 4); g_ is the geometry the tiles address the input with:
  /// the padded plane with no padding left then, else s_.
  bool planeRows_ = false;
  ConvShape g_;
  int64_t kLen_ = 0, kPad_ = 0;
  std::vector<uint8_t> padRow_;
  std::vector<int64_t> tapOffset_; ///< input offset of each tap in a window
  int mrMax_ = 1;
  size_t scratch_ = 0, temp_ = 0;
  int64_t accOff_ = 0, colOff_ = 0; // within scratch
  int64_t copyOff_ = 0, convOff_ = 0, sumsOff_ = 0; // within temp
  int64_t padH_ = 0, padW_ = 0; // the padded input plane (im2col)
  std::string name_;
};

ConvOp::ConvOp(const OpContext &ctx) : k_(ctx.kernels) {
  initOp(*this, ctx);
  const LayerDesc &layer = ctx.layer;
  const ActType &in = ctx.inTypes[0];
  if (in.isFloat || in.bits > 8)
    unsupported(layer, "inputs wider than 8 bits");
  const bool v1 = layer.type == LayerType::InputConvolutional ||
                  layer.type == LayerType::Convolutional;
  s_ = convShape(layer, in, outType.shape[2]);
  const int64_t c = s_.c, f = s_.f;
  const int taps = s_.taps();
  if (!v1) {
    auto it = layer.variables.find("input_shift");
    if (it != layer.variables.end())
      for (int64_t v : it->second.array.ints())
        if (v != 0)
          unsupported(layer, "a nonzero input_shift");
  }
  std::vector<int64_t> w = layer.variables.at("weights").array.ints();
  if (static_cast<int64_t>(w.size()) != taps * c * f)
    unsupported(layer, "weights of an unexpected size");
  if (layer.type == LayerType::Convolutional) { // true convolution: flip
    std::vector<int64_t> flipped(w.size());
    for (int64_t i = 0; i < s_.kh; ++i)
      for (int64_t j = 0; j < s_.kw; ++j)
        std::copy_n(w.begin() + ((s_.kh - 1 - i) * s_.kw + (s_.kw - 1 - j)) *
                                    c * f,
                    c * f, flipped.begin() + (i * s_.kw + j) * c * f);
    w.swap(flipped);
  }

  offset_ = in.isSigned;
  int64_t padValue = offset_ ? 128 : 0;
  if (layer.type == LayerType::InputConvolutional) {
    padValue = param(layer, "padding_value");
    if (padValue < 0 || padValue > 255)
      unsupported(layer, "a padding_value outside 0..255");
  }
  const int64_t maxX =
      std::max<int64_t>(offset_ ? 255 : maxMagnitude(in), padValue);
  const DotKind kind = maxX <= 127 ? DotKind::U8S8 : DotKind::U8S8Wide;
  if (c % 4 != 0) {
    const int64_t rows = s_.kh * roundUp(s_.kw * c, 4);
    planeRows_ = 3 * rows <= 4 * roundUp(int64_t(taps) * c, 4);
    im2col_ = !planeRows_;
  }
  if (planeRows_) {
    w_ = packWeights(w, static_cast<int>(s_.kh), s_.kw * c, f, kind, k_);
  } else {
    w_ = im2col_ ? packWeights(w, 1, taps * c, f, kind, k_)
                 : packWeights(w, taps, c, f, kind, k_);
    rowTaps_ = !im2col_ && s_.kw > 1;
    peelBorders_ = rowTaps_ && c < 32;
    if (rowTaps_)
      wRows_ = packWeights(w, static_cast<int>(s_.kh), s_.kw * c, f, kind, k_);
  }
  if (static_cast<long double>(maxX) * w_.maxAbs * taps * c >= 2147483647.0L)
    unsupported(layer, "sums that could exceed 32 bits");

  std::vector<int32_t> accBias;
  if (offset_) {
    accBias.resize(f);
    for (int64_t o = 0; o < f; ++o)
      accBias[o] = -128 * w_.channelSum[o];
  }
  outKind_ = elemKind(outType);
  epi_ = std::make_unique<Epilogue>(v1 ? OutputStage::v1(layer, outType)
                                       : OutputStage::v2(layer, outType),
                                    outKind_, k_, std::move(accBias));
  if (s_.pool == PoolType::Max && !epi_->stage().monotone())
    unsupported(layer, "max pooling after a non-monotone activation");

  padRow_.assign(roundUp(c, 64), static_cast<uint8_t>(padValue));
  padH_ = std::max(s_.h + s_.pt, (s_.oh - 1) * s_.sh + s_.kh);
  padW_ = std::max(s_.w + s_.pl, (s_.ow - 1) * s_.sw + s_.kw);
  g_ = s_;
  if (planeRows_) {
    g_.h = padH_;
    g_.w = padW_;
    g_.pt = g_.pl = 0;
  }
  for (int64_t i = 0; i < s_.kh; ++i)
    for (int64_t j = 0; j < s_.kw; ++j)
      tapOffset_.push_back((i * g_.w + j) * g_.c);
  kLen_ = taps * c;
  kPad_ = roundUp(kLen_, 4);
  for (int nv = 1; nv <= k_.maxPanels; ++nv)
    mrMax_ = std::max(mrMax_, k_.rows[nv]);
  const int64_t ptrBytes = roundUp(int64_t(taps) * mrMax_ * 8, 64);
  accOff_ = ptrBytes;
  colOff_ = accOff_ + roundUp(int64_t(mrMax_) * k_.maxPanels * 16 * 4, 64);
  scratch_ = colOff_ + (im2col_ ? mrMax_ * roundUp(kPad_, 64) + 64 : 0);
  const int64_t esize = elemSize(outKind_);
  copyOff_ = 0;
  convOff_ = im2col_ || planeRows_ ? roundUp(padH_ * padW_ * c + 64, 64)
             : offset_ ? roundUp(s_.h * s_.w * c, 64)
                       : 0;
  sumsOff_ = convOff_ +
             (s_.pool == PoolType::Max ? roundUp(s_.pixels() * f * esize, 64)
                                       : 0);
  temp_ = sumsOff_ + (s_.pool == PoolType::Average ? f * 8 : 0);

  name_ = std::string(v1 ? "conv" : "conv2d") + " " +
          std::to_string(s_.kh) + "x" + std::to_string(s_.kw) + "/" +
          std::to_string(s_.sh) +
          (im2col_     ? " im2col-gemm"
           : planeRows_ ? " padded-rows-gemm"
                        : " implicit-gemm") +
          (kind == DotKind::U8S8 ? " u8" : " u8-wide") +
          (offset_ ? " signed" : "") +
          (s_.pool == PoolType::Max       ? " +maxpool"
           : s_.pool == PoolType::Average ? " +globalsum"
                                          : "") +
          epi_->describe();
}

void ConvOp::tiles(const Frame &frame, const uint8_t *x, int b, int64_t y0,
                   int64_t y1, uint8_t *dst, int64_t *sums) const {
  uint8_t *scratch = frame.scratch();
  const uint8_t **ptrs = reinterpret_cast<const uint8_t **>(scratch);
  int32_t *acc = reinterpret_cast<int32_t *>(scratch + accOff_);
  uint8_t *col = scratch + colOff_;
  const int mr = k_.rows[w_.blockPanels[b]];
  const int64_t rowStride = s_.f * elemSize(outKind_);
  const int64_t c = s_.c;
  const ConvShape &g = g_; // how the implicit path addresses the input
  const int64_t colStride = roundUp(kPad_, 64);
  const int taps = s_.taps();
  const int64_t segment = s_.kw * c; // one kernel row of a window
  auto run = [&](const PackedWeights &w, int64_t p, int m, int64_t step) {
    runTile(k_, w, b, ptrs, m, acc, *epi_, dst + p * rowStride, rowStride, sums,
            nullptr, 0, step);
  };
  // m pixels from (oy, ox0) whose windows lie inside the input: one pointer
  // per tap (or per kernel row), the rows evenly spaced.
  auto inside = [&](int64_t oy, int64_t ox0, int m) {
    const int64_t iy0 = oy * g.sh - g.pt;
    const uint8_t *base = x + (iy0 * g.w + ox0 * g.sw - g.pl) * g.c;
    const int64_t p = oy * s_.ow + ox0;
    if (rowTaps_ || planeRows_) {
      for (int64_t i = 0; i < g.kh; ++i)
        ptrs[i] = base + i * g.w * g.c;
      run(planeRows_ ? w_ : wRows_, p, m, g.sw * g.c);
      return;
    }
    for (int t = 0; t < taps; ++t)
      ptrs[t] = base + tapOffset_[t];
    run(w_, p, m, g.sw * g.c);
  };
  // m pixels with windows across the border: a pointer per tap and pixel,
  // at the padding row outside.
  auto border = [&](int64_t oy, int64_t ox0, int m) {
    const int64_t iy0 = oy * s_.sh - s_.pt;
    for (int r = 0; r < m; ++r) {
      const int64_t ix0 = (ox0 + r) * s_.sw - s_.pl;
      for (int64_t i = 0; i < s_.kh; ++i) {
        const int64_t iy = iy0 + i;
        for (int64_t j = 0; j < s_.kw; ++j) {
          const int64_t ix = ix0 + j;
          const bool in = iy >= 0 && iy < s_.h && ix >= 0 && ix < s_.w;
          ptrs[(i * s_.kw + j) * m + r] =
              in ? x + (iy * s_.w + ix) * c : padRow_.data();
        }
      }
    }
    run(w_, oy * s_.ow + ox0, m, 0);
  };
  // Output columns whose windows lie inside horizontally: [first, last).
  const int64_t first = std::min(s_.ow, (g.pl + g.sw - 1) / g.sw);
  const int64_t span = g.w - g.kw + g.pl; // the last window's start, at most
  const int64_t last =
      span < 0 ? first : std::clamp(span / g.sw + 1, first, s_.ow);
  // Tiles never cross an output row, so that the windows of a tile are
  // evenly spaced: inside the input, a tile is one pointer per tap.
  const TileRows tiles(s_.ow, mr);
  for (int64_t oy = y0; oy < y1; ++oy) {
    const int64_t iy0 = oy * g.sh - g.pt;
    const bool rowInside = iy0 >= 0 && iy0 + g.kh <= g.h;
    for (int64_t ti = 0; ti < tiles.count; ++ti) {
      const int64_t ox0 = tiles.start(ti);
      const int m = tiles.rows(ti);
      if (im2col_) {
        // x is the padded plane: every window is inside it, and it has 64
        // bytes of slack, so short runs are copied 16 bytes at a time (the
        // excess is overwritten by the next run or lies past kLen).
        for (int r = 0; r < m; ++r) {
          uint8_t *row = col + r * colStride;
          const uint8_t *base =
              x + (oy * s_.sh * padW_ + (ox0 + r) * s_.sw) * c;
          for (int64_t i = 0; i < s_.kh; ++i) {
            const uint8_t *src = base + i * padW_ * c;
            if (segment <= 16)
              std::memcpy(row + i * segment, src, 16);
            else
              std::memcpy(row + i * segment, src, segment);
          }
          for (int64_t k = kLen_; k < kPad_; ++k) // at most 3 bytes
            row[k] = 0;
        }
        ptrs[0] = col;
        run(w_, oy * s_.ow + ox0, m, colStride);
        continue;
      }
      const int64_t a = std::clamp(first, ox0, ox0 + m);
      const int64_t z = std::clamp(last, a, ox0 + m);
      if (rowInside && a == ox0 && z == ox0 + m) {
        inside(oy, ox0, m);
        continue;
      }
      if (!rowInside || !peelBorders_) {
        border(oy, ox0, m);
        continue;
      }
      // A tile across the left or right border, with few channels: the
      // pixels inside run as one tile of kernel rows, the one or two
      // outside on their own (AkidaNet conv_1, 16 channels: 5% faster; at
      // 64 channels the one-pixel tiles cost more than they save).
      if (a > ox0)
        border(oy, ox0, static_cast<int>(a - ox0));
      if (z > a)
        inside(oy, a, static_cast<int>(z - a));
      if (ox0 + m > z)
        border(oy, z, static_cast<int>(ox0 + m - z));
    }
  }
}

void ConvOp::run(const Frame &frame) const {
  const uint8_t *x = in(frame);
  uint8_t *tmp = temp(frame);
  const int64_t c = s_.c;
  if (im2col_ || planeRows_) {
    // The input inside its padding (as value + 128 when signed).
    uint8_t *padded = tmp + copyOff_;
    const uint8_t pad = padRow_[0];
    const int64_t rowBytes = padW_ * c;
    const int64_t left = s_.pl * c, inner = s_.w * c;
    std::memset(padded, pad, s_.pt * rowBytes);
    parallelFor(frame, s_.h, 16, [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y) {
        uint8_t *row = padded + (s_.pt + y) * rowBytes;
        std::memset(row, pad, left);
        const uint8_t *src = x + y * inner;
        if (offset_)
          for (int64_t i = 0; i < inner; ++i)
            row[left + i] = src[i] ^ 0x80;
        else
          std::memcpy(row + left, src, inner);
        std::memset(row + left + inner, pad, rowBytes - left - inner);
      }
    });
    std::memset(padded + (s_.pt + s_.h) * rowBytes, pad,
                (padH_ - s_.pt - s_.h) * rowBytes);
    // The slack after the plane: the last window row's 4-byte groups reach
    // into it (zero weights), and im2col copies 16 bytes at a time.
    std::memset(padded + padH_ * rowBytes, 0, 64);
    x = padded;
  } else if (offset_) {
    uint8_t *copy = tmp + copyOff_;
    const int64_t n = s_.h * s_.w * c;
    for (int64_t i = 0; i < n; ++i)
      copy[i] = x[i] ^ 0x80;
    x = copy;
  }
  uint8_t *dst = s_.pool == PoolType::Max ? tmp + convOff_ : out(frame);
  int64_t *sums = nullptr;
  if (s_.pool == PoolType::Average) {
    sums = reinterpret_cast<int64_t *>(tmp + sumsOff_);
    std::fill(sums, sums + s_.f, 0);
  }
  const int blocks = w_.blocks();
  const int64_t pixels = s_.pixels();
  // Work items: (block, chunk of output rows); a global sum keeps each
  // block whole.
  int64_t chunk = s_.oh;
  if (frame.parallel && !sums)
    chunk = std::max<int64_t>(
        1, std::min<int64_t>((s_.oh + 7) / 8,
                             (4 * mrMax_ + s_.ow - 1) / std::max<int64_t>(1, s_.ow) + 1));
  const int64_t chunks = (s_.oh + chunk - 1) / chunk;
  (void)pixels;
  parallelFor(frame, blocks * chunks, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const int b = static_cast<int>(i / chunks);
      const int64_t y0 = (i % chunks) * chunk;
      tiles(frame, x, b, y0, std::min(s_.oh, y0 + chunk), dst, sums);
    }
  });
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

std::unique_ptr<LayerOp> makeConvOp(const OpContext &ctx) {
  return std::make_unique<ConvOp>(ctx);
}

} // namespace akida::cpu
