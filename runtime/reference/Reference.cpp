//===- Reference.cpp - runLayer: checks and dispatch ----------------------===//
//
// runLayer checks everything the kernels rely on, once per call: the number
// and consistency of the inputs, their types against inferLayerOutput (which
// validates the layer's parameters), the values against their types, and the
// layer's variables (known name, schema dtype, allowed shape, required ones
// present). It then hands the layer to its family's kernel.
//
//===----------------------------------------------------------------------===//

#include "runtime/reference/Reference.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"
#include "runtime/reference/Kernels.h"

#include <stdexcept>

namespace akida::ref {

namespace detail {

void fail(const LayerDesc &layer, const std::string &what) {
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + "): " + what);
}

bool hasVariable(const LayerDesc &layer, const std::string &name) {
  return layer.variables.count(name) != 0;
}

int bitsParam(const LayerDesc &layer, const char *name) {
  int64_t bits = param(layer, name);
  if (bits < 1 || bits > 32)
    fail(layer, std::string("'") + name + "' is " + std::to_string(bits) +
                    " but must be between 1 and 32");
  return static_cast<int>(bits);
}

std::vector<int64_t> intVariable(const LayerDesc &layer,
                                 const std::string &name) {
  auto it = layer.variables.find(name);
  if (it == layer.variables.end())
    return {};
  return it->second.array.ints();
}

std::vector<int64_t> channelVariable(const LayerDesc &layer,
                                     const std::string &name, int64_t count,
                                     int64_t neutral) {
  auto it = layer.variables.find(name);
  if (it == layer.variables.end())
    return std::vector<int64_t>(count, neutral);
  std::vector<int64_t> values = it->second.array.ints();
  if (static_cast<int64_t>(values.size()) == count)
    return values;
  if (values.size() == 1)
    return std::vector<int64_t>(count, values[0]);
  fail(layer, "variable '" + name + "' has " + std::to_string(values.size()) +
                  " values but must have 1 or " + std::to_string(count));
}

Activations makeOutput(const ActType &type, int64_t batch) {
  Activations out;
  out.type = type;
  out.batch = batch;
  if (type.isFloat)
    out.floats.assign(batch * out.sampleSize(), 0.0f);
  else
    out.ints.assign(batch * out.sampleSize(), 0);
  return out;
}

} // namespace detail

namespace {

using detail::fail;

std::string typeStr(const ActType &t) {
  if (t.isFloat)
    return "f32";
  return (t.isSigned ? "si" : "ui") + std::to_string(t.bits);
}

/// The Activations object itself is well formed.
void checkActivations(const LayerDesc &layer, const Activations &in,
                      size_t index) {
  std::string which = "input #" + std::to_string(index);
  // An OnnxGraph (host software) may read a Dequantizer's float output.
  if (in.type.isFloat && layer.type != LayerType::OnnxGraph)
    fail(layer, which + " is float; Akida layers take integer activations");
  for (int64_t d : in.type.shape)
    if (d < 1)
      fail(layer, which + " has an empty dimension");
  if (in.batch < 0)
    fail(layer, which + " has a negative batch size");
  if (in.type.bits < 1 || in.type.bits > 32)
    fail(layer, which + " has " + std::to_string(in.type.bits) +
                    "-bit elements; integer activations have 1 to 32 bits");
  const size_t held = in.type.isFloat ? in.floats.size() : in.ints.size();
  if (static_cast<int64_t>(held) != in.batch * in.sampleSize())
    fail(layer, which + " holds " + std::to_string(held) +
                    " values but its batch and shape need " +
                    std::to_string(in.batch * in.sampleSize()));
}

/// Every value of `in` fits its declared element type.
void checkValues(const LayerDesc &layer, const Activations &in, size_t index) {
  const int64_t lo = intMin(in.type.bits, in.type.isSigned);
  const int64_t hi = intMax(in.type.bits, in.type.isSigned);
  for (size_t i = 0; i < in.ints.size(); ++i)
    if (in.ints[i] < lo || in.ints[i] > hi)
      fail(layer, "input #" + std::to_string(index) + " value " +
                      std::to_string(in.ints[i]) + " at flat index " +
                      std::to_string(i) + " is outside [" + std::to_string(lo) +
                      ", " + std::to_string(hi) + "] of its element type " +
                      typeStr(in.type));
}

bool isV1(LayerType t) {
  return t == LayerType::InputConvolutional || t == LayerType::Convolutional ||
         t == LayerType::SeparableConvolutional ||
         t == LayerType::FullyConnected;
}

/// Element types the layer family reads (the dialect's verifier rules).
void checkElementType(const LayerDesc &layer, const ActType &in) {
  switch (layer.type) {
  case LayerType::InputConvolutional:
    if (in.bits != 8 || in.isSigned)
      fail(layer, "input element type " + typeStr(in) +
                      " must be ui8: the input convolution reads raw 8-bit "
                      "data");
    break;
  case LayerType::InputConv2D:
    if (in.bits != 8)
      fail(layer, "input element type " + typeStr(in) +
                      " must be ui8 or si8: the input convolution reads raw "
                      "8-bit data");
    break;
  default:
    if (isV1(layer.type) && in.isSigned)
      fail(layer, "input element type " + typeStr(in) +
                      " must be unsigned: Akida 1.0 activations are unsigned");
    break;
  }
}

void checkVariables(const LayerDesc &layer, const std::vector<ActType> &types) {
  const LayerSchema &schema = layerSchema(layer.type);
  for (const auto &[name, var] : layer.variables) {
    const VariableSpec *spec = schema.findVariable(name);
    if (!spec)
      fail(layer, "has no variable '" + name + "'");
    const Array &a = var.array;
    if (a.dtype != spec->dtype)
      fail(layer, "variable '" + name + "' has dtype " + dtypeName(a.dtype) +
                      " but must be " + dtypeName(spec->dtype));
    int64_t count = 1;
    for (int64_t d : a.shape) {
      if (d < 0)
        fail(layer, "variable '" + name + "' has a negative dimension");
      count *= d;
    }
    if (static_cast<int64_t>(a.bytes.size()) !=
        count * static_cast<int64_t>(dtypeSize(a.dtype)))
      fail(layer, "variable '" + name + "' holds " +
                      std::to_string(a.bytes.size()) + " bytes but its shape " +
                      formatShape(a.shape) + " needs " +
                      std::to_string(count * dtypeSize(a.dtype)));
    std::vector<std::vector<int64_t>> allowed =
        allowedVariableShapes(layer, name, types);
    bool ok = false;
    std::string allowedStr;
    for (const auto &shape : allowed) {
      ok = ok || shape == a.shape;
      allowedStr += (allowedStr.empty() ? "" : " or ") + formatShape(shape);
    }
    if (!ok)
      fail(layer, "variable '" + name + "' has shape " + formatShape(a.shape) +
                      " but must be " + allowedStr);
  }
  for (const VariableSpec &spec : schema.variables)
    if (spec.required && !layer.variables.count(spec.name))
      fail(layer, std::string("variable '") + spec.name + "' is missing");
}

} // namespace

