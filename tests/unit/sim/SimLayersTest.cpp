// Layers and configurations the zoo does not exercise, on hand-built models
// with random weights and calibrated thresholds/shifts: v1 column blocks
// under max pooling, padding_value, 1-bit weights; v2 merge layers on
// skip-DMA channels (Add, Concatenate), LUT activations, clipped ReLU with
// bias, transposed and temporal layers (FIFO state across frames and calls),
// max and global pooling. Each program must match the reference bit for bit.
// Also: sparse inputs cost fewer clocks than dense ones.
#include "tests/unit/sim/SimTestUtil.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace akida;
using namespace akida::simtest;

namespace {

Variable intVariable(DType dtype, std::vector<int64_t> shape,
                     const std::vector<int64_t> &values, int bits = 8) {
  return {Array::fromInts(dtype, std::move(shape), values), bits};
}

int64_t quantile(std::vector<int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * double(v.size() - 1))];
}

/// Builds a model layer by layer, calibrating each one on random inputs.
class Maker {
public:
  /// Starts with InputData; the IP version follows from the next layer.
  Maker(std::array<int64_t, 3> shape, uint32_t seed, int inputBits)
      : rng_(seed) {
    LayerDesc in;
    in.name = "input";
    in.type = LayerType::InputData;
    in.params = {{"input_bits", inputBits}};
    model_.add_input(in, shape);
    inputs_ = randomInputs(model_, 8, seed);
    ref::Activations x = toActivations(inputs_, modelInputType(model_.desc()));
    acts_.push_back(ref::runLayer(model_.desc().layers[0], {&x}));
  }
  /// Starts with an input convolution instead of InputData.
  Maker(std::array<int64_t, 3> shape, uint32_t seed, LayerDesc inputConv)
      : rng_(seed) {
    inputConv.variables["weights"] = weights(inputConv, shape, 8);
    model_.add_input(inputConv, shape);
    inputs_ = randomInputs(model_, 8, seed);
    raw_ = toActivations(inputs_, modelInputType(model_.desc()));
    model_.pop_layer();
    calibrateAndAdd(inputConv, {});
  }

  const Model &model() const { return model_; }
  /// v1 thresholds at least 0, so that zero inputs give zero outputs.
  bool silentZeros = false;

  /// Random weights of `layer` at `bits` for inputs of `shape`.
  Variable weights(const LayerDesc &layer, std::array<int64_t, 3> in,
                   int bits, const char *name = "weights") {
    ActType t;
    t.shape = in;
    std::vector<int64_t> shape =
        allowedVariableShapes(layer, name, {t}).front();
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    const int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
    const int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
    std::uniform_int_distribution<int64_t> dist(lo, hi);
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t &x : v)
      x = dist(rng_);
    return intVariable(DType::Int8, shape, v, bits);
  }

  /// Adds `layer` (weights drawn here) reading `inbounds` (default: the
  /// last layer), calibrated: v1 thresholds at the 30% potential (at
  /// least 0 with silentZeros) and steps spreading the top 5%;
  /// v2 output shifts mapping the top accumulators near 200, LUT shifts
  /// covering the table.
  void add(LayerDesc layer, std::vector<std::string> inbounds = {}) {
    const ActType &in = inputOf(inbounds);
    if (layerSchema(layer.type).findVariable("weights"))
      layer.variables["weights"] =
          weights(layer, in.shape,
                  static_cast<int>(param(layer, "weights_bits")));
    if (layer.type == LayerType::SeparableConvolutional)
      layer.variables["weights_pw"] =
          weights(layer, in.shape,
                  static_cast<int>(param(layer, "weights_bits")), "weights_pw");
    calibrateAndAdd(std::move(layer), inbounds);
  }

  std::vector<int64_t> drawInts(size_t n, int64_t lo, int64_t hi) {
    std::uniform_int_distribution<int64_t> dist(lo, hi);
    std::vector<int64_t> v(n);
    for (int64_t &x : v)
      x = dist(rng_);
    return v;
  }

