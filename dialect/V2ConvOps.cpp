//===- V2ConvOps.cpp - Akida 2.0 weighted layers --------------------------===//
//
// Shape inference and verifiers of InputConv2D, Conv2D, Conv2DTranspose,
// DepthwiseConv2D, DepthwiseConv2DTranspose, Dense1D, BufferTempConv and
// DepthwiseBufferTempConv, which share the v2 output pipeline.
//
//===----------------------------------------------------------------------===//

#include "dialect/AkidaDialect.h"
#include "dialect/LayerShapes.h"
#include "dialect/LayerVerifier.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::akida;

#define GET_OP_CLASSES
#include "dialect/AkidaV2ConvOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared inference
//===----------------------------------------------------------------------===//

/// `ui<output_bits>` after ReLU, `si<output_bits>` after a LUT or none.
template <typename AdaptorT>
static FailureOr<Type> v2Element(std::optional<Location> loc, MLIRContext *ctx,
                                 StringRef opName, AdaptorT &a) {
  return makeIntegerElement(loc, ctx, opName, "output_bits", a.getOutputBits(),
                            a.getActivation() != Activation::ReLU);
}

/// Layers with a (possibly strided, pooled) spatial window.
template <typename AdaptorT>
static LogicalResult inferV2Window(MLIRContext *ctx,
                                   std::optional<Location> loc,
                                   StringRef opName, AdaptorT &a,
                                   std::optional<int64_t> filters,
                                   SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, a.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t channels = filters ? *filters : in->getDimSize(3);
  if (filters && failed(checkPositive(loc, opName, "filters", *filters)))
    return failure();
  SpatialParams p =
      v2Spatial(a.getKernelSize(), a.getKernelStride(), a.getPadding(),
                a.getPoolType(), a.getPoolSize(), a.getPoolStride());
  auto out = inferSpatialOutput(loc, opName, in->getDimSize(1),
                                in->getDimSize(2), p);
  if (failed(out))
    return failure();
  auto element = v2Element(loc, ctx, opName, a);
  if (failed(element))
    return failure();
  types.push_back(makeNHWC(*in, (*out)[0], (*out)[1], channels, *element));
  return success();
}

/// Layers without a spatial window: transposed layers (Same padding, stride
/// 2, rows and columns double; `scale` 2) and temporal layers (rows and columns
/// kept; `scale` 1). `sizeName`/`size` is the one window parameter they have.
template <typename AdaptorT>
static LogicalResult inferV2Grid(MLIRContext *ctx, std::optional<Location> loc,
                                 StringRef opName, AdaptorT &a,
                                 StringRef sizeName, int64_t size,
                                 int64_t scale, std::optional<int64_t> filters,
                                 SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, a.getInput(), "input");
  if (failed(in) || failed(checkPositive(loc, opName, sizeName, size)) ||
      (filters && failed(checkPositive(loc, opName, "filters", *filters))))
    return failure();
  auto element = v2Element(loc, ctx, opName, a);
  if (failed(element))
    return failure();
  types.push_back(makeNHWC(*in, scale * in->getDimSize(1),
                           scale * in->getDimSize(2),
                           filters ? *filters : in->getDimSize(3), *element));
  return success();
}

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

static LogicalResult verifyBits(Operation *op, StringRef name, int64_t bits) {
  if (bits >= 1 && bits <= 32)
    return success();
  return op->emitOpError("'") << name << "' is " << bits
                              << " but must be between 1 and 32";
}

