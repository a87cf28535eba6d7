// Content validation: the encoder refuses models the decoder would refuse,
// and forged payloads (valid container, FlatBuffer content breaking a rule)
// are refused with a message naming the layer and the rule.

#include "FbzTestUtil.h"

#include "compiler/fbz/model_generated.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>

using namespace akida;
using namespace akida::test;

namespace {

std::string encodeError(const ModelDesc &m) {
  try {
    encodeFbz(m);
  } catch (const FbzError &e) {
    return e.what();
  }
  ADD_FAILURE() << "encoded without error";
  return "";
}

/// The schema's content with raw values, so tests can break any rule.
struct RawVariable {
  std::string name;
  int dtype;
  int bitwidth;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};
struct RawLayer {
  std::string name;
  int32_t type;
  std::vector<std::pair<std::string, int64_t>> params;
  std::vector<int32_t> inbounds;
  std::vector<RawVariable> variables;
};
struct RawModel {
  std::string name;
  int ipVersion;
  std::vector<int64_t> inputShape;
  std::vector<RawLayer> layers;
  std::optional<LearningDesc> learning;
};

RawModel toRaw(const ModelDesc &m) {
  RawModel r{m.name, int(m.ipVersion), m.inputShape, {}, m.learning};
  for (const LayerDesc &l : m.layers) {
    RawLayer rl{l.name, int32_t(l.type), {}, {}, {}};
    rl.params.assign(l.params.begin(), l.params.end());
    rl.inbounds.assign(l.inbounds.begin(), l.inbounds.end());
    for (const auto &[name, v] : l.variables)
      rl.variables.push_back({name, int(v.array.dtype), v.bitwidth,
                              v.array.shape, v.array.bytes});
    r.layers.push_back(rl);
  }
  return r;
}

std::vector<uint8_t> buildRaw(const RawModel &r) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<fbs::Layer>> layers;
  for (const RawLayer &l : r.layers) {
    std::vector<flatbuffers::Offset<fbs::Param>> params;
    for (const auto &[k, v] : l.params)
      params.push_back(fbs::CreateParam(fbb, fbb.CreateString(k), v));
    std::vector<flatbuffers::Offset<fbs::Variable>> vars;
    for (const RawVariable &v : l.variables) {
      auto n = fbb.CreateString(v.name);
      auto s = fbb.CreateVector(v.shape);
      auto d = fbb.CreateVector(v.data);
      vars.push_back(fbs::CreateVariable(fbb, n, fbs::DType(v.dtype),
                                         uint8_t(v.bitwidth), s, d));
    }
    auto n = fbb.CreateString(l.name);
    auto p = fbb.CreateVector(params);
    auto i = fbb.CreateVector(l.inbounds);
    auto vs = fbb.CreateVector(vars);
    layers.push_back(fbs::CreateLayer(fbb, n, l.type, p, i, vs));
  }
  flatbuffers::Offset<fbs::Learning> learning;
  if (r.learning)
    learning = fbs::CreateLearning(
        fbb, r.learning->numWeights, r.learning->numClasses,
        r.learning->initialPlasticity, r.learning->learningCompetition,
        r.learning->minPlasticity, r.learning->plasticityDecay);
  auto n = fbb.CreateString(r.name);
  auto s = fbb.CreateVector(r.inputShape);
  auto ls = fbb.CreateVector(layers);
  fbs::FinishModelBuffer(
      fbb, fbs::CreateModel(fbb, n, uint8_t(r.ipVersion), s, ls, learning));
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

/// The error decoding a sealed file whose payload is v2Model() changed by
/// `edit`.
std::string forgedError(const std::function<void(RawModel &)> &edit,
                        const ModelDesc &base = v2Model()) {
  RawModel r = toRaw(base);
  edit(r);
  std::optional<std::string> err =
      decodeError(wrapPayload(buildRaw(r)), nullptr, "forged.fbz");
  EXPECT_TRUE(err.has_value()) << "forged payload decoded";
  return err.value_or("");
}

} // namespace

TEST(FbzForged, UnchangedRawModelDecodes) {
  // The raw builder reproduces the writer's payload byte for byte, so the
  // forged cases below differ from a valid file only by their edit.
  for (const ModelDesc &m : {v1Model(), v2Model(), smallModel()}) {
    std::vector<uint8_t> file = encodeFbz(m);
    EXPECT_EQ(buildRaw(toRaw(m)), payloadOf(file));
    EXPECT_EQ(decodeFbz(wrapPayload(buildRaw(toRaw(m)))), m);
  }
}

