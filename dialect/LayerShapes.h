//===- LayerShapes.h - Output shapes of Akida layers -------------*- C++ -*-===//
//
// Shape inference shared by the akida ops: convolution windows, padding,
// pooling and the NHWC result types. Every helper validates the parameters it
// reads and reports a bad one by name: inference runs from builders before an
// op exists, and the op verifiers run it first to check their parameters.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DIALECT_LAYERSHAPES_H
#define AKIDA_DIALECT_LAYERSHAPES_H

#include "dialect/AkidaDialect.h"

#include <array>

namespace mlir::akida {

/// Rows (or columns) a window of `size` and `stride` produces over `in`
/// values. `same` and `same_upper` give ceil(in / stride); `valid` gives
/// floor((in - size) / stride) + 1 (0 when the window does not fit).
int64_t windowOutputDim(int64_t in, int64_t size, int64_t stride,
                        Padding padding);

/// Padding added before (top/left) the input for `same`/`same_upper`, 0 for
/// `valid`.
int64_t paddingBefore(int64_t in, int64_t size, int64_t stride,
                      Padding padding);

/// The spatial parameters of a convolution-like layer, as written on the op.
/// Absent values are std::nullopt.
struct SpatialParams {
  std::array<int64_t, 2> kernel;
  std::array<int64_t, 2> stride;
  Padding padding = Padding::Same;
  PoolType pool = PoolType::NoPooling;
  std::optional<std::array<int64_t, 2>> poolSize;
  std::optional<std::array<int64_t, 2>> poolStride;
};

/// Reads a v1 (rows, cols) array attribute; `name` is used in the error.
FailureOr<std::array<int64_t, 2>> readPair(std::optional<Location> loc,
                                           StringRef opName, StringRef name,
                                           ArrayRef<int64_t> values);

/// Builds SpatialParams from the v2 scalar form (pool_size/pool_stride -1 for
/// absent).
SpatialParams v2Spatial(int64_t kernel, int64_t stride, Padding padding,
                        PoolType pool, int64_t poolSize, int64_t poolStride);

/// Validates `params` against an input of `rows` × `cols` and returns the
/// output rows and columns after the convolution and the pooling.
FailureOr<std::array<int64_t, 2>>
inferSpatialOutput(std::optional<Location> loc, StringRef opName, int64_t rows,
                   int64_t cols, const SpatialParams &params);

/// The operand as an NHWC tensor with static rows, columns and channels.
FailureOr<RankedTensorType> getActivationType(std::optional<Location> loc,
                                              StringRef opName, Value value,
                                              StringRef operandName);

/// An NHWC tensor with `input`'s batch dimension.
RankedTensorType makeNHWC(RankedTensorType input, int64_t rows, int64_t cols,
                          int64_t channels, Type element);

/// `ui<bits>` or `si<bits>`, after checking 1 <= bits <= 32.
FailureOr<Type> makeIntegerElement(std::optional<Location> loc,
                                   MLIRContext *context, StringRef opName,
                                   StringRef attrName, int64_t bits,
                                   bool isSigned);

/// `adaptor` with its default-valued properties filled in. Builders run
/// inference before the op exists, when ODS defaults are not populated yet.
template <typename OpT>
typename OpT::Adaptor withDefaults(MLIRContext *ctx,
                                   typename OpT::Adaptor adaptor) {
  typename OpT::Properties props = adaptor.getProperties();
  OpT::populateDefaultProperties(OperationName(OpT::getOperationName(), ctx),
                                 props);
  return typename OpT::Adaptor(adaptor.getOperands(), adaptor.getAttributes(),
                               props);
}

/// Checks that `value` is >= 1.
LogicalResult checkPositive(std::optional<Location> loc, StringRef opName,
                            StringRef name, int64_t value);

} // namespace mlir::akida

#endif // AKIDA_DIALECT_LAYERSHAPES_H
