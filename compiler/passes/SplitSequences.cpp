//===- SplitSequences.cpp - akida-split-sequences -------------------------===//

#include "compiler/passes/Passes.h"

#include "compiler/passes/ModuleLayers.h"
#include "dialect/AkidaDialect.h"

namespace akida {
#define GEN_PASS_DEF_AKIDASPLITSEQUENCES
#include "compiler/passes/Passes.h.inc"
} // namespace akida

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {
namespace {

struct SplitSequences : impl::AkidaSplitSequencesBase<SplitSequences> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<MapMode> mapMode = parseModeOption(module, mode);
    std::optional<Device> device = moduleTarget(module);
    std::unique_ptr<ModuleLayers> layers = readModuleLayers(module);
    if (!mapMode || !device || !layers)
      return signalPassFailure();
    MappingPlan plan;
    try {
      plan = planMapping(layers->mapLayers, *device, *mapMode, hwOnly);
    } catch (const std::exception &e) {
      module.emitError() << e.what();
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    Builder b(ctx);
    module->setAttr(AkidaDialect::kMapModeAttrName,
                    StringAttr::get(ctx, mapModeName(*mapMode)));
    for (size_t s = 0; s < plan.sequences.size(); ++s) {
      const SequencePlan &seq = plan.sequences[s];
      ++numSequences;
      if (seq.hardware)
        ++numHardwareSequences;
      for (int i : seq.layers) {
        Operation *op = layers->ops[i];
        op->setAttr(AkidaDialect::kSequenceAttrName, b.getI64IntegerAttr(s));
        if (!seq.hardware && layers->mapLayers[i].hardware) {
          if (layers->model.layers[i].type != LayerType::InputData)
            op->emitRemark() << "layer '" << layers->model.layers[i].name
                             << "' does not fit on " << device->name
                             << " even alone; it runs in software";
          op->setAttr(AkidaDialect::kBackendAttrName,
                      StringAttr::get(ctx, "software"));
        }
      }
      for (size_t p = 0; p < seq.passes.size(); ++p) {
        ++numPasses;
        for (int i : seq.passes[p].layers)
          layers->ops[i]->setAttr(AkidaDialect::kPassAttrName,
                                  b.getI64IntegerAttr(p));
        int first = seq.passes[p].layers.front();
        if (p > 0)
          layers->ops[first]->emitRemark()
              << "layer '" << layers->model.layers[first].name
              << "' starts pass " << p << " of sequence " << s
              << ": the layers before it fill " << device->name;
      }
      // A hardware sequence right after another one: the device was full.
      if (seq.hardware && s > 0 && plan.sequences[s - 1].hardware) {
        int first = seq.layers.front();
        layers->ops[first]->emitRemark()
            << "layer '" << layers->model.layers[first].name
            << "' starts sequence " << s << ": the layers before it fill "
            << device->name << " in " << mapModeName(*mapMode) << " mode";
      }
    }
  }
};

} // namespace
} // namespace akida
