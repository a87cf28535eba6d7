//===- Requantize.h - Float scales to Akida integer parameters ----*- C++ -*-===//
//
// The output stage of an imported layer (docs/onnx-import.md, "From float
// scales to integers"). Per output channel f, with M[f] = s_x s_w[f] / s_y
// (over the positions of a global average) and b[f] the bias in
// accumulator units, ONNX computes q = clamp(round((acc + b) M)). Akida 1.0
// approximates it with threshold/act_step, Akida 2.0 with an int8 bias
// << shift and a uint8 output scale with a shift; a layer that ends the
// model without quantizer keeps its potentials for de-quantization.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_REQUANTIZE_H
#define AKIDA_COMPILER_ONNX_REQUANTIZE_H

#include "compiler/fbz/ModelDesc.h"

#include <limits>
#include <string>
#include <vector>

namespace akida::onnx {

/// What the layer's output quantizer asks for.
struct OutputSpec {
  bool quantized = false; ///< false: the float model output
  double scale = 1;       ///< s_y
  int64_t zeroPoint = 0;  ///< z_y: folded into the bias (no ReLU then)
  int bits = 8;
  bool isSigned = false;
  bool relu = false;
  double clipMax = std::numeric_limits<double>::infinity(); ///< float
  bool clipExact = true; ///< the clip is the top of the bits' range
  std::string quantizer; ///< the QuantizeLinear, for messages
  std::string op;        ///< the Conv/Gemm, for messages
};

/// Per output channel.
struct ChannelScales {
  std::vector<double> M;         ///< accumulator -> output units
  std::vector<double> accBias;   ///< bias in accumulator units, per position
  std::vector<double> floatBias; ///< the float bias
  std::vector<bool> dead;        ///< zero weight scale: a constant output
  double positions = 1;          ///< H x W under a global average, else 1
};

/// Akida 1.0: activation, act_bits, threshold and act_step. ImportError
/// (naming the quantizer) for signed or 8-bit outputs, or a clip below the
/// top of the range.
void setV1Activation(LayerDesc &layer, const ChannelScales &c,
                     const OutputSpec &out);

/// Akida 2.0: activation, output_bits, bias/bias_shift,
/// output_scales/output_shift, max_value for a clip below the saturation.
void setV2Activation(LayerDesc &layer, const ChannelScales &c,
                     const OutputSpec &out);

/// m ~ scale 2^shift with scale in [128, 255] (8 significant bits), shift
/// in [-32, 31]; scale 0 for m <= 0.
void splitMultiplier(double m, int64_t &scale, int64_t &shift);

/// v ~ value << shift with value in [-128, 127].
void splitBias(double v, int64_t &value, int64_t &shift);

} // namespace akida::onnx

#endif // AKIDA_COMPILER_ONNX_REQUANTIZE_H
