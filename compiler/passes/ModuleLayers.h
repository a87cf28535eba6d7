//===- ModuleLayers.h - A model module as the mapping passes see it -*- C++ -*-===//
#ifndef AKIDA_COMPILER_PASSES_MODULELAYERS_H
#define AKIDA_COMPILER_PASSES_MODULELAYERS_H

#include "compiler/mapping/Allocator.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace akida {

/// The layers of a model module: their description, output types, ops and
/// allocator view (whose `desc` pointers point into `model`).
struct ModuleLayers {
  ModelDesc model;
  std::vector<ActType> outputs;
  std::vector<mlir::Operation *> ops;
  std::vector<MapLayer> mapLayers;
};

/// Reads `module`; emits a diagnostic and returns null when it is not a
/// model. Layers' `hardware` flags come from `akida.backend` (default true).
std::unique_ptr<ModuleLayers> readModuleLayers(mlir::ModuleOp module);

/// The device named by the module's `akida.target`; emits an error naming
/// the pass to run first when it is missing or unknown.
std::optional<Device> moduleTarget(mlir::ModuleOp module);

/// The mapping recorded on the layers by akida-split-sequences and
/// akida-allocate-nps (sequence, pass, backend, NPs). Emits an error and
/// returns nullopt when a layer lacks them.
std::optional<MappingPlan> readMappingPlan(const ModuleLayers &layers);

/// Writes `nps` on `op` as `akida.nps`.
void writeNps(mlir::Operation *op, const std::vector<NpMapping> &nps);

/// Converts an allocator mode name, emitting an error listing the modes.
std::optional<MapMode> parseModeOption(mlir::Operation *op,
                                       const std::string &mode);

} // namespace akida

#endif // AKIDA_COMPILER_PASSES_MODULELAYERS_H
