// The device API around execution: batch limits, programming a program made
// for another device (version, mesh, NP type), malformed programs and
// inputs, metrics, and chain-loading errors.
#include "tests/unit/sim/SimTestUtil.h"

#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::simtest;

namespace {

/// Runs `f` and returns the message of the `E` it throws ("" if none).
template <typename E, typename F> std::string messageOf(F f) {
  try {
    f();
  } catch (const E &e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

struct Fixture {
  Model model = buildZooModel("ds_cnn_kws", 0);
  Mapped mapped = mapModel(model, AKD1000(), MapMode::AllNps);
};

const Fixture &kws() {
  static const Fixture f;
  return f;
}

TEST(SimDevice, BatchSizeLimitOfSinglePassPrograms) {
  VirtualDevice dev(AKD1000());
  EXPECT_FALSE(messageOf<std::runtime_error>([&] { dev.set_batch_size(1); })
                   .empty());
  dev.program(kws().mapped.programs.at(0));
  EXPECT_EQ(dev.batch_size(), 1);
  EXPECT_EQ(dev.max_batch_size(), 15);
  dev.set_batch_size(15);
  EXPECT_EQ(dev.batch_size(), 15);
  const std::string msg =
      messageOf<std::invalid_argument>([&] { dev.set_batch_size(16); });
  EXPECT_TRUE(contains(msg, "batch size 16")) << msg;
  EXPECT_TRUE(contains(msg, "1 to 15")) << msg;
  EXPECT_THROW(dev.set_batch_size(0), std::invalid_argument);
  EXPECT_EQ(dev.batch_size(), 15);

  // A batch larger than the batch size runs in several enqueues, with the
  // same result as the reference.
  const Array in = randomInputs(kws().model, 17, 11);
  ref::Activations out =
      dev.forward(toActivations(in, modelInputType(kws().model.desc())));
  Model reference = kws().model;
  EXPECT_EQ(out.ints, referenceOutput(reference, in));
  EXPECT_EQ(out.batch, 17);
  EXPECT_EQ(dev.metrics().inference_frames, 17);
  // Programming again resets the batch size.
  dev.program(kws().mapped.programs.at(0));
  EXPECT_EQ(dev.batch_size(), 1);
}

TEST(SimDevice, BatchSizeOfMultiPassProgramsIsOne) {
  const Model model = buildZooModel("akidanet_0.25_96_vww", 0);
  const Mapped mapped = mapModel(model, TwoNodesIP(), MapMode::HwPr);
  ASSERT_EQ(mapped.programs.size(), 1u);
  ASSERT_GT(mapped.passes[0], 1u);
  VirtualDevice dev(TwoNodesIP());
  dev.program(mapped.programs[0]);
  EXPECT_EQ(dev.max_batch_size(), 1);
  dev.set_batch_size(1);
  const std::string msg =
      messageOf<std::invalid_argument>([&] { dev.set_batch_size(2); });
  EXPECT_TRUE(contains(msg, "multi-pass")) << msg;
}

TEST(SimDevice, ProgramForAnotherDeviceVersionFails) {
  VirtualDevice dev(TwoNodesIP());
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { dev.program(kws().mapped.programs.at(0)); });
  EXPECT_TRUE(contains(msg, "cannot program TwoNodesIP")) << msg;
  EXPECT_TRUE(contains(msg, "'AKD1000' (NSoC_v2)")) << msg;
  EXPECT_FALSE(dev.isProgrammed());
  // A v1 program on a v2 device.
  VirtualDevice v2(SixNodesIPv2());
  EXPECT_THROW(v2.program(kws().mapped.programs.at(0)), std::invalid_argument);
}

TEST(SimDevice, ProgramForAnotherMeshFails) {
  // Same hardware version (FPGA_v2), different meshes: SixNodesIPv2 has
  // nodes in columns 1 to 3, TwoNodesIPv2 only (1, 2) and (2, 2).
  const Model model = buildZooModel("ds_cnn_kws_v2", 0);
  const Mapped mapped = mapModel(model, SixNodesIPv2(), MapMode::AllNps);
  VirtualDevice dev(TwoNodesIPv2());
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { dev.program(mapped.programs.at(0)); });
  EXPECT_TRUE(contains(msg, "cannot program TwoNodesIPv2")) << msg;
  EXPECT_TRUE(contains(msg, "does not have") || contains(msg, "lacks")) << msg;

  // A v1 mesh with AKD1000's version: create_device puts nodes in row 2 of
  // column 1, which AKD1000 does not have.
  const Device custom = create_device(8, 2, 0, true, std::nullopt, hw::NSoC_v2);
  const Mapped other = mapModel(kws().model, custom, MapMode::AllNps);
  VirtualDevice akd(AKD1000());
  const std::string msg2 = messageOf<std::invalid_argument>(
      [&] { akd.program(other.programs.at(0)); });
  EXPECT_TRUE(contains(msg2, "does not have")) << msg2;
}

TEST(SimDevice, ProgramUsingAnNpTypeTheMeshLacksFails) {
  // AKD1000's NPs (3, 1, 2) and (3, 1, 3) are CNP1 only: a record that
  // configures one of them as a CNP2 is refused, naming the NP.
  DecodedProgram p = readProgram(kws().mapped.programs.at(0));
  PassProgram &pass = p.passes.at(0);
  const NpIdent a = pass.nps.at(0).ident, b{3, 1, 2};
  // Swap NPs a and b everywhere (records and descriptors): the program
  // stays consistent, with the first record on b.
  auto swap = [&](NpIdent &i) {
    if (i == a)
      i = b;
    else if (i == b)
      i = a;
  };
  auto swapRoutes = [&](std::vector<DmaDescriptor> &routes) {
    for (DmaDescriptor &d : routes)
      for (Endpoint *e : {&d.source, &d.dest})
        if (e->kind == EndpointKind::Np)
          swap(e->ident);
  };
  for (UnitRecord &u : pass.nps) {
    swap(u.ident);
    swapRoutes(u.routes);
  }
  if (pass.hrc)
    swapRoutes(pass.hrc->routes);
  swapRoutes(pass.inputs);
  UnitRecord &r = pass.nps.at(0);
  ASSERT_EQ(r.ident, b);
  ASSERT_EQ(r.type, NpType::CNP1);
  r.type = NpType::CNP2;
  VirtualDevice dev(AKD1000());
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { dev.program(writeProgram(p)); });
  EXPECT_TRUE(contains(msg, "(3, 1, 2) as CNP2")) << msg;
  EXPECT_TRUE(contains(msg, "can only be CNP1")) << msg;
  // As a CNP1 it runs, and still gives the reference's output.
  r.type = NpType::CNP1;
  dev.program(writeProgram(p));
  const Array in = randomInputs(kws().model, 2, 3);
  Model reference = kws().model;
  EXPECT_EQ(dev.forward(toActivations(in, modelInputType(kws().model.desc())))
                .ints,
            referenceOutput(reference, in));
}