TEST(FbzForged, LayerRules) {
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[2].type = 99; }),
            "forged.fbz: layer 2 'conv_2': unknown layer type 99 (one of the "
            "SDK's LayerType values)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[2].type = 0; }),
            "forged.fbz: layer 2 'conv_2': unknown layer type 0 (one of the "
            "SDK's LayerType values)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[3].inbounds = {1, 3}; }),
            "forged.fbz: layer 3 'add_3': inbound 3 is not an earlier layer "
            "(0..2)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[3].inbounds = {-1, 2}; }),
            "forged.fbz: layer 3 'add_3': inbound -1 is not an earlier layer "
            "(0..2)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[0].inbounds = {0}; }),
            "forged.fbz: layer 0 'input': inbound 0 is not an earlier layer "
            "(layer 0 has none)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[3].inbounds = {2}; }),
            "forged.fbz: layer 3 'add_3': 1 inbound (Add takes 2)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[4].inbounds = {3}; }),
            "forged.fbz: layer 4 'concat_4': 1 inbound (Concatenate takes 2 or "
            "more)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[5].inbounds = {}; }),
            "forged.fbz: layer 5 'dense_5': 0 inbounds (Dense1D takes 1)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.layers[1].name = "a\nb"; r.layers[1].type = 77; }),
            "forged.fbz: layer 1 'a\\x0ab': unknown layer type 77 (one of the "
            "SDK's LayerType values)");
}

TEST(FbzForged, ParamsAndVariablesMustBeSortedAndUnique) {
  EXPECT_EQ(forgedError([](RawModel &r) {
              std::swap(r.layers[1].params[0], r.layers[1].params[1]);
            }),
            "forged.fbz: layer 1 'conv_1': parameter 'activation' after "
            "'filters' (parameters sorted by name, no duplicates)");
  EXPECT_EQ(forgedError([](RawModel &r) {
              r.layers[1].params.insert(r.layers[1].params.begin(),
                                        r.layers[1].params[0]);
            }),
            "forged.fbz: layer 1 'conv_1': parameter 'activation' after "
            "'activation' (parameters sorted by name, no duplicates)");
  EXPECT_EQ(forgedError([](RawModel &r) {
              auto &v = r.layers[1].variables;
              std::swap(v[0], v[1]);
            }),
            "forged.fbz: layer 1 'conv_1': variable 'bias' after "
            "'output_scales' (variables sorted by name, no duplicates)");
}

TEST(FbzForged, VariableRules) {
  // conv_1 variables, sorted: bias, output_scales, output_shift, weights.
  auto weights = [](RawModel &r) -> RawVariable & {
    return r.layers[1].variables[3];
  };
  const std::string w = "forged.fbz: layer 1 'conv_1' variable 'weights': ";
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).dtype = 6; }),
            w + "dtype 6 out of range (0..5: uint8, int8, uint16, int16, "
                "int32, float32)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).dtype = 255; }),
            w + "dtype 255 out of range (0..5: uint8, int8, uint16, int16, "
                "int32, float32)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).bitwidth = 0; }),
            w + "bit width 0 out of range (1..32)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).bitwidth = 33; }),
            w + "bit width 33 out of range (1..32)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).data.pop_back(); }),
            w + "431 data bytes for shape [3, 3, 3, 16] of int8 (432 bytes)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).dtype = int(DType::Int32); }),
            w + "432 data bytes for shape [3, 3, 3, 16] of int32 (1728 bytes)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).shape = {3, -3, 3, -16}; }),
            w + "shape [3, -3, 3, -16] has a negative dimension (dimensions >= 0)");
  EXPECT_EQ(forgedError([&](RawModel &r) {
              weights(r).shape = {int64_t(1) << 40, int64_t(1) << 40};
            }),
            w + "shape [1099511627776, 1099511627776] has too many elements "
                "(at most 2147483648)");
  EXPECT_EQ(forgedError([&](RawModel &r) {
              weights(r).shape = {INT64_MAX, INT64_MAX, INT64_MAX};
            }),
            w + "shape [9223372036854775807, 9223372036854775807, "
                "9223372036854775807] has too many elements (at most "
                "2147483648)");
  EXPECT_EQ(forgedError([&](RawModel &r) { weights(r).shape.assign(9, 1); }),
            w + "shape has rank 9 (at most 8)");
  // A zero dimension makes any other dimension harmless, if the data agrees.
  RawModel r = toRaw(v2Model());
  r.layers[1].variables[3].shape = {INT64_MAX, 0};
  r.layers[1].variables[3].data.clear();
  ModelDesc decoded = decodeFbz(wrapPayload(buildRaw(r)));
  EXPECT_EQ(decoded.layers[1].variables.at("weights").array.size(), 0);
}