private:
  const ActType &inputOf(const std::vector<std::string> &inbounds) {
    if (acts_.empty())
      return raw_.type;
    if (inbounds.empty())
      return acts_.back().type;
    for (size_t i = 0; i < model_.desc().layers.size(); ++i)
      if (model_.desc().layers[i].name == inbounds[0])
        return acts_[i].type;
    throw std::invalid_argument("no layer " + inbounds[0]);
  }

  ref::Activations run(const LayerDesc &layer,
                       const std::vector<std::string> &inbounds) {
    std::vector<const ref::Activations *> in;
    if (acts_.empty())
      in.push_back(&raw_);
    else if (inbounds.empty())
      in.push_back(&acts_.back());
    for (const std::string &name : inbounds)
      for (size_t i = 0; i < model_.desc().layers.size(); ++i)
        if (model_.desc().layers[i].name == name)
          in.push_back(&acts_[i]);
    ref::TemporalState state;
    return ref::runLayer(layer, in, &state);
  }

  void calibrateAndAdd(LayerDesc layer, const std::vector<std::string> &inbounds) {
    const bool v1 = layer.type == LayerType::InputConvolutional ||
                    layer.type == LayerType::Convolutional ||
                    layer.type == LayerType::SeparableConvolutional ||
                    layer.type == LayerType::FullyConnected;
    const LayerSchema &schema = layerSchema(layer.type);
    if (v1) {
      const bool act = param(layer, "activation") != 0;
      const int bits = static_cast<int>(param(layer, "act_bits"));
      LayerDesc raw = layer;
      raw.params["activation"] = 0;
      const int64_t f = schema.findParam("units") ? param(layer, "units")
                                                  : param(layer, "filters");
      raw.variables["threshold"] =
          intVariable(DType::Int32, {f}, std::vector<int64_t>(size_t(f), 0), 32);
      raw.variables["act_step"] = {
          Array::fromFloats({f}, std::vector<float>(size_t(f), 1.0f)), 32};
      layer.variables = raw.variables;
      if (act) {
        ref::Activations p = run(raw, inbounds);
        std::vector<int64_t> thresholds(static_cast<size_t>(f));
        std::vector<float> steps(static_cast<size_t>(f));
        for (int64_t c = 0; c < f; ++c) {
          std::vector<int64_t> v;
          for (size_t i = size_t(c); i < p.ints.size(); i += size_t(f))
            v.push_back(p.ints[i]);
          const int64_t t = silentZeros ? std::max<int64_t>(0, quantile(v, 0.3))
                                        : quantile(v, 0.3);
          const int64_t top = std::max<int64_t>(t + 1, quantile(v, 0.95));
          thresholds[size_t(c)] = t;
          steps[size_t(c)] = float(double(top - t) / ((1 << bits) - 1) /
                                   std::ldexp(1.0, 4 - bits));
        }
        layer.variables["threshold"] =
            intVariable(DType::Int32, {f}, thresholds, 32);
        layer.variables["act_step"] = {Array::fromFloats({f}, steps), 32};
      }
    } else if (schema.findParam("output_bits") &&
               layer.type != LayerType::Add &&
               layer.type != LayerType::Concatenate) {
      const int64_t act = param(layer, "activation");
      LayerDesc raw = layer;
      raw.params["activation"] = 0;
      raw.params["output_bits"] = 32;
      raw.variables.erase("max_value");
      raw.variables.erase("lut_values");
      ref::Activations acc = run(raw, inbounds);
      int64_t top = 1;
      for (int64_t v : acc.ints)
        top = std::max<int64_t>(top, act == 2 ? std::llabs(v) : v);
      const int64_t f = acc.type.shape[2];
      if (act == 2) { // LUT: the index range covers the table
        const int64_t half =
            layer.variables.at("lut_values").array.size() / 2;
        int64_t s = 0;
        while ((top >> s) > half)
          ++s;
        layer.variables["activation_scales"] =
            intVariable(DType::UInt8, {1}, {1});
        layer.variables["activation_shift"] =
            intVariable(DType::Int8, {1}, {-s});
      } else if (param(layer, "output_bits") <= 8 || act == 1) {
        int64_t s = 0;
        while ((top >> s) > 200)
          ++s;
        layer.variables["output_shift"] = intVariable(
            DType::Int8, {f}, std::vector<int64_t>(size_t(f), -s));
      }
    }
    acts_.push_back(run(layer, inbounds));
    if (model_.get_layer_count() == 0)
      model_.add_input(layer, raw_.type.shape);
    else
      model_.add(layer, inbounds);
  }

  std::mt19937 rng_;
  Model model_;
  Array inputs_;
  ref::Activations raw_;
  std::vector<ref::Activations> acts_;
};