/// Everything but the weights' shape: placement, bit widths, weight values
/// and the optional per-channel variables of the v2 output pipeline, for a
/// layer with `inChannels` inputs and `filters` outputs.
template <typename OpT>
static LogicalResult verifyV2Layer(OpT op, int64_t inChannels,
                                   int64_t filters) {
  Operation *raw = op.getOperation();
  MLIRContext *ctx = op.getContext();
  if (failed(verifyLayer(op)) ||
      failed(verifyOneOf(raw, "weights_bits", op.getWeightsBits(),
                         {1, 2, 4, 8})) ||
      failed(verifyBits(raw, "buffer_bits", op.getBufferBits())) ||
      failed(verifyBits(raw, "post_op_buffer_bits", op.getPostOpBufferBits())) ||
      failed(verifyWeightValues(raw, "weights", op.getWeightsAttr(),
                                op.getWeightsBits())))
    return failure();

  // Optional variables that must come with another one.
  auto needs = [&](Attribute dependent, StringRef dependentName,
                      Attribute base, StringRef baseName) -> LogicalResult {
    if (dependent && !base)
      return op.emitOpError("variable '")
             << dependentName << "' is set without '" << baseName << "'";
    return success();
  };
  if (failed(needs(op.getBiasShiftAttr(), "bias_shift", op.getBiasAttr(),
                      "bias")) ||
      failed(needs(op.getMaxValueShiftAttr(), "max_value_shift",
                      op.getMaxValueAttr(), "max_value")))
    return failure();

  auto optional = [&](Attribute attr, StringRef name, Type element,
                      int64_t channels, bool perLayer) -> LogicalResult {
    if (!attr)
      return success();
    return verifyChannelVariable(raw, name, attr, element, channels, perLayer);
  };
  if (failed(optional(op.getBiasAttr(), "bias", si8(ctx), filters, false)) ||
      failed(optional(op.getBiasShiftAttr(), "bias_shift", ui8(ctx), filters,
                      false)) ||
      failed(optional(op.getInputShiftAttr(), "input_shift", ui8(ctx),
                      inChannels, false)) ||
      failed(optional(op.getOutputScalesAttr(), "output_scales", ui8(ctx),
                      filters, false)) ||
      failed(optional(op.getOutputShiftAttr(), "output_shift", si8(ctx),
                      filters, false)) ||
      failed(verifyValueRange(raw, "output_shift", op.getOutputShiftAttr(),
                              -32, 31, "a signed 6-bit shift")) ||
      failed(optional(op.getMaxValueAttr(), "max_value", ui8(ctx), filters,
                      true)) ||
      failed(optional(op.getMaxValueShiftAttr(), "max_value_shift", ui8(ctx),
                      filters, true)) ||
      failed(optional(op.getActivationScalesAttr(), "activation_scales",
                      ui8(ctx), filters, true)) ||
      failed(optional(op.getActivationShiftAttr(), "activation_shift",
                      si8(ctx), filters, true)))
    return failure();

  Activation activation = op.getActivation();
  if (op.getMaxValueAttr() && activation != Activation::ReLU)
    return op.emitOpError("variable 'max_value' clips a ReLU but activation "
                          "is ")
           << stringifyActivation(activation);
  if (activation != Activation::LUT) {
    for (auto [attr, name] :
         {std::pair<Attribute, StringRef>{op.getLutValuesAttr(), "lut_values"},
          {op.getActivationScalesAttr(), "activation_scales"},
          {op.getActivationShiftAttr(), "activation_shift"}})
      if (attr)
        return op.emitOpError("variable '")
               << name << "' is only used with activation = lut, not "
               << stringifyActivation(activation);
    return success();
  }
  auto lut = op.getLutValuesAttr();
  if (!lut)
    return op.emitOpError("activation is lut but variable 'lut_values' is "
                          "missing");
  auto lutType = lut.getShapedType();
  int64_t size = lutType.hasRank() && lutType.getRank() == 1
                     ? lutType.getDimSize(0)
                     : -1;
  if (size < 2 || size > 2048 || !llvm::isPowerOf2_64(size))
    return op.emitOpError("variable 'lut_values' has type ")
           << lutType << " but must be a 1-D table whose size is a power of "
           << "two between 2 and 2048";
  return verifyVariable(raw, "lut_values", lut, si32(ctx), {size},
                        "the LUT table");
}

static int64_t channelsOf(Value v) {
  return cast<ShapedType>(v.getType()).getDimSize(3);
}

template <typename OpT>
static LogicalResult verifyWeights(OpT op, ArrayRef<int64_t> shape,
                                   StringRef meaning) {
  return verifyVariable(op, "weights", op.getWeightsAttr(),
                        si8(op.getContext()), shape, meaning);
}

static constexpr StringLiteral kConvWeights =
    "kernel_size × kernel_size × input channels × filters";
static constexpr StringLiteral kDepthwiseWeights =
    "kernel_size × kernel_size × channels";

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

LogicalResult InputConv2DOp::inferReturnTypes(MLIRContext *ctx,
                                              std::optional<Location> loc,
                                              Adaptor a,
                                              SmallVectorImpl<Type> &types) {
  a = withDefaults<InputConv2DOp>(ctx, a);
  return inferV2Window(ctx, loc, getOperationName(), a,
                       int64_t(a.getFilters()), types);
}

