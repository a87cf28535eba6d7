// The Model API: building, validation errors, forward/predict/evaluate,
// variables, save/load, summary.

#include "runtime/model/Model.h"

#include "compiler/fbz/LayerSchema.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace akida;

namespace {

/// A tiny v1 model: 4x4x1 uint8 -> input conv (2 filters) -> FC (3 units).
Model tinyV1() {
  Model m;
  LayerDesc conv;
  conv.name = "conv";
  conv.type = LayerType::InputConvolutional;
  conv.params = {{"filters", 2},      {"kernel_size_x", 3}, {"kernel_size_y", 3},
                 {"weights_bits", 8}, {"act_bits", 4}};
  conv.variables["weights"] = {
      Array::fromInts(DType::Int8, {3, 3, 1, 2}, std::vector<int64_t>(18, 1)), 8};
  conv.variables["threshold"] = {
      Array::fromInts(DType::Int32, {2}, {0, 100}), 32};
  conv.variables["act_step"] = {Array::fromFloats({2}, {16.0f, 16.0f}), 32};
  m.add_input(conv, {4, 4, 1});

  LayerDesc fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", 3}, {"weights_bits", 2}, {"activation", 0}};
  std::vector<int64_t> w(32 * 3);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int64_t>(i % 3) - 1; // -1, 0, 1
  fc.variables["weights"] = {Array::fromInts(DType::Int8, {1, 1, 32, 3}, w), 2};
  fc.variables["threshold"] = {Array::fromInts(DType::Int32, {3}, {0, 0, 0}), 32};
  fc.variables["act_step"] = {Array::fromFloats({3}, {1, 1, 1}), 32};
  m.add(fc);
  return m;
}

Array ones(std::vector<int64_t> shape, DType dtype = DType::UInt8,
           int64_t value = 1) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return Array::fromInts(dtype, shape, std::vector<int64_t>(n, value));
}

TEST(Model, ShapesAndTypes) {
  Model m = tinyV1();
  EXPECT_EQ(m.get_layer_count(), 2);
  EXPECT_EQ(m.input_shape(), (std::array<int64_t, 3>{4, 4, 1}));
  EXPECT_EQ(m.output_shape(), (std::array<int64_t, 3>{1, 1, 3}));
  EXPECT_EQ(m.ip_version(), IpVersion::v1);
  Layer conv = m.get_layer("conv");
  EXPECT_EQ(conv.output_dims(), (std::array<int64_t, 3>{4, 4, 2}));
  EXPECT_EQ(conv.output_bits(), 4);
  EXPECT_FALSE(conv.output_signed());
  EXPECT_EQ(m.get_layer(1).inbounds(), std::vector<std::string>{"conv"});
  EXPECT_EQ(m.get_layer(1).param("act_bits"), 1); // defaulted
}

TEST(Model, ForwardWorkedByHand) {
  Model m = tinyV1();
  // All-ones 4x4 input, 3x3 all-ones kernel, same padding (zeros): interior
  // potentials 9, edges 6, corners 4. Channel 0: threshold 0, step 16 ->
  // ceil(p / 16) = 1 everywhere. Channel 1: threshold 100 -> 0 everywhere.
  Array out = m.forward(ones({1, 4, 4, 1}));
  ASSERT_EQ(out.dtype, DType::Int32);
  ASSERT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 3}));
  // FC inputs (channel-major): 16 ones then 16 zeros. Weight i % 3 - 1 for
  // feature i, unit u is weights[i*3+u]; value (i*3+u) % 3 - 1 = u - 1.
  // Sum over 16 active features: 16 * (u - 1) = -16, 0, 16.
  EXPECT_EQ(out.intAt(0), -16);
  EXPECT_EQ(out.intAt(1), 0);
  EXPECT_EQ(out.intAt(2), 16);
  Array pred = m.predict(ones({1, 4, 4, 1}));
  EXPECT_EQ(pred.dtype, DType::Float32);
  EXPECT_FLOAT_EQ(pred.floatAt(2), 16.0f);
  EXPECT_EQ(m.predict_classes(ones({1, 4, 4, 1})), std::vector<int>{2});
  EXPECT_FLOAT_EQ(m.evaluate(ones({2, 4, 4, 1}), {2, 0}), 0.5f);
}

TEST(Model, FromALayerList) {
  Model built = tinyV1();
  Model listed(built.input_shape(), built.desc().layers);
  EXPECT_EQ(listed.desc(), built.desc());
  EXPECT_THROW(Model({4, 4, 1}, {}), std::invalid_argument);
  // The input layer must come first.
  std::vector<LayerDesc> reversed = {built.desc().layers[1],
                                     built.desc().layers[0]};
  EXPECT_THROW(Model({4, 4, 1}, reversed), std::invalid_argument);
}

TEST(Model, BatchingGivesTheSameOutputs) {
  Model m = tinyV1();
  std::vector<int64_t> v(5 * 16);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = (i * 37) % 256;
  Array in = Array::fromInts(DType::UInt8, {5, 4, 4, 1}, v);
  EXPECT_EQ(m.forward(in, 0).bytes, m.forward(in, 2).bytes);
}

