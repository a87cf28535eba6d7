// Edge learning through the actors: Model::fit on a mapped model streams
// one frame per sample through its pipeline and the sequence holding the
// learning layer learns, on the chip for a hardware sequence (the device's
// own state checked), across chain loading when other sequences share the
// device, and on the CPU actor for a software one. Every case learns bit
// for bit as Model::fit on the CPU (outputs and learned state compared).
#include "tests/unit/actors/ActorTestUtil.h"

#include "actors/FromModel.h"
#include "actors/ModelPipeline.h"
#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::actors;
using namespace akida::actortest;

namespace {

/// GXNOR-MNIST with its last layer replaced by a 1-bit FullyConnected (40
/// units) compiled for learning on dense_1's 512 1-bit outputs.
Model learningGxnor() {
  Model m = buildZooModel("gxnor_mnist", 0);
  m.pop_layer();
  LayerDesc fc;
  fc.name = "learner";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", 40}, {"weights_bits", 1}, {"activation", 0}};
  fc.variables["weights"] = {
      Array::fromInts(DType::Int8, {1, 1, 512, 40},
                      std::vector<int64_t>(512 * 40, 0)),
      1};
  fc.variables["threshold"] = {
      Array::fromInts(DType::Int32, {40}, std::vector<int64_t>(40, 0)), 32};
  fc.variables["act_step"] = {
      Array::fromFloats({40}, std::vector<float>(40, 1.0f)), 32};
  m.add(fc);
  AkidaUnsupervised o;
  o.num_weights = 60;
  o.num_classes = 10;
  m.compile(o, 5);
  return m;
}

std::vector<int> labelsFor(int64_t n) {
  std::vector<int> labels;
  for (int64_t i = 0; i < n; ++i)
    labels.push_back(i % 7 == 6 ? -1 : static_cast<int>(i % 10));
  return labels;
}

learning::LearnMem memOf(const Model &m) {
  return learning::learnMemOf(m.desc().layers.back());
}

} // namespace

// HW, SW, HW on AKD1000 (Minimal): the first and the last hardware
// sequences take turns on the device for every frame, so the learning
// sequence saves its learned state before the other program replaces it
// and puts it back after.
TEST(LearningPipeline, LearnsOnTheChipAcrossChainLoading) {
  Model host = learningGxnor();
  Model mapped = host;
  auto device = std::make_shared<VirtualDevice>(AKD1000());
  mapped.map(device, false, MapMode::Minimal);
  ASSERT_EQ(mapped.sequences().size(), 3u);
  ASSERT_TRUE(mapped.sequences().back().hardware);

  const Array x = randomInputs(host, 12, 3);
  const std::vector<int> labels = labelsFor(12);
  EXPECT_EQ(mapped.fit(x, labels), host.fit(x, labels));
  EXPECT_EQ(memOf(mapped), memOf(host));
  EXPECT_EQ(mapped.to_buffer(), host.to_buffer());
  EXPECT_EQ(mapped.metrics().inference_frames, 12);
  // The chip learned it: the program loaded last (the learning sequence's)
  // holds the learned state.
  EXPECT_EQ(device->learn_mem(), memOf(host));
  // Still mapped, with programs of the learned weights.
  ASSERT_NE(mapped.mapping(), nullptr);
  const Array test = randomInputs(host, 4, 4);
  EXPECT_EQ(mapped.forward(test), host.forward(test));
  // And it learns on from there (unsupervised this time).
  const Array more = randomInputs(host, 5, 5);
  EXPECT_EQ(mapped.fit(more), host.fit(more));
  EXPECT_EQ(memOf(mapped), memOf(host));
}

// The pipeline itself: frames stream with two in flight per device actor;
// learned() reads the state off the device.
TEST(LearningPipeline, PipelineFitStreamsLearningFrames) {
  Model host = learningGxnor();
  Model mapped = host;
  mapped.map(AKD1000(), false, MapMode::Minimal);
  ModelPipeline pipeline(makeModelStages(mapped));
  const Array x = randomInputs(host, 9, 8);
  const std::vector<int> labels = labelsFor(9);
  const std::vector<int64_t> wide(labels.begin(), labels.end());
  EXPECT_EQ(pipeline.fit(x, wide), host.fit(x, labels));
  ASSERT_TRUE(pipeline.learned());
  EXPECT_EQ(*pipeline.learned(), memOf(host));
  for (const StageStats &s : pipeline.statistics())
    EXPECT_EQ(s.frames, 9) << s.name;
  // Labels for some samples only are refused before anything runs.
  try {
    pipeline.fit(x, {1, 2});
    FAIL();
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find("2 labels for 9 samples"),
              std::string::npos)
        << e.what();
  }
}

// Unmapped: the learning layer is in the CPU actor's sequence, which
// learns on its own copy of the layer (one lane: frames in order).
TEST(LearningPipeline, CpuActorLearnsTheSame) {
  Model host = learningGxnor();
  ModelPipeline pipeline(makeModelStages(host));
  EXPECT_EQ(pipeline.stages().workers.at(0)->executor().lanes(), 1);
  const Array x = randomInputs(host, 8, 11);
  const std::vector<int> labels = labelsFor(8);
  const std::vector<int64_t> wide(labels.begin(), labels.end());
  const Model before = host;
  EXPECT_EQ(pipeline.fit(x, wide), host.fit(x, labels));
  ASSERT_TRUE(pipeline.learned());
  EXPECT_EQ(*pipeline.learned(), memOf(host));
  EXPECT_FALSE(*pipeline.learned() == memOf(before));
  // Inference in the same pipeline runs on the learned layer.
  const Array test = randomInputs(host, 3, 12);
  EXPECT_EQ(pipeline.forward(test), host.forward(test));
}

// The same without actors, frame by frame: every frame runs the first
// hardware sequence, then the learning one, so the device is reprogrammed
// twice per frame and the learned state must go off the device and back
// each time.
TEST(LearningPipeline, LearnedStateSurvivesEveryReload) {
  Model host = learningGxnor();
  Model mapped = host;
  mapped.map(AKD1000(), false, MapMode::Minimal);
  std::shared_ptr<ModelStages> stages = makeModelStages(mapped);
  const Array x = randomInputs(host, 6, 13);
  const std::vector<int> labels = labelsFor(6);
  const Array expected = host.fit(x, labels);
  EdgeCodec codec(kModelInputEdge);
  for (int64_t i = 0; i < 6; ++i) {
    Frame f = inputFrame(*stages, sample(x, i), static_cast<uint64_t>(i), 0,
                         codec);
    f.learn = true;
    f.labels = {labels[static_cast<size_t>(i)]};
    EXPECT_EQ(frameOutput(runStages(*stages, f)), sample(expected, i)) << i;
  }
  const SequenceCounters first = stages->workers.front()->executor().counters();
  EXPECT_EQ(first.programs, 6); // reloaded for every frame
  ASSERT_TRUE(stages->workers.back()->executor().learned());
  EXPECT_EQ(*stages->workers.back()->executor().learned(), memOf(host));
  EXPECT_FALSE(stages->workers.front()->executor().learned());
}
