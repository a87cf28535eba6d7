//===- akida-opt.cpp - The akida pass driver ------------------------------===//
//
// MlirOptMain with the akida dialect, the func dialect that holds a model's
// graph, and the generic MLIR transforms. Akida passes register here as they
// land.
//
//===----------------------------------------------------------------------===//

#include "compiler/passes/Passes.h"
#include "dialect/AkidaDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  akida::registerAkidaCompilerPasses();

  mlir::DialectRegistry registry;
  registry.insert<mlir::akida::AkidaDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Akida graph compiler driver\n", registry));
}
