//===- LayerVerifier.h - Checks shared by the akida op verifiers -*- C++ -*-===//
//
// Structural checks every Akida layer needs: its place in the graph, the
// module's IP version, allowed bit widths, and the dtype, shape and value range
// of its variables. Each failure names the attribute, its value and what is
// allowed.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DIALECT_LAYERVERIFIER_H
#define AKIDA_DIALECT_LAYERVERIFIER_H

#include "dialect/AkidaDialect.h"

namespace mlir::akida {

/// Integer values of a dense or dense-resource elements attribute, sign- or
/// zero-extended by the element type; nullopt when the data is not available
/// (e.g. an elided resource) or not integer.
std::optional<SmallVector<int64_t>> getIntegerValues(ElementsAttr attr);

/// Float values of a dense or dense-resource f32 elements attribute.
std::optional<SmallVector<float>> getFloatValues(ElementsAttr attr);

/// The checks every layer starts with, in this order:
/// - its parameters, by running the op's own shape inference, which validates
///   every parameter it reads (MLIR checks the inferred types only after
///   verify(), so without this a bad parameter would surface as a confusing
///   variable-shape error, or index out of range);
/// - its place in the graph: an input layer reads a model argument, any other
///   layer reads the result of another akida layer;
/// - the enclosing module declares an IP version equal to the layer's.
LogicalResult verifyLayer(LayerOpInterface layer);

/// Checks that `value` of parameter `name` is one of `allowed`.
LogicalResult verifyOneOf(Operation *op, StringRef name, int64_t value,
                          ArrayRef<int64_t> allowed);

/// Checks that a variable is an elements attribute with element type
/// `element` and shape `shape`; `meaning` explains the expected shape.
LogicalResult verifyVariable(Operation *op, StringRef name, Attribute attr,
                             Type element, ArrayRef<int64_t> shape,
                             StringRef meaning);

/// Checks a per-channel variable: shape (channels), or (1) when
/// `allowPerLayer` (one value for the whole layer).
LogicalResult verifyChannelVariable(Operation *op, StringRef name,
                                    Attribute attr, Type element,
                                    int64_t channels, bool allowPerLayer);

/// Checks that every integer value of `attr` is within [lo, hi]; `why` names
/// the rule (e.g. "weights_bits = 4").
LogicalResult verifyValueRange(Operation *op, StringRef name, Attribute attr,
                               int64_t lo, int64_t hi, StringRef why);

/// Checks that weights fit `bits`: {0, 1} for 1 bit, otherwise the signed
/// range [-2^(bits-1), 2^(bits-1) - 1].
LogicalResult verifyWeightValues(Operation *op, StringRef name, Attribute attr,
                                 int64_t bits);

/// Element types of layer variables.
Type si8(MLIRContext *ctx);
Type ui8(MLIRContext *ctx);
Type si32(MLIRContext *ctx);

} // namespace mlir::akida

#endif // AKIDA_DIALECT_LAYERVERIFIER_H
