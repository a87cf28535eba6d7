//===- ZooCommand.cpp - akida zoo -----------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "runtime/zoo/Zoo.h"

#include <iomanip>
#include <iostream>

namespace akida::cli {

int zooCommand(const std::vector<std::string> &argv) {
  Args args(argv, {{"-o", "output"}, {"--output", "output"}, {"--seed", "seed"}});
  const std::vector<std::string> &pos = args.positional();
  if (pos.size() != 1)
    throw UsageError("expected 'list' or a model name (akida zoo list)");
  if (pos[0] == "list") {
    for (const ZooEntry &entry : zooModels())
      std::cout << std::left << std::setw(24) << entry.name << entry.description
                << "\n";
    return 0;
  }
  std::optional<std::string> out = args.get("output");
  if (!out)
    throw UsageError("missing -o FILE.fbz");
  uint32_t seed = static_cast<uint32_t>(args.getInt("seed", 0, 0, 0xffffffffLL));
  Model model = buildZooModel(pos[0], seed);
  model.save(*out);
  std::cout << "Saved " << pos[0] << " (seed " << seed << ") to " << *out
            << "\n";
  return 0;
}

} // namespace akida::cli
