//===- V1Layers.cpp - Akida 1.0 layers ------------------------------------===//
//
// InputConvolutional (cross-correlation on raw 8-bit data, borders read
// padding_value), Convolutional (true convolution: flipped kernel),
// SeparableConvolutional (depthwise true convolution then pointwise) and
// FullyConnected (channel-major flatten). Each computes int64 potentials,
// pools them (max, or global sum), then applies the threshold/act_step
// activation or outputs the potentials as si32. Semantics:
// docs/runtime/semantics.md.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"
#include "runtime/reference/Kernels.h"

#include <cmath>
#include <limits>

namespace akida::ref::detail {

namespace {

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

/// Potentials are computed in int64; refuse a layer whose worst case could
/// leave 62 bits (far beyond any real model: 8-bit inputs and weights need
/// more than 2^45 terms).
void checkBound(const LayerDesc &layer, long double bound) {
  if (bound >= std::ldexp(1.0L, 62))
    fail(layer, "potentials could exceed 62 bits (|x| * |w| * terms = " +
                    std::to_string(static_cast<double>(bound)) +
                    "); the layer is too large for exact int64 potentials");
}

/// Weights (kh, kw, c, f) flipped along rows and columns: the kernel of a
/// true convolution applied as a cross-correlation.
std::vector<int64_t> flipKernel(const std::vector<int64_t> &w, int64_t kh,
                                int64_t kw, int64_t inner) {
  std::vector<int64_t> out(w.size());
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      const int64_t *src =
          w.data() + ((kh - 1 - i) * kw + (kw - 1 - j)) * inner;
      std::copy(src, src + inner, out.begin() + (i * kw + j) * inner);
    }
  return out;
}

/// Potentials of the three convolution-like layers, pooled: (n, oh, ow, f).
std::vector<int64_t> convPotentials(const LayerDesc &layer,
                                    const Activations &in, int64_t f) {
  const int64_t n = in.batch, h = in.type.shape[0], w = in.type.shape[1],
                c = in.type.shape[2];
  const bool separable = layer.type == LayerType::SeparableConvolutional;
  // A separable layer first runs its depthwise stage: c output channels.
  SpatialPlan plan =
      planSpatial(layerWindow(layer), n, h, w, c, separable ? c : f, separable);
  ConvGeometry &g = plan.conv;
  std::vector<int64_t> weights = intVariable(layer, "weights");
  const long double maxX = maxAbs(in.ints);
  const long double spatial =
      plan.pool == PoolType::Average ? (long double)g.oh * g.ow : 1.0L;

  std::vector<int64_t> p;
  if (layer.type == LayerType::InputConvolutional) {
    const int64_t padValue = param(layer, "padding_value");
    if (padValue < 0 || padValue > 255)
      fail(layer, "'padding_value' is " + std::to_string(padValue) +
                      " but must be between 0 and 255");
    g.padValue = padValue;
    checkBound(layer, std::max<long double>(maxX, padValue) * maxAbs(weights) *
                          g.kh * g.kw * c * spatial);
    p = crossCorrelate(g, in.ints, weights, kMin64, kMax64);
  } else if (layer.type == LayerType::Convolutional) {
    checkBound(layer, maxX * maxAbs(weights) * g.kh * g.kw * c * spatial);
    p = crossCorrelate(g, in.ints, flipKernel(weights, g.kh, g.kw, c * f),
                       kMin64, kMax64);
  } else {
    const std::vector<int64_t> pointwise = intVariable(layer, "weights_pw");
    checkBound(layer, maxX * maxAbs(weights) * g.kh * g.kw * maxAbs(pointwise) *
                          c * spatial);
    // Depthwise weights (kh, kw, c, 1) have the layout of (kh, kw, c).
    std::vector<int64_t> d = crossCorrelate(
        g, in.ints, flipKernel(weights, g.kh, g.kw, c), kMin64, kMax64);
    p = matmul(d, n * g.oh * g.ow, c, pointwise, f, kMin64, kMax64);
    g.f = f; // pooling runs on the pointwise output
  }
  return applyPooling(plan, p, kMin64, kMax64);
}

/// FullyConnected potentials (n, f): channel-major flatten, feature
/// i = c * (H * W) + col * H + row.
std::vector<int64_t> fullyConnectedPotentials(const LayerDesc &layer,
                                              const Activations &in,
                                              int64_t f) {
  const int64_t n = in.batch, h = in.type.shape[0], w = in.type.shape[1],
                c = in.type.shape[2], k = h * w * c;
  std::vector<int64_t> flat(n * k);
  for (int64_t s = 0; s < n; ++s)
    for (int64_t row = 0; row < h; ++row)
      for (int64_t col = 0; col < w; ++col)
        for (int64_t ch = 0; ch < c; ++ch)
          flat[s * k + ch * (h * w) + col * h + row] =
              in.ints[in.index(s, row, col, ch)];
  const std::vector<int64_t> weights = intVariable(layer, "weights");
  checkBound(layer, maxAbs(flat) * maxAbs(weights) * k);
  return matmul(flat, n, k, weights, f, kMin64, kMax64);
}

} // namespace

Activations runV1(const LayerDesc &layer, const Activations &in,
                  const ActType &out) {
  const int64_t activation = param(layer, "activation");
  if (activation != 0 && activation != 1)
    fail(layer, "'activation' is " + std::to_string(activation) +
                    " but must be 0 or 1");
  const int64_t f = out.shape[2];
  const std::vector<int64_t> threshold = intVariable(layer, "threshold");
  const std::vector<float> steps =
      layer.variables.at("act_step").array.floats();
  if (activation)
    for (size_t i = 0; i < steps.size(); ++i)
      if (!std::isfinite(steps[i]) || !(steps[i] > 0.0f))
        fail(layer, "variable 'act_step' has value " +
                        std::to_string(steps[i]) + " at index " +
                        std::to_string(i) +
                        "; steps of an activation must be finite and > 0");

  std::vector<int64_t> p = layer.type == LayerType::FullyConnected
                               ? fullyConnectedPotentials(layer, in, f)
                               : convPotentials(layer, in, f);

  Activations result = makeOutput(out, in.batch);
  if (p.size() != result.ints.size())
    fail(layer, "internal error: potentials do not match the output shape");
  for (size_t i = 0; i < p.size(); ++i) {
    const size_t ch = i % f;
    result.ints[i] = activation
                         ? v1Activate(p[i], threshold[ch], steps[ch], out.bits)
                         : saturate(p[i], 32, true);
  }
  return result;
}

} // namespace akida::ref::detail
