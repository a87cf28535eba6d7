//===- CheckConstraints.cpp - akida-check-constraints ---------------------===//

#include "compiler/passes/Passes.h"

#include "compiler/mapping/Constraints.h"
#include "compiler/passes/ModuleLayers.h"
#include "dialect/AkidaDialect.h"

namespace akida {
#define GEN_PASS_DEF_AKIDACHECKCONSTRAINTS
#include "compiler/passes/Passes.h.inc"
} // namespace akida

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {
namespace {

HardwareFacts factsOf(const Device &device) {
  HardwareFacts facts;
  facts.ipVersion = device.ipVersion();
  facts.hasHrc = device.mesh.hrc.has_value();
  facts.hasLut = false;
  facts.hasTnp = false;
  for (const NpInfo &np : device.mesh.nps) {
    facts.hasLut |= np.hasLut;
    facts.hasTnp |= np.types.count(NpType::TNP_B) > 0;
  }
  for (const SkipDma &s : device.mesh.skipDmas)
    facts.skipDmaChannels += s.channels;
  return facts;
}

struct CheckConstraints : impl::AkidaCheckConstraintsBase<CheckConstraints> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<Device> device = moduleTarget(module);
    std::unique_ptr<ModuleLayers> layers = readModuleLayers(module);
    if (!device || !layers)
      return signalPassFailure();
    HardwareFacts facts = factsOf(*device);
    const std::vector<LayerDesc> &descs = layers->model.layers;
    bool failedHwOnly = false;
    for (size_t i = 0; i < descs.size(); ++i) {
      Operation *op = layers->ops[i];
      const LayerDesc *next = nullptr;
      for (size_t j = i + 1; j < descs.size() && !next; ++j)
        for (int in : descs[j].inbounds)
          if (in == static_cast<int>(i))
            next = &descs[j];
      std::vector<ActType> inputs;
      if (descs[i].inbounds.empty())
        inputs.push_back(modelInputType(layers->model));
      for (int in : descs[i].inbounds)
        inputs.push_back(layers->outputs[in]);

      std::vector<ConstraintViolation> violations;
      if (alwaysSoftware(descs[i].type))
        violations.push_back({"layer_type", "layer '" + descs[i].name + "' (" +
                                                layerTypeName(descs[i].type) +
                                                ") has no hardware "
                                                "implementation; allowed: "
                                                "software only"});
      else
        violations = checkLayer(descs[i], inputs, layers->outputs[i], next, facts);

      bool hardware = violations.empty();
      for (const ConstraintViolation &v : violations) {
        if (hwOnly) {
          op->emitError("hw-only: ") << v.message << " [" << v.rule << "]";
          failedHwOnly = true;
        } else {
          op->emitRemark() << v.message << " [" << v.rule
                           << "]; the layer runs in software";
        }
      }
      op->setAttr(AkidaDialect::kBackendAttrName,
                  StringAttr::get(&getContext(),
                                  hardware ? "hardware" : "software"));
      ++(hardware ? numHardware : numSoftware);
    }
    if (failedHwOnly)
      signalPassFailure();
  }
};

} // namespace
} // namespace akida
