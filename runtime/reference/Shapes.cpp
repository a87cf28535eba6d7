//===- Shapes.cpp - Output shapes and element types of layers -------------===//

#include "runtime/reference/Shapes.h"

#include "compiler/fbz/LayerSchema.h"

#include <stdexcept>

namespace akida {

namespace {

[[noreturn]] void fail(const LayerDesc &layer, const std::string &what) {
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + "): " + what);
}

int64_t positive(const LayerDesc &layer, const std::string &name) {
  int64_t v = param(layer, name);
  if (v < 1)
    fail(layer, "'" + name + "' is " + std::to_string(v) +
                    " but must be at least 1");
  return v;
}

int64_t channelsOut(const LayerDesc &layer, const ActType &in) {
  switch (layer.type) {
  case LayerType::DepthwiseConv2D:
  case LayerType::DepthwiseConv2DTranspose:
  case LayerType::DepthwiseBufferTempConv:
    return in.shape[2];
  case LayerType::FullyConnected:
  case LayerType::Dense1D:
    return positive(layer, "units");
  default:
    return positive(layer, "filters");
  }
}

/// v1: ui<act_bits> with activation, si32 without.
ActType v1Element(const LayerDesc &layer, std::array<int64_t, 3> shape) {
  ActType t;
  t.shape = shape;
  if (!param(layer, "activation")) {
    t.bits = 32;
    t.isSigned = true;
    return t;
  }
  int64_t bits = param(layer, "act_bits");
  if (bits != 1 && bits != 2 && bits != 4)
    fail(layer, "'act_bits' is " + std::to_string(bits) +
                    " but must be one of 1, 2, 4");
  t.bits = static_cast<int>(bits);
  return t;
}

/// v2: ui<output_bits> after ReLU, si<output_bits> otherwise.
ActType v2Element(const LayerDesc &layer, std::array<int64_t, 3> shape,
                  bool relu) {
  int64_t bits = param(layer, "output_bits");
  if (bits < 1 || bits > 32)
    fail(layer, "'output_bits' is " + std::to_string(bits) +
                    " but must be between 1 and 32");
  ActType t;
  t.shape = shape;
  t.bits = static_cast<int>(bits);
  t.isSigned = !relu;
  return t;
}

/// Input element types the layers accept (as the dialect verifiers).
void checkInputElement(const LayerDesc &layer, const ActType &in) {
  switch (layer.type) {
  case LayerType::InputConvolutional:
    if (in.bits != 8 || in.isSigned)
      fail(layer, "reads raw ui8 (uint8) data, got " +
                      std::string(in.isSigned ? "signed " : "unsigned ") +
                      std::to_string(in.bits) + "-bit values");
    return;
  case LayerType::InputConv2D:
    if (in.bits != 8)
      fail(layer, "reads raw 8-bit data (ui8 or si8), got " + std::to_string(in.bits) +
                      "-bit values");
    return;
  case LayerType::Convolutional:
  case LayerType::SeparableConvolutional:
  case LayerType::FullyConnected:
    if (in.isSigned)
      fail(layer, "Akida 1.0 activations are unsigned but the input is "
                  "signed");
    return;
  default:
    return;
  }
}

/// Ranges of the parameters every computation depends on.
void checkRanges(const LayerDesc &layer) {
  auto within = [&](const char *name, int64_t lo, int64_t hi) {
    if (!layerSchema(layer.type).findParam(name))
      return;
    int64_t v = param(layer, name);
    if (v < lo || v > hi)
      fail(layer, std::string("'") + name + "' is " + std::to_string(v) +
                      " but must be between " + std::to_string(lo) + " and " +
                      std::to_string(hi));
  };
  within("buffer_bits", 1, 32);
  within("post_op_buffer_bits", 1, 32);
  within("padding_value", 0, 255);
  within("input_signed", 0, 1);
  const ParamSpec *activation = layerSchema(layer.type).findParam("activation");
  if (activation)
    within("activation", 0, activation->kind == ParamKind::Bool ? 1 : 2);
  if (layerSchema(layer.type).findParam("weights_bits")) {
    int64_t bits = param(layer, "weights_bits");
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8)
      fail(layer, "'weights_bits' is " + std::to_string(bits) +
                      " but must be one of 1, 2, 4, 8");
  }
}

bool isV1(LayerType type) {
  return type == LayerType::InputConvolutional ||
         type == LayerType::Convolutional ||
         type == LayerType::SeparableConvolutional ||
         type == LayerType::FullyConnected;
}

} // namespace

