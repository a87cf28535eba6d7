//===- V1Ops.cpp - Akida 1.0 layers ---------------------------------------===//
//
// Shape inference and verifiers of InputConvolutional, Convolutional,
// SeparableConvolutional and FullyConnected.
//
//===----------------------------------------------------------------------===//

#include "dialect/AkidaDialect.h"
#include "dialect/LayerShapes.h"
#include "dialect/LayerVerifier.h"

#include <cmath>

using namespace mlir;
using namespace mlir::akida;

#define GET_OP_CLASSES
#include "dialect/AkidaV1Ops.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared inference
//===----------------------------------------------------------------------===//

/// The output element type: ui<act_bits> with the threshold activation, the
/// raw si32 potentials without it.
static FailureOr<Type> v1Element(std::optional<Location> loc, MLIRContext *ctx,
                                 StringRef opName, bool activation,
                                 int64_t actBits) {
  if (!activation)
    return si32(ctx);
  if (!llvm::is_contained({1, 2, 4}, actBits))
    return emitOptionalError(loc, "'", opName, "' op 'act_bits' is ", actBits,
                             " but must be one of 1, 2, 4");
  return makeIntegerElement(loc, ctx, opName, "act_bits", actBits, false);
}

template <typename AdaptorT>
static LogicalResult inferV1Conv(MLIRContext *ctx, std::optional<Location> loc,
                                 StringRef opName, AdaptorT &a,
                                 SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, a.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t filters = a.getFilters();
  if (failed(checkPositive(loc, opName, "filters", filters)))
    return failure();

  SpatialParams p;
  auto kernel = readPair(loc, opName, "kernel_size", a.getKernelSize());
  if (failed(kernel))
    return failure();
  p.kernel = *kernel;
  p.stride = {1, 1};
  if (auto stride = a.getKernelStride()) {
    auto pair = readPair(loc, opName, "kernel_stride", *stride);
    if (failed(pair))
      return failure();
    p.stride = *pair;
  }
  p.padding = a.getPadding();
  p.pool = a.getPoolType();
  if (auto size = a.getPoolSize()) {
    auto pair = readPair(loc, opName, "pool_size", *size);
    if (failed(pair))
      return failure();
    p.poolSize = *pair;
  }
  if (auto stride = a.getPoolStride()) {
    auto pair = readPair(loc, opName, "pool_stride", *stride);
    if (failed(pair))
      return failure();
    p.poolStride = *pair;
  }
  auto out = inferSpatialOutput(loc, opName, in->getDimSize(1),
                                in->getDimSize(2), p);
  if (failed(out))
    return failure();
  auto element = v1Element(loc, ctx, opName, a.getActivation(), a.getActBits());
  if (failed(element))
    return failure();
  types.push_back(makeNHWC(*in, (*out)[0], (*out)[1], filters, *element));
  return success();
}

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

/// Placement, bit widths, weight values and the threshold/act_step
/// variables, common to every v1 layer with `units` output channels.
template <typename OpT>
static LogicalResult verifyV1Layer(OpT op, int64_t units) {
  Operation *raw = op.getOperation();
  if (failed(verifyLayer(op)) ||
      failed(verifyOneOf(raw, "weights_bits", op.getWeightsBits(),
                         {1, 2, 4, 8})))
    return failure();
  MLIRContext *ctx = op.getContext();
  if (failed(verifyVariable(raw, "threshold", op.getThresholdAttr(), si32(ctx),
                            {units}, "one value per output channel")) ||
      failed(verifyVariable(raw, "act_step", op.getActStepAttr(),
                            Float32Type::get(ctx), {units},
                            "one value per output channel")))
    return failure();
  if (op.getActivation()) {
    if (auto steps = getFloatValues(op.getActStepAttr())) {
      for (auto [i, s] : llvm::enumerate(*steps))
        if (!std::isfinite(s) || s <= 0.0f)
          return op.emitOpError("variable 'act_step' has value ")
                 << s << " at index " << i
                 << "; steps of an activation must be finite and > 0";
    }
  }
  return success();
}

/// Inputs of NP layers are v1 activations: unsigned integers.
static LogicalResult verifyUnsignedInput(Operation *op, Value input) {
  auto element = cast<IntegerType>(
      cast<ShapedType>(input.getType()).getElementType());
  if (element.isUnsigned())
    return success();
  return op->emitOpError("input element type ")
         << element << " must be unsigned: Akida 1.0 activations are "
         << "unsigned (ui1, ui2, ui4, ui8)";
}

static int64_t channelsOf(Value v) {
  return cast<ShapedType>(v.getType()).getDimSize(3);
}

