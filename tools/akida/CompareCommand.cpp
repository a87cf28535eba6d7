//===- CompareCommand.cpp - akida compare ---------------------------------===//
//
//   akida compare -m model.onnx [--target v1|v2] [-i inputs.npy] [-n N]
//                 [--tolerance LSB] [--ort-script PATH]
//                 [--constant NAME=FILE ...] [--software-fallback]
//
// Numerical bisection between an ONNX model and its Akida conversion: both
// run the same inputs — ONNX Runtime (tools/ort/ort-run.mjs, every tensor
// dumped) and the reference runtime — and each Akida layer's output is
// compared with the ONNX tensor it stands for (the block's QuantizeLinear
// output, in LSB; the float model output). The report names the first layer
// that differs by more than the tolerance: where "hardware output differs
// from my model" starts.
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "compiler/onnx/Legalize.h"
#include "runtime/io/Npy.h"
#include "runtime/model/Model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#ifndef AKIDA_SOURCE_DIR
#define AKIDA_SOURCE_DIR "."
#endif

namespace akida::cli {

namespace {

std::string shellQuoted(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// The file ort-run.mjs writes for tensor `name`.
std::string dumpFile(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                   c == '_' || c == '-'
               ? c
               : '_';
  return out + ".npy";
}

std::string lastLine(const std::string &path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty())
      last = line;
  return last;
}

/// ORT's NCHW (or N x F) values in NHWC order.
std::vector<double> toNhwc(const Array &a, const ActType &type, int64_t n) {
  const int64_t H = type.shape[0], W = type.shape[1], C = type.shape[2];
  std::vector<double> out(static_cast<size_t>(n * H * W * C));
  if (a.size() != static_cast<int64_t>(out.size()))
    throw std::runtime_error("ONNX Runtime's tensor has " +
                             std::to_string(a.size()) + " values where " +
                             std::to_string(out.size()) + " were expected");
  const bool isFloat = a.dtype == DType::Float32;
  for (int64_t s = 0; s < n; ++s)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) {
          int64_t src = ((s * C + c) * H + h) * W + w;
          out[((s * H + h) * W + w) * C + c] =
              isFloat ? a.floatAt(src) : static_cast<double>(a.intAt(src));
        }
  return out;
}

/// Our values of layer `i`, as floats for the float model output.
std::vector<double> ours(const ModelDesc &desc, size_t i,
                         const ref::Activations &a, bool floatOutput) {
  if (a.type.isFloat)
    return std::vector<double>(a.floats.begin(), a.floats.end());
  std::vector<double> out(a.ints.begin(), a.ints.end());
  const LayerDesc &l = desc.layers[i];
  if (floatOutput && l.variables.count("threshold")) {
    // Akida 1.0 potentials, de-quantized as predict does.
    std::vector<int64_t> t = l.variables.at("threshold").array.ints();
    std::vector<float> s = l.variables.at("act_step").array.floats();
    for (size_t k = 0; k < out.size(); ++k)
      out[k] = (out[k] - t[k % t.size()]) / s[k % s.size()];
  }
  return out;
}

} // namespace

