//===- OnnxGraph.h - ONNX models in the generic import form -------*- C++ -*-===//
//
// Step 1 of the ONNX import (docs/onnx-import.md): the ONNX protobuf read
// into a plain graph that keeps every node as ONNX wrote it — op type,
// inputs, outputs, attributes — with the initializers and Constant nodes
// as tensors of values and the graph inputs with their shapes. Nothing is
// interpreted yet; step 2 (Legalize.h) turns it into Akida layers. The
// textual dump (print) is what `akida-translate --import-onnx-generic`
// shows and what the lit tests check.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_ONNXGRAPH_H
#define AKIDA_COMPILER_ONNX_ONNXGRAPH_H

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida::onnx {

/// An ONNX model that cannot be read or imported: the message names the
/// file or node and says why.
class ImportError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// ONNX element types the importer reads (TensorProto.DataType values).
enum class ElemType : int {
  Undefined = 0,
  Float = 1,
  UInt8 = 2,
  Int8 = 3,
  Int32 = 6,
  Int64 = 7,
  Double = 11,
  Other = -1,
};
const char *elemTypeName(ElemType type);

/// A constant tensor (initializer or Constant node), values widened.
struct Tensor {
  std::string name;
  ElemType type = ElemType::Undefined;
  std::vector<int64_t> dims;
  std::vector<double> values; ///< every element, row-major
  int64_t size() const;
  bool isInteger() const {
    return type == ElemType::UInt8 || type == ElemType::Int8 ||
           type == ElemType::Int32 || type == ElemType::Int64;
  }
};

struct Attribute {
  enum Kind { Int, Float, String, Ints, Floats, TensorValue, Other } kind = Other;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::optional<Tensor> tensor;
};

struct Node {
  std::string name; ///< the node's name, or "<op_type> #<index>" when unnamed
  std::string opType;
  std::string domain; ///< "" for the default ONNX domain
  std::vector<std::string> inputs;  ///< "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attributes;

  /// Attribute accessors: the value, or `fallback` when absent; ImportError
  /// naming the node when present with another kind.
  int64_t getInt(const std::string &attr, int64_t fallback) const;
  double getFloat(const std::string &attr, double fallback) const;
  std::vector<int64_t> getInts(const std::string &attr,
                               std::vector<int64_t> fallback) const;
  std::string getString(const std::string &attr, std::string fallback) const;
  /// "node 'conv0.conv' (Conv)" for messages.
  std::string describe() const;
};

/// A graph input or output: its name, element type and shape (-1 for a
/// symbolic or unknown dimension).
struct ValueInfo {
  std::string name;
  ElemType type = ElemType::Undefined;
  std::vector<int64_t> dims;
};

struct Graph {
  std::string name;
  int64_t opsetVersion = 0; ///< of the default domain
  std::vector<ValueInfo> inputs;  ///< initializers excluded
  std::vector<ValueInfo> outputs;
  std::vector<Node> nodes;        ///< in file order (ONNX: topological)
  std::map<std::string, Tensor> constants; ///< initializers and Constant nodes

  const Tensor *constant(const std::string &name) const {
    auto it = constants.find(name);
    return it == constants.end() ? nullptr : &it->second;
  }
  /// Input `i` of `n` as a constant; ImportError naming the node and `what`
  /// when it is absent or not a constant.
  const Tensor &constantInput(const Node &n, size_t i, const char *what) const;
  /// The node producing `value`, or null (graph input or constant).
  const Node *producer(const std::string &value) const;
  /// The nodes reading `value`.
  std::vector<const Node *> consumers(const std::string &value) const;
};

/// Reads an ONNX model file; ImportError naming the file when it cannot be
/// opened, is not an ONNX model, has no graph, or uses an element type or
/// tensor encoding the importer does not read (external data).
Graph readOnnxFile(const std::string &path);
/// The same from bytes; `what` names the source in messages.
Graph readOnnx(const std::string &bytes, const std::string &what);

/// The graph as a serialized ONNX ModelProto (opset `graph.opsetVersion`
/// of the default domain; constants become initializers): what readOnnx
/// reads back to an equal graph.
std::string writeOnnx(const Graph &graph);

/// Reads a serialized ONNX TensorProto (the `input_N.pb` files of ONNX
/// test data); ImportError naming the file when it is not one.
Tensor readTensorFile(const std::string &path);

/// Turns the graph inputs named in `bindings` into constants with those
/// values (a model that takes its weights, scales or zero points as
/// inputs); ImportError when a name is not a graph input or the value's
/// element type or shape differs from the input's.
void bindInputs(Graph &graph, const std::map<std::string, Tensor> &bindings);

/// The generic import form as text: one line per input, constant (name,
/// type, shape; values when short) and node (op, attributes, inputs ->
/// outputs).
std::string print(const Graph &graph);

} // namespace akida::onnx

#endif // AKIDA_COMPILER_ONNX_ONNXGRAPH_H
