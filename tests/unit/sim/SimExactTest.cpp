// Bit-exact execution: the programs of zoo models, run on the virtual device,
// give the reference runtime's outputs value for value, on AKD1000 (AllNps,
// Minimal), on small meshes where the model needs several sequences or
// several passes (TwoNodesIP, HwPr), and on Akida 2.0 meshes.
#include "tests/unit/sim/SimTestUtil.h"

#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

#include <functional>

using namespace akida;
using namespace akida::simtest;

namespace {

struct Case {
  std::string model;
  std::string device;
  MapMode mode;
  /// What the mapping must give, so that the case tests what it says.
  size_t minSequences = 1;
  size_t minPasses = 1; ///< largest number of passes of a sequence
  bool columnBlocks = false; ///< some layer is split in column blocks
};

void PrintTo(const Case &c, std::ostream *os) {
  *os << c.model << " on " << c.device << " " << mapModeName(c.mode);
}

Device deviceNamed(const std::string &name) {
  // A create_device mesh: 8 CNP/TNP NPs, 2 FNPs, 4 skip-DMA channels, HRC.
  if (name == "custom_v2")
    return create_device(8, 2, 4, true);
  return virtualDevice(name);
}

class SimExact : public ::testing::TestWithParam<Case> {};

TEST_P(SimExact, MatchesReference) {
  const Case &c = GetParam();
  const Model model = buildZooModel(c.model, 0);
  const Device device = deviceNamed(c.device);
  const Mapped mapped = mapModel(model, device, c.mode);
  std::string plan;
  for (const SequencePlan &s : mapped.plan.sequences)
    plan += std::string(s.hardware ? " HW " : " SW ") +
            std::to_string(s.layers.front()) + "-" +
            std::to_string(s.layers.back()) + " passes " +
            std::to_string(s.passes.size());
  ASSERT_GE(mapped.programs.size(), c.minSequences) << plan;
  ASSERT_GE(*std::max_element(mapped.passes.begin(), mapped.passes.end()),
            c.minPasses);
  if (c.columnBlocks) {
    bool split = false;
    for (const std::vector<uint8_t> &bytes : mapped.programs)
      for (const PassProgram &pass : readProgram(bytes).passes)
        for (const UnitRecord &r : pass.nps)
          split = split || r.columnBlocks > 1;
    ASSERT_TRUE(split);
  }

  // Several random inputs: each program alone against the reference
  // activations of the layers it reads and writes.
  const Array in = randomInputs(model, 3, 42);
  const std::vector<ref::Activations> acts = referenceActivations(model, in);
  const ref::Activations input = toActivations(in, modelInputType(model.desc()));
  std::vector<int64_t> clk;
  std::vector<int64_t> diffs = programMismatches(mapped, device, acts, input, &clk);
  for (size_t i = 0; i < diffs.size(); ++i) {
    EXPECT_EQ(diffs[i], 0) << "program " << i << " of " << diffs.size();
    EXPECT_GT(clk[i], 0);
  }

  // When every layer up to the output is in hardware, the chain-loaded
  // programs give Model::forward's output.
  bool allHardware = true;
  for (const SequencePlan &s : mapped.plan.sequences)
    if (!s.hardware && s.layers.front() < mapped.lastHardwareLayer)
      allHardware = false;
  if (!allHardware)
    return;
  VirtualDevice dev(device);
  SequenceRunner runner(dev, mapped.programs);
  const Array in2 = randomInputs(model, 2, 7);
  ref::Activations out =
      runner.forward(toActivations(in2, modelInputType(model.desc())));
  Model reference = truncated(model, mapped.lastHardwareLayer);
  EXPECT_EQ(out.ints, referenceOutput(reference, in2));
  EXPECT_EQ(out.batch, 2);
  EXPECT_EQ(runner.metrics().sequence_inference_clk.size(), mapped.programs.size());
  EXPECT_GT(runner.metrics().program_clk, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, SimExact,
    ::testing::Values(
        Case{"ds_cnn_kws", "AKD1000", MapMode::AllNps},
        Case{"ds_cnn_kws", "AKD1000", MapMode::Minimal},
        Case{"ds_cnn_kws", "TwoNodesIP", MapMode::AllNps},
        Case{"gxnor_mnist", "AKD1000", MapMode::AllNps, 2},
        Case{"gxnor_mnist", "AKD1000", MapMode::Minimal, 2},
        Case{"vgg_utk_face", "AKD1000", MapMode::AllNps},
        Case{"vgg_utk_face", "AKD1000", MapMode::Minimal},
        Case{"vgg_utk_face", "TwoNodesIP", MapMode::AllNps},
        Case{"akidanet_0.25_96_vww", "AKD1000", MapMode::AllNps},
        Case{"akidanet_0.25_96_vww", "AKD1000", MapMode::Minimal},
        Case{"akidanet_0.25_96_vww", "TwoNodesIP", MapMode::AllNps, 3},
        Case{"akidanet_0.25_96_vww", "TwoNodesIP", MapMode::HwPr, 1, 3},
        // 80 input columns on CNP1s: layers split in column blocks.
        Case{"akidanet_0.25_160", "AKD1000", MapMode::AllNps, 1, 1, true},
        Case{"akidanet_0.25_160", "TwoNodesIP", MapMode::AllNps, 2},
        Case{"ds_cnn_kws_v2", "TwoNodesIPv2", MapMode::AllNps, 2},
        Case{"ds_cnn_kws_v2", "TwoNodesIPv2", MapMode::HwPr, 1, 2},
        Case{"ds_cnn_kws_v2", "SixNodesIPv2", MapMode::AllNps},
        Case{"ds_cnn_kws_v2", "SixNodesIPv2", MapMode::Minimal},
        Case{"ds_cnn_kws_v2", "custom_v2", MapMode::AllNps}));

} // namespace
