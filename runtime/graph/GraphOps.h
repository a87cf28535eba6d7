//===- GraphOps.h - The ops of the graph interpreter (internal) ---*- C++ -*-===//
//
// One function per ONNX op type: it reads its inputs (null for an omitted
// optional one) and attributes and returns its outputs. ElementwiseOps.cpp,
// NeuralOps.cpp, ShapeOps.cpp and QuantizeOps.cpp register theirs in the
// table GraphInterpreter.cpp looks ops up in.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_GRAPH_GRAPHOPS_H
#define AKIDA_RUNTIME_GRAPH_GRAPHOPS_H

#include "compiler/onnx/OnnxGraph.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida::graph::detail {

using onnx::ElemType;
using onnx::Node;
using onnx::Tensor;
using Inputs = std::vector<const Tensor *>;

struct OpContext {
  const Node &node;
  int64_t opset;
};

using OpFn = std::vector<Tensor> (*)(const OpContext &ctx, const Inputs &in);

/// op type -> function.
using OpTable = std::map<std::string, OpFn>;
void addElementwiseOps(OpTable &table);
void addNeuralOps(OpTable &table);
void addShapeOps(OpTable &table);
void addQuantizeOps(OpTable &table);

/// std::invalid_argument "<node description>: <why>".
[[noreturn]] void fail(const OpContext &ctx, const std::string &why);
/// Input `i`, which must be present.
const Tensor &input(const OpContext &ctx, const Inputs &in, size_t i);
/// Input `i` or null when omitted.
const Tensor *optionalInput(const Inputs &in, size_t i);

/// A tensor of `type` and `dims`, zero-filled.
Tensor makeTensor(ElemType type, std::vector<int64_t> dims);
/// Rounds float32 values to float32, wraps integer values into their type
/// (what storing them in that type does).
void storeAs(Tensor &t);
/// `axis` in [-rank, rank) as a non-negative axis.
int64_t normalizeAxis(const OpContext &ctx, int64_t axis, int64_t rank);
/// Integer values of a (1-D) constant-like tensor.
std::vector<int64_t> intsOf(const Tensor &t);
/// "[2,3,4]".
std::string dimsText(const std::vector<int64_t> &dims);

/// numpy broadcasting: the common shape of `shapes`; fails naming the node.
std::vector<int64_t> broadcastDims(const OpContext &ctx,
                                   const std::vector<std::vector<int64_t>> &shapes);
/// For each element of `out` (row-major), the element of a tensor of
/// `dims` that broadcasts to it.
std::vector<int64_t> broadcastIndex(const std::vector<int64_t> &out,
                                    const std::vector<int64_t> &dims);

} // namespace akida::graph::detail

#endif // AKIDA_RUNTIME_GRAPH_GRAPHOPS_H
