//===- EmitPrograms.cpp - akida-emit-programs -----------------------------===//

#include "compiler/passes/Passes.h"

#include "compiler/passes/ModuleLayers.h"
#include "compiler/program/Program.h"
#include "dialect/AkidaDialect.h"

#include "mlir/IR/DialectResourceBlobManager.h"

namespace akida {
#define GEN_PASS_DEF_AKIDAEMITPROGRAMS
#include "compiler/passes/Passes.h.inc"
} // namespace akida

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {
namespace {

struct EmitPrograms : impl::AkidaEmitProgramsBase<EmitPrograms> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<Device> device = moduleTarget(module);
    std::unique_ptr<ModuleLayers> layers = readModuleLayers(module);
    if (!device || !layers)
      return signalPassFailure();
    std::optional<MappingPlan> plan = readMappingPlan(*layers);
    if (!plan)
      return signalPassFailure();
    if (auto problem = validatePlan(*plan, layers->mapLayers, *device)) {
      layers->ops[problem->first]->emitError("invalid mapping: ")
          << problem->second;
      return signalPassFailure();
    }
    Builder b(&getContext());
    SmallVector<Attribute> programs;
    for (size_t s = 0; s < plan->sequences.size(); ++s) {
      const SequencePlan &seq = plan->sequences[s];
      if (!seq.hardware)
        continue;
      std::vector<uint8_t> bytes;
      try {
        bytes = emitProgram(layers->model, layers->outputs, seq, *device);
      } catch (const std::exception &e) {
        layers->ops[seq.layers.front()]->emitError("cannot emit the program of "
                                                   "sequence ")
            << s << ": " << e.what();
        return signalPassFailure();
      }
      programBytes += bytes.size();
      auto type = RankedTensorType::get(
          {static_cast<int64_t>(bytes.size())},
          IntegerType::get(&getContext(), 8, IntegerType::Unsigned));
      ArrayRef<char> raw(reinterpret_cast<const char *>(bytes.data()),
                         bytes.size());
      auto blob = DenseResourceElementsAttr::get(
          type, "program_" + std::to_string(s),
          HeapAsmResourceBlob::allocateAndCopyInferAlign(raw));
      programs.push_back(b.getDictionaryAttr({
          b.getNamedAttr("sequence", b.getI64IntegerAttr(s)),
          b.getNamedAttr("size", b.getI64IntegerAttr(bytes.size())),
          b.getNamedAttr("program", blob),
      }));
    }
    module->setAttr(AkidaDialect::kProgramsAttrName, b.getArrayAttr(programs));
  }
};

} // namespace
} // namespace akida