LayerDesc v1Conv(LayerType type, const std::string &name, int64_t filters,
                 int64_t kernel, int64_t stride, int64_t weightsBits,
                 int64_t actBits, PoolType pool = PoolType::NoPooling) {
  LayerDesc l;
  l.name = name;
  l.type = type;
  l.params = {{"filters", filters},        {"kernel_size_x", kernel},
              {"kernel_size_y", kernel},   {"kernel_stride_x", stride},
              {"kernel_stride_y", stride}, {"weights_bits", weightsBits},
              {"act_bits", actBits},       {"activation", 1},
              {"pool_type", int64_t(pool)}};
  if (pool == PoolType::Max)
    for (const char *p : {"pool_size_x", "pool_size_y", "pool_stride_x",
                          "pool_stride_y"})
      l.params[p] = 2;
  return l;
}

LayerDesc v2Layer(LayerType type, const std::string &name,
                  std::map<std::string, int64_t> params) {
  LayerDesc l;
  l.name = name;
  l.type = type;
  l.params = std::move(params);
  if (!l.params.count("activation") && layerSchema(type).findParam("activation"))
    l.params["activation"] = int64_t(Activation::ReLU);
  return l;
}

/// Maps `model` on `device`, runs every program on two batches of random
/// inputs (temporal units keep their FIFOs across calls, as the reference's
/// states do) and checks each against the reference.
void expectExact(const Model &model, const Device &device, MapMode mode,
                 const std::vector<LayerType> &mustBeInHardware) {
  const Mapped mapped = mapModel(model, device, mode);
  ASSERT_FALSE(mapped.programs.empty());
  std::set<LayerType> inHardware;
  for (const std::vector<uint8_t> &bytes : mapped.programs)
    for (const PassProgram &pass : readProgram(bytes).passes) {
      if (pass.hrc)
        inHardware.insert(pass.hrc->layerType);
      for (const UnitRecord &r : pass.nps)
        inHardware.insert(r.layerType);
      for (const UnitRecord &r : pass.merges)
        inHardware.insert(r.layerType);
    }
  for (LayerType t : mustBeInHardware)
    EXPECT_TRUE(inHardware.count(t)) << layerTypeName(t) << " not in hardware";

  const Array in = randomInputs(model, 4, 99);
  const std::vector<ref::Activations> acts = referenceActivations(model, in);
  const ref::Activations input = toActivations(in, modelInputType(model.desc()));
  const std::vector<int64_t> diffs =
      programMismatches(mapped, device, acts, input);
  for (size_t i = 0; i < diffs.size(); ++i)
    EXPECT_EQ(diffs[i], 0) << "program " << i << " of " << diffs.size();
  // Non-trivial: the output is not constant.
  const ref::Activations &out = acts[size_t(mapped.lastHardwareLayer)];
  EXPECT_NE(std::count(out.ints.begin(), out.ints.end(), out.ints[0]),
            static_cast<long>(out.ints.size()));
}

Model v1Model(uint32_t seed) {
  // 150 input columns: the CNP1 layer after the HRC reads 75 columns, more
  // than one CNP1 holds, so it is split in column blocks, under max pooling.
  LayerDesc conv0 = v1Conv(LayerType::InputConvolutional, "conv_0", 8, 3, 1, 8,
                           4, PoolType::Max);
  conv0.params["padding_value"] = 9;
  Maker m({24, 150, 3}, seed, conv0);
  m.add(v1Conv(LayerType::Convolutional, "conv_1", 24, 3, 1, 1, 2,
               PoolType::Max));
  m.add(v1Conv(LayerType::SeparableConvolutional, "sep_2", 16, 3, 2, 4, 4));
  m.add(v1Conv(LayerType::Convolutional, "conv_3", 10, 3, 1, 2, 4,
               PoolType::Average));
  LayerDesc fc;
  fc.name = "fc_4";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", 5}, {"weights_bits", 4}, {"activation", 0}};
  m.add(fc);
  return m.model();
}

