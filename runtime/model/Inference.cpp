//===- Inference.cpp - Running a Model on the CPU --------------------------===//
//
// forward and the calls built on it run the model's CPU plan (runtime/cpu/:
// fast kernels, bit-exact with the reference kernels); forward_reference
// runs the reference kernels layer by layer, chunk by chunk, as the
// definition the plan is tested against.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Model.h"

#include "actors/Sinks.h"
#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Plan.h"

#include <algorithm>
#include <stdexcept>

namespace akida {

namespace {

bool lastHasActivation(const LayerDesc &layer) {
  switch (layer.type) {
  case LayerType::Dequantizer:
  case LayerType::Concatenate:
  case LayerType::ExtractToken:
  case LayerType::OnnxGraph:
    return false;
  case LayerType::InputData:
    return true; // integer data, nothing to de-quantize
  case LayerType::InputConvolutional:
  case LayerType::Convolutional:
  case LayerType::SeparableConvolutional:
  case LayerType::FullyConnected:
  case LayerType::Add:
    return param(layer, "activation") != 0;
  default:
    return param(layer, "activation") !=
           static_cast<int64_t>(Activation::NoActivation);
  }
}

} // namespace

void Model::checkRunnable() const {
  if (plan_) // built for a model found runnable since its last edit
    return;
  if (desc_.layers.empty())
    throw std::runtime_error("the model has no layers");
  for (const LayerDesc &layer : desc_.layers)
    for (const VariableSpec &spec : layerSchema(layer.type).variables)
      if (spec.required && !layer.variables.count(spec.name))
        throw std::runtime_error("layer '" + layer.name + "' (" +
                                 layerTypeName(layer.type) + "): variable '" +
                                 spec.name +
                                 "' is not set; set it before running");
}

void Model::checkInputs(const Array &inputs, const char *caller) const {
  checkRunnable();
  std::array<int64_t, 3> expected = input_shape();
  if (inputs.shape.size() != 4 || inputs.shape[1] != expected[0] ||
      inputs.shape[2] != expected[1] || inputs.shape[3] != expected[2])
    throw std::invalid_argument(
        std::string(caller) + ": inputs have shape " + formatShape(inputs.shape) +
        " but the model takes (N, " + std::to_string(expected[0]) + ", " +
        std::to_string(expected[1]) + ", " + std::to_string(expected[2]) +
        ") NHWC batches");
  const LayerDesc &first = desc_.layers[0];
  bool isSigned = first.type == LayerType::InputData &&
                  param(first, "input_signed") != 0;
  DType want = isSigned ? DType::Int8 : DType::UInt8;
  if (inputs.dtype != want)
    throw std::invalid_argument(
        std::string(caller) + ": inputs have dtype " + dtypeName(inputs.dtype) +
        " but this model takes " + dtypeName(want) + " (first layer '" +
        first.name + "' reads " + (isSigned ? "signed" : "unsigned") +
        " 8-bit data)");
  if (static_cast<int64_t>(inputs.bytes.size()) !=
      inputs.size() * static_cast<int64_t>(dtypeSize(inputs.dtype)))
    throw std::invalid_argument(std::string(caller) +
                                ": inputs hold fewer bytes than their shape");
}

std::vector<ref::Activations> Model::runChunk(const Array &inputs,
                                              int64_t begin, int64_t count) {
  ref::Activations in;
  in.type = modelInputType(desc_);
  in.batch = count;
  int64_t sample = in.sampleSize();
  in.ints.resize(count * sample);
  for (int64_t i = 0; i < count * sample; ++i)
    in.ints[i] = inputs.intAt(begin * sample + i);

  std::vector<ref::Activations> acts;
  acts.reserve(desc_.layers.size());
  states_.resize(desc_.layers.size());
  for (size_t i = 0; i < desc_.layers.size(); ++i) {
    const LayerDesc &layer = desc_.layers[i];
    std::vector<const ref::Activations *> layerInputs;
    if (layer.inbounds.empty())
      layerInputs.push_back(&in);
    for (int j : layer.inbounds)
      layerInputs.push_back(&acts[j]);
    acts.push_back(ref::runLayer(layer, layerInputs, &states_[i]));
  }
  return acts;
}

template <typename F>
void Model::runBatches(const Array &inputs, int batch_size, const char *caller,
                       F consume) {
  checkInputs(inputs, caller);
  if (batch_size < 0)
    throw std::invalid_argument(std::string(caller) + ": batch_size is " +
                                std::to_string(batch_size) +
                                " but must be 0 (all at once) or positive");
  int64_t total = inputs.shape[0];
  int64_t step = batch_size == 0 ? std::max<int64_t>(total, 1) : batch_size;
  for (int64_t begin = 0; begin < total; begin += step)
    consume(runChunk(inputs, begin, std::min(step, total - begin)));
}

const cpu::Plan &Model::plan() {
  const cpu::Isa isa = cpu::activeIsa();
  if (!plan_ || plan_->isa() != isa)
    plan_ = std::make_shared<const cpu::Plan>(desc_, outputTypes_, isa);
  return *plan_;
}

std::vector<std::string> Model::cpu_kernels() {
  checkRunnable();
  return plan().kernelNames();
}

Array Model::forward(const Array &inputs, int batch_size) {
  checkRunnable();
  if (mapping_ && device_)
    return forwardOnDevice(inputs, batch_size);
  checkInputs(inputs, "forward");
  if (batch_size < 0)
    throw std::invalid_argument("forward: batch_size is " +
                                std::to_string(batch_size) +
                                " but must be 0 (all at once) or positive");
  const ActType &outType = outputTypes_.back();
  const cpu::Plan &p = plan();
  const int64_t total = inputs.shape[0];
  std::vector<int64_t> shape = {total, outType.shape[0], outType.shape[1],
                                outType.shape[2]};
  Array out;
  out.dtype = outType.isFloat     ? DType::Float32
              : outType.bits <= 8 ? (outType.isSigned ? DType::Int8
                                                      : DType::UInt8)
                                  : DType::Int32;
  out.shape = shape;
  out.bytes.resize(total * p.outputFrameBytes());
  // Chunks as the reference runs them: errors name the same flat indices.
  const int64_t step =
      batch_size == 0 ? std::max<int64_t>(total, 1) : batch_size;
  for (int64_t begin = 0; begin < total; begin += step)
    p.run(inputs, begin, std::min(step, total - begin),
          out.bytes.data() + begin * p.outputFrameBytes(), states_);
  return out;
}

Array Model::forward_reference(const Array &inputs, int batch_size) {
  checkRunnable();
  const ActType &outType = outputTypes_.back();
  std::vector<int64_t> ints;
  std::vector<float> floats;
  runBatches(inputs, batch_size, "forward",
             [&](std::vector<ref::Activations> acts) {
               ref::Activations &last = acts.back();
               if (outType.isFloat)
                 floats.insert(floats.end(), last.floats.begin(),
                               last.floats.end());
               else
                 ints.insert(ints.end(), last.ints.begin(), last.ints.end());
             });
  return actors::outputArray(outType, inputs.shape[0], std::move(ints),
                              floats);
}

Array Model::predict(const Array &inputs, int batch_size) {
  checkRunnable();
  const LayerDesc &last = desc_.layers.back();
  if (lastHasActivation(last))
    throw std::runtime_error(
        "predict: the last layer '" + last.name + "' (" +
        layerTypeName(last.type) +
        ") has an activation, so its outputs are not de-quantizable; use "
        "forward, or end the model with a layer without activation");
  Array out = forward(inputs, batch_size);
  if (out.dtype == DType::Float32)
    return out;
  // An Akida 1.0 layer without activation de-quantizes its potentials per
  // channel: (p - threshold) / act_step (the engine's shifts and scales);
  // other integer outputs are the predictions as they are.
  const bool v1 = last.variables.count("threshold") &&
                  last.variables.count("act_step");
  const std::vector<int64_t> threshold =
      v1 ? last.variables.at("threshold").array.ints() : std::vector<int64_t>{};
  const std::vector<float> step =
      v1 ? last.variables.at("act_step").array.floats() : std::vector<float>{};
  std::vector<float> values(out.size());
  for (int64_t i = 0; i < out.size(); ++i) {
    const double p = static_cast<double>(out.intAt(i));
    if (!v1) {
      values[i] = static_cast<float>(p);
      continue;
    }
    const size_t f = static_cast<size_t>(i) % threshold.size();
    values[i] = static_cast<float>((p - threshold[f]) / step[f]);
  }
  return Array::fromFloats(out.shape, values);
}

std::vector<int> Model::predict_classes(const Array &inputs, int num_classes,
                                        int batch_size) {
  checkRunnable();
  Array out = lastHasActivation(desc_.layers.back())
                  ? forward(inputs, batch_size)
                  : predict(inputs, batch_size);
  int64_t n = out.shape[0];
  int64_t neurons = out.size() / std::max<int64_t>(n, 1);
  if (num_classes < 0 || (num_classes > 0 && neurons % num_classes != 0))
    throw std::invalid_argument(
        "predict_classes: num_classes is " + std::to_string(num_classes) +
        " but must be 0 or divide the " + std::to_string(neurons) +
        " output neurons");
  int64_t group = num_classes > 0 ? neurons / num_classes : 1;
  std::vector<int> classes(n);
  for (int64_t s = 0; s < n; ++s) {
    int64_t best = 0;
    double bestValue = 0;
    for (int64_t j = 0; j < neurons; ++j) {
      double v = out.dtype == DType::Float32 ? out.floatAt(s * neurons + j)
                                             : out.intAt(s * neurons + j);
      if (j == 0 || v > bestValue) {
        best = j;
        bestValue = v;
      }
    }
    classes[s] = static_cast<int>(best / group);
  }
  return classes;
}

float Model::evaluate(const Array &inputs, const std::vector<int> &labels,
                      int num_classes, int batch_size) {
  if (inputs.shape.empty() ||
      static_cast<int64_t>(labels.size()) != inputs.shape[0])
    throw std::invalid_argument(
        "evaluate: got " + std::to_string(labels.size()) + " labels for " +
        std::to_string(inputs.shape.empty() ? 0 : inputs.shape[0]) +
        " samples; give one label per sample");
  std::vector<int> classes = predict_classes(inputs, num_classes, batch_size);
  if (classes.empty())
    return 0.0f;
  int64_t correct = 0;
  for (size_t i = 0; i < classes.size(); ++i)
    correct += classes[i] == labels[i];
  return static_cast<float>(correct) / static_cast<float>(classes.size());
}

std::map<std::string, float> Model::evaluate_sparsity(const Array &inputs) {
  checkRunnable();
  checkInputs(inputs, "evaluate_sparsity");
  const cpu::Plan &p = plan();
  std::vector<cpu::LayerSparsity> counts(desc_.layers.size());
  std::vector<uint8_t> out(inputs.shape[0] * p.outputFrameBytes());
  p.run(inputs, 0, inputs.shape[0], out.data(), states_, &counts);
  std::map<std::string, float> sparsity;
  for (size_t i = 0; i < desc_.layers.size(); ++i)
    sparsity[desc_.layers[i].name] =
        counts[i].values ? static_cast<float>(counts[i].zeros) /
                               counts[i].values
                         : 0.0f;
  return sparsity;
}

} // namespace akida