/// Convolution weights `(kx, ky, C, F)` that fit weights_bits.
template <typename OpT> static LogicalResult verifyConvWeights(OpT op) {
  auto k = op.getKernelSize();
  if (failed(verifyVariable(op, "weights", op.getWeightsAttr(),
                            si8(op.getContext()),
                            {k[0], k[1], channelsOf(op.getInput()),
                             int64_t(op.getFilters())},
                            "kernel rows × kernel columns × input channels × "
                            "filters")))
    return failure();
  return verifyWeightValues(op, "weights", op.getWeightsAttr(),
                            op.getWeightsBits());
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

LogicalResult InputConvolutionalOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<InputConvolutionalOp>(ctx, adaptor);
  return inferV1Conv(ctx, loc, getOperationName(), adaptor, types);
}

LogicalResult InputConvolutionalOp::verify() {
  if (failed(verifyV1Layer(*this, getFilters())))
    return failure();
  auto element = cast<ShapedType>(getInput().getType()).getElementType();
  if (element != ui8(getContext()))
    return emitOpError("input element type ")
           << element << " must be ui8: the input convolution reads raw "
           << "8-bit data";
  int64_t padValue = getPaddingValue();
  if (padValue < 0 || padValue > 255)
    return emitOpError("'padding_value' is ")
           << padValue << " but must be between 0 and 255";
  return verifyConvWeights(*this);
}

LogicalResult
ConvolutionalOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<ConvolutionalOp>(ctx, adaptor);
  return inferV1Conv(ctx, loc, getOperationName(), adaptor, types);
}

LogicalResult ConvolutionalOp::verify() {
  if (failed(verifyV1Layer(*this, getFilters())) ||
      failed(verifyUnsignedInput(*this, getInput())))
    return failure();
  return verifyConvWeights(*this);
}

LogicalResult SeparableConvolutionalOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<SeparableConvolutionalOp>(ctx, adaptor);
  return inferV1Conv(ctx, loc, getOperationName(), adaptor, types);
}

LogicalResult SeparableConvolutionalOp::verify() {
  if (failed(verifyV1Layer(*this, getFilters())) ||
      failed(verifyUnsignedInput(*this, getInput())))
    return failure();
  auto k = getKernelSize();
  int64_t channels = channelsOf(getInput());
  if (failed(verifyVariable(*this, "weights", getWeightsAttr(), si8(getContext()),
                            {k[0], k[1], channels, 1},
                            "depthwise kernel rows × kernel columns × input "
                            "channels × 1")) ||
      failed(verifyVariable(*this, "weights_pw", getWeightsPwAttr(),
                            si8(getContext()),
                            {1, 1, channels, int64_t(getFilters())},
                            "pointwise 1 × 1 × input channels × filters")))
    return failure();
  if (failed(verifyWeightValues(*this, "weights", getWeightsAttr(),
                                getWeightsBits())))
    return failure();
  return verifyWeightValues(*this, "weights_pw", getWeightsPwAttr(),
                            getWeightsBits());
}

LogicalResult FullyConnectedOp::inferReturnTypes(MLIRContext *ctx,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<FullyConnectedOp>(ctx, adaptor);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t units = adaptor.getUnits();
  if (failed(checkPositive(loc, opName, "units", units)))
    return failure();
  auto element = v1Element(loc, ctx, opName, adaptor.getActivation(),
                           adaptor.getActBits());
  if (failed(element))
    return failure();
  types.push_back(makeNHWC(*in, 1, 1, units, *element));
  return success();
}

LogicalResult FullyConnectedOp::verify() {
  if (failed(verifyV1Layer(*this, getUnits())) ||
      failed(verifyUnsignedInput(*this, getInput())))
    return failure();
  auto in = cast<ShapedType>(getInput().getType());
  int64_t features = in.getDimSize(1) * in.getDimSize(2) * in.getDimSize(3);
  if (failed(verifyVariable(*this, "weights", getWeightsAttr(), si8(getContext()),
                            {1, 1, features, int64_t(getUnits())},
                            "1 × 1 × flattened input features × units")))
    return failure();
  // The edge-learning state of Model::compile, when present.
  MLIRContext *ctx = getContext();
  const int64_t units = getUnits();
  if ((getThresholdLearningAttr() &&
       failed(verifyVariable(*this, "threshold_learning",
                             getThresholdLearningAttr(), si32(ctx), {units},
                             "one value per unit"))) ||
      (getPlasticityAttr() &&
       failed(verifyVariable(*this, "plasticity", getPlasticityAttr(),
                             Float32Type::get(ctx), {units},
                             "one value per unit"))) ||
      (getLearningParametersAttr() &&
       failed(verifyVariable(
           *this, "learning_parameters", getLearningParametersAttr(),
           Float32Type::get(ctx), {4},
           "initial_plasticity, learning_competition, min_plasticity, "
           "plasticity_decay"))))
    return failure();
  return verifyWeightValues(*this, "weights", getWeightsAttr(), getWeightsBits());
}
