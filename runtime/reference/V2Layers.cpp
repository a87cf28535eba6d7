//===- V2Layers.cpp - Akida 2.0 weighted layers ---------------------------===//
//
// InputConv2D, Conv2D, DepthwiseConv2D, Dense1D, Conv2DTranspose,
// DepthwiseConv2DTranspose, BufferTempConv and DepthwiseBufferTempConv. They
// share one pipeline: input shift, exact accumulation saturated to
// buffer_bits, bias, pooling, activation (ReLU with optional clip, LUT, or
// none), post-op buffer, output scale and shift, output saturation.
// Semantics: docs/runtime/semantics.md.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"
#include "runtime/reference/Kernels.h"

#include <algorithm>

namespace akida::ref::detail {

namespace {

using i128 = __int128;

/// A left shift of a value that is later saturated to at most 32 bits: any
/// shift of 40 or more saturates a nonzero value the same way as the exact
/// one would, so the shift is capped there (exactly equivalent, no overflow).
constexpr int64_t kShiftCap = 40;


/// Steps 3 and 5 to 8 of the v2 pipeline, with the layer's variables
/// expanded to one value per output channel.
struct Pipeline {
  int bufferBits = 32, postBits = 32, outBits = 8;
  bool outSigned = false;
  Activation activation = Activation::ReLU;
  int64_t bufferMin = 0, bufferMax = 0;
  bool hasBias = false;
  std::vector<int64_t> bias; ///< bias << bias_shift (shift capped)
  bool hasClip = false;
  std::vector<int64_t> clip; ///< max_value << max_value_shift (capped)
  std::vector<int64_t> actScale, actShift, lut;
  int64_t lutHalf = 0;
  std::vector<int64_t> outScale, outShift;

