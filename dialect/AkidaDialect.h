//===- AkidaDialect.h - The akida dialect, its attributes and ops -*- C++ -*-===//
#ifndef AKIDA_DIALECT_AKIDADIALECT_H
#define AKIDA_DIALECT_AKIDADIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/AkidaDialect.h.inc"
#include "dialect/AkidaEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/AkidaAttrs.h.inc"

#include "dialect/AkidaInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialect/AkidaCommonOps.h.inc"
#define GET_OP_CLASSES
#include "dialect/AkidaV1Ops.h.inc"
#define GET_OP_CLASSES
#include "dialect/AkidaV2ConvOps.h.inc"
#define GET_OP_CLASSES
#include "dialect/AkidaV2MergeOps.h.inc"

namespace mlir::akida {
/// The IP version a module declares, if any.
std::optional<IpVersion> getModuleIpVersion(Operation *op);
} // namespace mlir::akida

#endif // AKIDA_DIALECT_AKIDADIALECT_H
