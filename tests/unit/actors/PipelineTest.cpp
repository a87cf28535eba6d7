// A mapped model through its actors gives Model::forward's outputs bit for
// bit: single- and multi-sequence mappings (hardware and software
// sequences, chain loading), unmapped models on the CPU actor, whole batches
// as one frame and streams of single frames. Real threads (device actors
// detached), as a user runs them.
#include "tests/unit/actors/ActorTestUtil.h"

#include "actors/FromModel.h"
#include "actors/ModelPipeline.h"
#include "actors/SequenceActors.h"
#include "runtime/zoo/Zoo.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::actors;
using namespace akida::actortest;

namespace {

struct Case {
  std::string model, device;
  MapMode mode;
  size_t minSequences;
};

void PrintTo(const Case &c, std::ostream *os) {
  *os << c.model << " on " << c.device << " " << mapModeName(c.mode);
}

class MappedPipeline : public ::testing::TestWithParam<Case> {};

TEST_P(MappedPipeline, BitIdenticalToForward) {
  const Case &c = GetParam();
  Model model = mappedZooModel(c.model, c.device, c.mode); // a copy
  ASSERT_GE(model.mapping()->sequences.size(), c.minSequences);
  const Array in = randomInputs(model, 3, 11);
  const Array expected = model.forward(in);

  ModelPipeline pipeline(makeModelStages(model));
  EXPECT_EQ(pipeline.forward(in), expected);
  // Frame by frame (the device keeps the program between frames when the
  // model has one hardware sequence, reloads it otherwise).
  EXPECT_EQ(pipeline.forwardStream(in, 1), expected);
  const std::vector<StageStats> &stats = pipeline.statistics();
  ASSERT_EQ(stats.size(), model.mapping()->sequences.size());
  for (const StageStats &s : stats) {
    EXPECT_EQ(s.frames, 3) << s.name;
    EXPECT_GT(s.events, 0) << s.name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, MappedPipeline,
    ::testing::Values(Case{"ds_cnn_kws", "AKD1000", MapMode::AllNps, 1},
                      Case{"gxnor_mnist", "AKD1000", MapMode::Minimal, 2},
                      Case{"akidanet_0.25_96_vww", "TwoNodesIP", MapMode::AllNps, 3},
                      Case{"ds_cnn_kws_v2", "TwoNodesIPv2", MapMode::AllNps,
                           2}));

TEST(Pipeline, UnmappedModelRunsOnOneCpuActor) {
  Model model = buildZooModel("ds_cnn_kws", 0);
  const Array in = randomInputs(model, 4, 5);
  ModelPipeline pipeline(makeModelStages(model));
  EXPECT_EQ(pipeline.forward(in), model.forward(in));
  ASSERT_EQ(pipeline.statistics().size(), 1u);
  EXPECT_EQ(pipeline.statistics()[0].name.rfind("SW/", 0), 0u);
}

/// The CPU executor of stage `i`, or null for a hardware stage.
const CpuSequence *cpuStage(ModelPipeline &p, size_t i) {
  return dynamic_cast<const CpuSequence *>(
      &p.stages().workers.at(i)->executor());
}

class UnmappedPipeline : public ::testing::TestWithParam<std::string> {};

// An unmapped model is one software sequence from the model input: it runs
// on the fast kernels (runtime/cpu's Plan), bit-exact with the reference.
TEST_P(UnmappedPipeline, RunsOnTheFastKernelsBitExact) {
  Model model = buildZooModel(GetParam(), 0);
  const Array in = randomInputs(model, 3, 23);
  ModelPipeline pipeline(makeModelStages(model));
  ASSERT_NE(cpuStage(pipeline, 0), nullptr);
  EXPECT_TRUE(cpuStage(pipeline, 0)->fast());
  EXPECT_EQ(pipeline.forward(in), model.forward_reference(in));
  EXPECT_EQ(pipeline.forward(sample(in, 1)),
            model.forward_reference(sample(in, 1)));
  // A stream of single frames: side by side in the CPU actor's lanes.
  EXPECT_EQ(pipeline.forwardStream(in, 1), model.forward_reference(in));
}

// Frames are independent: the CPU actor runs as many at once as TBB may use
// threads (two frames in flight per lane), and the stream still comes out
// whole and in order.
TEST(Pipeline, CpuActorRunsFramesInLanes) {
  Model model = buildZooModel("ds_cnn_kws", 0);
  const Array in = randomInputs(model, 24, 31);
  ModelPipeline pipeline(makeModelStages(model));
  const SequenceWorker &worker = *pipeline.stages().workers.at(0);
  const int cores = static_cast<int>(tbb::info::default_concurrency());
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    EXPECT_EQ(worker.executor().lanes(), std::min(cores, 2));
    EXPECT_EQ(sequenceLanes(worker, StageOptions{}), std::min(cores, 2));
    StageOptions off;
    off.lanes = false;
    EXPECT_EQ(sequenceLanes(worker, off), 1);
    StageOptions coordinator;
    coordinator.detachWorkers = false;
    EXPECT_EQ(sequenceLanes(worker, coordinator), 1);
    EXPECT_EQ(pipeline.forwardStream(in, 1), model.forward(in));
    ASSERT_EQ(pipeline.statistics().size(), 1u);
    EXPECT_EQ(pipeline.statistics()[0].frames, 24);
  }
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  EXPECT_EQ(worker.executor().lanes(), 1);
  // One lane: a DS-CNN frame (2.5 MMAC) runs on the scheduler's threads,
  // an AkidaNet-0.25/96 frame (over 10 MMAC) on a thread of its own.
  EXPECT_TRUE(worker.executor().shortFrames());
  EXPECT_EQ(pipeline.forwardStream(in, 2), model.forward(in));
  Model big = buildZooModel("akidanet_0.25_96", 0);
  ModelPipeline bigPipeline(makeModelStages(big));
  EXPECT_FALSE(bigPipeline.stages().workers.at(0)->executor().shortFrames());
}

// A temporal layer's FIFO spans frames, so its sequence has one lane and
// sees the frames in stream order: w = [1, 10, 100] over the last three
// frames gives 100, 210, 321, ... for frames 1, 2, 3, ...
TEST(Pipeline, TemporalModelStreamsThroughOneLane) {
  LayerDesc input;
  input.name = "input";
  input.type = LayerType::InputData;
  input.params = {{"input_bits", 8}};
  LayerDesc fifo;
  fifo.name = "fifo";
  fifo.type = LayerType::BufferTempConv;
  fifo.params = {{"filters", 1},
                 {"fifo_size", 3},
                 {"activation", 0},
                 {"output_bits", 32}};
  Variable w;
  w.array = Array::fromInts(DType::Int8, {3, 1, 1}, {1, 10, 100});
  fifo.variables["weights"] = w;
  Model model({1, 1, 1}, {input, fifo});
  ModelPipeline pipeline(makeModelStages(model));
  EXPECT_EQ(pipeline.stages().workers.at(0)->executor().lanes(), 1);
  const Array frames =
      Array::fromInts(DType::UInt8, {8, 1, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(pipeline.forwardStream(frames, 1).ints(),
            (std::vector<int64_t>{100, 210, 321, 432, 543, 654, 765, 876}));
}

INSTANTIATE_TEST_SUITE_P(Zoo, UnmappedPipeline,
                         ::testing::Values("ds_cnn_kws", "gxnor_mnist",
                                           "ds_cnn_kws_v2",
                                           "akidanet_0.25_96_vww"));

// A software sequence after a hardware one reads a layer, not the model
// input: it runs layer by layer on the reference kernels.
TEST(Pipeline, MiddleSoftwareSequenceRunsOnTheReference) {
  const Model &model = mappedZooModel("gxnor_mnist", "AKD1000",
                                      MapMode::Minimal);
  ModelPipeline pipeline(makeModelStages(model));
  ASSERT_EQ(pipeline.stages().workers.size(), 3u); // HW, SW, HW
  EXPECT_EQ(cpuStage(pipeline, 0), nullptr);
  ASSERT_NE(cpuStage(pipeline, 1), nullptr);
  EXPECT_FALSE(cpuStage(pipeline, 1)->fast());
  EXPECT_EQ(cpuStage(pipeline, 2), nullptr);
}

TEST(Pipeline, PlanCarriesOnlyWhatLaterStagesRead) {
  const Model &model = mappedZooModel("akidanet_0.25_96_vww", "TwoNodesIP");
  const PipelinePlan plan =
      planPipeline(model.desc(), model.mapping()->sequences);
  ASSERT_GE(plan.stages.size(), 2u);
  EXPECT_EQ(plan.stages.front().reads, std::vector<int>{kModelInputEdge});
  for (size_t s = 0; s + 1 < plan.stages.size(); ++s)
    for (int r : plan.stages[s + 1].reads) {
      const std::vector<int> &c = plan.stages[s].carries;
      EXPECT_NE(std::find(c.begin(), c.end(), r), c.end())
          << plan.stages[s + 1].name << " reads " << r;
    }
  EXPECT_TRUE(plan.stages.back().last);
  EXPECT_EQ(plan.stages.back().carries,
            std::vector<int>{model.get_layer_count() - 1});
}

TEST(Pipeline, RefusesInputsOfAnotherShape) {
  Model model = buildZooModel("ds_cnn_kws", 0);
  ModelPipeline pipeline(makeModelStages(model));
  Array bad = Array::fromInts(DType::UInt8, {1, 4, 4, 1},
                              std::vector<int64_t>(16, 1));
  try {
    pipeline.forward(bad);
    FAIL();
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("but the model takes (N,49,10,1)"),
              std::string::npos)
        << e.what();
  }
}

} // namespace

namespace {

TEST(Pipeline, MixedMappingHasDeviceAndCpuActors) {
  // gxnor_mnist Minimal on AKD1000: hardware layers, then a software tail.
  const Model &model = mappedZooModel("gxnor_mnist", "AKD1000", MapMode::Minimal);
  bool hw = false, sw = false;
  for (const Sequence &s : model.mapping()->sequences)
    (s.hardware ? hw : sw) = true;
  EXPECT_TRUE(hw && sw);
}

} // namespace
