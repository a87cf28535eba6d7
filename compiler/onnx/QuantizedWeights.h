//===- QuantizedWeights.h - Integer weights of an ONNX layer ------*- C++ -*-===//
//
// The constants around a Conv/Gemm/MatMul of a QDQ graph, folded: integer
// weights with one scale per output channel (DequantizeLinear of int8
// initializers, or of QuantizeLinear(float initializer), rounded half to
// even as ONNX does; or the integer weight input of a QLinearConv/
// ConvInteger/...), zero points subtracted and the result fitted to int8,
// the float bias (constant, or DequantizeLinear of
// int32), and a BatchNormalization folded into both. The nodes folded are
// added to `consumed`. Errors are ImportError naming the layer's node.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_QUANTIZEDWEIGHTS_H
#define AKIDA_COMPILER_ONNX_QUANTIZEDWEIGHTS_H

#include "compiler/onnx/OnnxGraph.h"

#include <set>

namespace akida::onnx {

/// Integer weights with their scale per output channel.
struct QWeights {
  std::vector<int64_t> q; ///< in the ONNX layout of the weight tensor
  std::vector<int64_t> dims;
  std::vector<double> scale; ///< per output channel
  int axis = 0;              ///< the output-channel axis of dims
  /// Some channel's values (after its zero point) left int8 and were
  /// re-quantized: the layer is no longer exact.
  bool requantized = false;
};

/// The weights input `name` of layer `n`, whose output channels are along
/// `axis`: the scale one value or one per channel, likewise the zero point
/// (which must be 0 for weights folded from QuantizeLinear(float)).
QWeights quantizedWeights(const Graph &g, const Node &n, const std::string &name,
                          int axis, std::set<const Node *> &consumed);

/// The integer weights of a QLinearConv/QLinearMatMul/ConvInteger/
/// MatMulInteger: input `values` (uint8 or int8), its scale input (-1: 1)
/// and zero point input (-1 or omitted: 0), output channels along `axis`.
QWeights integerWeights(const Graph &g, const Node &n, size_t values,
                        int scaleInput, int zeroPointInput, int axis);

/// Input `input` of `n` as a float bias per channel (zeros when absent).
std::vector<double> floatBias(const Graph &g, const Node &n, size_t input,
                              int64_t channels,
                              std::set<const Node *> &consumed);

/// BatchNormalization `n` after the layer folded into its weights (scale
/// per channel times |gamma/sigma|, integers negated where that factor is
/// negative; output channels along `axis`) and bias.
void foldBatchNorm(const Graph &g, const Node &n, int axis, QWeights &w,
                   std::vector<double> &bias);

/// The index along `axis` of flat element `flat` of a tensor of `dims`.
int64_t channelOf(const std::vector<int64_t> &dims, int64_t axis,
                  int64_t flat);

} // namespace akida::onnx

#endif // AKIDA_COMPILER_ONNX_QUANTIZEDWEIGHTS_H
