//===- Passes.h - Mapping passes of the akida compiler ------------*- C++ -*-===//
#ifndef AKIDA_COMPILER_PASSES_PASSES_H
#define AKIDA_COMPILER_PASSES_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace akida {

#define GEN_PASS_DECL
#include "compiler/passes/Passes.h.inc"

/// Registers every akida pass and the akida-map pipeline
/// (attach-target, check-constraints, split-sequences, allocate-nps,
/// emit-programs) with options device, mode and hw-only.
void registerAkidaCompilerPasses();

/// Adds the akida-map pipeline to `pm`.
void buildMapPipeline(mlir::OpPassManager &pm, const std::string &device,
                      const std::string &mode, bool hwOnly);

} // namespace akida

#endif // AKIDA_COMPILER_PASSES_PASSES_H
