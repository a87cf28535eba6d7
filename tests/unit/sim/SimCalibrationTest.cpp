// The clock model against the published AKD1000 figures (performance.md
// §1.2): DS-CNN KWS and AkidaNet 0.5/224 mapped AllNps, one random frame
// (the input `akida run` draws). The constants were fitted on these two runs
// (docs/device/simulator.md); the tolerances below leave room for changes
// in the zoo's random weights, not for a different model.
#include "tests/unit/sim/SimTestUtil.h"

#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace akida;
using namespace akida::simtest;

namespace {

struct FrameRun {
  int64_t inferenceClk = 0;
  int64_t programClk = 0;
  int64_t nps = 0;
  std::vector<int64_t> output;
};

FrameRun runOneRandomFrame(const Model &model, VirtualDevice &dev,
                      const Mapped &mapped) {
  EXPECT_EQ(mapped.programs.size(), 1u);
  dev.program(mapped.programs.at(0));
  FrameRun r;
  r.programClk = dev.metrics().program_clk;
  const Array in = randomInputs(model, 1, 0);
  r.output = dev.forward(toActivations(in, modelInputType(model.desc()))).ints;
  r.inferenceClk = dev.metrics().inference_clk;
  r.nps = static_cast<int64_t>(dev.programInfo().passes[0].nps.size());
  return r;
}

double relError(int64_t got, double published) {
  return std::fabs(double(got) - published) / published;
}

TEST(SimCalibration, DsCnnKwsOnAkd1000) {
  const Model model = buildZooModel("ds_cnn_kws", 0);
  const Mapped mapped = mapModel(model, AKD1000(), MapMode::AllNps);
  VirtualDevice dev(AKD1000());
  const FrameRun r = runOneRandomFrame(model, dev, mapped);
  EXPECT_EQ(r.nps, 65);
  // Published: inference_clk 93,965, program_clk 152,396. Fit: within 0.1%.
  EXPECT_LT(relError(r.inferenceClk, 93965), 0.05) << r.inferenceClk;
  EXPECT_LT(relError(r.programClk, 152396), 0.05) << r.programClk;
  RecordProperty("inference_clk", std::to_string(r.inferenceClk));
  RecordProperty("program_clk", std::to_string(r.programClk));
}

TEST(SimCalibration, AkidaNet05On224Akd1000) {
  const ZooMapping &zoo = akd1000AllNps("akidanet_0.5_224");
  const Model &model = zoo.model;
  const Mapped &mapped = zoo.mapped;
  VirtualDevice dev(AKD1000());
  const FrameRun r = runOneRandomFrame(model, dev, mapped);
  EXPECT_EQ(r.nps, 68);
  // Published: 13,733,572 inference clocks for one random frame, program_clk
  // 998,079 to 1,000,756 (three runs). Fit: within 0.2%.
  EXPECT_LT(relError(r.inferenceClk, 13733572), 0.05) << r.inferenceClk;
  EXPECT_LT(relError(r.programClk, 999568), 0.05) << r.programClk;
  RecordProperty("inference_clk", std::to_string(r.inferenceClk));
  RecordProperty("program_clk", std::to_string(r.programClk));
  // The frame is also bit-exact (layers split in column blocks here).
  Model reference = model;
  EXPECT_EQ(r.output, referenceOutput(reference, randomInputs(model, 1, 0)));
}

TEST(SimCost, ProgramClocksFollowProgramSize) {
  const Model model = buildZooModel("ds_cnn_kws", 0);
  VirtualDevice dev(AKD1000());
  const CostConstants k = akd1000CostConstants();
  for (MapMode mode : {MapMode::AllNps, MapMode::Minimal}) {
    const Mapped mapped = mapModel(model, AKD1000(), mode);
    dev.program(mapped.programs.at(0));
    const DecodedProgram &p = dev.programInfo();
    const double words = std::ceil(double(p.totalBytes) / k.wordBytes);
    EXPECT_EQ(dev.metrics().program_clk,
              std::llround(k.programOverheadClk + words * k.configWordClk +
                           double(p.passes[0].numRecords()) * k.recordClk));
  }
  // Minimal programs are smaller (5 NPs instead of 65): fewer clocks.
  dev.program(mapModel(model, AKD1000(), MapMode::AllNps).programs.at(0));
  const int64_t all = dev.metrics().program_clk;
  dev.program(mapModel(model, AKD1000(), MapMode::Minimal).programs.at(0));
  EXPECT_LT(dev.metrics().program_clk, all);
}

TEST(SimCost, HwPrPassesAddReconfigurationClocks) {
  const Model model = buildZooModel("akidanet_0.25_96_vww", 0);
  const Mapped mapped = mapModel(model, TwoNodesIP(), MapMode::HwPr);
  ASSERT_EQ(mapped.programs.size(), 1u);
  VirtualDevice dev(TwoNodesIP());
  dev.program(mapped.programs[0]);
  const size_t passes = dev.programInfo().passes.size();
  ASSERT_GE(passes, 2u);
  const ActType type = modelInputType(model.desc());
  dev.forward(toActivations(randomInputs(model, 1, 5), type));
  // Passes 1.. are loaded for the first frame; every later frame reloads
  // all of them (pass 0 included).
  int64_t first = 0, all = 0;
  for (size_t p = 0; p < passes; ++p) {
    const int64_t clk = dev.costModel().reconfigureClk(dev.programInfo().passes[p]);
    all += clk;
    first += p ? clk : 0;
  }
  EXPECT_EQ(dev.metrics().reconfigure_clk, first);
  dev.forward(toActivations(randomInputs(model, 2, 5), type));
  EXPECT_EQ(dev.metrics().reconfigure_clk, 2 * all);
  EXPECT_LT(dev.metrics().reconfigure_clk, dev.metrics().inference_clk);
}

} // namespace
