//===- Mapping.cpp - Model::map through the akida-map pipeline ------------===//

#include "runtime/model/Mapping.h"

#include "compiler/passes/ModuleLayers.h"
#include "compiler/passes/Passes.h"
#include "compiler/translate/Translate.h"
#include "dialect/AkidaDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <stdexcept>

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {

int64_t ModelMapping::npCount() const {
  int64_t n = 0;
  for (const auto &[layer, list] : nps)
    n += static_cast<int64_t>(list.size());
  return n;
}

ModelMapping mapModel(const ModelDesc &model, const Device &device,
                      MapMode mode, bool hwOnly) {
  DialectRegistry registry;
  registerModelDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  std::string firstError;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = diag.str();
    return success();
  });
  auto fail = [&](const std::string &fallback) -> std::invalid_argument {
    return std::invalid_argument("map on " + device.name + ": " +
                                 (firstError.empty() ? fallback : firstError));
  };

  OwningOpRef<ModuleOp> module =
      modelDescToModule(model, &ctx, UnknownLoc::get(&ctx));
  if (!module)
    throw fail("the model is not valid");
  PassManager pm(&ctx);
  buildMapPipeline(pm, device.name, mapModeName(mode), hwOnly);
  if (failed(pm.run(*module)))
    throw fail("the mapping pipeline failed");

  std::unique_ptr<ModuleLayers> layers = readModuleLayers(*module);
  std::optional<MappingPlan> plan = layers ? readMappingPlan(*layers)
                                           : std::nullopt;
  if (!plan)
    throw fail("cannot read the mapping back");

  ModelMapping mapping;
  mapping.device = device.name;
  mapping.mode = mode;
  mapping.hwOnly = hwOnly;
  auto programs =
      (*module)->getAttrOfType<ArrayAttr>(AkidaDialect::kProgramsAttrName);
  for (size_t s = 0; s < plan->sequences.size(); ++s) {
    const SequencePlan &sp = plan->sequences[s];
    Sequence seq;
    seq.hardware = sp.hardware;
    seq.layers = sp.layers;
    seq.name = std::string(sp.hardware ? "HW/" : "SW/") +
               model.layers[sp.layers.front()].name + "-" +
               model.layers[sp.layers.back()].name;
    for (const PassPlan &pass : sp.passes) {
      seq.passes.push_back(pass.layers);
      for (const auto &[layer, nps] : pass.nps)
        mapping.nps[layer] = nps;
    }
    if (programs)
      for (Attribute a : programs) {
        auto entry = cast<DictionaryAttr>(a);
        if (entry.getAs<IntegerAttr>("sequence").getInt() !=
            static_cast<int64_t>(s))
          continue;
        auto blob = entry.getAs<DenseResourceElementsAttr>("program");
        ArrayRef<char> bytes = blob.getRawHandle().getBlob()->getData();
        seq.program.assign(bytes.begin(), bytes.end());
      }
    mapping.sequences.push_back(std::move(seq));
  }
  return mapping;
}

} // namespace akida