TEST(SimDevice, MalformedProgramsAndInputs) {
  VirtualDevice dev(AKD1000());
  std::vector<uint8_t> bytes = kws().mapped.programs.at(0);
  bytes.resize(bytes.size() / 2);
  EXPECT_THROW(dev.program(bytes), ProgramError);
  EXPECT_THROW(dev.program({}), ProgramError);
  const ActType type = modelInputType(kws().model.desc());
  EXPECT_THROW(dev.forward(toActivations(randomInputs(kws().model, 1, 0), type)),
               std::runtime_error);

  dev.program(kws().mapped.programs.at(0));
  ref::Activations in = toActivations(randomInputs(kws().model, 1, 0), type);
  ref::Activations wrongShape = in;
  wrongShape.type.shape = {10, 49, 1};
  EXPECT_THROW(dev.forward(wrongShape), std::invalid_argument);
  ref::Activations tooLarge = in;
  tooLarge.ints[5] = 256;
  const std::string msg =
      messageOf<std::invalid_argument>([&] { dev.forward(tooLarge); });
  EXPECT_TRUE(contains(msg, "256") && contains(msg, "flat index 5")) << msg;

  // gxnor_mnist reads 1-bit data through InputData: a 2 is refused.
  const Model gxnor = buildZooModel("gxnor_mnist", 0);
  const Mapped g = mapModel(gxnor, AKD1000(), MapMode::AllNps);
  dev.program(g.programs.at(0));
  ref::Activations bits = toActivations(randomInputs(gxnor, 1, 0),
                                        modelInputType(gxnor.desc()));
  bits.ints[0] = 2;
  const std::string msg2 =
      messageOf<std::invalid_argument>([&] { dev.forward(bits); });
  EXPECT_TRUE(contains(msg2, "ui1")) << msg2;
}

