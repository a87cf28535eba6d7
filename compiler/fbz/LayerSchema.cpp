//===- LayerSchema.cpp - Parameters and variables per layer type ----------===//

#include "compiler/fbz/LayerSchema.h"

namespace akida {

namespace {

using K = ParamKind;

constexpr int64_t kSame = static_cast<int64_t>(Padding::Same);
constexpr int64_t kNoPool = static_cast<int64_t>(PoolType::NoPooling);
constexpr int64_t kReLU = static_cast<int64_t>(Activation::ReLU);
constexpr int64_t kNoAct = static_cast<int64_t>(Activation::NoActivation);

std::vector<ParamSpec> v1Conv(int64_t weightsBits) {
  return {{"filters", K::Int, std::nullopt},
          {"kernel_size", K::Pair, std::nullopt},
          {"padding", K::Padding, kSame},
          {"kernel_stride", K::Pair, 1, true},
          {"weights_bits", K::Int, weightsBits},
          {"pool_type", K::PoolType, kNoPool},
          {"pool_size", K::Pair, std::nullopt, true},
          {"pool_stride", K::Pair, std::nullopt, true},
          {"activation", K::Bool, 1},
          {"act_bits", K::Int, 1}};
}

std::vector<VariableSpec> v1Vars(bool separable) {
  std::vector<VariableSpec> vars = {
      {"weights", DType::Int8, true, "weights_bits"}};
  if (separable)
    vars.push_back({"weights_pw", DType::Int8, true, "weights_bits"});
  vars.push_back({"threshold", DType::Int32, true});
  vars.push_back({"act_step", DType::Float32, true});
  return vars;
}

std::vector<ParamSpec> v2Spatial() {
  return {{"kernel_size", K::Int, std::nullopt},
          {"kernel_stride", K::Int, 1},
          {"padding", K::Padding, kSame},
          {"pool_type", K::PoolType, kNoPool},
          {"pool_size", K::Int, -1},
          {"pool_stride", K::Int, -1}};
}

std::vector<ParamSpec> v2Output(int64_t bufferBits, int64_t activation) {
  return {{"activation", K::Activation, activation},
          {"output_bits", K::Int, 8},
          {"buffer_bits", K::Int, bufferBits},
          {"post_op_buffer_bits", K::Int, 32},
          {"weights_bits", K::Int, 8}};
}

std::vector<VariableSpec> v2Vars() {
  return {{"weights", DType::Int8, true, "weights_bits"},
          {"bias", DType::Int8, false},
          {"bias_shift", DType::UInt8, false},
          {"input_shift", DType::UInt8, false},
          {"output_scales", DType::UInt8, false},
          {"output_shift", DType::Int8, false},
          {"max_value", DType::UInt8, false},
          {"max_value_shift", DType::UInt8, false},
          {"activation_scales", DType::UInt8, false},
          {"activation_shift", DType::Int8, false},
          {"lut_values", DType::Int32, false}};
}

template <typename T>
std::vector<T> concat(std::vector<T> a, const std::vector<T> &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<LayerSchema> buildSchemas() {
  const std::optional<IpVersion> v1 = IpVersion::v1, v2 = IpVersion::v2;
  const ParamSpec filters{"filters", K::Int, std::nullopt};
  std::vector<LayerSchema> s;
  s.push_back({LayerType::InputData, "input_data", std::nullopt, true, 0, 0,
               {{"input_bits", K::Int, 4}, {"input_signed", K::Bool, 0}},
               {}});
  s.push_back({LayerType::InputConvolutional, "input_convolutional", v1, true,
               0, 0, concat(v1Conv(1), {{"padding_value", K::Int, 0}}),
               v1Vars(false)});
  s.push_back({LayerType::Convolutional, "convolutional", v1, false, 1, 1,
               v1Conv(1), v1Vars(false)});
  s.push_back({LayerType::SeparableConvolutional, "separable_convolutional",
               v1, false, 1, 1, v1Conv(2), v1Vars(true)});
  // With the edge-learning state after Model::compile (runtime/model/
  // Learning.h): num_weights, num_classes and three variables.
  std::vector<VariableSpec> fcVars = v1Vars(false);
  fcVars.push_back({"threshold_learning", DType::Int32, false});
  fcVars.push_back({"plasticity", DType::Float32, false});
  fcVars.push_back({"learning_parameters", DType::Float32, false});
  s.push_back({LayerType::FullyConnected, "fully_connected", v1, false, 1, 1,
               {{"units", K::Int, std::nullopt},
                {"weights_bits", K::Int, 1},
                {"activation", K::Bool, 1},
                {"act_bits", K::Int, 1},
                {"num_weights", K::Int, std::nullopt, true},
                {"num_classes", K::Int, std::nullopt, true}},
               fcVars});
  s.push_back({LayerType::InputConv2D, "input_conv2d", v2, true, 0, 0,
               concat(concat({filters}, v2Spatial()), v2Output(32, kReLU)),
               v2Vars()});
  s.push_back({LayerType::Conv2D, "conv2d", v2, false, 1, 1,
               concat(concat({filters}, v2Spatial()), v2Output(28, kReLU)),
               v2Vars()});
  s.push_back({LayerType::Conv2DTranspose, "conv2d_transpose", v2, false, 1, 1,
               concat({filters, {"kernel_size", K::Int, std::nullopt}},
                      v2Output(28, kReLU)),
               v2Vars()});
  s.push_back({LayerType::DepthwiseConv2D, "depthwise_conv2d", v2, false, 1, 1,
               concat(v2Spatial(), v2Output(28, kReLU)), v2Vars()});
  s.push_back({LayerType::DepthwiseConv2DTranspose,
               "depthwise_conv2d_transpose", v2, false, 1, 1,
               concat({{"kernel_size", K::Int, std::nullopt}},
                      v2Output(28, kReLU)),
               v2Vars()});
  s.push_back({LayerType::Dense1D, "dense1d", v2, false, 1, 1,
               concat({{"units", K::Int, std::nullopt}}, v2Output(28, kNoAct)),
               v2Vars()});
  s.push_back({LayerType::BufferTempConv, "buffer_temp_conv", v2, false, 1, 1,
               concat({filters, {"fifo_size", K::Int, std::nullopt}},
                      v2Output(32, kReLU)),
               v2Vars()});
  s.push_back({LayerType::DepthwiseBufferTempConv,
               "depthwise_buffer_temp_conv", v2, false, 1, 1,
               concat({{"fifo_size", K::Int, std::nullopt}},
                      v2Output(32, kReLU)),
               v2Vars()});
  s.push_back({LayerType::Add, "add", v2, false, 2, 2,
               {{"output_bits", K::Int, 8},
                {"buffer_bits", K::Int, 32},
                {"post_op_buffer_bits", K::Int, 32},
                {"activation", K::Bool, 0}},
               {{"a_shift", DType::Int8, false},
                {"b_shift", DType::Int8, false},
                {"output_shift", DType::Int8, false}}});
  s.push_back({LayerType::Concatenate, "concatenate", v2, false, 2, 1 << 20,
               {}, {}});
  s.push_back({LayerType::Dequantizer, "dequantizer", v2, false, 1, 1, {},
               {{"scales", DType::Float32, true},
                {"zero_points", DType::Int32, false}}});
  s.push_back({LayerType::OnnxGraph, "onnx_graph", std::nullopt, false, 1, 1,
               {{"output_rows", K::Int, std::nullopt},
                {"output_columns", K::Int, std::nullopt},
                {"output_channels", K::Int, std::nullopt},
                {"output_dtype", K::Int, static_cast<int64_t>(DType::Float32)}},
               {{"graph", DType::UInt8, true}}});
  s.push_back({LayerType::ExtractToken, "extract_token", v2, false, 1, 1,
               {{"begin", K::Int, 0}, {"end", K::Int, std::nullopt, true}},
               {}});
  return s;
}

} // namespace

const std::vector<LayerSchema> &allLayerSchemas() {
  static const std::vector<LayerSchema> schemas = buildSchemas();
  return schemas;
}

const LayerSchema &layerSchema(LayerType type) {
  for (const LayerSchema &s : allLayerSchemas())
    if (s.type == type)
      return s;
  throw std::invalid_argument("unknown layer type " +
                              std::to_string(static_cast<int>(type)));
}

const LayerSchema *layerSchemaByMnemonic(const std::string &mnemonic) {
  for (const LayerSchema &s : allLayerSchemas())
    if (mnemonic == s.mnemonic)
      return &s;
  return nullptr;
}

const ParamSpec *LayerSchema::findParam(const std::string &name) const {
  for (const ParamSpec &p : params)
    if (name == p.name)
      return &p;
  return nullptr;
}

const VariableSpec *LayerSchema::findVariable(const std::string &name) const {
  for (const VariableSpec &v : variables)
    if (name == v.name)
      return &v;
  return nullptr;
}

std::optional<int64_t> optionalParam(const LayerDesc &layer,
                                     const std::string &name) {
  auto it = layer.params.find(name);
  if (it != layer.params.end())
    return it->second;
  // Pair halves default like their pair.
  std::string base = name;
  if (name.size() > 2 && (name.compare(name.size() - 2, 2, "_x") == 0 ||
                          name.compare(name.size() - 2, 2, "_y") == 0))
    base = name.substr(0, name.size() - 2);
  const ParamSpec *spec = layerSchema(layer.type).findParam(base);
  if (spec && spec->defaultValue && (spec->kind == ParamKind::Pair) == (base != name))
    return spec->defaultValue;
  return std::nullopt;
}

int64_t param(const LayerDesc &layer, const std::string &name) {
  if (std::optional<int64_t> v = optionalParam(layer, name))
    return *v;
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) +
                              ") has no parameter '" + name + "'");
}

void fillDefaultParams(LayerDesc &layer) {
  for (const ParamSpec &spec : layerSchema(layer.type).params) {
    if (!spec.defaultValue)
      continue;
    if (spec.kind == ParamKind::Pair) {
      std::string x = std::string(spec.name) + "_x";
      std::string y = std::string(spec.name) + "_y";
      // An optional pair is set as a whole or not at all.
      if (spec.optional && !layer.params.count(x) && !layer.params.count(y))
        continue;
      layer.params.emplace(x, *spec.defaultValue);
      layer.params.emplace(y, *spec.defaultValue);
    } else {
      layer.params.emplace(spec.name, *spec.defaultValue);
    }
  }
}

int variableBits(const LayerDesc &layer, const VariableSpec &spec) {
  if (spec.bitsParam)
    return static_cast<int>(param(layer, spec.bitsParam));
  return static_cast<int>(dtypeSize(spec.dtype) * 8);
}

} // namespace akida
