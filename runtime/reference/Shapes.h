//===- Shapes.h - Output shapes and element types of layers ------*- C++ -*-===//
//
// The runtime's shape inference over ModelDesc layers (no MLIR): the same
// rules as the dialect's inference (docs/dialect/Rationale.md), applied to
// layers as the Model API builds them. Errors are std::invalid_argument
// naming the layer and the parameter.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_SHAPES_H
#define AKIDA_RUNTIME_REFERENCE_SHAPES_H

#include "compiler/fbz/ModelDesc.h"

#include <array>

namespace akida {

/// What travels on one edge: (rows, columns, channels) and the element type.
struct ActType {
  std::array<int64_t, 3> shape{};
  int bits = 8;
  bool isSigned = false;
  bool isFloat = false;
  bool operator==(const ActType &o) const {
    return shape == o.shape && bits == o.bits && isSigned == o.isSigned &&
           isFloat == o.isFloat;
  }
  bool operator!=(const ActType &o) const { return !(*this == o); }
};

/// Output rows (or columns) of a window: same/same_upper ceil(in / stride),
/// valid floor((in - size) / stride) + 1 (0 when it does not fit).
int64_t windowOutputDim(int64_t in, int64_t size, int64_t stride,
                        Padding padding);
/// Padding before (top/left): `same` puts the odd unit after, `same_upper`
/// before; 0 for valid.
int64_t paddingBefore(int64_t in, int64_t size, int64_t stride,
                      Padding padding);

/// The spatial window of a convolution-like layer (v1 pairs or v2 scalars).
struct Window {
  std::array<int64_t, 2> kernel{1, 1};
  std::array<int64_t, 2> stride{1, 1};
  Padding padding = Padding::Same;
  PoolType pool = PoolType::NoPooling;
  std::array<int64_t, 2> poolSize{0, 0};   ///< max pooling only
  std::array<int64_t, 2> poolStride{0, 0}; ///< max pooling only
};
/// The window of InputConvolutional, Convolutional, SeparableConvolutional,
/// InputConv2D, Conv2D or DepthwiseConv2D.
Window layerWindow(const LayerDesc &layer);

/// What the model input looks like to the input layer: `inputShape`, 8-bit
/// (or `bits`), signedness from InputData's input_signed.
ActType modelInputType(const ModelDesc &model);

/// The output of `layer` given its inputs (one per inbound; the input layer
/// gets modelInputType). Throws std::invalid_argument naming the layer.
ActType inferLayerOutput(const LayerDesc &layer,
                         const std::vector<ActType> &inputs);

/// The shapes a variable of `layer` may have given the layer's inputs: one
/// shape, or two for variables that are per layer (1) or per channel.
/// Throws std::invalid_argument for a name the layer type does not have.
std::vector<std::vector<int64_t>>
allowedVariableShapes(const LayerDesc &layer, const std::string &name,
                      const std::vector<ActType> &inputs);

} // namespace akida

#endif // AKIDA_RUNTIME_REFERENCE_SHAPES_H
