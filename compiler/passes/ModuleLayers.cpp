//===- ModuleLayers.cpp - A model module as the mapping passes see it -----===//

#include "compiler/passes/ModuleLayers.h"

#include "compiler/translate/Translate.h"
#include "dialect/AkidaDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {

std::unique_ptr<ModuleLayers> readModuleLayers(ModuleOp module) {
  FailureOr<ModelDesc> model = moduleToModelDesc(module);
  if (failed(model))
    return nullptr;
  auto layers = std::make_unique<ModuleLayers>();
  layers->model = std::move(*model);
  for (func::FuncOp fn : module.getOps<func::FuncOp>())
    for (Operation &op : fn.getBody().front())
      if (isa<mlir::akida::LayerOpInterface>(op))
        layers->ops.push_back(&op);
  const std::vector<LayerDesc> &descs = layers->model.layers;
  try {
    for (size_t i = 0; i < descs.size(); ++i) {
      std::vector<ActType> inputs;
      if (descs[i].inbounds.empty())
        inputs.push_back(modelInputType(layers->model));
      for (int j : descs[i].inbounds)
        inputs.push_back(layers->outputs[j]);
      layers->outputs.push_back(inferLayerOutput(descs[i], inputs));
      MapLayer m;
      m.desc = &descs[i];
      m.input = inputs.front();
      m.output = layers->outputs.back();
      if (auto backend = layers->ops[i]->getAttrOfType<StringAttr>(
              AkidaDialect::kBackendAttrName))
        m.hardware = backend.getValue() == "hardware";
      layers->mapLayers.push_back(m);
    }
  } catch (const std::exception &e) {
    module.emitError() << e.what();
    return nullptr;
  }
  return layers;
}

std::optional<Device> moduleTarget(ModuleOp module) {
  auto target = module->getAttrOfType<StringAttr>(AkidaDialect::kTargetAttrName);
  if (!target) {
    module.emitError("the module has no '")
        << AkidaDialect::kTargetAttrName
        << "' attribute; run akida-attach-target first";
    return std::nullopt;
  }
  try {
    return virtualDevice(target.getValue().str());
  } catch (const std::exception &e) {
    module.emitError() << e.what();
    return std::nullopt;
  }
}

void writeNps(Operation *op, const std::vector<NpMapping> &nps) {
  Builder b(op->getContext());
  SmallVector<Attribute> entries;
  for (const NpMapping &np : nps)
    entries.push_back(b.getDictionaryAttr({
        b.getNamedAttr("col", b.getI64IntegerAttr(np.ident.col)),
        b.getNamedAttr("row", b.getI64IntegerAttr(np.ident.row)),
        b.getNamedAttr("id", b.getI64IntegerAttr(np.ident.id)),
        b.getNamedAttr("type", b.getStringAttr(npTypeName(np.type))),
        b.getNamedAttr("filters", b.getI64IntegerAttr(np.filters)),
    }));
  op->setAttr(AkidaDialect::kNpsAttrName, b.getArrayAttr(entries));
}

std::optional<MappingPlan> readMappingPlan(const ModuleLayers &layers) {
  MappingPlan plan;
  for (size_t i = 0; i < layers.ops.size(); ++i) {
    Operation *op = layers.ops[i];
    auto seq = op->getAttrOfType<IntegerAttr>(AkidaDialect::kSequenceAttrName);
    auto backend = op->getAttrOfType<StringAttr>(AkidaDialect::kBackendAttrName);
    if (!seq || !backend) {
      op->emitError("layer has no '")
          << AkidaDialect::kSequenceAttrName << "' / '"
          << AkidaDialect::kBackendAttrName
          << "'; run akida-check-constraints and akida-split-sequences first";
      return std::nullopt;
    }
    size_t s = seq.getInt();
    if (s != plan.sequences.size() && s + 1 != plan.sequences.size()) {
      op->emitError("sequence indices must be consecutive");
      return std::nullopt;
    }
    if (s == plan.sequences.size())
      plan.sequences.push_back({false, {}, {}});
    SequencePlan &sp = plan.sequences.back();
    sp.layers.push_back(static_cast<int>(i));
    // A sequence is hardware when a layer other than InputData (which
    // follows its consumer) is.
    if (backend.getValue() == "hardware" &&
        layers.model.layers[i].type != LayerType::InputData)
      sp.hardware = true;
    if (backend.getValue() != "hardware")
      continue;
    auto pass = op->getAttrOfType<IntegerAttr>(AkidaDialect::kPassAttrName);
    size_t p = pass ? pass.getInt() : 0;
    while (sp.passes.size() <= p)
      sp.passes.push_back({});
    sp.passes[p].layers.push_back(static_cast<int>(i));
    std::vector<NpMapping> &nps = sp.passes[p].nps[static_cast<int>(i)];
    if (auto list = op->getAttrOfType<ArrayAttr>(AkidaDialect::kNpsAttrName)) {
      for (Attribute a : list) {
        auto d = dyn_cast<DictionaryAttr>(a);
        auto get = [&](StringRef key) {
          auto v = d ? d.getAs<IntegerAttr>(key) : IntegerAttr();
          return v ? v.getInt() : int64_t(-1);
        };
        auto type = d ? d.getAs<StringAttr>("type") : StringAttr();
        std::optional<NpType> t =
            type ? parseNpType(type.getValue().str()) : std::nullopt;
        if (!t || get("col") < 0 || get("row") < 0 || get("id") < 0 ||
            get("filters") < 0) {
          op->emitError("'") << AkidaDialect::kNpsAttrName
                             << "' entries must be {col, row, id, type, "
                                "filters}, got "
                             << a;
          return std::nullopt;
        }
        nps.push_back({{static_cast<int>(get("col")),
                        static_cast<int>(get("row")),
                        static_cast<int>(get("id"))},
                       *t,
                       get("filters")});
      }
    }
  }
  // InputData (and anything else) in a software sequence has no passes.
  for (SequencePlan &sp : plan.sequences)
    if (!sp.hardware)
      sp.passes.clear();
  return plan;
}

std::optional<MapMode> parseModeOption(Operation *op, const std::string &mode) {
  if (std::optional<MapMode> m = parseMapMode(mode))
    return m;
  op->emitError("mapping mode '") << mode
                                  << "' is not one of AllNps, HwPr, Minimal";
  return std::nullopt;
}

} // namespace akida