TEST(Model, InputErrorsNameTheProblem) {
  Model m = tinyV1();
  try {
    m.forward(ones({1, 5, 4, 1}));
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("(1, 5, 4, 1)"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("(N, 4, 4, 1)"), std::string::npos);
  }
  try {
    m.forward(ones({1, 4, 4, 1}, DType::Int8));
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("dtype int8"), std::string::npos);
  }
  EXPECT_THROW(m.forward(ones({1, 4, 4, 1}), -1), std::invalid_argument);
  EXPECT_THROW(m.predict_classes(ones({1, 4, 4, 1}), 2), std::invalid_argument);
  EXPECT_THROW(m.evaluate(ones({2, 4, 4, 1}), {1}), std::invalid_argument);
}

TEST(Model, InputBitsAreEnforced) {
  Model m;
  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params = {{"input_bits", 2}};
  m.add_input(in, {2, 2, 1});
  EXPECT_EQ(m.forward(ones({1, 2, 2, 1}, DType::UInt8, 3)).intAt(0), 3);
  try {
    m.forward(ones({1, 2, 2, 1}, DType::UInt8, 4));
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("input"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("4"), std::string::npos);
  }
}

TEST(Model, VariablesAreChecked) {
  Model m = tinyV1();
  Layer conv = m.get_layer("conv");
  EXPECT_EQ(conv.get_variable("threshold").intAt(1), 100);
  conv.set_variable("threshold", Array::fromInts(DType::Int32, {2}, {1, 2}));
  EXPECT_EQ(m.get_layer("conv").get_variable("threshold").intAt(1), 2);
  // Wrong shape, dtype, name and out-of-range weights are refused and leave
  // the layer unchanged.
  EXPECT_THROW(conv.set_variable("threshold",
                                 Array::fromInts(DType::Int32, {3}, {1, 2, 3})),
               std::invalid_argument);
  EXPECT_THROW(conv.set_variable("threshold",
                                 Array::fromInts(DType::Int8, {2}, {1, 2})),
               std::invalid_argument);
  EXPECT_THROW(conv.set_variable("bias", Array::fromInts(DType::Int8, {2}, {1, 2})),
               std::invalid_argument);
  Layer fc = m.get_layer("fc");
  try {
    fc.set_variable("weights", ones({1, 1, 32, 3}, DType::Int8, 2));
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("[-2, 1]"), std::string::npos);
  }
  EXPECT_EQ(m.get_layer("fc").get_variable("weights").intAt(2), 1);
  EXPECT_THROW(m.get_layer("nope"), std::invalid_argument);
  EXPECT_THROW(m.get_layer(7), std::invalid_argument);
}

TEST(Model, StateErrors) {
  Model empty;
  EXPECT_THROW(empty.forward(ones({1, 1, 1, 1})), std::runtime_error);
  EXPECT_THROW(empty.pop_layer(), std::runtime_error);
  Model m = tinyV1();
  // v2 layers do not mix with v1 ones.
  LayerDesc dense;
  dense.name = "dense";
  dense.type = LayerType::Dense1D;
  dense.params = {{"units", 2}};
  EXPECT_THROW(m.add(dense), std::invalid_argument);
  // A missing variable is reported at run time.
  m.pop_layer();
  LayerDesc fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", 3}, {"activation", 0}};
  m.add(fc);
  try {
    m.forward(ones({1, 4, 4, 1}));
    FAIL();
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("'weights' is not set"),
              std::string::npos);
  }
}

TEST(Model, PredictNeedsALastLayerWithoutActivation) {
  Model m = tinyV1();
  m.pop_layer();
  EXPECT_THROW(m.predict(ones({1, 4, 4, 1})), std::runtime_error);
  // forward still works and returns the 4-bit activations as uint8.
  EXPECT_EQ(m.forward(ones({1, 4, 4, 1})).dtype, DType::UInt8);
}

TEST(Model, SaveLoadAndBufferAreExact) {
  Model m = tinyV1();
  std::vector<uint8_t> bytes = m.to_buffer();
  Model copy = Model::from_buffer(bytes);
  EXPECT_EQ(copy.desc(), m.desc());
  EXPECT_EQ(copy.to_buffer(), bytes);
  std::string path = ::testing::TempDir() + "/tiny.fbz";
  m.save(path);
  EXPECT_EQ(Model(path).desc(), m.desc());
  std::remove(path.c_str());
  EXPECT_THROW(Model("/nonexistent/model.fbz"), std::exception);
}

TEST(Model, SummaryListsLayers) {
  std::string s = tinyV1().summary();
  EXPECT_NE(s.find("Model Summary"), std::string::npos);
  EXPECT_NE(s.find("[4, 4, 1]"), std::string::npos);
  EXPECT_NE(s.find("conv (InputConv.)"), std::string::npos);
  EXPECT_NE(s.find("fc (Fully.)"), std::string::npos);
  EXPECT_NE(s.find("(1, 1, 32, 3)"), std::string::npos);
  EXPECT_NE(s.find("SW/conv-fc (Software)"), std::string::npos);
}

TEST(Model, EvaluateSparsity) {
  Model m = tinyV1();
  auto sparsity = m.evaluate_sparsity(ones({1, 4, 4, 1}));
  EXPECT_FLOAT_EQ(sparsity["conv"], 0.5f); // channel 1 is all zero
  EXPECT_FLOAT_EQ(sparsity["fc"], 1.0f / 3);
}

} // namespace
