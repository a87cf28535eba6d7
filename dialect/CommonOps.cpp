//===- CommonOps.cpp - Layers shared by both IP versions ------------------===//

#include "dialect/AkidaDialect.h"
#include "dialect/LayerShapes.h"
#include "dialect/LayerVerifier.h"

using namespace mlir;
using namespace mlir::akida;

#define GET_OP_CLASSES
#include "dialect/AkidaCommonOps.cpp.inc"

LogicalResult InputDataOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<InputDataOp>(ctx, adaptor);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  int64_t bits = adaptor.getInputBits();
  if (!llvm::is_contained({1, 2, 4, 8}, bits))
    return emitOptionalError(loc, "'", opName, "' op 'input_bits' is ", bits,
                             " but must be one of 1, 2, 4, 8");
  FailureOr<Type> element = makeIntegerElement(
      loc, ctx, opName, "input_bits", bits, adaptor.getInputSigned());
  if (failed(element))
    return failure();
  types.push_back(in->clone(*element));
  return success();
}

LogicalResult InputDataOp::verify() {
  if (failed(verifyLayer(*this)))
    return failure();
  auto element = cast<IntegerType>(getInput().getType().getElementType());
  int64_t bits = getInputBits();
  if (getInputSigned() ? !element.isSigned() : !element.isUnsigned())
    return emitOpError("input element type ")
           << element << " must be "
           << (getInputSigned() ? "signed (si8, si16, ...)"
                                : "unsigned (ui8, ui16, ...)")
           << " because input_signed is " << (getInputSigned() ? "true" : "false");
  if (element.getWidth() < bits)
    return emitOpError("input element type ")
           << element << " is narrower than input_bits = " << bits;
  return success();
}

//===----------------------------------------------------------------------===//
// OnnxGraphOp
//===----------------------------------------------------------------------===//

LogicalResult OnnxGraphOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  adaptor = withDefaults<OnnxGraphOp>(ctx, adaptor);
  StringRef opName = getOperationName();
  FailureOr<RankedTensorType> in =
      getActivationType(loc, opName, adaptor.getInput(), "input");
  if (failed(in))
    return failure();
  Type element;
  switch (adaptor.getOutputDtype()) {
  case 0: element = ui8(ctx); break;
  case 1: element = si8(ctx); break;
  case 5: element = Float32Type::get(ctx); break;
  default:
    return emitOptionalError(loc, "'", opName, "' op 'output_dtype' is ",
                             adaptor.getOutputDtype(),
                             " but must be 0 (uint8), 1 (int8) or 5 (float32)");
  }
  int64_t rows = adaptor.getOutputRows(), cols = adaptor.getOutputColumns(),
          channels = adaptor.getOutputChannels();
  if (rows < 1 || cols < 1 || channels < 1)
    return emitOptionalError(loc, "'", opName, "' op output shape ", rows, "x",
                             cols, "x", channels, " must be positive");
  types.push_back(makeNHWC(*in, rows, cols, channels, element));
  return success();
}

LogicalResult OnnxGraphOp::verify() {
  if (failed(verifyLayer(*this)))
    return failure();
  auto type = cast<ShapedType>(getGraphAttr().getType());
  if (type.getRank() != 1 || !type.getElementType().isUnsignedInteger(8))
    return emitOpError("variable 'graph' has type ")
           << type << " but must be a 1-D ui8 tensor (a serialized ONNX model)";
  return success();
}
