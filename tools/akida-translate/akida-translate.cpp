//===- akida-translate.cpp - akida MLIR <-> .fbz --------------------------===//
//
//   akida-translate --mlir-to-fbz model.mlir -o model.fbz
//   akida-translate --fbz-to-mlir model.fbz
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/Fbz.h"
#include "compiler/translate/Translate.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static void registerAkidaTranslations() {
  TranslateFromMLIRRegistration toFbz(
      "mlir-to-fbz", "write an akida model module as a .fbz file",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        FailureOr<akida::ModelDesc> model = akida::moduleToModelDesc(module);
        if (failed(model))
          return failure();
        std::vector<uint8_t> bytes = akida::encodeFbz(*model);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      akida::registerModelDialects);

  TranslateToMLIRRegistration fromFbz(
      "fbz-to-mlir", "read a .fbz file as an akida model module",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        std::string source = buffer->getBufferIdentifier().str();
        Location loc = FileLineColLoc::get(ctx, source, 0, 0);
        akida::ModelDesc model;
        try {
          model = akida::decodeFbz(
              reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
              buffer->getBufferSize(), source);
        } catch (const std::exception &e) {
          emitError(loc) << e.what();
          return nullptr;
        }
        OwningOpRef<ModuleOp> module =
            akida::modelDescToModule(model, ctx, loc);
        if (!module)
          return nullptr;
        return OwningOpRef<Operation *>(module.release().getOperation());
      },
      akida::registerModelDialects);
}

int main(int argc, char **argv) {
  registerAkidaTranslations();
  return failed(mlirTranslateMain(argc, argv, "Akida model translation"));
}
