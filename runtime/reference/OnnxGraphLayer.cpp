//===- OnnxGraphLayer.cpp - The reference kernel of OnnxGraph -------------===//
//
// An OnnxGraph layer hands each sample of its input (the inbound layer's
// integer activations, NHWC) to the graph interpreter as the ONNX graph's
// input (its element type, NCHW when it has rank 4, batch 1) and returns the
// graph's output as NHWC values of the layer's output type.
//
//===----------------------------------------------------------------------===//

#include "runtime/reference/Kernels.h"

#include "runtime/graph/GraphInterpreter.h"

#include <stdexcept>

namespace akida::ref::detail {

Activations runOnnxGraph(const LayerDesc &layer, const Activations &in,
                         const ActType &out) {
  const std::string what = "layer '" + layer.name + "' (OnnxGraph)";
  std::shared_ptr<const graph::GraphInterpreter> interp;
  try {
    interp = graph::interpreterFor(layer.variables.at("graph").array.bytes,
                                   "its graph");
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument(what + ": " + e.what());
  }
  const onnx::Graph &g = interp->graph();
  if (g.inputs.size() != 1 || g.outputs.size() != 1)
    throw std::invalid_argument(what + ": its graph must have one input and "
                                       "one output, not " +
                                std::to_string(g.inputs.size()) + " and " +
                                std::to_string(g.outputs.size()));
  std::vector<int64_t> dims = g.inputs[0].dims;
  if (dims.size() >= 2)
    dims[0] = 1; // one sample at a time
  for (int64_t &d : dims)
    if (d < 0)
      throw std::invalid_argument(what + ": its graph input '" +
                                  g.inputs[0].name +
                                  "' has an unknown dimension");
  if (graph::akidaShape(dims) != in.type.shape)
    throw std::invalid_argument(
        what + ": its graph input '" + g.inputs[0].name + "' has shape " +
        formatDims(dims) + ", which is not its input " +
        formatDims({in.type.shape.begin(), in.type.shape.end()}));
  Activations result = makeOutput(out, in.batch);
  const int64_t inSize = in.sampleSize();
  const int64_t outSize = out.shape[0] * out.shape[1] * out.shape[2];
  for (int64_t n = 0; n < in.batch; ++n) {
    onnx::Tensor x;
    x.name = g.inputs[0].name;
    x.type = g.inputs[0].type;
    x.dims = dims;
    std::vector<double> sample(static_cast<size_t>(inSize));
    for (int64_t i = 0; i < inSize; ++i)
      sample[i] = in.type.isFloat ? in.floats[n * inSize + i]
                                  : static_cast<double>(in.ints[n * inSize + i]);
    x.values = graph::fromNhwc(sample, dims);
    onnx::Tensor y;
    try {
      y = interp->run({x})[0];
    } catch (const std::invalid_argument &e) {
      throw std::invalid_argument(what + ": " + e.what());
    }
    const std::vector<double> values = graph::toNhwc(y);
    if (graph::akidaShape(y.dims) != out.shape)
      throw std::invalid_argument(
          what + ": its graph output has shape " + formatDims(y.dims) +
          ", not the layer's " +
          formatDims({out.shape.begin(), out.shape.end()}));
    for (int64_t i = 0; i < outSize; ++i) {
      if (out.isFloat)
        result.floats[n * outSize + i] = static_cast<float>(values[i]);
      else
        result.ints[n * outSize + i] = static_cast<int64_t>(values[i]);
    }
  }
  return result;
}

} // namespace akida::ref::detail
