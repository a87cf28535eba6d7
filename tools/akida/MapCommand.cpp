//===- MapCommand.cpp - akida map -----------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "device/usb/OpenDevice.h"

#include <iostream>

namespace akida::cli {

int mapCommand(const std::vector<std::string> &argv) {
  Args args(argv,
            {{"-m", "model"}, {"--model", "model"}, {"--device", "device"},
             {"-d", "device"}, {"--mode", "mode"}},
            {{"--hw-only", "hw-only"}});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  std::string modeName = args.get("mode").value_or("AllNps");
  std::optional<MapMode> mode = parseMapMode(modeName);
  if (!mode)
    throw UsageError("--mode is '" + modeName +
                     "' but must be AllNps, HwPr or Minimal");
  Device device = deviceByName(args.get("device").value_or("AKD1000"));
  Model model = loadModelOrDefault(args.get("model"));
  model.map(device, args.has("hw-only"), *mode);
  std::cout << model.summary();
  return 0;
}

} // namespace akida::cli
