//===- Merges.cpp - ONNX Add and Concat as Akida 2.0 merge layers ---------===//
//
// DequantizeLinear(a), DequantizeLinear(b) -> Add [-> Relu] ->
// QuantizeLinear becomes an Add aligned by power-of-two shifts; Concat on
// channels of tensors with one scale becomes a Concatenate. Akida 1.0
// models are sequential.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Legalizer.h"

#include <algorithm>
#include <cmath>

namespace akida::onnx::detail {

const QValue &Legalizer::viewed(const Node &n,
                                const std::string &value) const {
  auto it = views_.find(value);
  if (it == views_.end() || flattened_.count(value))
    fail(n, "its input '" + value + "' is not a de-quantized activation");
  const QValue &q = quantized_.at(it->second);
  if (q.layer < 0)
    fail(n, "reads the model input directly; a merge needs layers on "
            "both sides");
  if (q.zeroPoint != 0)
    fail(n, "its input '" + value + "' has zero point " +
                std::to_string(q.zeroPoint) +
                "; Akida merges integers with zero point 0");
  return q;
}

void Legalizer::merge(const Node &n) {
  if (target_ == IpVersion::v1)
    fail(n, "Akida 1.0 models are sequential: no " + n.opType +
                " (use --target v2)");
  if (n.inputs.size() < 2 || (n.opType == "Add" && n.inputs.size() != 2))
    fail(n, "needs two inputs");
  std::vector<const QValue *> in;
  for (const std::string &v : n.inputs)
    in.push_back(&viewed(n, v));
  done_.insert(&n);
  LayerDesc layer;
  layer.name = n.name;
  for (const QValue *q : in)
    layer.inbounds.push_back(q->layer);
  QValue out = *in[0];
  if (n.opType == "Concat") {
    if (n.getInt("axis", 1) != 1)
      fail(n, "only channel concatenation (axis 1 of NCHW) is supported");
    out.shape[2] = 0;
    for (const QValue *q : in) {
      if (std::abs(q->scale - in[0]->scale) > 1e-6 * in[0]->scale ||
          q->bits != in[0]->bits || q->isSigned != in[0]->isSigned)
        fail(n, "its inputs must share one scale and bit width (Akida "
                "concatenates the integers as they are)");
      if (q->shape[0] != out.shape[0] || q->shape[1] != out.shape[1])
        fail(n, "its inputs must have the same rows and columns");
      out.shape[2] += q->shape[2];
    }
    const Node *q = next(n.outputs[0], n);
    if (!q || q->opType != "QuantizeLinear")
      fail(n, "must be followed by QuantizeLinear");
    auto [scale, zp] = scalarQuant(*q);
    if (zp != 0 || std::abs(scale - out.scale) > 1e-6 * out.scale)
      fail(*q, "re-quantizes the concatenation with another scale; Akida "
               "keeps the inputs' scale");
    done_.insert(q);
    layer.type = LayerType::Concatenate;
    out.layer = addLayer(std::move(layer), q->outputs[0]);
    quantized_[q->outputs[0]] = out;
    finished_ = isGraphOutput(q->outputs[0]);
    return;
  }
  const QValue &a = *in[0], &b = *in[1];
  if (a.shape != b.shape)
    fail(n, "adds tensors of different shapes");
  // [Relu] QuantizeLinear.
  bool relu = false;
  const Node *q = next(n.outputs[0], n);
  if (q && q->opType == "Relu") {
    relu = true;
    done_.insert(q);
    q = next(q->outputs[0], *q);
  }
  if (!q || q->opType != "QuantizeLinear")
    fail(n, "must be followed by [Relu] QuantizeLinear");
  done_.insert(q);
  const OutQuant oq = quantizerOf(*q);
  const double scale = oq.scale;
  if (oq.zeroPoint != 0)
    fail(*q, "the zero point must be 0");
  const bool isSigned = !relu && oq.int8;
  if (!relu && !isSigned)
    fail(*q, "quantizes to unsigned values without a ReLU before");
  // y = a s_a / s_y + b s_b / s_y: both ratios must be powers of two.
  auto log2Exact = [&](double ratio, const char *which) {
    const double e = std::round(std::log2(ratio));
    if (std::abs(ratio - std::ldexp(1.0, static_cast<int>(e))) > 1e-6 * ratio)
      fail(n, std::string("input ") + which + "'s scale is " +
                  std::to_string(ratio) +
                  " times the output's; Akida 2.0 Add aligns inputs by "
                  "shifts, so the ratio must be a power of two");
    return static_cast<int64_t>(e);
  };
  const int64_t ka = log2Exact(a.scale / scale, "A");
  const int64_t kb = log2Exact(b.scale / scale, "B");
  // Shift both left to a common exact sum, round once on output.
  const int64_t m = std::min<int64_t>({ka, kb, 0});
  const int64_t C = a.shape[2];
  layer.type = LayerType::Add;
  layer.params["activation"] = relu ? 1 : 0;
  layer.params["output_bits"] = 8;
  layer.variables["a_shift"] = {
      Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, ka - m)), 8};
  layer.variables["b_shift"] = {
      Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, kb - m)), 8};
  layer.variables["output_shift"] = {
      Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, m)), 8};
  out.layer = addLayer(std::move(layer), q->outputs[0]);
  out.scale = scale;
  out.bits = 8;
  out.isSigned = isSigned;
  quantized_[q->outputs[0]] = out;
  finished_ = isGraphOutput(q->outputs[0]);
}

} // namespace akida::onnx::detail