int64_t windowOutputDim(int64_t in, int64_t size, int64_t stride,
                        Padding padding) {
  if (padding == Padding::Valid)
    return in < size ? 0 : (in - size) / stride + 1;
  return (in - 1) / stride + 1;
}

int64_t paddingBefore(int64_t in, int64_t size, int64_t stride,
                      Padding padding) {
  if (padding == Padding::Valid)
    return 0;
  int64_t out = (in - 1) / stride + 1;
  int64_t total = std::max<int64_t>((out - 1) * stride + size - in, 0);
  return padding == Padding::Same ? total / 2 : total - total / 2;
}

Window layerWindow(const LayerDesc &layer) {
  Window w;
  bool v1 = isV1(layer.type);
  auto pair = [&](const std::string &name) {
    if (v1)
      return std::array<int64_t, 2>{param(layer, name + "_x"),
                                    param(layer, name + "_y")};
    int64_t v = param(layer, name);
    return std::array<int64_t, 2>{v, v};
  };
  w.kernel = pair("kernel_size");
  w.stride = pair("kernel_stride");
  for (int i = 0; i < 2; ++i) {
    if (w.kernel[i] < 1)
      fail(layer, "'kernel_size' must be at least 1");
    if (w.stride[i] < 1)
      fail(layer, "'kernel_stride' must be at least 1");
  }
  int64_t padding = param(layer, "padding");
  if (padding < 0 || padding > 2)
    fail(layer, "'padding' is " + std::to_string(padding) +
                    " but must be 0 (valid), 1 (same) or 2 (same_upper)");
  w.padding = static_cast<Padding>(padding);
  int64_t pool = param(layer, "pool_type");
  if (pool < 0 || pool > 2)
    fail(layer, "'pool_type' is " + std::to_string(pool) +
                    " but must be 0 (none), 1 (max) or 2 (average)");
  w.pool = static_cast<PoolType>(pool);
  // Pool size/stride: v1 pairs are absent when unset, v2 scalars are -1.
  auto poolPair = [&](const std::string &name) -> std::optional<std::array<int64_t, 2>> {
    if (v1) {
      auto x = optionalParam(layer, name + "_x");
      auto y = optionalParam(layer, name + "_y");
      if (!x || !y)
        return std::nullopt;
      return std::array<int64_t, 2>{*x, *y};
    }
    int64_t v = param(layer, name);
    if (v == -1)
      return std::nullopt;
    return std::array<int64_t, 2>{v, v};
  };
  auto size = poolPair("pool_size");
  auto stride = poolPair("pool_stride");
  if (w.pool != PoolType::Max) {
    if (size || stride)
      fail(layer, std::string("'") + (size ? "pool_size" : "pool_stride") +
                      "' is set but pool_type is " +
                      (w.pool == PoolType::Average ? "average (global)"
                                                   : "none"));
    return w;
  }
  if (!size)
    fail(layer, "pool_type is max but 'pool_size' is not set");
  w.poolSize = *size;
  w.poolStride = stride ? *stride : *size;
  for (int i = 0; i < 2; ++i)
    if (w.poolSize[i] < 1 || w.poolStride[i] < 1)
      fail(layer, "'pool_size' and 'pool_stride' must be at least 1");
  return w;
}

ActType modelInputType(const ModelDesc &model) {
  ActType t;
  if (model.inputShape.size() != 3)
    throw std::invalid_argument("model input shape must have 3 dimensions "
                                "(rows, columns, channels)");
  t.shape = {model.inputShape[0], model.inputShape[1], model.inputShape[2]};
  t.bits = 8;
  if (!model.layers.empty() && model.layers[0].type == LayerType::InputData) {
    t.isSigned = param(model.layers[0], "input_signed") != 0;
    t.bits = std::max<int>(8, static_cast<int>(param(model.layers[0], "input_bits")));
  }
  return t;
}