  Pipeline(const LayerDesc &layer, const ActType &out) {
    const int64_t f = out.shape[2];
    bufferBits = bitsParam(layer, "buffer_bits");
    postBits = bitsParam(layer, "post_op_buffer_bits");
    outBits = out.bits;
    outSigned = out.isSigned;
    bufferMin = intMin(bufferBits, true);
    bufferMax = intMax(bufferBits, true);
    int64_t act = param(layer, "activation");
    if (act < 0 || act > 2)
      fail(layer, "'activation' is " + std::to_string(act) +
                      " but must be 0 (none), 1 (ReLU) or 2 (LUT)");
    activation = static_cast<Activation>(act);

    hasBias = hasVariable(layer, "bias");
    if (hasBias) {
      bias = channelVariable(layer, "bias", f, 0);
      std::vector<int64_t> shift = channelVariable(layer, "bias_shift", f, 0);
      for (int64_t i = 0; i < f; ++i)
        bias[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
    }
    hasClip = activation == Activation::ReLU && hasVariable(layer, "max_value");
    if (hasClip) {
      clip = channelVariable(layer, "max_value", f, 0);
      std::vector<int64_t> shift =
          channelVariable(layer, "max_value_shift", f, 0);
      for (int64_t i = 0; i < f; ++i)
        clip[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
    }
    if (activation == Activation::LUT) {
      if (!hasVariable(layer, "lut_values"))
        fail(layer, "activation is LUT but variable 'lut_values' is missing");
      lut = intVariable(layer, "lut_values");
      lutHalf = static_cast<int64_t>(lut.size()) / 2;
      actScale = channelVariable(layer, "activation_scales", f, 1);
      actShift = channelVariable(layer, "activation_shift", f, 0);
    }
    outScale = channelVariable(layer, "output_scales", f, 1);
    outShift = channelVariable(layer, "output_shift", f, 0);
  }

  /// Step 3 on accumulators (..., f): acc = sat(acc + bias << bias_shift).
  void addBias(std::vector<int64_t> &acc) const {
    if (!hasBias)
      return;
    const size_t f = bias.size();
    for (size_t i = 0; i < acc.size(); ++i)
      acc[i] = saturate(acc[i] + bias[i % f], bufferBits, true);
  }

  /// Steps 5 to 8 of one (pooled) accumulator of output channel `ch`.
  int64_t finish(int64_t acc, size_t ch) const {
    int64_t v = acc;
    switch (activation) {
    case Activation::ReLU:
      v = std::max<int64_t>(v, 0);
      if (hasClip)
        v = std::min(v, clip[ch]);
      break;
    case Activation::LUT: {
      int64_t idx = roundShift(acc * actScale[ch], actShift[ch]);
      idx = std::clamp(idx, -lutHalf, lutHalf - 1);
      v = lut[idx + lutHalf];
      break;
    }
    case Activation::NoActivation:
      break;
    }
    v = saturate(v, postBits, true);
    const int64_t y = roundShift(v * outScale[ch], outShift[ch]);
    return saturate(y, outBits, outSigned);
  }
};

/// Step 1: x' = x << input_shift[c] (shifts above 31 are refused: they would
/// overflow the exact int64 inputs and saturate any nonzero value anyway).
std::vector<int64_t> shiftInput(const LayerDesc &layer, const Activations &in) {
  const int64_t c = in.type.shape[2];
  std::vector<int64_t> shift = channelVariable(layer, "input_shift", c, 0);
  for (int64_t i = 0; i < c; ++i)
    if (shift[i] > 31)
      fail(layer, "variable 'input_shift' has value " +
                      std::to_string(shift[i]) + " at index " +
                      std::to_string(i) + " but must be at most 31");
  std::vector<int64_t> x(in.ints);
  if (std::any_of(shift.begin(), shift.end(), [](int64_t s) { return s; }))
    for (size_t i = 0; i < x.size(); ++i)
      x[i] *= int64_t(1) << shift[i % c];
  return x;
}

/// BufferTempConv / DepthwiseBufferTempConv: each sample is the next frame.
/// Returns the accumulators (n, h, w, f), clamped to [lo, hi].
std::vector<int64_t> temporalAccumulate(const LayerDesc &layer,
                                        const std::vector<int64_t> &x,
                                        const Activations &in, int64_t f,
                                        TemporalState *state, int64_t lo,
                                        int64_t hi) {
  if (!state)
    fail(layer, "is a temporal layer and needs a TemporalState");
  const bool depthwise = layer.type == LayerType::DepthwiseBufferTempConv;
  const int64_t t = param(layer, "fifo_size");
  const int64_t pixels = in.type.shape[0] * in.type.shape[1];
  const int64_t c = in.type.shape[2], frame = pixels * c;
  const std::vector<int64_t> w = intVariable(layer, "weights");
  std::vector<int64_t> &fifo = state->frames;
  if (static_cast<int64_t>(fifo.size()) != t * frame)
    fifo.assign(t * frame, 0);

  std::vector<int64_t> out(in.batch * pixels * f);
  std::vector<int64_t> rows(depthwise ? 0 : pixels * t * c);
  for (int64_t n = 0; n < in.batch; ++n) {
    // Drop the oldest frame, append this one as t = fifo_size - 1.
    std::move(fifo.begin() + frame, fifo.end(), fifo.begin());
    std::copy(x.begin() + n * frame, x.begin() + (n + 1) * frame,
              fifo.end() - frame);
    int64_t *o = out.data() + n * pixels * f;
    if (depthwise) {
      for (int64_t p = 0; p < pixels; ++p)
        for (int64_t ch = 0; ch < c; ++ch) {
          i128 sum = 0;
          for (int64_t s = 0; s < t; ++s)
            sum +=
                static_cast<i128>(w[s * c + ch]) * fifo[s * frame + p * c + ch];
          o[p * c + ch] = sum < lo ? lo : sum > hi ? hi : int64_t(sum);
        }
      continue;
    }
    // Per pixel, the (t, c) history as one row against weights (t * c, f).
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t s = 0; s < t; ++s)
        std::copy(fifo.begin() + s * frame + p * c,
                  fifo.begin() + s * frame + (p + 1) * c,
                  rows.begin() + (p * t + s) * c);
    std::vector<int64_t> acc = matmul(rows, pixels, t * c, w, f, lo, hi);
    std::copy(acc.begin(), acc.end(), o);
  }
  return out;
}

} // namespace

Activations runV2(const LayerDesc &layer, const Activations &in,
                  const ActType &out, TemporalState *state) {
  const Pipeline pipe(layer, out);
  const int64_t n = in.batch, h = in.type.shape[0], w = in.type.shape[1],
                c = in.type.shape[2], f = out.shape[2];
  const int64_t lo = pipe.bufferMin, hi = pipe.bufferMax;
  const std::vector<int64_t> x = shiftInput(layer, in);
  const std::vector<int64_t> weights = intVariable(layer, "weights");

  std::vector<int64_t> acc;
  switch (layer.type) {
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
  case LayerType::DepthwiseConv2D: {
    const bool depthwise = layer.type == LayerType::DepthwiseConv2D;
    SpatialPlan plan =
        planSpatial(layerWindow(layer), n, h, w, c, f, depthwise);
    acc = crossCorrelate(plan.conv, x, weights, lo, hi);
    pipe.addBias(acc);
    acc = applyPooling(plan, acc, lo, hi);
    break;
  }
  case LayerType::Dense1D: // row-major flatten: NHWC order already
    acc = matmul(x, n, h * w * c, weights, f, lo, hi);
    pipe.addBias(acc);
    break;
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
    acc = transposedConv(x, n, h, w, c, weights, param(layer, "kernel_size"), f,
                         layer.type == LayerType::DepthwiseConv2DTranspose, lo,
                         hi);
    pipe.addBias(acc);
    break;
  case LayerType::BufferTempConv:
  case LayerType::DepthwiseBufferTempConv:
    acc = temporalAccumulate(layer, x, in, f, state, lo, hi);
    pipe.addBias(acc);
    break;
  default:
    fail(layer, "is not an Akida 2.0 weighted layer");
  }

  Activations result = makeOutput(out, n);
  if (acc.size() != result.ints.size())
    fail(layer, "internal error: accumulators do not match the output shape");
  for (size_t i = 0; i < acc.size(); ++i)
    result.ints[i] = pipe.finish(acc[i], i % f);
  return result;
}

} // namespace akida::ref::detail
