//===- ConvertCommand.cpp - akida convert ---------------------------------===//
//
//   akida convert -m model.onnx [--target v1|v2] [-o model.fbz]
//                 [--constant NAME=FILE ...] [--software-fallback]
//
// Imports a quantized (QDQ) ONNX model (docs/onnx-import.md), checks it as
// an Akida model, saves it and prints its summary.
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "compiler/onnx/Legalize.h"
#include "runtime/io/Npy.h"
#include "runtime/model/Model.h"

#include <iostream>

namespace akida::cli {

namespace {

/// A .npy array as an ONNX tensor of the same element type.
onnx::Tensor tensorFromNpy(const std::string &path) {
  const Array a = readNpy(path);
  onnx::Tensor t;
  t.dims = a.shape;
  switch (a.dtype) {
  case DType::UInt8: t.type = onnx::ElemType::UInt8; break;
  case DType::Int8: t.type = onnx::ElemType::Int8; break;
  case DType::Int32: t.type = onnx::ElemType::Int32; break;
  case DType::Float32: t.type = onnx::ElemType::Float; break;
  default:
    throw UsageError(path + ": dtype " + dtypeName(a.dtype) +
                     " cannot bind an ONNX input (uint8, int8, int32, "
                     "float32)");
  }
  if (a.dtype == DType::Float32)
    for (float v : a.floats())
      t.values.push_back(v);
  else
    for (int64_t v : a.ints())
      t.values.push_back(static_cast<double>(v));
  return t;
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

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
  out.import.softwareFallback = args.has("software-fallback");
  for (const std::string &binding : args.getAll("constant")) {
    const size_t eq = binding.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == binding.size())
      throw UsageError("--constant is '" + binding +
                       "' but must be NAME=FILE (.npy or .pb)");
    const std::string name = binding.substr(0, eq);
    const std::string file = binding.substr(eq + 1);
    if (endsWith(file, ".npy"))
      out.constants[name] = tensorFromNpy(file);
    else if (endsWith(file, ".pb"))
      out.constants[name] = onnx::readTensorFile(file);
    else
      throw UsageError("--constant " + name + ": '" + file +
                       "' is neither a .npy nor an ONNX TensorProto .pb file");
  }
  return out;
}

int convertCommand(const std::vector<std::string> &argv) {
  Args args(argv, {{"-m", "model"}, {"--model", "model"}, {"-o", "output"},
                   {"--output", "output"}, {"--target", "target"},
                   {"--constant", "constant"}},
            {{"--software-fallback", "software-fallback"}});
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
  onnx::Imported imported = onnx::importOnnxFile(
      onnxArgs.path, onnxArgs.target, onnxArgs.constants, onnxArgs.import);
  Model model(std::move(imported.desc));
  model.save(out);
  if (imported.software)
    std::cout << "Left to software: " << imported.software->nodes
              << (imported.software->nodes == 1 ? " ONNX node" : " ONNX nodes")
              << " from " << imported.software->from
              << " on, in layer '" << model.desc().layers.back().name
              << "' (OnnxGraph), because " << imported.software->reason
              << "\n\n";
  std::cout << model.summary() << "\nSaved the Akida " << onnxArgs.targetName
            << " model to " << out << "\n";
  return 0;
}

} // namespace akida::cli
