//===- RunCommand.cpp - akida run and akida summary -----------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "compiler/fbz/LayerSchema.h"
#include "device/usb/OpenDevice.h"
#include "runtime/io/Npy.h"
#include "runtime/zoo/Zoo.h"
#include "tools/akida/DefaultModel.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <random>

namespace akida::cli {

Model loadModelOrDefault(const std::optional<std::string> &path) {
  if (path)
    return Model(*path);
  return Model::from_buffer(embedded::model());
}

namespace {

/// One random sample with seed 0 in the range the input layer accepts.
Array randomInput(const Model &model) {
  const LayerDesc &first = model.desc().layers.front();
  std::array<int64_t, 3> shape = model.input_shape();
  bool isSigned = false;
  int bits = 8;
  if (first.type == LayerType::InputData) {
    isSigned = param(first, "input_signed") != 0;
    bits = static_cast<int>(param(first, "input_bits"));
  }
  int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  std::mt19937 rng(0);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<int64_t> values(shape[0] * shape[1] * shape[2]);
  for (int64_t &v : values)
    v = dist(rng);
  return Array::fromInts(isSigned ? DType::Int8 : DType::UInt8,
                         {1, shape[0], shape[1], shape[2]}, values);
}

} // namespace

int summaryCommand(const std::vector<std::string> &argv) {
  Args args(argv, {{"-m", "model"}, {"--model", "model"}});
  std::optional<std::string> path = args.get("model");
  if (!path)
    throw UsageError("missing -m MODEL.fbz");
  std::cout << Model(*path).summary();
  return 0;
}

int runCommand(const std::vector<std::string> &argv) {
  Args args(argv,
            {{"-m", "model"}, {"--model", "model"}, {"-i", "input"},
             {"--input", "input"}, {"-o", "output"}, {"--output", "output"},
             {"--batch-size", "batch-size"}, {"--device", "device"},
             {"-d", "device"}, {"--mode", "mode"}},
            {{"--cpu", "cpu"}});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  int batchSize = static_cast<int>(args.getInt("batch-size", 0, 0, 1 << 20));
  // The default model runs on the virtual AKD1000 unless told otherwise.
  const bool defaultModel = !args.has("model");
  std::optional<std::string> device = args.get("device");
  if (args.has("cpu") && (device || args.has("mode")))
    throw UsageError("--cpu excludes --device and --mode");
  if (!device && defaultModel && !args.has("cpu"))
    device = "AKD1000";
  Model model = loadModelOrDefault(args.get("model"));
  if (device) {
    std::string modeName = args.get("mode").value_or("AllNps");
    std::optional<MapMode> mode = parseMapMode(modeName);
    if (!mode)
      throw UsageError("--mode is '" + modeName +
                       "' but must be AllNps, HwPr or Minimal");
    model.map(deviceByName(*device), false, *mode);
    model.set_power_measurement_enabled(true); // as the SDK's akida run
  } else if (args.has("mode")) {
    throw UsageError("--mode needs --device");
  }
  std::cout << model.summary() << "\n";

  Array inputs;
  std::vector<int64_t> labels;
  if (std::optional<std::string> in = args.get("input")) {
    inputs = readNpy(*in);
    std::cout << "Inputs: " << *in << " " << formatShape(inputs.shape) << " "
              << dtypeName(inputs.dtype) << "\n";
  } else if (defaultModel) {
    const std::vector<uint8_t> &s = embedded::samples();
    const std::vector<uint8_t> &l = embedded::labels();
    inputs = parseNpy(s.data(), s.size(), "<embedded samples>");
    labels = parseNpy(l.data(), l.size(), "<embedded labels>").ints();
    std::cout << "Inputs: " << inputs.shape[0]
              << " Fashion-MNIST test images " << formatShape(inputs.shape)
              << " " << dtypeName(inputs.dtype) << "\n";
  } else {
    inputs = randomInput(model);
    std::cout << "Inputs: random " << formatShape(inputs.shape) << " "
              << dtypeName(inputs.dtype) << " (seed 0)\n";
  }

  Array outputs = model.forward(inputs, batchSize);
  std::cout << "Outputs: " << formatShape(outputs.shape) << " "
            << dtypeName(outputs.dtype) << "\n";

  // The largest outputs of the first samples.
  int64_t samples = outputs.shape[0];
  int64_t perSample = samples ? outputs.size() / samples : 0;
  for (int64_t s = 0; s < std::min<int64_t>(samples, 4); ++s) {
    std::vector<std::pair<double, int64_t>> ranked;
    for (int64_t j = 0; j < perSample; ++j) {
      int64_t i = s * perSample + j;
      ranked.push_back({outputs.dtype == DType::Float32 ? outputs.floatAt(i)
                                                        : double(outputs.intAt(i)),
                        j});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](auto &a, auto &b) {
      return a.first > b.first;
    });
    std::cout << "Sample " << s << " top outputs (index: value):";
    for (size_t k = 0; k < std::min<size_t>(5, ranked.size()); ++k)
      std::cout << " " << ranked[k].second << ": " << ranked[k].first;
    std::cout << "\n";
  }

  if (!labels.empty()) {
    // The embedded images: predicted classes against their labels.
    std::vector<int> classes = model.predict_classes(inputs, 0, batchSize);
    int correct = 0;
    for (size_t k = 0; k < classes.size(); ++k) {
      const bool ok = classes[k] == labels[k];
      correct += ok;
      std::cout << "Image " << k << ": predicted "
                << embedded::kClassNames.at(classes[k]) << ", label "
                << embedded::kClassNames.at(labels[k])
                << (ok ? "" : "  (wrong)") << "\n";
    }
    std::cout << "Correct: " << correct << "/" << classes.size() << "\n";
  }

  if (model.mapping()) {
    char floor[64];
    std::snprintf(floor, sizeof floor, "%.2f", model.power_floor());
    std::cout << "\nFloor power (mW): " << floor << "\n"
              << model.statistics().str();
  }

  if (std::optional<std::string> out = args.get("output")) {
    // Dequantized floats when the last layer has no activation.
    Array written = outputs;
    try {
      written = model.predict(inputs, batchSize);
    } catch (const std::runtime_error &) {
      // The last layer has an activation: write the integers.
    }
    writeNpy(*out, written);
    std::cout << "Outputs written to " << *out << " ("
              << dtypeName(written.dtype) << ")\n";
  }
  return 0;
}

} // namespace akida::cli
