// Zoo models: they build, validate, save/load exactly, and their activations
// look like a trained network's (neither dead nor saturated).

#include "runtime/zoo/Zoo.h"

#include "compiler/fbz/LayerSchema.h"

#include <gtest/gtest.h>

#include <random>

using namespace akida;

namespace {

Array randomInputs(const Model &m, int n, uint32_t seed) {
  std::array<int64_t, 3> s = m.input_shape();
  const LayerDesc &first = m.desc().layers.front();
  int bits = first.type == LayerType::InputData
                 ? static_cast<int>(param(first, "input_bits"))
                 : 8;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> dist(0, (int64_t(1) << bits) - 1);
  std::vector<int64_t> v(n * s[0] * s[1] * s[2]);
  for (int64_t &x : v)
    x = dist(rng);
  return Array::fromInts(DType::UInt8, {n, s[0], s[1], s[2]}, v);
}

class ZooModel : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooModel, BuildsWithRealisticActivations) {
  Model m = buildZooModel(GetParam(), 0);
  // Fresh inputs (not the calibration ones).
  Array in = randomInputs(m, 4, 1234);
  auto sparsity = m.evaluate_sparsity(in);
  for (int i = 1; i + 1 < m.get_layer_count(); ++i) {
    const LayerDesc &layer = m.desc().layers[i];
    if (layer.type == LayerType::Dequantizer || i == m.get_layer_count() - 2)
      continue; // raw classifier potentials
    float zeros = sparsity[layer.name];
    EXPECT_GE(zeros, 0.25f) << layer.name;
    EXPECT_LE(zeros, 0.80f) << layer.name;
  }
  // Not saturated: few values sit at the top of a layer's output range.
  std::vector<ref::Activations> acts;
  ref::Activations input;
  input.type = modelInputType(m.desc());
  input.batch = 4;
  input.ints = in.ints();
  for (int i = 0; i < m.get_layer_count(); ++i) {
    const LayerDesc &layer = m.desc().layers[i];
    std::vector<const ref::Activations *> inputs;
    if (layer.inbounds.empty())
      inputs.push_back(&input);
    for (int j : layer.inbounds)
      inputs.push_back(&acts[j]);
    ref::TemporalState state;
    acts.push_back(ref::runLayer(layer, inputs, &state));
    const ActType &t = acts.back().type;
    // A 1-bit spike is the top value by definition.
    if (i == 0 || t.isFloat || t.isSigned || t.bits == 1)
      continue;
    int64_t top = (int64_t(1) << t.bits) - 1;
    int64_t atTop = std::count(acts.back().ints.begin(), acts.back().ints.end(), top);
    EXPECT_LT(double(atTop) / acts.back().ints.size(), 0.2)
        << layer.name << " bits " << t.bits;
  }
  // Deterministic: the same seed gives the same model.
  EXPECT_EQ(buildZooModel(GetParam(), 0).to_buffer(), m.to_buffer());
  EXPECT_EQ(Model::from_buffer(m.to_buffer()).desc(), m.desc());
  // The classifier is not constant across inputs.
  Array out = m.forward(in);
  int64_t per = out.size() / 4;
  bool differs = false;
  for (int64_t j = 0; j < per && !differs; ++j)
    differs = out.dtype == DType::Float32
                  ? out.floatAt(j) != out.floatAt(per + j)
                  : out.intAt(j) != out.intAt(per + j);
  EXPECT_TRUE(differs);
}

INSTANTIATE_TEST_SUITE_P(Small, ZooModel,
                         ::testing::Values("ds_cnn_kws", "gxnor_mnist",
                                           "vgg_utk_face", "ds_cnn_kws_v2",
                                           "akidanet_0.25_96_vww",
                                           "mobilenet_0.25_160"));

TEST(Zoo, ListsEveryFamily) {
  std::vector<std::string> names;
  for (const ZooEntry &e : zooModels())
    names.push_back(e.name);
  for (const char *expected :
       {"ds_cnn_kws", "akidanet_0.25_96", "akidanet_0.5_160", "akidanet_1_224",
        "mobilenet_0.25_160", "mobilenet_1_224", "akidanet_0.25_96_vww",
        "gxnor_mnist", "vgg_utk_face", "ds_cnn_kws_v2", "akidanet_0.5_224_v2"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end())
        << expected;
  EXPECT_THROW(buildZooModel("resnet"), std::invalid_argument);
}

TEST(Zoo, DsCnnMatchesThePublishedArchitecture) {
  Model m = buildZooModel("ds_cnn_kws");
  EXPECT_EQ(m.input_shape(), (std::array<int64_t, 3>{49, 10, 1}));
  EXPECT_EQ(m.output_shape(), (std::array<int64_t, 3>{1, 1, 33}));
  EXPECT_EQ(m.get_layer("conv_0").output_dims(),
            (std::array<int64_t, 3>{25, 5, 64}));
  EXPECT_EQ(m.get_layer("separable_4").output_dims(),
            (std::array<int64_t, 3>{1, 1, 64}));
  EXPECT_EQ(m.get_layer("conv_0").param("weights_bits"), 8);
  EXPECT_EQ(m.get_layer("separable_1").param("weights_bits"), 4);
  EXPECT_EQ(m.get_layer("separable_1").param("act_bits"), 4);
}

} // namespace
