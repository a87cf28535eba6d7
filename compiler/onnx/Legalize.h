//===- Legalize.h - ONNX QDQ graphs to Akida layers ---------------*- C++ -*-===//
//
// Step 2 of the ONNX import (docs/onnx-import.md): the generic import form
// (OnnxGraph.h) of a quantized (QDQ) model becomes a ModelDesc of Akida
// 1.0 or 2.0 layers. Each Akida layer absorbs one ONNX block:
//
//   DequantizeLinear(x_q) -> Conv | Gemm | MatMul  (weights DequantizeLinear
//       of int8 initializers, or of QuantizeLinear(float): folded)
//     [-> BatchNormalization] [-> MaxPool | GlobalAveragePool]
//     [-> Relu] [-> Clip] -> QuantizeLinear        (or the graph output)
//   QLinearConv | QLinearMatMul | ConvInteger | MatMulInteger (one node)
//   [DequantizeLinear ->] MaxPool | GlobalAveragePool ...  (an identity
//       1x1 layer that pools)
//
// Zero points: an input's is folded into the bias (exact where the
// convolution pads nothing; v1's InputConvolutional pads with it), an
// output's into the bias before the saturation (no ReLU then); weights'
// are subtracted and the result re-quantized to int8 where it leaves it.
//
// The float scales become integer parameters: threshold/act_step for v1,
// bias/bias_shift, output_scales/output_shift (and max_value) for v2; a
// last layer without quantized output keeps its potentials and de-quantizes
// them (v1: predict's (p - threshold) / act_step; v2: a Dequantizer).
// Everything else — an op outside that pattern, a grouped convolution,
// asymmetric padding, 8-bit activations for v1, ... — is an ImportError
// naming the node, its op type and why; with ImportOptions::softwareFallback
// that node and the rest of the graph become one OnnxGraph layer instead
// (SoftwarePart.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_LEGALIZE_H
#define AKIDA_COMPILER_ONNX_LEGALIZE_H

#include "compiler/fbz/ModelDesc.h"
#include "compiler/onnx/OnnxGraph.h"

#include <optional>

namespace akida::onnx {

/// An imported model and how it lines up with its ONNX source.
struct Imported {
  ModelDesc desc;
  /// Per Akida layer, the ONNX tensor holding the same values: the output
  /// of the block's QuantizeLinear (integers), the float graph output (the
  /// layer that ends the model), or "" (v2's integer potentials before the
  /// Dequantizer).
  std::vector<std::string> tensors;
  std::string inputName; ///< the ONNX graph input
  std::vector<int64_t> inputDims; ///< its ONNX shape (-1: unknown)
  /// The ONNX input is float = inputScale x (the Akida (uint8) input -
  /// inputZeroPoint); 1 and 0 for a uint8 ONNX input.
  double inputScale = 1;
  int64_t inputZeroPoint = 0;
  /// With ImportOptions::softwareFallback, the part left to an OnnxGraph
  /// layer (the model's last layer): where it starts and why.
  struct Software {
    std::string from;   ///< the first node Akida could not take
    std::string reason; ///< the ImportError it gave
    size_t nodes = 0;   ///< ONNX nodes in the software part
  };
  std::optional<Software> software;
};

struct ImportOptions {
  /// Instead of failing on the first node Akida layers cannot express,
  /// leave it and everything after it to one OnnxGraph layer that runs
  /// that part of the ONNX graph on the host (a software sequence).
  bool softwareFallback = false;
};

/// Akida layers for `graph` on IP `target`; ImportError when the graph
/// cannot be expressed.
Imported importGraph(const Graph &graph, IpVersion target,
                     const ImportOptions &options = {});
inline ModelDesc legalize(const Graph &graph, IpVersion target) {
  return importGraph(graph, target).desc;
}

/// readOnnxFile, bindInputs, importGraph (the model is named after the
/// file).
Imported importOnnxFile(const std::string &path, IpVersion target,
                        const std::map<std::string, Tensor> &bindings = {},
                        const ImportOptions &options = {});

} // namespace akida::onnx

#endif // AKIDA_COMPILER_ONNX_LEGALIZE_H
