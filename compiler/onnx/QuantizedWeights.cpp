//===- QuantizedWeights.cpp - Integer weights of an ONNX layer -----------===//

#include "compiler/onnx/QuantizedWeights.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace akida::onnx {

namespace {

[[noreturn]] void fail(const Node &n, const std::string &why) {
  throw ImportError(n.describe() + ": " + why);
}

/// One value, or one per output channel, as a vector per channel.
std::vector<double> perChannel(const Node &n, const Tensor &t,
                               int64_t channels, const char *what) {
  if (t.size() == 1)
    return std::vector<double>(static_cast<size_t>(channels), t.values[0]);
  if (t.size() != channels)
    fail(n, std::string("its weight ") + what + " has " +
                std::to_string(t.size()) + " values; expected one, or one "
                "per output channel (" + std::to_string(channels) + ")");
  return t.values;
}

/// Subtracts the zero points, then fits every channel to int8: divided by
/// the channel's common factor where that is enough (exact), else
/// re-quantized with a coarser scale (the nearest integers).
void subtractAndFit(QWeights &w, const std::vector<double> &zp) {
  const int64_t channels = w.dims.at(static_cast<size_t>(w.axis));
  std::vector<std::vector<size_t>> members(static_cast<size_t>(channels));
  for (size_t i = 0; i < w.q.size(); ++i) {
    const int64_t f = channelOf(w.dims, w.axis, static_cast<int64_t>(i));
    w.q[i] -= static_cast<int64_t>(zp[static_cast<size_t>(f)]);
    members[static_cast<size_t>(f)].push_back(i);
  }
  for (int64_t f = 0; f < channels; ++f) {
    const std::vector<size_t> &idx = members[static_cast<size_t>(f)];
    int64_t lo = 0, hi = 0, common = 0;
    for (size_t i : idx) {
      lo = std::min(lo, w.q[i]);
      hi = std::max(hi, w.q[i]);
      common = std::gcd(common, std::abs(w.q[i]));
    }
    if (lo >= -128 && hi <= 127)
      continue;
    if (lo / common >= -128 && hi / common <= 127) {
      for (size_t i : idx)
        w.q[i] /= common;
      w.scale[static_cast<size_t>(f)] *= static_cast<double>(common);
      continue;
    }
    const double factor = std::max(static_cast<double>(hi) / 127.0,
                                   static_cast<double>(lo) / -128.0);
    for (size_t i : idx)
      w.q[i] = std::clamp<int64_t>(
          static_cast<int64_t>(std::nearbyint(static_cast<double>(w.q[i]) /
                                              factor)),
          -128, 127);
    w.scale[static_cast<size_t>(f)] *= factor;
    w.requantized = true;
  }
}

} // namespace

QWeights integerWeights(const Graph &g, const Node &n, size_t values,
                        int scaleInput, int zeroPointInput, int axis) {
  const Tensor &t = g.constantInput(n, values, "the weights");
  if (t.type != ElemType::UInt8 && t.type != ElemType::Int8)
    fail(n, std::string("its weights are ") + elemTypeName(t.type) +
                "; expected uint8 or int8");
  QWeights w;
  w.dims = t.dims;
  w.axis = axis;
  if (w.dims.size() <= static_cast<size_t>(axis))
    fail(n, "its weights have rank " + std::to_string(w.dims.size()));
  for (double v : t.values)
    w.q.push_back(static_cast<int64_t>(v));
  const int64_t channels = w.dims[static_cast<size_t>(axis)];
  w.scale.assign(static_cast<size_t>(channels), 1.0);
  if (scaleInput >= 0)
    w.scale = perChannel(n, g.constantInput(n, static_cast<size_t>(scaleInput),
                                            "the weight scale"),
                         channels, "scale");
  std::vector<double> zp(static_cast<size_t>(channels), 0.0);
  if (zeroPointInput >= 0 &&
      n.inputs.size() > static_cast<size_t>(zeroPointInput) &&
      !n.inputs[static_cast<size_t>(zeroPointInput)].empty())
    zp = perChannel(n, g.constantInput(n, static_cast<size_t>(zeroPointInput),
                                       "the weight zero point"),
                    channels, "zero point");
  for (double s : w.scale)
    if (!(s > 0) || !std::isfinite(s))
      fail(n, "its weight scales must be finite and positive");
  subtractAndFit(w, zp);
  return w;
}