TEST(FbzForged, ModelRules) {
  EXPECT_EQ(forgedError([](RawModel &r) { r.ipVersion = 3; }),
            "forged.fbz: IP version 3 (1 or 2)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.ipVersion = 0; }),
            "forged.fbz: IP version 0 (1 or 2)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.inputShape = {32, -1, 3}; }),
            "forged.fbz: input shape [32, -1, 3] has a negative dimension "
            "(dimensions >= 0)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.inputShape = {1 << 20, 1 << 20, 3}; }),
            "forged.fbz: input shape [1048576, 1048576, 3] has too many "
            "elements (at most 2147483648)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.learning->numClasses = 0; }),
            "forged.fbz: learning num_classes 0 (>= 1)");
  EXPECT_EQ(forgedError([](RawModel &r) { r.learning->numWeights = -5; }),
            "forged.fbz: learning num_weights -5 (>= 0)");
  EXPECT_EQ(forgedError([](RawModel &r) {
              r.learning->minPlasticity = std::numeric_limits<float>::quiet_NaN();
            }),
            "forged.fbz: learning min_plasticity is not finite (a finite number)");
}

TEST(FbzForged, NotAModelFlatBuffer) {
  const std::string expected =
      "forged.fbz: the payload is not a valid model (a FlatBuffer of "
      "compiler/fbz/model.fbs)";
  auto sealed = [&](const std::vector<uint8_t> &payload) {
    return decodeError(wrapPayload(payload), nullptr, "forged.fbz").value_or("");
  };
  Rng rng(3);
  for (size_t size : {8, 9, 64, 1000})
    EXPECT_EQ(sealed(rng.bytes(size)), expected);
  // A wrong file identifier.
  std::vector<uint8_t> payload = payloadOf(encodeFbz(smallModel()));
  payload[4] = 'X';
  EXPECT_EQ(sealed(payload), expected);
  // A table missing a required field: the root's vtable entry for `layers`
  // (field 3) zeroed. (The builder itself asserts required fields.)
  payload = payloadOf(encodeFbz(smallModel()));
  auto rd32 = [&](size_t o) {
    return uint32_t(payload[o]) | uint32_t(payload[o + 1]) << 8 |
           uint32_t(payload[o + 2]) << 16 | uint32_t(payload[o + 3]) << 24;
  };
  size_t root = rd32(0);
  size_t vtable = root - size_t(int32_t(rd32(root)));
  ASSERT_LT(vtable + 12, payload.size());
  ASSERT_NE(payload[vtable + 4 + 2 * 3] | payload[vtable + 5 + 2 * 3], 0);
  payload[vtable + 4 + 2 * 3] = payload[vtable + 5 + 2 * 3] = 0;
  EXPECT_EQ(sealed(payload), expected);
  // An offset pointing outside the buffer.
  payload = payloadOf(encodeFbz(smallModel()));
  payload[0] = 0xF0;
  payload[1] = 0xFF;
  EXPECT_EQ(sealed(payload), expected);
}