LogicalResult InputConv2DOp::verify() {
  int64_t c = channelsOf(getInput()), f = getFilters(), k = getKernelSize();
  auto element = cast<IntegerType>(
      cast<ShapedType>(getInput().getType()).getElementType());
  if (element.getWidth() != 8 || element.isSignless())
    return emitOpError("input element type ")
           << element << " must be ui8 or si8: the input convolution "
           << "reads raw 8-bit data";
  if (failed(verifyV2Layer(*this, c, f)))
    return failure();
  return verifyWeights(*this, {k, k, c, f}, kConvWeights);
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &types) {
  a = withDefaults<Conv2DOp>(ctx, a);
  return inferV2Window(ctx, loc, getOperationName(), a,
                       int64_t(a.getFilters()), types);
}

LogicalResult Conv2DOp::verify() {
  int64_t c = channelsOf(getInput()), f = getFilters(), k = getKernelSize();
  if (failed(verifyV2Layer(*this, c, f)))
    return failure();
  return verifyWeights(*this, {k, k, c, f}, kConvWeights);
}

LogicalResult Conv2DTransposeOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &types) {
  a = withDefaults<Conv2DTransposeOp>(ctx, a);
  return inferV2Grid(ctx, loc, getOperationName(), a, "kernel_size",
                     a.getKernelSize(), 2, int64_t(a.getFilters()), types);
}

LogicalResult Conv2DTransposeOp::verify() {
  int64_t c = channelsOf(getInput()), f = getFilters(), k = getKernelSize();
  if (failed(verifyV2Layer(*this, c, f)))
    return failure();
  return verifyWeights(*this, {k, k, c, f}, kConvWeights);
}

LogicalResult DepthwiseConv2DOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &types) {
  a = withDefaults<DepthwiseConv2DOp>(ctx, a);
  return inferV2Window(ctx, loc, getOperationName(), a, std::nullopt, types);
}

LogicalResult DepthwiseConv2DOp::verify() {
  int64_t c = channelsOf(getInput()), k = getKernelSize();
  if (failed(verifyV2Layer(*this, c, c)))
    return failure();
  return verifyWeights(*this, {k, k, c}, kDepthwiseWeights);
}

LogicalResult DepthwiseConv2DTransposeOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &types) {
  a = withDefaults<DepthwiseConv2DTransposeOp>(ctx, a);
  return inferV2Grid(ctx, loc, getOperationName(), a, "kernel_size",
                     a.getKernelSize(), 2, std::nullopt, types);
}

LogicalResult DepthwiseConv2DTransposeOp::verify() {
  int64_t c = channelsOf(getInput()), k = getKernelSize();
  if (failed(verifyV2Layer(*this, c, c)))
    return failure();
  return verifyWeights(*this, {k, k, c}, kDepthwiseWeights);
}

LogicalResult Dense1DOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &types) {
  a = withDefaults<Dense1DOp>(ctx, a);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, a.getInput(), "input");
  if (failed(in) || failed(checkPositive(loc, opName, "units", a.getUnits())))
    return failure();
  auto element = v2Element(loc, ctx, opName, a);
  if (failed(element))
    return failure();
  types.push_back(makeNHWC(*in, 1, 1, a.getUnits(), *element));
  return success();
}

LogicalResult Dense1DOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  int64_t features = in.getDimSize(1) * in.getDimSize(2) * in.getDimSize(3);
  int64_t units = getUnits();
  if (failed(verifyV2Layer(*this, in.getDimSize(3), units)))
    return failure();
  return verifyWeights(*this, {features, units},
                           "flattened input features × units");
}

LogicalResult BufferTempConvOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &types) {
  a = withDefaults<BufferTempConvOp>(ctx, a);
  return inferV2Grid(ctx, loc, getOperationName(), a, "fifo_size",
                     a.getFifoSize(), 1, int64_t(a.getFilters()), types);
}

LogicalResult BufferTempConvOp::verify() {
  int64_t c = channelsOf(getInput()), f = getFilters(), t = getFifoSize();
  if (failed(verifyV2Layer(*this, c, f)))
    return failure();
  return verifyWeights(*this, {t, c, f},
                           "fifo_size × input channels × filters");
}

LogicalResult DepthwiseBufferTempConvOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &types) {
  a = withDefaults<DepthwiseBufferTempConvOp>(ctx, a);
  return inferV2Grid(ctx, loc, getOperationName(), a, "fifo_size",
                     a.getFifoSize(), 1, std::nullopt, types);
}

LogicalResult DepthwiseBufferTempConvOp::verify() {
  int64_t c = channelsOf(getInput()), t = getFifoSize();
  if (failed(verifyV2Layer(*this, c, c)))
    return failure();
  return verifyWeights(*this, {t, c}, "fifo_size × channels");
}
