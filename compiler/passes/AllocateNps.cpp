//===- AllocateNps.cpp - akida-allocate-nps -------------------------------===//

#include "compiler/passes/Passes.h"

#include "compiler/passes/ModuleLayers.h"
#include "dialect/AkidaDialect.h"

namespace akida {
#define GEN_PASS_DEF_AKIDAALLOCATENPS
#include "compiler/passes/Passes.h.inc"
} // namespace akida

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {
namespace {

struct AllocateNps : impl::AkidaAllocateNpsBase<AllocateNps> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string modeName = mode;
    if (modeName.empty())
      if (auto m = module->getAttrOfType<StringAttr>(
              AkidaDialect::kMapModeAttrName))
        modeName = m.getValue().str();
    if (modeName.empty())
      modeName = "AllNps";
    std::optional<MapMode> mapMode = parseModeOption(module, modeName);
    std::optional<Device> device = moduleTarget(module);
    std::unique_ptr<ModuleLayers> layers = readModuleLayers(module);
    if (!mapMode || !device || !layers)
      return signalPassFailure();
    module->setAttr(AkidaDialect::kMapModeAttrName,
                    StringAttr::get(&getContext(), mapModeName(*mapMode)));
    std::optional<MappingPlan> plan = readMappingPlan(*layers);
    if (!plan)
      return signalPassFailure();
    for (SequencePlan &seq : plan->sequences) {
      for (PassPlan &pass : seq.passes) {
        std::optional<PassPlan> placed =
            placePassForMode(layers->mapLayers, pass.layers, *device, *mapMode);
        if (!placed) {
          layers->ops[pass.layers.front()]->emitError("layers from '")
              << layers->model.layers[pass.layers.front()].name
              << "' do not fit on " << device->name
              << " in one pass; run akida-split-sequences with the same mode";
          return signalPassFailure();
        }
        for (int i : pass.layers) {
          writeNps(layers->ops[i], placed->nps[i]);
          numNps += placed->nps[i].size();
        }
      }
    }
  }
};

} // namespace
} // namespace akida
