// ImportOptions::softwareFallback (akida convert --software-fallback): what
// no Akida layer expresses ends the model as one OnnxGraph layer. On the
// committed test models (tests/onnx/make_models.py): a HardSwish between
// two quantized tensors and a Softmax after the float logits. The values
// themselves are checked against ONNX Runtime by tests/lit/onnx/fallback.test
// and the interpreter against ONNX's conformance data
// (GraphInterpreterTest.cpp); here: the split, the round trip through
// .fbz, the mapping, and what cannot be left to software.
#include "compiler/onnx/Legalize.h"
#include "device/Device.h"
#include "runtime/model/Model.h"

#include <gtest/gtest.h>

#include <random>

using namespace akida;

namespace {

onnx::Imported importModel(const std::string &name, bool fallback,
                           IpVersion target = IpVersion::v2) {
  onnx::ImportOptions options;
  options.softwareFallback = fallback;
  return onnx::importOnnxFile(AKIDA_SOURCE_DIR "/tests/onnx/" + name + ".onnx",
                              target, {}, options);
}

Array randomImages(int64_t n) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pixel(0, 255);
  std::vector<int64_t> v(static_cast<size_t>(n * 10 * 10));
  for (int64_t &x : v)
    x = pixel(rng);
  return Array::fromInts(DType::UInt8, {n, 10, 10, 1}, v);
}

std::string errorOf(const std::string &name, bool fallback,
                    IpVersion target = IpVersion::v2) {
  try {
    importModel(name, fallback, target);
  } catch (const onnx::ImportError &e) {
    return e.what();
  }
  return "";
}

TEST(SoftwareFallback, WithoutTheOptionTheNodeIsAnError) {
  const std::string msg = errorOf("mid_hardswish_w8a8", false);
  EXPECT_NE(msg.find("node 'odd.hardswish' (HardSwish): op HardSwish is not "
                     "supported"),
            std::string::npos)
      << msg;
}

TEST(SoftwareFallback, AMiddleOpAndWhatFollowsRunInSoftware) {
  const onnx::Imported imp = importModel("mid_hardswish_w8a8", true);
  const ModelDesc &d = imp.desc;
  ASSERT_EQ(d.layers.size(), 3u);
  EXPECT_EQ(d.layers[1].name, "dw1");
  EXPECT_EQ(d.layers[2].type, LayerType::OnnxGraph);
  EXPECT_EQ(d.layers[2].name, "odd.hardswish");
  EXPECT_EQ(imp.tensors.back(), "logits");
  ASSERT_TRUE(imp.software);
  EXPECT_EQ(imp.software->from, "node 'odd.hardswish' (HardSwish)");
  // DQ(a1), HardSwish, Q/DQ(a1h), pw2 + its weight DQ, BN, GAP, Relu,
  // Q/DQ(a2), Flatten, Gemm + weight and bias DQs.
  EXPECT_EQ(imp.software->nodes, 15u);

  Model model(d);
  const Array x = randomImages(6);
  const Array y = model.forward(x);
  EXPECT_EQ(y.dtype, DType::Float32);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{6, 1, 1, 5}));
  // The outputs depend on the input (the software part is not constant).
  const std::vector<float> f = y.floats();
  bool varies = false;
  for (size_t i = 5; i < f.size(); ++i)
    varies = varies || f[i] != f[i % 5];
  EXPECT_TRUE(varies);

  // Through .fbz and back: the same layer, the same outputs.
  const Model loaded = Model::from_buffer(model.to_buffer());
  EXPECT_EQ(loaded.desc().layers.back().variables.at("graph").array,
            d.layers.back().variables.at("graph").array);
  Model copy = loaded;
  EXPECT_EQ(copy.forward(x).floats(), f);

  // Mapped: the Akida layers on the NPs, the OnnxGraph in a software
  // sequence; the outputs do not change.
  model.map(SixNodesIPv2());
  const std::vector<Sequence> seqs = model.sequences();
  ASSERT_EQ(seqs.size(), 2u);
  EXPECT_TRUE(seqs[0].hardware);
  EXPECT_FALSE(seqs[1].hardware);
  EXPECT_EQ(seqs[1].layers, std::vector<int>{2});
  EXPECT_EQ(model.forward(x).floats(), f);
  EXPECT_THROW(Model(d).map(SixNodesIPv2(), /*hw_only=*/true),
               std::invalid_argument);
}

TEST(SoftwareFallback, ASoftmaxAfterTheLogitsReadsTheDequantizer) {
  const onnx::Imported imp = importModel("tail_softmax_w8a8", true);
  const ModelDesc &d = imp.desc;
  ASSERT_GE(d.layers.size(), 2u);
  EXPECT_EQ(d.layers[d.layers.size() - 2].type, LayerType::Dequantizer);
  EXPECT_EQ(d.layers.back().type, LayerType::OnnxGraph);
  ASSERT_TRUE(imp.software);
  EXPECT_EQ(imp.software->nodes, 1u);
  Model model(d);
  const std::vector<float> p = model.forward(randomImages(4)).floats();
  ASSERT_EQ(p.size(), 20u);
  for (int s = 0; s < 4; ++s) {
    double sum = 0;
    for (int k = 0; k < 5; ++k)
      sum += p[s * 5 + k];
    EXPECT_NEAR(sum, 1.0, 1e-5) << "sample " << s;
  }
}

TEST(SoftwareFallback, APartReadingTwoAkidaTensorsIsRefused) {
  // The Add's scales are not a power of two apart: Add, and pw2 reading
  // one of its inputs, would need both branches.
  const std::string msg = errorOf("bad_add_scales", true);
  EXPECT_NE(msg.find("node 'add' (Add): input A's scale"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("it cannot be left to software either: it reads 2 "
                     "quantized tensors ('a0.q', 'a1.q')"),
            std::string::npos)
      << msg;
}

TEST(SoftwareFallback, Akida1ModelsFallBackToo) {
  // 8-bit activations are not Akida 1.0's: from the first QuantizeLinear
  // after the input on, the whole network runs in software.
  const onnx::Imported imp = importModel("tiny_w8a8", true, IpVersion::v1);
  ASSERT_EQ(imp.desc.layers.size(), 2u);
  EXPECT_EQ(imp.desc.layers[0].type, LayerType::InputData);
  EXPECT_EQ(imp.desc.layers[1].type, LayerType::OnnxGraph);
  Model model(imp.desc);
  EXPECT_EQ(model.forward(randomImages(2)).shape,
            (std::vector<int64_t>{2, 1, 1, 5}));
}

} // namespace
