//===- akida-translate.cpp - akida MLIR <-> .fbz --------------------------===//
//
//   akida-translate --mlir-to-fbz model.mlir -o model.fbz
//   akida-translate --fbz-to-mlir model.fbz
//   akida-translate --import-onnx [--onnx-target=v1|v2]
//                   [--onnx-software-fallback] model.onnx
//   akida-translate --import-onnx-generic model.onnx
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/Fbz.h"
#include "compiler/onnx/Legalize.h"
#include "compiler/translate/Translate.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::opt<std::string>
    onnxTarget("onnx-target",
               llvm::cl::desc("Akida IP version of --import-onnx: v1 or v2"),
               llvm::cl::init("v2"));
static llvm::cl::opt<bool> onnxSoftwareFallback(
    "onnx-software-fallback",
    llvm::cl::desc("--import-onnx: leave what Akida layers cannot express to "
                   "an onnx_graph layer instead of failing"),
    llvm::cl::init(false));

/// The main input file's bytes and name.
static std::pair<std::string, std::string>
mainFile(const llvm::SourceMgr &sourceMgr) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  return {buffer->getBuffer().str(), buffer->getBufferIdentifier().str()};
}

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

static void registerOnnxTranslations() {
  TranslateRegistration generic(
      "import-onnx-generic",
      "print an ONNX model in the generic import form (step 1 of the import)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *ctx) -> LogicalResult {
        auto [bytes, source] = mainFile(*sourceMgr);
        try {
          os << akida::onnx::print(akida::onnx::readOnnx(bytes, source));
        } catch (const std::exception &e) {
          emitError(FileLineColLoc::get(ctx, source, 0, 0)) << e.what();
          return failure();
        }
        return success();
      });

  TranslateToMLIRRegistration importOnnx(
      "import-onnx",
      "import a quantized (QDQ) ONNX model as akida layers "
      "(--onnx-target=v1|v2)",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *ctx) -> OwningOpRef<Operation *> {
        auto [bytes, source] = mainFile(sourceMgr);
        Location loc = FileLineColLoc::get(ctx, source, 0, 0);
        if (onnxTarget != "v1" && onnxTarget != "v2") {
          emitError(loc) << "--onnx-target is '" << onnxTarget
                         << "' but must be v1 or v2";
          return nullptr;
        }
        akida::ModelDesc model;
        try {
          akida::onnx::ImportOptions options;
          options.softwareFallback = onnxSoftwareFallback;
          model = akida::onnx::importGraph(
                      akida::onnx::readOnnx(bytes, source),
                      onnxTarget == "v1" ? akida::IpVersion::v1
                                         : akida::IpVersion::v2,
                      options)
                      .desc;
        } catch (const std::exception &e) {
          emitError(loc) << e.what();
          return nullptr;
        }
        OwningOpRef<ModuleOp> module = akida::modelDescToModule(model, ctx, loc);
        if (!module)
          return nullptr;
        return OwningOpRef<Operation *>(module.release().getOperation());
      },
      akida::registerModelDialects);
}

int main(int argc, char **argv) {
  registerOnnxTranslations();
  registerAkidaTranslations();
  return failed(mlirTranslateMain(argc, argv, "Akida model translation"));
}
