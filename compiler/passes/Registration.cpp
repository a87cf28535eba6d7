//===- Registration.cpp - Pass and pipeline registration ------------------===//

#include "compiler/passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

namespace akida {
namespace {
#define GEN_PASS_REGISTRATION
#include "compiler/passes/Passes.h.inc"

struct MapPipelineOptions
    : public mlir::PassPipelineOptions<MapPipelineOptions> {
  Option<std::string> device{*this, "device",
                             llvm::cl::desc("Virtual device name"),
                             llvm::cl::init("AKD1000")};
  Option<std::string> mode{*this, "mode",
                           llvm::cl::desc("AllNps, HwPr or Minimal"),
                           llvm::cl::init("AllNps")};
  Option<bool> hwOnly{*this, "hw-only",
                      llvm::cl::desc("Fail unless the whole model is one "
                                     "hardware sequence"),
                      llvm::cl::init(false)};
};
} // namespace

void buildMapPipeline(mlir::OpPassManager &pm, const std::string &device,
                      const std::string &mode, bool hwOnly) {
  pm.addPass(createAkidaAttachTarget(AkidaAttachTargetOptions{device}));
  pm.addPass(createAkidaCheckConstraints(AkidaCheckConstraintsOptions{hwOnly}));
  pm.addPass(createAkidaSplitSequences(AkidaSplitSequencesOptions{mode, hwOnly}));
  pm.addPass(createAkidaAllocateNps(AkidaAllocateNpsOptions{mode}));
  pm.addPass(createAkidaEmitPrograms());
}

void registerAkidaCompilerPasses() {
  registerAkidaPasses();
  mlir::PassPipelineRegistration<MapPipelineOptions>(
      "akida-map",
      "Map a model on a device: attach target, check constraints, split "
      "sequences, allocate NPs, emit programs",
      [](mlir::OpPassManager &pm, const MapPipelineOptions &o) {
        buildMapPipeline(pm, o.device, o.mode, o.hwOnly);
      });
}

} // namespace akida
