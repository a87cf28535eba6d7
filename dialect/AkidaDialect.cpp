//===- AkidaDialect.cpp - The akida dialect -------------------------------===//

#include "dialect/AkidaDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::akida;

#include "dialect/AkidaDialect.cpp.inc"
#include "dialect/AkidaEnums.cpp.inc"
#include "dialect/AkidaInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/AkidaAttrs.cpp.inc"

void AkidaDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/AkidaAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialect/AkidaCommonOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialect/AkidaV1Ops.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialect/AkidaV2ConvOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "dialect/AkidaV2MergeOps.cpp.inc"
      >();
}

LogicalResult AkidaDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() == kIpVersionAttrName) {
    if (!isa<ModuleOp>(op))
      return op->emitError("'")
             << kIpVersionAttrName << "' belongs on a builtin.module, not on '"
             << op->getName() << "'";
    if (!isa<IpVersionAttr>(attr.getValue()))
      return op->emitError("'")
             << kIpVersionAttrName
             << "' must be #akida.ip_version<v1> or #akida.ip_version<v2>, got "
             << attr.getValue();
    return success();
  }
  return op->emitError("unknown akida attribute '")
         << attr.getName().getValue() << "'; known: '" << kIpVersionAttrName
         << "'";
}