TEST(SimLayers, V1ColumnBlocksMaxPoolingPaddingValue) {
  const Model model = v1Model(1);
  const std::vector<LayerType> hw = {
      LayerType::InputConvolutional, LayerType::Convolutional,
      LayerType::SeparableConvolutional, LayerType::FullyConnected};
  expectExact(model, AKD1000(), MapMode::AllNps, hw);
  expectExact(model, AKD1000(), MapMode::Minimal, hw);
  expectExact(model, TwoNodesIP(), MapMode::HwPr, hw);
  // The CNP1 mapping really splits conv_1 in column blocks.
  const Mapped mapped = mapModel(model, AKD1000(), MapMode::AllNps);
  int64_t blocks = 0;
  for (const UnitRecord &r : readProgram(mapped.programs.at(0)).passes[0].nps)
    if (r.layer == 1)
      blocks = std::max(blocks, r.columnBlocks);
  EXPECT_GE(blocks, 2);
}

Model v2Model(uint32_t seed) {
  Maker m({8, 8, 3}, seed,
          v2Layer(LayerType::InputConv2D, "conv_0",
                  {{"filters", 8}, {"kernel_size", 3}}));
  // Clipped ReLU with a bias.
  LayerDesc conv1 =
      v2Layer(LayerType::Conv2D, "conv_1", {{"filters", 8}, {"kernel_size", 3}});
  conv1.variables["bias"] = intVariable(DType::Int8, {8}, m.drawInts(8, -20, 60));
  conv1.variables["bias_shift"] = intVariable(DType::UInt8, {8}, m.drawInts(8, 0, 3));
  conv1.variables["max_value"] = intVariable(DType::UInt8, {1}, {150});
  conv1.variables["max_value_shift"] = intVariable(DType::UInt8, {1}, {5});
  m.add(conv1);
  // A LUT activation (signed output) with an input shift.
  LayerDesc dw = v2Layer(LayerType::DepthwiseConv2D, "dw_2",
                         {{"kernel_size", 3}, {"activation", 2}});
  dw.variables["lut_values"] =
      intVariable(DType::Int32, {16}, m.drawInts(16, -100, 100), 32);
  dw.variables["input_shift"] = intVariable(DType::UInt8, {8}, m.drawInts(8, 0, 2));
  m.add(dw);
  // Merge layers on skip-DMA channels.
  LayerDesc add = v2Layer(LayerType::Add, "add_3", {{"activation", 1}});
  add.variables["output_shift"] =
      intVariable(DType::Int8, {8}, std::vector<int64_t>(8, -1));
  add.variables["b_shift"] = intVariable(DType::Int8, {8}, m.drawInts(8, -1, 1));
  m.add(add, {"conv_1", "dw_2"});
  m.add(v2Layer(LayerType::Concatenate, "concat_4", {}), {"add_3", "conv_1"});
  m.add(v2Layer(LayerType::Conv2DTranspose, "up_5",
                {{"filters", 6}, {"kernel_size", 3}}));
  m.add(v2Layer(LayerType::DepthwiseConv2DTranspose, "up_6", {{"kernel_size", 4}}));
  m.add(v2Layer(LayerType::BufferTempConv, "tc_7",
                {{"filters", 6}, {"fifo_size", 3}}));
  m.add(v2Layer(LayerType::DepthwiseBufferTempConv, "dtc_8", {{"fifo_size", 2}}));
  m.add(v2Layer(LayerType::Conv2D, "conv_9",
                {{"filters", 8}, {"kernel_size", 3}, {"kernel_stride", 2},
                 {"pool_type", int64_t(PoolType::Max)}, {"pool_size", 2}}));
  m.add(v2Layer(LayerType::Conv2D, "conv_10",
                {{"filters", 8}, {"kernel_size", 3},
                 {"pool_type", int64_t(PoolType::Average)}}));
  m.add(v2Layer(LayerType::Dense1D, "dense_11",
                {{"units", 4}, {"activation", 0}, {"output_bits", 32}}));
  return m.model();
}

TEST(SimLayers, V2MergeLutTransposedTemporal) {
  const Model model = v2Model(2);
  const std::vector<LayerType> hw = {
      LayerType::InputConv2D,     LayerType::Conv2D,
      LayerType::DepthwiseConv2D, LayerType::Add,
      LayerType::Concatenate,     LayerType::Conv2DTranspose,
      LayerType::DepthwiseConv2DTranspose, LayerType::BufferTempConv,
      LayerType::DepthwiseBufferTempConv,  LayerType::Dense1D};
  expectExact(model, SixNodesIPv2(), MapMode::AllNps, hw);
  expectExact(model, SixNodesIPv2(), MapMode::HwPr, hw);
  expectExact(model, create_device(16, 2, 4, true), MapMode::Minimal, hw);
}