TEST(SimDevice, MetricsCountEveryUnit) {
  VirtualDevice dev(AKD1000());
  dev.program(kws().mapped.programs.at(0));
  const DecodedProgram &p = dev.programInfo();
  EXPECT_EQ(dev.inputLayer(), -1); // the HRC reads the model input
  EXPECT_EQ(dev.outputLayer(), 5);
  const ActType type = modelInputType(kws().model.desc());
  dev.forward(toActivations(randomInputs(kws().model, 2, 1), type));
  const DeviceMetrics &m = dev.metrics();
  EXPECT_EQ(m.units.size(), p.passes[0].numRecords());
  int64_t events = 0;
  for (const UnitMetrics &u : m.units) {
    EXPECT_GT(u.clk, 0) << u.ident.str();
    events += u.events;
  }
  EXPECT_GT(events, 0);
  EXPECT_GT(m.dma_words, 0);
  EXPECT_EQ(m.inference_frames, 2);
  EXPECT_EQ(m.reconfigure_clk, 0); // single pass
  // Two frames cost twice one (frames are independent).
  const int64_t two = m.inference_clk;
  ref::Activations one = toActivations(randomInputs(kws().model, 2, 1), type);
  one.batch = 1;
  one.ints.resize(one.ints.size() / 2);
  dev.forward(one);
  const int64_t first = dev.metrics().inference_clk;
  EXPECT_GT(two, first);
  EXPECT_LT(two, 3 * first);
  // The program output left through the event DMA.
  EXPECT_EQ(dev.exported().count(5), 1u);
}

TEST(SimDevice, SequenceRunnerChecksTheChain) {
  const Model model = buildZooModel("akidanet_0.25_96_vww", 0);
  const Mapped mapped = mapModel(model, TwoNodesIP(), MapMode::AllNps);
  ASSERT_GE(mapped.programs.size(), 2u);
  VirtualDevice dev(TwoNodesIP());
  std::vector<std::vector<uint8_t>> reversed(mapped.programs.rbegin(),
                                             mapped.programs.rend());
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { SequenceRunner runner(dev, reversed); });
  EXPECT_TRUE(contains(msg, "no earlier program writes out")) << msg;
  EXPECT_THROW(SequenceRunner(dev, {}), std::invalid_argument);
  // Chain loading programs every sequence for each forward call.
  SequenceRunner runner(dev, mapped.programs);
  runner.forward(toActivations(randomInputs(model, 1, 2),
                               modelInputType(model.desc())));
  int64_t programClk = 0;
  for (int64_t c : runner.metrics().sequence_program_clk)
    programClk += c;
  EXPECT_EQ(runner.metrics().program_clk, programClk);
  EXPECT_EQ(runner.metrics().sequence_program_clk.size(), mapped.programs.size());
}

} // namespace
