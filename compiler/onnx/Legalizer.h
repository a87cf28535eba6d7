//===- Legalizer.h - One ONNX legalization in progress (internal) -*- C++ -*-===//
//
// The state of importGraph (Legalize.h) while it walks a graph, shared by
// the files that implement it: Legalize.cpp (the walk, the model input,
// QuantizeLinear/DequantizeLinear, views, the output Dequantizer),
// LayerBlocks.cpp (the blocks that become one conv or dense layer, pooling
// alone included), Merges.cpp (v2 Add and Concatenate) and SoftwarePart.cpp
// (the OnnxGraph layer of --software-fallback).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_LEGALIZER_H
#define AKIDA_COMPILER_ONNX_LEGALIZER_H

#include "compiler/onnx/Legalize.h"
#include "compiler/onnx/QuantizedWeights.h"
#include "compiler/onnx/Requantize.h"

#include <array>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace akida::onnx::detail {

/// A quantized activation tensor: float = scale * (q - zeroPoint).
struct QValue {
  int layer = -1; ///< producing layer index; -1: the model input
  double scale = 1;
  int64_t zeroPoint = 0;
  int bits = 8;
  bool isSigned = false;
  /// False for a raw uint8 graph input until a reader (DequantizeLinear,
  /// QLinearConv, ...) gives its scale and zero point.
  bool known = true;
  std::array<int64_t, 3> shape{}; ///< rows, columns, channels
  int rank = 4; ///< of the ONNX tensor: 4 (NCHW), 2 (N, features), ...
};

/// What a block's output is quantized to: a QuantizeLinear, or the
/// y_scale/y_zero_point of a QLinear op.
struct OutQuant {
  std::string what; ///< the node, for messages
  double scale = 1;
  int64_t zeroPoint = 0;
  bool int8 = false; ///< int8 (signed) rather than uint8
  std::string output;
};

/// An Akida layer in the making: the ONNX block it absorbs.
struct Block {
  const Node *op = nullptr; ///< Conv, Gemm, MatMul, a QLinear/Integer op,
                            ///< or the pooling of an identity layer
  QValue in;
  QWeights w;
  std::vector<double> bias; ///< float bias per output channel
  bool dense = false;       ///< Gemm/MatMul: weights [F, U] or [U, F]
  bool transB = false;
  bool depthwise = false;
  bool identity = false; ///< unit 1x1 weights (pooling alone)
  int64_t kernel = 1, stride = 1;
  Padding padding = Padding::Valid;
  PoolType pool = PoolType::NoPooling;
  int64_t poolSize = 0, poolStride = 0;
  int64_t gapPositions = 1;
  bool relu = false;
  double clipMax = std::numeric_limits<double>::infinity();
  std::optional<OutQuant> quantize;
  /// ConvInteger/MatMulInteger: the int32 accumulator is the output.
  bool integerOutput = false;
  std::string output; ///< the ONNX value the block ends with
};

class Legalizer {
public:
  Legalizer(const Graph &g, IpVersion target, ImportOptions options)
      : g_(g), target_(target), options_(options) {}
  Imported run();

private:
  /// What visiting one node may change, to undo a visit that failed.
  struct Checkpoint {
    size_t layers = 0;
    std::map<std::string, QValue> quantized;
    std::map<std::string, std::string> views;
    std::map<std::string, QValue> floatOutputs;
    std::set<std::string> flattened;
    std::set<const Node *> done;
    double inputScale = 1;
    int64_t inputZeroPoint = 0;
    bool finished = false;
  };
  Checkpoint checkpoint() const;
  void restore(Checkpoint c);
  /// Checks the op is one the importer takes, then visits it.
  void take(const Node &n);
  // Legalize.cpp
  [[noreturn]] void fail(const Node &n, const std::string &why) const;
  const Node *next(const std::string &value, const Node &from) const;
  bool isGraphOutput(const std::string &value) const;
  void readInput();
  std::pair<double, int64_t> scalarQuant(const Node &n) const;
  OutQuant quantizerOf(const Node &q) const;
  /// Checks (or, for a raw input, sets) the scale and zero point a reader
  /// of `value` states for it.
  QValue &readQuantized(const Node &n, const std::string &value, double scale,
                        int64_t zeroPoint);
  void visit(const Node &n);
  void dequantize(const Node &n);
  /// Inserts an InputData layer 0 for a first layer that is not an input
  /// layer; returns its index.
  int inputLayer();
  int addLayer(LayerDesc layer, const std::string &tensor);

  // LayerBlocks.cpp
  void layer(const Node &n);
  void qlinearLayer(const Node &n);
  void poolLayer(const Node &n);
  std::array<int64_t, 3> convGeometry(Block &b, const Node &n);
  std::array<int64_t, 3> denseGeometry(Block &b, const Node &n, bool flat);
  Padding paddingOf(const Node &n, const std::array<int64_t, 3> &in,
                    int64_t k, int64_t stride) const;
  std::string follow(Block &b, const Node *first, std::string value,
                     std::array<int64_t, 3> &out);
  void setPooling(Block &b, const Node &n, std::array<int64_t, 3> &out);
  void setConvLayer(LayerDesc &layer, Block &b);
  void setDenseLayer(LayerDesc &layer, Block &b);
  OutputSpec finish(LayerDesc &layer, const Block &b);
  void emit(Block &b, const std::array<int64_t, 3> &out);
  void appendDequantizer(const Block &b, const std::array<int64_t, 3> &out);

  // Merges.cpp
  const QValue &viewed(const Node &n, const std::string &value) const;
  void merge(const Node &n);

  // SoftwarePart.cpp
  /// Ends the model with an OnnxGraph layer running what the graph output
  /// needs and Akida layers do not compute; `from` is the node that failed
  /// with `reason`. ImportError when that part cannot run in software.
  void leaveToSoftware(const Node &from, const std::string &reason);

  const Graph &g_;
  IpVersion target_;
  ImportOptions options_;
  std::optional<Imported::Software> software_;
  ModelDesc desc_;
  std::string inputName_;
  std::vector<std::string> tensors_;
  double inputScale_ = 1;
  int64_t inputZeroPoint_ = 0;
  std::map<std::string, QValue> quantized_;  ///< integer activations
  std::map<std::string, std::string> views_; ///< float view -> quantized
  /// The float outputs of Dequantizer layers (what a software part may
  /// read besides quantized tensors).
  std::map<std::string, QValue> floatOutputs_;
  std::set<std::string> flattened_;
  mutable std::set<const Node *> done_;
  bool finished_ = false;
};

} // namespace akida::onnx::detail

#endif // AKIDA_COMPILER_ONNX_LEGALIZER_H
