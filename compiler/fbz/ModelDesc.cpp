//===- ModelDesc.cpp - The plain description of an Akida model ------------===//

#include "compiler/fbz/ModelDesc.h"

#include <stdexcept>

namespace akida {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::UInt8:
  case DType::Int8:
    return 1;
  case DType::UInt16:
  case DType::Int16:
    return 2;
  case DType::Int32:
  case DType::Float32:
    return 4;
  }
  throw std::invalid_argument("unknown dtype");
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::UInt8:
    return "uint8";
  case DType::Int8:
    return "int8";
  case DType::UInt16:
    return "uint16";
  case DType::Int16:
    return "int16";
  case DType::Int32:
    return "int32";
  case DType::Float32:
    return "float32";
  }
  return "unknown";
}

bool isIntegerDType(DType dtype) { return dtype != DType::Float32; }

int64_t Array::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t Array::intAt(int64_t i) const {
  const uint8_t *p = bytes.data() + i * dtypeSize(dtype);
  switch (dtype) {
  case DType::UInt8:
    return *p;
  case DType::Int8:
    return static_cast<int8_t>(*p);
  case DType::UInt16: {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
  case DType::Int16: {
    int16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
  case DType::Int32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case DType::Float32:
    break;
  }
  throw std::invalid_argument("intAt on a float32 array");
}

float Array::floatAt(int64_t i) const {
  if (dtype != DType::Float32)
    throw std::invalid_argument(std::string("floatAt on a ") +
                                dtypeName(dtype) + " array");
  float v;
  std::memcpy(&v, bytes.data() + i * 4, 4);
  return v;
}

std::vector<int64_t> Array::ints() const {
  std::vector<int64_t> out(size());
  for (int64_t i = 0; i < size(); ++i)
    out[i] = intAt(i);
  return out;
}

std::vector<float> Array::floats() const {
  std::vector<float> out(size());
  for (int64_t i = 0; i < size(); ++i)
    out[i] = floatAt(i);
  return out;
}

Array Array::fromInts(DType dtype, std::vector<int64_t> shape,
                      const std::vector<int64_t> &values) {
  Array a;
  a.dtype = dtype;
  a.shape = std::move(shape);
  size_t width = dtypeSize(dtype);
  a.bytes.resize(values.size() * width);
  for (size_t i = 0; i < values.size(); ++i) {
    uint64_t raw = static_cast<uint64_t>(values[i]);
    for (size_t b = 0; b < width; ++b)
      a.bytes[i * width + b] = static_cast<uint8_t>(raw >> (8 * b));
  }
  return a;
}

Array Array::fromFloats(std::vector<int64_t> shape,
                        const std::vector<float> &values) {
  Array a;
  a.dtype = DType::Float32;
  a.shape = std::move(shape);
  a.bytes.resize(values.size() * 4);
  if (!values.empty())
    std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
  return a;
}

static std::string joinShape(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  return "(" + joinShape(shape) + ")";
}

std::string formatDims(const std::vector<int64_t> &dims) {
  return "[" + joinShape(dims) + "]";
}

namespace {
const std::pair<LayerType, const char *> kNames[] = {
    {LayerType::InputData, "InputData"},
    {LayerType::InputConvolutional, "InputConvolutional"},
    {LayerType::FullyConnected, "FullyConnected"},
    {LayerType::Convolutional, "Convolutional"},
    {LayerType::SeparableConvolutional, "SeparableConvolutional"},
    {LayerType::Add, "Add"},
    {LayerType::Concatenate, "Concatenate"},
    {LayerType::Conv2D, "Conv2D"},
    {LayerType::InputConv2D, "InputConv2D"},
    {LayerType::DepthwiseConv2D, "DepthwiseConv2D"},
    {LayerType::Conv2DTranspose, "Conv2DTranspose"},
    {LayerType::ExtractToken, "ExtractToken"},
    {LayerType::Dequantizer, "Dequantizer"},
    {LayerType::DepthwiseConv2DTranspose, "DepthwiseConv2DTranspose"},
    {LayerType::BufferTempConv, "BufferTempConv"},
    {LayerType::DepthwiseBufferTempConv, "DepthwiseBufferTempConv"},
    {LayerType::Dense1D, "Dense1D"},
    {LayerType::OnnxGraph, "OnnxGraph"},
};
} // namespace

const char *layerTypeName(LayerType type) {
  for (const auto &[t, name] : kNames)
    if (t == type)
      return name;
  return "Unknown";
}

std::optional<LayerType> parseLayerType(const std::string &name) {
  for (const auto &[t, n] : kNames)
    if (name == n)
      return t;
  return std::nullopt;
}

} // namespace akida
