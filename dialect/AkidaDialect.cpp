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
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  auto onModule = [&]() -> LogicalResult {
    if (isa<ModuleOp>(op))
      return success();
    return op->emitError("'") << name << "' belongs on a builtin.module, not on '"
                              << op->getName() << "'";
  };
  auto onLayer = [&]() -> LogicalResult {
    if (isa<LayerOpInterface>(op))
      return success();
    return op->emitError("'") << name << "' belongs on an akida layer, not on '"
                              << op->getName() << "'";
  };
  if (name == kIpVersionAttrName) {
    if (failed(onModule()))
      return failure();
    if (!isa<IpVersionAttr>(value))
      return op->emitError("'")
             << kIpVersionAttrName
             << "' must be #akida.ip_version<v1> or #akida.ip_version<v2>, got "
             << value;
    return success();
  }
  if (name == kTargetAttrName || name == kMapModeAttrName) {
    if (failed(onModule()))
      return failure();
    if (!isa<StringAttr>(value))
      return op->emitError("'") << name << "' must be a string, got " << value;
    return success();
  }
  if (name == kProgramsAttrName) {
    if (failed(onModule()))
      return failure();
    if (!isa<ArrayAttr>(value))
      return op->emitError("'") << name << "' must be an array, got " << value;
    return success();
  }
  if (name == kBackendAttrName) {
    if (failed(onLayer()))
      return failure();
    auto str = dyn_cast<StringAttr>(value);
    if (!str || (str.getValue() != "hardware" && str.getValue() != "software"))
      return op->emitError("'") << name
                                << "' must be \"hardware\" or \"software\", got "
                                << value;
    return success();
  }
  if (name == kSequenceAttrName || name == kPassAttrName) {
    if (failed(onLayer()))
      return failure();
    auto index = dyn_cast<IntegerAttr>(value);
    if (!index || index.getInt() < 0)
      return op->emitError("'") << name
                                << "' must be a non-negative integer, got "
                                << value;
    return success();
  }
  if (name == kNpsAttrName) {
    if (failed(onLayer()))
      return failure();
    if (!isa<ArrayAttr>(value))
      return op->emitError("'") << name << "' must be an array, got " << value;
    return success();
  }
  return op->emitError("unknown akida attribute '")
         << name
         << "'; known: akida.ip_version, akida.target, akida.map_mode, "
            "akida.programs, akida.backend, akida.sequence, akida.pass, "
            "akida.nps";
}
