//===- ConvertCommand.cpp - akida convert ---------------------------------===//
//
//   akida convert -m model.onnx [--target v1|v2] [-o model.fbz]
//
// Imports a quantized (QDQ) ONNX model (docs/onnx-import.md), checks it as
// an Akida model, saves it and prints its summary.
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "compiler/onnx/Legalize.h"
#include "runtime/model/Model.h"

#include <iostream>

namespace akida::cli {

OnnxModelArgs onnxModelArgs(const Args &args) {
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  std::optional<std::string> path = args.get("model");
  if (!path)
    throw UsageError("missing -m MODEL.onnx");
  OnnxModelArgs out;
  out.path = *path;
  out.targetName = args.get("target").value_or("v2");
  if (out.targetName != "v1" && out.targetName != "v2")
    throw UsageError("--target is '" + out.targetName +
                     "' but must be v1 or v2");
  out.target = out.targetName == "v1" ? IpVersion::v1 : IpVersion::v2;
  return out;
}

int convertCommand(const std::vector<std::string> &argv) {
  Args args(argv, {{"-m", "model"}, {"--model", "model"}, {"-o", "output"},
                   {"--output", "output"}, {"--target", "target"}});
  const OnnxModelArgs onnxArgs = onnxModelArgs(args);
  std::string out = args.get("output").value_or("");
  if (out.empty()) {
    out = onnxArgs.path;
    size_t dot = out.find_last_of('.');
    size_t slash = out.find_last_of('/');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
      out.resize(dot);
    out += ".fbz";
  }
  Model model(onnx::importOnnxFile(onnxArgs.path, onnxArgs.target).desc);
  model.save(out);
  std::cout << model.summary() << "\nSaved the Akida " << onnxArgs.targetName
            << " model to " << out << "\n";
  return 0;
}

} // namespace akida::cli
