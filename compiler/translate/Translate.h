//===- Translate.h - akida dialect <-> ModelDesc ------------------*- C++ -*-===//
//
// The exact translation between the MLIR form of a model (a module with one
// func.func of akida layers) and its plain description (what .fbz stores).
// Parameters and variables map one to one by name (LayerSchema.h); the only
// thing a ModelDesc does not keep is the batch dimension, which comes back
// dynamic (`?`). Large variables come back as dense resources.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_TRANSLATE_TRANSLATE_H
#define AKIDA_COMPILER_TRANSLATE_TRANSLATE_H

#include "compiler/fbz/ModelDesc.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace akida {

/// Reads the model in `module`. Emits a diagnostic and fails when the module
/// is not one akida model (missing IP version, several functions, non-akida
/// ops, elided variable data).
mlir::FailureOr<ModelDesc> moduleToModelDesc(mlir::ModuleOp module);

/// Builds and verifies the module of `model` in `context` (which must have
/// the akida and func dialects loaded or registered). Emits a diagnostic at
/// `loc` and returns null when the description is not a valid model.
mlir::OwningOpRef<mlir::ModuleOp> modelDescToModule(const ModelDesc &model,
                                                    mlir::MLIRContext *context,
                                                    mlir::Location loc);

/// Registers the dialects a model module needs.
void registerModelDialects(mlir::DialectRegistry &registry);

} // namespace akida

#endif // AKIDA_COMPILER_TRANSLATE_TRANSLATE_H