ActType inferLayerOutput(const LayerDesc &layer,
                         const std::vector<ActType> &inputs) {
  const LayerSchema &schema = layerSchema(layer.type);
  size_t expected = schema.isInput ? 1 : inputs.size();
  if (inputs.size() != expected || inputs.empty() ||
      (!schema.isInput &&
       (static_cast<int>(inputs.size()) < schema.minInbounds ||
        static_cast<int>(inputs.size()) > schema.maxInbounds)))
    fail(layer, "has " + std::to_string(inputs.size()) +
                    " inputs but needs " +
                    (schema.isInput ? std::string("the model input")
                     : schema.minInbounds == schema.maxInbounds
                         ? std::to_string(schema.minInbounds)
                         : "at least " + std::to_string(schema.minInbounds)));
  const ActType &in = inputs[0];
  for (int64_t d : in.shape)
    if (d < 1)
      fail(layer, "input shape " + formatDims({in.shape.begin(), in.shape.end()}) + " has an empty dimension");
  for (const ActType &x : inputs) {
    if (x.isFloat && layer.type == LayerType::OnnxGraph)
      continue; // host software reads a Dequantizer's float output too
    if (x.isFloat)
      fail(layer, "input is float; Akida layers take integer activations");
    if (x.bits < 1 || x.bits > 32)
      fail(layer, "input values are " + std::to_string(x.bits) +
                      "-bit; layers take 1- to 32-bit integers");
  }
  checkInputElement(layer, in);
  checkRanges(layer);

  switch (layer.type) {
  case LayerType::InputData: {
    int64_t bits = param(layer, "input_bits");
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8)
      fail(layer, "'input_bits' is " + std::to_string(bits) +
                      " but must be one of 1, 2, 4, 8");
    ActType t = in;
    t.bits = static_cast<int>(bits);
    t.isSigned = param(layer, "input_signed") != 0;
    return t;
  }
  case LayerType::InputConvolutional:
  case LayerType::Convolutional:
  case LayerType::SeparableConvolutional:
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
  case LayerType::DepthwiseConv2D: {
    Window w = layerWindow(layer);
    std::array<int64_t, 2> out;
    for (int i = 0; i < 2; ++i) {
      if (w.padding == Padding::Valid && in.shape[i] < w.kernel[i])
        fail(layer, "kernel does not fit the " + formatDims({in.shape.begin(), in.shape.end()}) +
                        " input with valid padding");
      out[i] = windowOutputDim(in.shape[i], w.kernel[i], w.stride[i], w.padding);
    }
    if (w.pool == PoolType::Average)
      out = {1, 1};
    if (w.pool == PoolType::Max) {
      for (int i = 0; i < 2; ++i) {
        if (w.padding == Padding::Valid && out[i] < w.poolSize[i])
          fail(layer, "pool_size does not fit the convolution output with "
                      "valid padding");
        out[i] = windowOutputDim(out[i], w.poolSize[i], w.poolStride[i],
                                 w.padding);
      }
    }
    std::array<int64_t, 3> shape{out[0], out[1], channelsOut(layer, in)};
    if (isV1(layer.type))
      return v1Element(layer, shape);
    return v2Element(layer, shape,
                     param(layer, "activation") ==
                         static_cast<int64_t>(Activation::ReLU));
  }
  case LayerType::FullyConnected:
    return v1Element(layer, {1, 1, channelsOut(layer, in)});
  case LayerType::Dense1D:
    return v2Element(layer, {1, 1, channelsOut(layer, in)},
                     param(layer, "activation") ==
                         static_cast<int64_t>(Activation::ReLU));
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
    positive(layer, "kernel_size");
    return v2Element(layer,
                     {2 * in.shape[0], 2 * in.shape[1], channelsOut(layer, in)},
                     param(layer, "activation") ==
                         static_cast<int64_t>(Activation::ReLU));
  case LayerType::BufferTempConv:
  case LayerType::DepthwiseBufferTempConv:
    positive(layer, "fifo_size");
    return v2Element(layer, {in.shape[0], in.shape[1], channelsOut(layer, in)},
                     param(layer, "activation") ==
                         static_cast<int64_t>(Activation::ReLU));
  case LayerType::Add: {
    if (inputs[1].shape != in.shape)
      fail(layer, "inputs must have the same shape, got " +
                      formatDims({in.shape.begin(), in.shape.end()}) + " and " + formatDims({inputs[1].shape.begin(), inputs[1].shape.end()}));
    ActType t = v2Element(layer, in.shape, param(layer, "activation") != 0);
    return t;
  }
  case LayerType::Concatenate: {
    ActType t = in;
    t.shape[2] = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const ActType &x = inputs[i];
      if (x.shape[0] != in.shape[0] || x.shape[1] != in.shape[1])
        fail(layer, "input #" + std::to_string(i) + " has shape " +
                        formatDims({x.shape.begin(), x.shape.end()}) + " but every input must have the "
                        "rows and columns of input #0 " + formatDims({in.shape.begin(), in.shape.end()}));
      if (x.bits != in.bits || x.isSigned != in.isSigned)
        fail(layer, "input #" + std::to_string(i) +
                        " has a different bit width or sign than input #0");
      t.shape[2] += x.shape[2];
    }
    return t;
  }
  case LayerType::Dequantizer: {
    ActType t = in;
    t.isFloat = true;
    t.bits = 32;
    t.isSigned = true;
    return t;
  }
  case LayerType::OnnxGraph: {
    ActType t;
    t.shape = {param(layer, "output_rows"), param(layer, "output_columns"),
               param(layer, "output_channels")};
    for (int64_t d : t.shape)
      if (d < 1)
        fail(layer, "output shape " + formatDims({t.shape.begin(), t.shape.end()}) +
                        " must be positive");
    switch (static_cast<DType>(param(layer, "output_dtype"))) {
    case DType::Float32: t.isFloat = true; t.bits = 32; t.isSigned = true; break;
    case DType::Int8: t.isSigned = true; break;
    case DType::UInt8: break;
    default:
      fail(layer, "output_dtype " + std::to_string(param(layer, "output_dtype")) +
                      " is not 0 (uint8), 1 (int8) or 5 (float32)");
    }
    return t;
  }
  case LayerType::ExtractToken: {
    int64_t tokens = in.shape[0] * in.shape[1];
    int64_t begin = param(layer, "begin");
    int64_t end = optionalParam(layer, "end").value_or(tokens);
    if (begin < 0 || end > tokens || begin >= end)
      fail(layer, "token range [" + std::to_string(begin) + ", " +
                      std::to_string(end) + ") must satisfy 0 <= begin < end <= " +
                      std::to_string(tokens));
    ActType t = in;
    t.shape = {1, end - begin, in.shape[2]};
    return t;
  }
  default:
    fail(layer, "unsupported layer type");
  }
}

