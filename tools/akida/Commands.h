//===- Commands.h - Subcommands of the akida tool -----------------*- C++ -*-===//
#ifndef AKIDA_TOOLS_AKIDA_COMMANDS_H
#define AKIDA_TOOLS_AKIDA_COMMANDS_H

#include "compiler/onnx/Legalize.h"
#include "runtime/model/Model.h"

#include <map>
#include <string>
#include <vector>

namespace akida::cli {

/// Each returns the process exit code; errors are thrown (UsageError for a
/// bad command line, std::exception otherwise) and printed by main.
int runCommand(const std::vector<std::string> &args);
int summaryCommand(const std::vector<std::string> &args);
int zooCommand(const std::vector<std::string> &args);
int mapCommand(const std::vector<std::string> &args);
int devicesCommand(const std::vector<std::string> &args);
int convertCommand(const std::vector<std::string> &args);
int compareCommand(const std::vector<std::string> &args);
int serveCommand(const std::vector<std::string> &args);
int streamCommand(const std::vector<std::string> &args);

/// The model named by `-m PATH`, or the embedded default model.
Model loadModelOrDefault(const std::optional<std::string> &path);

class Args;
/// `-m MODEL.onnx` (required), `--target v1|v2` (default v2) and
/// `--constant NAME=FILE` (.npy or ONNX TensorProto .pb; repeatable) of
/// convert and compare, checked (UsageError) and read.
struct OnnxModelArgs {
  std::string path;
  std::string targetName;
  IpVersion target = IpVersion::v2;
  /// --constant NAME=FILE: graph inputs bound to the tensors in FILE.
  std::map<std::string, onnx::Tensor> constants;
  /// --software-fallback: what Akida cannot take ends the model as an
  /// OnnxGraph layer.
  onnx::ImportOptions import;
};
OnnxModelArgs onnxModelArgs(const Args &args);

} // namespace akida::cli

#endif // AKIDA_TOOLS_AKIDA_COMMANDS_H