QWeights quantizedWeights(const Graph &g, const Node &n, const std::string &name,
                          int axis, std::set<const Node *> &consumed) {
  const Node *dq = g.producer(name);
  if (!dq || dq->opType != "DequantizeLinear") {
    if (g.constant(name))
      fail(n, "its weights '" + name +
                  "' are float; a QDQ model quantizes them "
                  "(DequantizeLinear of int8 values)");
    fail(n, "its weights '" + name + "' are not a constant");
  }
  consumed.insert(dq);
  const Tensor &scale = g.constantInput(*dq, 1, "the weight scale");
  QWeights w;
  const Tensor *values = g.constant(dq->inputs[0]);
  if (values) {
    w.dims = values->dims;
    for (double v : values->values)
      w.q.push_back(static_cast<int64_t>(v));
  } else {
    const Node *q = g.producer(dq->inputs[0]);
    if (!q || q->opType != "QuantizeLinear" || !g.constant(q->inputs[0]))
      fail(n, "its weights are not DequantizeLinear of a constant or of "
              "QuantizeLinear(constant)");
    consumed.insert(q);
    const Tensor &f = *g.constant(q->inputs[0]);
    const Tensor &qs = g.constantInput(*q, 1, "the weight scale");
    if (qs.values != scale.values)
      fail(n, "its weights are quantized and de-quantized with different "
              "scales");
    w.dims = f.dims;
    const int64_t qaxis = q->getInt("axis", 1);
    const int64_t lo = -128, hi = 127;
    for (int64_t i = 0; i < f.size(); ++i) {
      double s = qs.size() == 1 ? qs.values[0]
                                : qs.values[channelOf(f.dims, qaxis, i)];
      double v = s > 0 ? std::nearbyint(f.values[i] / s) : 0;
      w.q.push_back(std::clamp(static_cast<int64_t>(v), lo, hi));
    }
  }
  w.axis = axis;
  const int64_t channels = w.dims.at(axis);
  std::vector<double> zp(static_cast<size_t>(channels), 0.0);
  if (dq->inputs.size() > 2 && !dq->inputs[2].empty()) {
    zp = perChannel(n, g.constantInput(*dq, 2, "the weight zero point"),
                    channels, "zero point");
    if (!values && std::any_of(zp.begin(), zp.end(),
                               [](double z) { return z != 0; }))
      fail(n, "its weights are folded from QuantizeLinear(float) with a "
              "non-zero zero point; only symmetric weights fold");
  }
  const int64_t dqAxis = dq->getInt("axis", 1);
  if (scale.size() == 1) {
    w.scale.assign(static_cast<size_t>(channels), scale.values[0]);
  } else if (scale.size() == channels && dqAxis == axis) {
    w.scale = scale.values;
  } else {
    fail(n, "its weight scale has " + std::to_string(scale.size()) +
                " values along axis " + std::to_string(dqAxis) +
                "; expected one, or one per output channel along axis " +
                std::to_string(axis));
  }
  for (double s : w.scale)
    if (s < 0 || !std::isfinite(s))
      fail(n, "its weight scales must be finite and non-negative");
  subtractAndFit(w, zp);
  return w;
}

int64_t channelOf(const std::vector<int64_t> &dims, int64_t axis,
                         int64_t flat) {
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < dims.size(); ++d)
    inner *= dims[d];
  return (flat / inner) % dims[static_cast<size_t>(axis)];
}

/// Float bias per output channel (zeros when absent).
std::vector<double> floatBias(const Graph &g, const Node &n, size_t input,
                              int64_t channels,
                              std::set<const Node *> &consumed) {
  std::vector<double> out(static_cast<size_t>(channels), 0.0);
  if (n.inputs.size() <= input || n.inputs[input].empty())
    return out;
  const std::string &name = n.inputs[input];
  const Tensor *t = g.constant(name);
  const Node *dq = g.producer(name);
  if (!t && dq && dq->opType == "DequantizeLinear") {
    consumed.insert(dq);
    const Tensor &q = g.constantInput(*dq, 0, "the bias values");
    const Tensor &s = g.constantInput(*dq, 1, "the bias scale");
    for (int64_t f = 0; f < channels && f < q.size(); ++f)
      out[f] = q.values[f] * (s.size() == 1 ? s.values[0] : s.values[f]);
    if (q.size() != channels)
      fail(n, "its bias has " + std::to_string(q.size()) + " values for " +
                  std::to_string(channels) + " channels");
    return out;
  }
  if (!t)
    fail(n, "its bias '" + name + "' is not a constant");
  if (t->size() != channels)
    fail(n, "its bias has " + std::to_string(t->size()) + " values for " +
                std::to_string(channels) + " channels");
  return t->values;
}

void foldBatchNorm(const Graph &g, const Node &n, int axis, QWeights &w,
                   std::vector<double> &bias) {
  const Tensor &gamma = g.constantInput(n, 1, "the scale");
  const Tensor &beta = g.constantInput(n, 2, "the bias");
  const Tensor &mean = g.constantInput(n, 3, "the mean");
  const Tensor &var = g.constantInput(n, 4, "the variance");
  const double eps = n.getFloat("epsilon", 1e-5);
  const size_t channels = w.scale.size();
  if (gamma.size() != static_cast<int64_t>(channels))
    fail(n, "its parameters do not have one value per channel");
  for (size_t f = 0; f < channels; ++f) {
    double g = gamma.values[f] / std::sqrt(var.values[f] + eps);
    bias[f] = (bias[f] - mean.values[f]) * g + beta.values[f];
    w.scale[f] *= std::abs(g);
    if (g < 0)
      for (size_t i = 0; i < w.q.size(); ++i)
        if (channelOf(w.dims, axis, static_cast<int64_t>(i)) ==
            static_cast<int64_t>(f))
          w.q[i] = -w.q[i];
  }
}

// ---------------------------------------------------------------- layers

} // namespace akida::onnx
