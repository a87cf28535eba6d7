//===- SoftwarePart.cpp - What Akida cannot take, left to an OnnxGraph ----===//
//
// With ImportOptions::softwareFallback the walk stops at the first node the
// Akida layers cannot express; the nodes the graph output still needs
// become one sub-graph, stored (serialized ONNX) in an OnnxGraph layer that
// ends the model and runs on the host in a software sequence. The
// sub-graph's one input is the tensor of the last Akida layer (or the
// model input): its quantized integers, or the float output of a v2
// Dequantizer.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Legalizer.h"

#include "runtime/graph/GraphInterpreter.h"

#include <algorithm>

namespace akida::onnx::detail {

namespace {

/// The ONNX shape, batch 1, of a quantized tensor of `q`'s shape and rank.
std::vector<int64_t> onnxDims(const QValue &q) {
  const auto &s = q.shape;
  switch (q.rank) {
  case 4:
    return {1, s[2], s[0], s[1]};
  case 1:
    return {s[0] * s[1] * s[2]};
  default:
    return {1, s[0] * s[1] * s[2]};
  }
}

} // namespace

void Legalizer::leaveToSoftware(const Node &from, const std::string &reason) {
  auto refuse = [&](const std::string &why) {
    throw ImportError(reason + "; it cannot be left to software either: " +
                      why);
  };
  const std::string &output = g_.outputs.at(0).name;
  // Walk back from the graph output to quantized tensors Akida computes.
  std::set<const Node *> part;
  std::set<std::string> constants, external, seen;
  std::vector<std::string> work{output};
  while (!work.empty()) {
    const std::string value = work.back();
    work.pop_back();
    if (value.empty() || !seen.insert(value).second)
      continue;
    if (g_.constant(value)) {
      constants.insert(value);
      continue;
    }
    if (quantized_.count(value) || floatOutputs_.count(value)) {
      external.insert(value);
      continue;
    }
    const Node *p = g_.producer(value);
    if (!p)
      refuse("it reads the float model input '" + value +
             "' before any QuantizeLinear; the software part starts at a "
             "quantized tensor");
    if (done_.count(p))
      refuse("it reads '" + value + "', a value inside the Akida layer " +
             "block of " + p->describe());
    part.insert(p);
    for (const std::string &in : p->inputs)
      work.push_back(in);
  }
  if (part.empty() || !part.count(&from))
    throw ImportError(reason);
  if (external.size() != 1) {
    std::string names;
    for (const std::string &v : external)
      names += (names.empty() ? "'" : ", '") + v + "'";
    refuse("it reads " + std::to_string(external.size()) +
           " quantized tensors (" + (names.empty() ? "none" : names) +
           "); it must read exactly one, the last Akida layer's");
  }
  const std::string &in = *external.begin();
  const bool isFloat = floatOutputs_.count(in) > 0;
  const QValue &q = isFloat ? floatOutputs_.at(in) : quantized_.at(in);
  if (!q.known)
    refuse("the model input '" + in + "' has no scale yet");
  int inbound = q.layer;
  if (inbound < 0)
    inbound = inputLayer();
  if (inbound != static_cast<int>(desc_.layers.size()) - 1)
    refuse("it reads '" + in + "', which is not the output of the last "
           "Akida layer '" + desc_.layers.back().name + "'");

  Graph sub;
  sub.name = g_.name + "/software";
  sub.opsetVersion = g_.opsetVersion;
  ValueInfo input;
  input.name = in;
  input.type = isFloat      ? ElemType::Float
               : q.isSigned ? ElemType::Int8
                            : ElemType::UInt8;
  input.dims = onnxDims(q);
  sub.inputs.push_back(input);
  sub.outputs.push_back({output, ElemType::Undefined, {}});
  for (const Node &n : g_.nodes)
    if (part.count(&n))
      sub.nodes.push_back(n);
  for (const std::string &c : constants)
    sub.constants[c] = *g_.constant(c);

  // Runs once on zeros: checks every op and gives the output's shape.
  Tensor probe;
  probe.name = in;
  probe.type = input.type;
  probe.dims = input.dims;
  probe.values.assign(static_cast<size_t>(q.shape[0] * q.shape[1] * q.shape[2]),
                      0.0);
  Tensor y;
  try {
    y = graph::GraphInterpreter(sub).run({probe}).at(0);
  } catch (const std::invalid_argument &e) {
    refuse(e.what());
  }
  DType dtype;
  switch (y.type) {
  case ElemType::Float: dtype = DType::Float32; break;
  case ElemType::UInt8: dtype = DType::UInt8; break;
  case ElemType::Int8: dtype = DType::Int8; break;
  default:
    refuse("its output '" + output + "' is " + elemTypeName(y.type) +
           "; an OnnxGraph layer outputs float32, uint8 or int8");
  }
  sub.outputs[0].type = y.type;
  sub.outputs[0].dims = y.dims;
  const std::array<int64_t, 3> shape = graph::akidaShape(y.dims);

  LayerDesc layer;
  layer.name = from.name;
  layer.type = LayerType::OnnxGraph;
  layer.inbounds = {inbound};
  layer.params["output_rows"] = shape[0];
  layer.params["output_columns"] = shape[1];
  layer.params["output_channels"] = shape[2];
  layer.params["output_dtype"] = static_cast<int64_t>(dtype);
  const std::string bytes = writeOnnx(sub);
  Array graphBytes;
  graphBytes.dtype = DType::UInt8;
  graphBytes.shape = {static_cast<int64_t>(bytes.size())};
  graphBytes.bytes.assign(bytes.begin(), bytes.end());
  layer.variables["graph"] = {std::move(graphBytes), 8};
  addLayer(std::move(layer), output);
  software_ = Imported::Software{from.describe(), reason, sub.nodes.size()};
  finished_ = true;
}

} // namespace akida::onnx::detail