int compareCommand(const std::vector<std::string> &argv) {
  Args args(argv, {{"-m", "model"}, {"--model", "model"}, {"-i", "input"},
                   {"--input", "input"}, {"-n", "samples"},
                   {"--target", "target"}, {"--tolerance", "tolerance"},
                   {"--ort-script", "ort"}, {"--constant", "constant"}},
            {{"--software-fallback", "software-fallback"}});
  const OnnxModelArgs onnxArgs = onnxModelArgs(args);
  const std::string *path = &onnxArgs.path;
  const std::string &targetName = onnxArgs.targetName;
  const int64_t tolerance = args.getInt("tolerance", 1, 0, 1 << 20);
  const int64_t samples = args.getInt("samples", 8, 1, 100000);
  std::string script = args.get("ort").value_or(
      std::getenv("AKIDA_ORT_RUN") ? std::getenv("AKIDA_ORT_RUN")
                                   : AKIDA_SOURCE_DIR "/tools/ort/ort-run.mjs");

  onnx::Imported imp = onnx::importOnnxFile(*path, onnxArgs.target,
                                            onnxArgs.constants, onnxArgs.import);
  if (imp.inputDims.size() != 4)
    throw std::invalid_argument(
        *path + ": compare takes models with an NCHW float input; '" +
        imp.inputName + "' has rank " + std::to_string(imp.inputDims.size()));
  Model model(imp.desc);
  const ModelDesc &desc = model.desc();
  const ActType inType = modelInputType(desc);

  Array in;
  if (std::optional<std::string> file = args.get("input")) {
    in = readNpy(*file);
  } else {
    std::mt19937 rng(0);
    const int64_t hi = (int64_t(1) << inType.bits) - 1;
    std::uniform_int_distribution<int64_t> value(0, hi);
    std::vector<int64_t> v(static_cast<size_t>(samples * inType.shape[0] *
                                               inType.shape[1] *
                                               inType.shape[2]));
    for (int64_t &x : v)
      x = value(rng);
    in = Array::fromInts(DType::UInt8, {samples, inType.shape[0],
                                        inType.shape[1], inType.shape[2]},
                         v);
  }
  if (in.shape.size() != 4 || in.shape[1] != inType.shape[0] ||
      in.shape[2] != inType.shape[1] || in.shape[3] != inType.shape[2] ||
      in.dtype != DType::UInt8)
    throw std::invalid_argument(
        "inputs must be uint8 NHWC (N, " + std::to_string(inType.shape[0]) +
        ", " + std::to_string(inType.shape[1]) + ", " +
        std::to_string(inType.shape[2]) + "); got " + dtypeName(in.dtype) +
        " " + formatShape(in.shape));
  const int64_t n = in.shape[0];

  // ONNX Runtime on the float NCHW equivalent, every tensor dumped.
  char dirTemplate[] = "/tmp/akida-compare-XXXXXX";
  if (!mkdtemp(dirTemplate))
    throw std::runtime_error("cannot create a temporary directory");
  const std::string dir = dirTemplate;
  {
    const int64_t H = inType.shape[0], W = inType.shape[1],
                  C = inType.shape[2];
    std::vector<float> f(static_cast<size_t>(in.size()));
    for (int64_t s = 0; s < n; ++s)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          for (int64_t c = 0; c < C; ++c)
            f[((s * C + c) * H + h) * W + w] = static_cast<float>(
                (in.intAt(((s * H + h) * W + w) * C + c) -
                 imp.inputZeroPoint) *
                imp.inputScale);
    writeNpy(dir + "/input.npy", Array::fromFloats({n, C, H, W}, f));
  }
  const std::string cmd = "node " + shellQuoted(script) + " --model " +
                          shellQuoted(*path) + " --input " +
                          shellQuoted(dir + "/input.npy") +
                          " --intermediate --all-outputs " +
                          shellQuoted(dir + "/ort") + " > " +
                          shellQuoted(dir + "/ort.log") + " 2>&1";
  if (int rc = std::system(cmd.c_str()); rc != 0)
    throw std::runtime_error("ONNX Runtime (" + script + ") failed: " +
                             lastLine(dir + "/ort.log"));

  // Our side: every layer's activations (the reference runtime).
  ref::Activations input;
  input.type = inType;
  input.batch = n;
  input.ints = in.ints();
  std::vector<ref::Activations> acts;
  for (const LayerDesc &l : desc.layers) {
    std::vector<const ref::Activations *> inputs;
    if (l.inbounds.empty())
      inputs.push_back(&input);
    for (int j : l.inbounds)
      inputs.push_back(&acts[j]);
    acts.push_back(ref::runLayer(l, inputs));
  }

  std::cout << "Compared " << n << " samples: " << *path << " (ONNX Runtime) "
            << "and its Akida " << targetName << " conversion\n";
  std::cout << std::left << std::setw(22) << "Layer" << std::setw(16)
            << "ONNX tensor" << std::right << std::setw(10) << "values"
            << std::setw(11) << "differing" << std::setw(12) << "max |diff|"
            << "\n";
  std::string firstBad;
  for (size_t i = 0; i < desc.layers.size(); ++i) {
    const std::string &tensor = imp.tensors.at(i);
    std::cout << std::left << std::setw(22) << desc.layers[i].name;
    if (tensor.empty()) {
      std::cout << "(integer potentials: no ONNX tensor)\n";
      continue;
    }
    const bool floatOutput = i + 1 == desc.layers.size();
    // Float tensors (the output, a Dequantizer's, a software part's):
    // differences in float, counted beyond float32 rounding.
    const bool isFloat = floatOutput || acts[i].type.isFloat;
    std::vector<double> theirs =
        toNhwc(readNpy(dir + "/ort/" + dumpFile(tensor)), acts[i].type, n);
    std::vector<double> mine = ours(desc, i, acts[i], floatOutput);
    double maxDiff = 0, range = 0;
    for (double v : theirs)
      range = std::max(range, std::abs(v));
    int64_t differing = 0;
    for (size_t k = 0; k < mine.size(); ++k) {
      double d = std::abs(mine[k] - theirs[k]);
      maxDiff = std::max(maxDiff, d);
      differing += isFloat ? d > 1e-5 * std::max(1.0, range) : d > 0;
    }
    std::ostringstream diff;
    if (isFloat)
      diff << std::setprecision(1) << std::scientific << maxDiff;
    else
      diff << std::setprecision(0) << std::fixed << maxDiff << " LSB";
    std::cout << std::setw(16) << tensor << std::right << std::setw(10)
              << mine.size() << std::setw(10) << std::fixed
              << std::setprecision(2)
              << 100.0 * differing / std::max<size_t>(mine.size(), 1) << "%"
              << std::setw(12) << diff.str() << "\n";
    if (floatOutput) {
      const int64_t per = static_cast<int64_t>(mine.size()) / n;
      int64_t agree = 0;
      for (int64_t s = 0; s < n; ++s) {
        auto a = std::max_element(mine.begin() + s * per,
                                  mine.begin() + (s + 1) * per);
        auto b = std::max_element(theirs.begin() + s * per,
                                  theirs.begin() + (s + 1) * per);
        agree += (a - mine.begin()) - s * per == (b - theirs.begin()) - s * per;
      }
      std::cout << "Output: max |diff| " << std::setprecision(4) << maxDiff
                << " (output range " << range << "), top-1 agreement "
                << agree << "/" << n << "\n";
      if (firstBad.empty() && agree != n)
        firstBad = desc.layers[i].name + " (top-1 differs on " +
                   std::to_string(n - agree) + " samples)";
    } else if (firstBad.empty() && maxDiff > tolerance) {
      std::ostringstream os;
      os << desc.layers[i].name << " (max |diff| " << maxDiff << " LSB)";
      firstBad = os.str();
    }
  }
  if (firstBad.empty())
    std::cout << "All layers agree within " << tolerance << " LSB.\n";
  else
    std::cout << "First divergence beyond " << tolerance
              << " LSB: " << firstBad << "\n";
  std::system(("rm -rf " + shellQuoted(dir)).c_str());
  return 0;
}

} // namespace akida::cli
