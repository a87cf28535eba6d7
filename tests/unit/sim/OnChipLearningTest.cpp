// On-chip edge learning in the simulator (device/sim/OnChipLearning.cpp):
// a program whose last layer is compiled for learning learns in its NP,
// sample by sample, exactly as Model::fit learns on the CPU (outputs and
// learned state compared); learn_mem / update_learn_mem carry the state
// across a reprogramming; what cannot learn is refused with a message.
#include "device/sim/VirtualDevice.h"
#include "runtime/model/Model.h"
#include "tests/unit/model/LearningModel.h"

#include <gtest/gtest.h>

#include <random>

using namespace akida;
using akida::testmodels::compiledLearningModel;

namespace {

/// `n` random binary samples (about a third of the pixels set).
Array spikes(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int64_t> v(static_cast<size_t>(n * 64));
  for (int64_t &x : v)
    x = rng() % 3 == 0;
  return Array::fromInts(DType::UInt8, {n, 8, 8, 1}, v);
}

ref::Activations activations(const Array &a) {
  ref::Activations x;
  x.type.shape = {8, 8, 1};
  x.type.bits = 1;
  x.batch = a.shape[0];
  x.ints = a.ints();
  return x;
}

/// The program of the model's one hardware sequence on AKD1000.
std::vector<uint8_t> programOf(Model m) {
  m.map(AKD1000());
  EXPECT_EQ(m.sequences().size(), 1u);
  return m.sequences().front().program;
}

} // namespace

TEST(OnChipLearning, LearnsAsModelFitOnTheCpu) {
  Model host = compiledLearningModel();
  VirtualDevice dev(AKD1000());
  dev.program(programOf(host));
  EXPECT_EQ(dev.learningLayer(), 1);
  EXPECT_EQ(dev.max_batch_size(), 1); // a learning program: one at a time
  EXPECT_EQ(dev.learn_mem(), learning::learnMemOf(host.desc().layers[1]));

  const Array x = spikes(40, 7);
  std::vector<int> labels;
  std::vector<int64_t> wide;
  for (int i = 0; i < 40; ++i) {
    labels.push_back(i % 10 == 9 ? -1 : i % 10); // -1 does not train
    wide.push_back(labels.back());
  }
  const ref::Activations out = dev.fit(activations(x), wide);
  const Array expected = host.fit(x, labels);
  EXPECT_EQ(out.ints, expected.ints());
  EXPECT_EQ(dev.metrics().inference_frames, 40);
  const learning::LearnMem mem = dev.learn_mem();
  EXPECT_EQ(mem, learning::learnMemOf(host.desc().layers[1]));
  // It learned: the weights moved away from the compiled ones.
  EXPECT_FALSE(mem.weights ==
               learning::learnMemOf(compiledLearningModel().desc().layers[1])
                   .weights);
  // Inference runs on the learned weights.
  const Array test = spikes(5, 8);
  EXPECT_EQ(dev.forward(activations(test)).ints, host.forward(test).ints());

  // Unsupervised: every sample trains.
  const Array more = spikes(10, 9);
  EXPECT_EQ(dev.fit(activations(more), {}).ints, host.fit(more).ints());
  EXPECT_EQ(dev.learn_mem(), learning::learnMemOf(host.desc().layers[1]));
}

TEST(OnChipLearning, LearnMemSurvivesReprogramming) {
  Model host = compiledLearningModel();
  const std::vector<uint8_t> program = programOf(host);
  VirtualDevice dev(AKD1000());
  dev.program(program);
  const Array x = spikes(20, 21);
  dev.fit(activations(x), {});
  const learning::LearnMem learned = dev.learn_mem();
  // Programming again starts from the program's weights ...
  dev.program(program);
  EXPECT_EQ(dev.learn_mem(), learning::learnMemOf(host.desc().layers[1]));
  // ... until the saved state is put back: then it runs and learns on.
  dev.update_learn_mem(learned);
  EXPECT_EQ(dev.learn_mem(), learned);
  host.fit(x);
  const Array test = spikes(6, 22);
  EXPECT_EQ(dev.forward(activations(test)).ints, host.forward(test).ints());
  EXPECT_EQ(dev.fit(activations(test), {}).ints, host.fit(test).ints());
  EXPECT_EQ(dev.learn_mem(), learning::learnMemOf(host.desc().layers[1]));
}

TEST(OnChipLearning, RefusesWhatCannotLearn) {
  Model host = compiledLearningModel();
  VirtualDevice dev(AKD1000());
  EXPECT_THROW(dev.fit(activations(spikes(1, 1)), {}), std::runtime_error);
  dev.program(programOf(host));
  // One label per sample.
  try {
    dev.fit(activations(spikes(3, 1)), {1, 2});
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_STREQ(e.what(), "fit: got 2 labels for 3 samples; give one per "
                           "sample, or none");
  }
  // A state of another shape, or weights that are not 0/1.
  learning::LearnMem bad = dev.learn_mem();
  bad.plasticity = Array::fromFloats({29}, std::vector<float>(29, 1.0f));
  try {
    dev.update_learn_mem(bad);
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("'plasticity' is float32 [30], not "
                                         "float32 [29]"),
              std::string::npos)
        << e.what();
  }
  bad = dev.learn_mem();
  std::vector<int64_t> w = bad.weights.ints();
  w[5] = 2;
  bad.weights = Array::fromInts(DType::Int8, bad.weights.shape, w);
  EXPECT_THROW(dev.update_learn_mem(bad), std::invalid_argument);
  // A program without a learning layer.
  Model plain = akida::testmodels::learningModel(8, 8, 30);
  dev.program(programOf(plain));
  EXPECT_EQ(dev.learningLayer(), -1);
  EXPECT_EQ(dev.max_batch_size(), 15);
  try {
    dev.fit(activations(spikes(1, 1)), {});
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("has no learning layer"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(dev.learn_mem(), std::runtime_error);
}
