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
