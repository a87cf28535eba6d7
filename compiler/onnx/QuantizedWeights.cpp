//===- QuantizedWeights.cpp - Integer weights of an ONNX layer -----------===//

#include "compiler/onnx/QuantizedWeights.h"

#include <algorithm>
#include <cmath>

namespace akida::onnx {

namespace {

[[noreturn]] void fail(const Node &n, const std::string &why) {
  throw ImportError(n.describe() + ": " + why);
}

} // namespace

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
  if (dq->inputs.size() > 2 && !dq->inputs[2].empty()) {
    const Tensor *zp = g.constant(dq->inputs[2]);
    if (zp)
      for (double z : zp->values)
        if (z != 0)
          fail(n, "its weights have a non-zero zero point; Akida weights "
                  "are symmetric");
  }
  const int64_t channels = w.dims.at(axis);
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
