//===- Requantize.cpp - Float scales to Akida integer parameters ----------===//

#include "compiler/onnx/Requantize.h"

#include "compiler/onnx/OnnxGraph.h"

#include <algorithm>
#include <cmath>

namespace akida::onnx {

namespace {

[[noreturn]] void fail(const OutputSpec &out, const std::string &why) {
  throw ImportError(out.quantizer + ": " + why);
}

/// A step s for v1 levels: out >= n + 1 iff p > T + n s, and exactly
/// iff p > t + n / M (p integer), i.e. floor(T + n s) = floor(t + n / M)
/// for n = 1 .. 2^bits - 2. The s satisfying all of them form an interval;
/// its middle is used, or 1/M when it is empty (the boundaries then move
/// by less than one potential unit).
double levelStep(double t, double m, int64_t T, int bits) {
  const double exact = 1.0 / m;
  double lo = 0, hi = std::numeric_limits<double>::infinity();
  const int levels = (1 << bits) - 1;
  for (int n = 1; n < levels; ++n) {
    const double k = std::floor(t + n * exact);
    lo = std::max(lo, (k - static_cast<double>(T)) / n);
    hi = std::min(hi, (k + 1 - static_cast<double>(T)) / n);
  }
  if (!(lo < hi) || !std::isfinite(hi))
    return exact;
  const float mid = static_cast<float>(lo + (hi - lo) / 2);
  for (int n = 1; n < levels; ++n)
    if (std::floor(static_cast<double>(T) + n * static_cast<double>(mid)) !=
        std::floor(t + n * exact))
      return exact;
  return mid;
}

int64_t clampInt32(double v) {
  if (!(v > -2147483648.0))
    return std::numeric_limits<int32_t>::min();
  if (!(v < 2147483647.0))
    return std::numeric_limits<int32_t>::max();
  return static_cast<int64_t>(v);
}

} // namespace

void setV1Activation(LayerDesc &layer, const ChannelScales &c,
                     const OutputSpec &out) {
  const std::vector<double> &M = c.M, &accBias = c.accBias,
                            &floatBias = c.floatBias;
  const std::vector<bool> &dead = c.dead;
  const double positions = c.positions;
  const int bits = out.bits;
  const double yScale = out.scale;
  const int64_t F = static_cast<int64_t>(M.size());
  std::vector<int64_t> threshold(F);
  std::vector<float> step(F);
  if (!out.quantized) {
    // Potentials out; predict de-quantizes (p - threshold) / act_step.
    layer.params["activation"] = 0;
    for (int64_t f = 0; f < F; ++f) {
      if (dead[f]) {
        threshold[f] = floatBias[f] > 0 ? -1 : floatBias[f] < 0 ? 1 : 0;
        step[f] = floatBias[f] != 0 ? static_cast<float>(1 / std::abs(floatBias[f])) : 1.0f;
        continue;
      }
      threshold[f] = clampInt32(std::nearbyint(-accBias[f] * positions));
      step[f] = static_cast<float>(1.0 / M[f]);
    }
  } else {
    if (!out.relu)
      fail(out, "Akida 1.0 activations are unsigned (ReLU); use "
                        "--target v2 for signed outputs");
    if (bits != 1 && bits != 2 && bits != 4)
      fail(out, "quantizes to " + std::to_string(bits) +
               " bits; Akida 1.0 activations have 1, 2 or 4 bits (use "
               "--target v2 for 8-bit models)");
    if (!out.clipExact)
      fail(out, "its clip is not at the top of the " +
                            std::to_string(bits) +
                            "-bit range; Akida 1.0 saturates there");
    layer.params["activation"] = 1;
    layer.params["act_bits"] = bits;
    const double factor = std::ldexp(1.0, bits - 4);
    for (int64_t f = 0; f < F; ++f) {
      if (dead[f]) {
        // A constant output: clamp(round(bias / s_y)).
        const double c =
            std::clamp(std::nearbyint(floatBias[f] / yScale) + out.zeroPoint,
                       0.0, std::ldexp(1.0, bits) - 1);
        threshold[f] = -static_cast<int64_t>(c);
        step[f] = static_cast<float>(factor);
        continue;
      }
      // round((p + b) M) = ceil((p - t) M) with t = 1/(2M) - b. The
      // integer threshold floor(t) keeps the zero/non-zero decision
      // exact; the step is then chosen so that every level boundary falls
      // between the same integers as the exact one (levelStep).
      const double t = 0.5 / M[f] - accBias[f] * positions;
      threshold[f] = clampInt32(std::floor(t));
      step[f] = static_cast<float>(
          factor * levelStep(t, M[f], threshold[f], bits));
    }
  }
  layer.variables["threshold"] = {
      Array::fromInts(DType::Int32, {F}, threshold), 32};
  layer.variables["act_step"] = {Array::fromFloats({F}, step), 32};
}

/// v * M ~ roundShift(v * scale, shift), scale uint8.
void splitMultiplier(double m, int64_t &scale, int64_t &shift) {
  if (!(m > 0)) {
    scale = 0;
    shift = 0;
    return;
  }
  int e = 0;
  std::frexp(m, &e); // m = f 2^e, f in [0.5, 1)
  shift = e - 8;     // scale = m 2^-shift in [128, 256)
  if (shift < -32)
    shift = -32;
  if (shift > 31)
    shift = 31;
  scale = static_cast<int64_t>(std::nearbyint(std::ldexp(m, -static_cast<int>(shift))));
  if (scale > 255) {
    scale = (scale + 1) / 2;
    ++shift;
  }
}

/// A bias in accumulator units as int8 << uint8.
void splitBias(double v, int64_t &value, int64_t &shift) {
  shift = 0;
  double r = std::nearbyint(v);
  while (std::abs(r) > 127 && shift < 31) {
    ++shift;
    r = std::nearbyint(std::ldexp(v, -static_cast<int>(shift)));
  }
  value = static_cast<int64_t>(std::clamp(r, -128.0, 127.0));
}

void setV2Activation(LayerDesc &layer, const ChannelScales &c,
                     const OutputSpec &out) {
  const std::vector<double> &M = c.M, &accBias = c.accBias,
                            &floatBias = c.floatBias;
  const std::vector<bool> &dead = c.dead;
  const double positions = c.positions;
  const int bits = out.bits;
  const double yScale = out.scale;
  const int64_t F = static_cast<int64_t>(M.size());
  std::vector<int64_t> biasV(F), biasS(F), scale(F, 1), shift(F, 0),
      maxV(F, 0), maxS(F, 0);
  bool anyBias = false;
  for (int64_t f = 0; f < F; ++f) {
    splitBias(dead[f] ? 0 : accBias[f], biasV[f], biasS[f]);
    anyBias = anyBias || biasV[f] != 0;
  }
  if (!out.quantized) {
    layer.params["activation"] = static_cast<int64_t>(Activation::NoActivation);
    layer.params["output_bits"] = 32;
    layer.params["buffer_bits"] = 32;
  } else {
    layer.params["activation"] = static_cast<int64_t>(
        out.relu ? Activation::ReLU : Activation::NoActivation);
    if (bits != 4 && bits != 8)
      fail(out, "quantizes to " + std::to_string(bits) +
                            " bits; Akida 2.0 activations have 4 or 8 bits");
    layer.params["output_bits"] = bits;
    for (int64_t f = 0; f < F; ++f) {
      if (dead[f]) {
        // A constant output c: bias +-1 (summed over the positions of a
        // global average), scaled by c / positions.
        const double c =
            std::clamp(std::nearbyint(floatBias[f] / yScale) + out.zeroPoint,
                       out.relu ? 0.0 : -128.0, 255.0);
        biasV[f] = c > 0 ? 1 : c < 0 ? -1 : 0;
        biasS[f] = 0;
        splitMultiplier(std::abs(c) / positions, scale[f], shift[f]);
        anyBias = anyBias || biasV[f] != 0;
        continue;
      }
      splitMultiplier(M[f], scale[f], shift[f]);
    }
    if (out.relu && std::isfinite(out.clipMax) && !out.clipExact) {
      // A bounded ReLU below the saturation: max_value in accumulator
      // units (before the output scale).
      for (int64_t f = 0; f < F; ++f) {
        double accMax = M[f] > 0 ? out.clipMax / yScale / M[f] : 0;
        splitBias(accMax, maxV[f], maxS[f]);
        maxV[f] = std::clamp<int64_t>(maxV[f], 0, 255);
      }
      layer.variables["max_value"] = {
          Array::fromInts(DType::UInt8, {F}, maxV), 8};
      layer.variables["max_value_shift"] = {
          Array::fromInts(DType::UInt8, {F}, maxS), 8};
    }
    layer.variables["output_scales"] = {
        Array::fromInts(DType::UInt8, {F}, scale), 8};
    layer.variables["output_shift"] = {
        Array::fromInts(DType::Int8, {F}, shift), 8};
  }
  if (anyBias) {
    layer.variables["bias"] = {Array::fromInts(DType::Int8, {F}, biasV), 8};
    layer.variables["bias_shift"] = {
        Array::fromInts(DType::UInt8, {F}, biasS), 8};
  }
}

} // namespace akida::onnx
