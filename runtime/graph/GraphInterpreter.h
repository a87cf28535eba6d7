//===- GraphInterpreter.h - ONNX nodes run on the host, in float -*- C++ -*-===//
//
// The software side of an imported model: the part of an ONNX graph that no
// Akida layer expresses (a Sigmoid, a Softmax, a float tail after the last
// QuantizeLinear, ...) runs here, node by node, with ONNX's semantics
// (float32 values rounded after every node, integer types wrapped, Q/DQ
// rounding half to even). It is what an OnnxGraph layer executes
// (`akida convert --software-fallback`, docs/onnx-import.md). Tested against
// ONNX's own conformance cases (libonnx-testdata).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_GRAPH_GRAPHINTERPRETER_H
#define AKIDA_RUNTIME_GRAPH_GRAPHINTERPRETER_H

#include "compiler/onnx/OnnxGraph.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace akida::graph {

/// Whether the interpreter runs `opType` (default ONNX domain).
bool supportsOp(const std::string &opType);
/// The op types it runs, sorted, for messages and docs.
const std::vector<std::string> &supportedOps();

class GraphInterpreter {
public:
  /// Checks that every node is an op the interpreter runs (with attributes
  /// it supports); std::invalid_argument naming the node otherwise.
  explicit GraphInterpreter(onnx::Graph graph);

  /// Runs the graph on values for its inputs (in graph.inputs order) and
  /// returns its outputs (in graph.outputs order). std::invalid_argument
  /// naming the node on a shape or type the node cannot take.
  std::vector<onnx::Tensor> run(const std::vector<onnx::Tensor> &inputs) const;

  const onnx::Graph &graph() const { return graph_; }

private:
  onnx::Graph graph_;
};

/// How an ONNX tensor of `dims` lines up with Akida's per-sample NHWC
/// (rows, columns, channels): NCHW (rank 4) is transposed; any other rank
/// is one sample (the first axis, for rank >= 2) of 1 x 1 x (the rest).
std::array<int64_t, 3> akidaShape(const std::vector<int64_t> &dims);
/// One sample of NHWC values in the ONNX layout of `dims` (batch 1).
std::vector<double> fromNhwc(const std::vector<double> &nhwc,
                             const std::vector<int64_t> &dims);
/// The reverse: an ONNX tensor of one sample as NHWC values.
std::vector<double> toNhwc(const onnx::Tensor &t);

/// The interpreter for a serialized ONNX model (an OnnxGraph layer's
/// `graph` variable), parsed once per distinct graph and kept (a small
/// cache keyed by the bytes).
std::shared_ptr<const GraphInterpreter>
interpreterFor(const std::vector<uint8_t> &onnxBytes, const std::string &what);

} // namespace akida::graph

#endif // AKIDA_RUNTIME_GRAPH_GRAPHINTERPRETER_H