TEST(SimLayers, TemporalStatePersistsAcrossCalls) {
  const Model model = v2Model(3);
  const Mapped mapped = mapModel(model, SixNodesIPv2(), MapMode::AllNps);
  ASSERT_EQ(mapped.programs.size(), 1u);
  VirtualDevice dev(SixNodesIPv2());
  dev.program(mapped.programs[0]);
  const Array in = randomInputs(model, 4, 5);
  const ActType type = modelInputType(model.desc());
  // Four frames at once, or two calls of two frames: the same outputs.
  const ref::Activations all = dev.forward(toActivations(in, type));
  dev.reset_states();
  ref::Activations a = toActivations(in, type), b = a;
  a.batch = b.batch = 2;
  const size_t half = a.ints.size() / 2;
  a.ints.resize(half);
  b.ints.erase(b.ints.begin(), b.ints.begin() + long(half));
  std::vector<int64_t> joined = dev.forward(a).ints;
  const std::vector<int64_t> second = dev.forward(b).ints;
  joined.insert(joined.end(), second.begin(), second.end());
  EXPECT_EQ(joined, all.ints);
  // After reset_states the FIFOs start from zeros again.
  dev.reset_states();
  EXPECT_EQ(dev.forward(a).ints,
            std::vector<int64_t>(all.ints.begin(), all.ints.begin() + long(all.ints.size() / 2)));
}

TEST(SimCost, SparseInputsCostFewerClocksThanDense) {
  // Models whose first NPs read the input events (InputData) and whose
  // thresholds keep zero inputs silent: the sparser the input, the fewer
  // events every NP processes, the fewer clocks.
  Maker v1({16, 16, 2}, 4, 4);
  v1.silentZeros = true;
  v1.add(v1Conv(LayerType::Convolutional, "conv_1", 16, 3, 1, 4, 4));
  v1.add(v1Conv(LayerType::Convolutional, "conv_2", 16, 3, 1, 4, 4));
  Maker v2({16, 16, 2}, 5, 8);
  v2.add(v2Layer(LayerType::Conv2D, "conv_1", {{"filters", 16}, {"kernel_size", 3}}));
  v2.add(v2Layer(LayerType::Conv2D, "conv_2", {{"filters", 16}, {"kernel_size", 3}}));
  for (const auto &[model, device] :
       {std::pair<Model, Device>{v1.model(), AKD1000()},
        std::pair<Model, Device>{v2.model(), SixNodesIPv2()}}) {
    const Mapped mapped = mapModel(model, device, MapMode::AllNps);
    ASSERT_EQ(mapped.programs.size(), 1u);
    VirtualDevice dev(device);
    dev.program(mapped.programs[0]);
    const ActType type = modelInputType(model.desc());
    auto clocks = [&](double density) {
      dev.forward(toActivations(randomInputs(model, 4, 3, density), type));
      return dev.metrics().inference_clk;
    };
    const int64_t dense = clocks(1.0), half = clocks(0.5),
                  sparse = clocks(0.1), empty = clocks(0.0);
    EXPECT_LT(half, dense);
    EXPECT_LT(sparse, half);
    EXPECT_LT(empty, sparse);
    EXPECT_GT(empty, 0); // DMA descriptors and dense transfers still cost
  }
  // gxnor_mnist's first program: binary input events straight into CNPs.
  const Model gxnor = buildZooModel("gxnor_mnist", 0);
  const Mapped mapped = mapModel(gxnor, AKD1000(), MapMode::AllNps);
  VirtualDevice dev(AKD1000());
  dev.program(mapped.programs.at(0));
  const ActType type = modelInputType(gxnor.desc());
  dev.forward(toActivations(randomInputs(gxnor, 2, 8, 1.0), type));
  const int64_t dense = dev.metrics().inference_clk;
  dev.forward(toActivations(randomInputs(gxnor, 2, 8, 0.2), type));
  EXPECT_LT(dev.metrics().inference_clk, dense);
}

} // namespace