TEST(FbzForged, SharedDataCannotAmplify) {
  // One Conv2D table with 64 KB of weights, referenced by 200 layers: the
  // Verifier accepts it, the structure is valid (each reads layer 0), but it
  // would expand 64 KB into 12.8 MB. Refused.
  flatbuffers::FlatBufferBuilder fbb;
  auto emptyParams = fbb.CreateVector(std::vector<flatbuffers::Offset<fbs::Param>>{});
  auto emptyVars = fbb.CreateVector(std::vector<flatbuffers::Offset<fbs::Variable>>{});
  auto input = fbs::CreateLayer(fbb, fbb.CreateString("in"),
                                int32_t(LayerType::InputData), emptyParams,
                                fbb.CreateVector(std::vector<int32_t>{}), emptyVars);
  auto weights = fbs::CreateVariable(
      fbb, fbb.CreateString("weights"), fbs::DType::Int8, 8,
      fbb.CreateVector(std::vector<int64_t>{1 << 16}),
      fbb.CreateVector(std::vector<uint8_t>(1 << 16, 1)));
  auto conv = fbs::CreateLayer(
      fbb, fbb.CreateString("conv"), int32_t(LayerType::Conv2D), emptyParams,
      fbb.CreateVector(std::vector<int32_t>{0}),
      fbb.CreateVector(std::vector<flatbuffers::Offset<fbs::Variable>>{weights}));
  std::vector<flatbuffers::Offset<fbs::Layer>> layers{input};
  layers.resize(201, conv);
  auto model = fbs::CreateModel(fbb, fbb.CreateString("bomb"), 2,
                                fbb.CreateVector(std::vector<int64_t>{4, 4, 1}),
                                fbb.CreateVector(layers));
  fbs::FinishModelBuffer(fbb, model);
  std::vector<uint8_t> payload(fbb.GetBufferPointer(),
                               fbb.GetBufferPointer() + fbb.GetSize());
  EXPECT_EQ(decodeError(wrapPayload(payload), nullptr, "forged.fbz").value_or(""),
            "forged.fbz: the payload refers to the same data more than once "
            "(each string, array and table stored once)");

  // The same model with each layer stored once decodes.
  ModelDesc m;
  m.ipVersion = IpVersion::v2;
  m.inputShape = {4, 4, 1};
  m.layers.resize(201);
  m.layers[0].name = "in";
  m.layers[0].type = LayerType::InputData;
  for (size_t i = 1; i < m.layers.size(); ++i) {
    m.layers[i].name = "conv";
    m.layers[i].type = LayerType::Conv2D;
    m.layers[i].inbounds = {0};
    m.layers[i].variables["weights"] =
        Variable{Array::fromInts(DType::Int8, {1 << 8}, std::vector<int64_t>(1 << 8, 1)), 8};
  }
  EXPECT_EQ(decodeFbz(encodeFbz(m)), m);
}

TEST(FbzEncode, RefusesWhatTheDecoderRefuses) {
  const std::string p = "cannot encode model 'akidanet_v2': ";
  ModelDesc m = v2Model();
  m.layers[2].type = static_cast<LayerType>(99);
  EXPECT_EQ(encodeError(m), p + "layer 2 'conv_2': unknown layer type 99 (one "
                                "of the SDK's LayerType values)");
  m = v2Model();
  m.layers[2].type = LayerType::Unknown;
  EXPECT_EQ(encodeError(m), p + "layer 2 'conv_2': unknown layer type 0 (one "
                                "of the SDK's LayerType values)");
  m = v2Model();
  m.layers[3].inbounds = {1, 5};
  EXPECT_EQ(encodeError(m),
            p + "layer 3 'add_3': inbound 5 is not an earlier layer (0..2)");
  m = v2Model();
  m.layers[3].inbounds = {3, 1};
  EXPECT_EQ(encodeError(m),
            p + "layer 3 'add_3': inbound 3 is not an earlier layer (0..2)");
  m = v2Model();
  m.layers[3].inbounds = {1, 2, 2};
  EXPECT_EQ(encodeError(m), p + "layer 3 'add_3': 3 inbounds (Add takes 2)");
  m = v2Model();
  m.layers[1].variables["bias"].array.bytes.push_back(0);
  EXPECT_EQ(encodeError(m), p + "layer 1 'conv_1' variable 'bias': 17 data "
                                "bytes for shape [16] of int8 (16 bytes)");
  m = v2Model();
  m.layers[1].variables["bias"].bitwidth = 0;
  EXPECT_EQ(encodeError(m), p + "layer 1 'conv_1' variable 'bias': bit width "
                                "0 out of range (1..32)");
  m = v2Model();
  m.layers[1].variables["bias"].bitwidth = 64;
  EXPECT_EQ(encodeError(m), p + "layer 1 'conv_1' variable 'bias': bit width "
                                "64 out of range (1..32)");
  m = v2Model();
  m.layers[1].variables["bias"].array.dtype = static_cast<DType>(9);
  EXPECT_EQ(encodeError(m), p + "layer 1 'conv_1' variable 'bias': dtype 9 out "
                                "of range (0..5: uint8, int8, uint16, int16, "
                                "int32, float32)");
  m = v2Model();
  m.layers[1].variables["bias"].array.shape = {-16};
  EXPECT_EQ(encodeError(m), p + "layer 1 'conv_1' variable 'bias': shape [-16] "
                                "has a negative dimension (dimensions >= 0)");
  m = v2Model();
  m.ipVersion = static_cast<IpVersion>(7);
  EXPECT_EQ(encodeError(m), p + "IP version 7 (1 or 2)");
  m = v2Model();
  m.learning->numClasses = 0;
  EXPECT_EQ(encodeError(m), p + "learning num_classes 0 (>= 1)");
  m = v2Model();
  m.inputShape = {-1};
  EXPECT_EQ(encodeError(m), p + "input shape [-1] has a negative dimension "
                                "(dimensions >= 0)");
}