std::vector<std::vector<int64_t>>
allowedVariableShapes(const LayerDesc &layer, const std::string &name,
                      const std::vector<ActType> &inputs) {
  const LayerSchema &schema = layerSchema(layer.type);
  if (!schema.findVariable(name))
    fail(layer, "has no variable '" + name + "'");
  const ActType &in = inputs.at(0);
  ActType out = inferLayerOutput(layer, inputs);
  int64_t c = in.shape[2], f = out.shape[2];
  if (name == "weights") {
    switch (layer.type) {
    case LayerType::InputConvolutional:
    case LayerType::Convolutional: {
      Window w = layerWindow(layer);
      return {{w.kernel[0], w.kernel[1], c, f}};
    }
    case LayerType::SeparableConvolutional: {
      Window w = layerWindow(layer);
      return {{w.kernel[0], w.kernel[1], c, 1}};
    }
    case LayerType::FullyConnected:
      return {{1, 1, in.shape[0] * in.shape[1] * c, f}};
    case LayerType::InputConv2D:
    case LayerType::Conv2D:
    case LayerType::Conv2DTranspose: {
      int64_t k = param(layer, "kernel_size");
      return {{k, k, c, f}};
    }
    case LayerType::DepthwiseConv2D:
    case LayerType::DepthwiseConv2DTranspose: {
      int64_t k = param(layer, "kernel_size");
      return {{k, k, c}};
    }
    case LayerType::Dense1D:
      return {{in.shape[0] * in.shape[1] * c, f}};
    case LayerType::BufferTempConv:
      return {{param(layer, "fifo_size"), c, f}};
    case LayerType::DepthwiseBufferTempConv:
      return {{param(layer, "fifo_size"), c}};
    default:
      break;
    }
  }
  if (name == "weights_pw")
    return {{1, 1, c, f}};
  if (name == "input_shift")
    return {{c}};
  if (name == "scales" || name == "a_shift" || name == "b_shift" ||
      (name == "output_shift" && layer.type == LayerType::Add))
    return {{c}};
  if (name == "max_value" || name == "max_value_shift" ||
      name == "activation_scales" || name == "activation_shift")
    return {{1}, {f}};
  if (name == "threshold_learning" || name == "plasticity")
    return {{f}};
  if (name == "learning_parameters") // FullyConnected's AkidaUnsupervised
    return {{4}};
  if (name == "graph") { // OnnxGraph: a serialized ONNX model, any size
    const Array &g = layer.variables.at(name).array;
    if (g.shape.size() != 1 || g.shape[0] < 1)
      fail(layer, "'graph' must be a 1-D array of the ONNX model's bytes");
    return {g.shape};
  }
  if (name == "lut_values") {
    auto it = layer.variables.find(name);
    int64_t n = it == layer.variables.end() || it->second.array.shape.size() != 1
                    ? 0
                    : it->second.array.shape[0];
    if (n < 2 || n > 2048 || (n & (n - 1)))
      fail(layer, "'lut_values' must be a 1-D table whose size is a power of "
                  "two between 2 and 2048");
    return {{n}};
  }
  return {{f}};
}

} // namespace akida
