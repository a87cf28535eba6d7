//===- V2MergeOps.cpp - Akida 2.0 unweighted layers -----------------------===//
//
// Shape inference and verifiers of Add, Concatenate, Dequantizer and
// ExtractToken.
//
//===----------------------------------------------------------------------===//

#include "dialect/AkidaDialect.h"
#include "dialect/LayerShapes.h"
#include "dialect/LayerVerifier.h"

using namespace mlir;
using namespace mlir::akida;

#define GET_OP_CLASSES
#include "dialect/AkidaV2MergeOps.cpp.inc"

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc, Adaptor a,
                                      SmallVectorImpl<Type> &types) {
  a = withDefaults<AddOp>(ctx, a);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> lhs =
      getActivationType(loc, opName, a.getLhs(), "first input");
  FailureOr<RankedTensorType> rhs =
      getActivationType(loc, opName, a.getRhs(), "second input");
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->getShape() != rhs->getShape())
    return emitOptionalError(loc, "'", opName,
                             "' op inputs must have the same shape, got ",
                             *lhs, " and ", *rhs);
  FailureOr<Type> element =
      makeIntegerElement(loc, ctx, opName, "output_bits", a.getOutputBits(),
                         /*isSigned=*/!a.getActivation());
  if (failed(element))
    return failure();
  types.push_back(lhs->clone(*element));
  return success();
}

LogicalResult AddOp::verify() {
  if (failed(verifyLayer(*this)))
    return failure();
  for (auto [name, bits] : {std::pair<StringRef, int64_t>{"buffer_bits",
                                                          getBufferBits()},
                            {"post_op_buffer_bits", getPostOpBufferBits()}})
    if (bits < 1 || bits > 32)
      return emitOpError("'") << name << "' is " << bits
                              << " but must be between 1 and 32";
  int64_t channels = cast<ShapedType>(getLhs().getType()).getDimSize(3);
  for (auto [attr, name] :
       {std::pair<Attribute, StringRef>{getAShiftAttr(), "a_shift"},
        {getBShiftAttr(), "b_shift"},
        {getOutputShiftAttr(), "output_shift"}}) {
    if (attr && failed(verifyChannelVariable(*this, name, attr,
                                             si8(getContext()), channels,
                                             /*allowPerLayer=*/false)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatenateOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatenateOp::inferReturnTypes(MLIRContext *ctx,
                                              std::optional<Location> loc,
                                              Adaptor a,
                                              SmallVectorImpl<Type> &types) {
  StringRef opName = getOperationName();
  auto inputs = a.getInputs();
  if (inputs.size() < 2)
    return emitOptionalError(loc, "'", opName,
                             "' op needs at least 2 inputs, got ",
                             inputs.size());
  FailureOr<RankedTensorType> first =
      getActivationType(loc, opName, inputs[0], "input #0");
  if (failed(first))
    return failure();
  int64_t channels = 0;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    std::string what = "input #" + std::to_string(i);
    FailureOr<RankedTensorType> type =
        getActivationType(loc, opName, input, what);
    if (failed(type))
      return failure();
    if (type->getShape().drop_back() != first->getShape().drop_back())
      return emitOptionalError(loc, "'", opName, "' op ", what, " has type ",
                               *type, " but every input must have the batch, "
                               "rows and columns of input #0 (",
                               *first, ")");
    if (type->getElementType() != first->getElementType())
      return emitOptionalError(loc, "'", opName, "' op ", what,
                               " has element type ", type->getElementType(),
                               " but every input must have the bit width and "
                               "sign of input #0 (",
                               first->getElementType(), ")");
    channels += type->getDimSize(3);
  }
  types.push_back(makeNHWC(*first, first->getDimSize(1), first->getDimSize(2),
                           channels, first->getElementType()));
  return success();
}

LogicalResult ConcatenateOp::verify() { return verifyLayer(*this); }

//===----------------------------------------------------------------------===//
// DequantizerOp
//===----------------------------------------------------------------------===//

LogicalResult DequantizerOp::inferReturnTypes(MLIRContext *ctx,
                                              std::optional<Location> loc,
                                              Adaptor a,
                                              SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> in =
      getActivationType(loc, getOperationName(), a.getInput(), "input");
  if (failed(in))
    return failure();
  types.push_back(in->clone(Float32Type::get(ctx)));
  return success();
}

LogicalResult DequantizerOp::verify() {
  if (failed(verifyLayer(*this)))
    return failure();
  int64_t channels = cast<ShapedType>(getInput().getType()).getDimSize(3);
  if (failed(verifyVariable(*this, "scales", getScalesAttr(),
                            Float32Type::get(getContext()), {channels},
                            "one value per channel")))
    return failure();
  if (!getZeroPointsAttr())
    return success();
  return verifyVariable(*this, "zero_points", getZeroPointsAttr(),
                        IntegerType::get(getContext(), 32), {channels},
                        "one value per channel");
}

//===----------------------------------------------------------------------===//
// ExtractTokenOp
//===----------------------------------------------------------------------===//

LogicalResult ExtractTokenOp::inferReturnTypes(MLIRContext *ctx,
                                               std::optional<Location> loc,
                                               Adaptor a,
                                               SmallVectorImpl<Type> &types) {
  a = withDefaults<ExtractTokenOp>(ctx, a);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, a.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t tokens = in->getDimSize(1) * in->getDimSize(2);
  int64_t begin = a.getBegin();
  int64_t end = a.getEnd() ? int64_t(*a.getEnd()) : tokens;
  if (begin < 0 || end > tokens || begin >= end)
    return emitOptionalError(loc, "'", opName, "' op token range [", begin,
                             ", ", end, ") must satisfy 0 <= begin < end <= ",
                             tokens, " (the input's rows × columns)");
  types.push_back(makeNHWC(*in, 1, end - begin, in->getDimSize(3),
                           in->getElementType()));
  return success();
}

LogicalResult ExtractTokenOp::verify() { return verifyLayer(*this); }