Activations runLayer(const LayerDesc &layer,
                     const std::vector<const Activations *> &inputs,
                     TemporalState *state) {
  const LayerSchema &schema = layerSchema(layer.type);
  const size_t minInputs = schema.isInput ? 1 : schema.minInbounds;
  const size_t maxInputs = schema.isInput ? 1 : schema.maxInbounds;
  if (inputs.size() < minInputs || inputs.size() > maxInputs)
    fail(layer, "has " + std::to_string(inputs.size()) + " inputs but needs " +
                    (schema.isInput ? std::string("the model input")
                     : minInputs == maxInputs
                         ? std::to_string(minInputs)
                         : "at least " + std::to_string(minInputs)));
  std::vector<ActType> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i])
      fail(layer, "input #" + std::to_string(i) + " is null");
    checkActivations(layer, *inputs[i], i);
    if (inputs[i]->batch != inputs[0]->batch)
      fail(layer, "input #" + std::to_string(i) + " has batch " +
                      std::to_string(inputs[i]->batch) + " but input #0 has " +
                      std::to_string(inputs[0]->batch));
    types.push_back(inputs[i]->type);
  }
  const ActType out = inferLayerOutput(layer, types);
  checkElementType(layer, types[0]);
  checkVariables(layer, types);
  if (layer.type != LayerType::InputData)
    for (size_t i = 0; i < inputs.size(); ++i)
      checkValues(layer, *inputs[i], i);

  const Activations &in = *inputs[0];
  switch (layer.type) {
  case LayerType::InputData:
    return detail::runInputData(layer, in, out);
  case LayerType::InputConvolutional:
  case LayerType::Convolutional:
  case LayerType::SeparableConvolutional:
  case LayerType::FullyConnected:
    return detail::runV1(layer, in, out);
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
  case LayerType::DepthwiseConv2D:
  case LayerType::Dense1D:
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
  case LayerType::BufferTempConv:
  case LayerType::DepthwiseBufferTempConv:
    return detail::runV2(layer, in, out, state);
  case LayerType::Add:
    return detail::runAdd(layer, in, *inputs[1], out);
  case LayerType::Concatenate:
    return detail::runConcatenate(inputs, out);
  case LayerType::Dequantizer:
    return detail::runDequantizer(layer, in, out);
  case LayerType::ExtractToken:
    return detail::runExtractToken(layer, in, out);
  case LayerType::OnnxGraph:
    return detail::runOnnxGraph(layer, in, out);
  default:
    break;
  }
  fail(layer, "has no reference kernel");
}

} // namespace akida::ref
