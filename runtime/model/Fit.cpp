//===- Fit.cpp - Model::compile, fit and add_classes ----------------------===//
//
// The Model side of edge learning: the learning rule itself is
// runtime/reference/Learning.cpp. On the CPU, fit runs each chunk of samples
// up to the learning layer on the reference kernels, then, sample by
// sample, the learning layer's forward with the weights as they are and one
// learning step. A mapped model learns through its actor pipeline instead,
// one frame per sample: the sequence holding the learning layer learns (on
// the chip, in its NPs, for a hardware one; device/sim/OnChipLearning.cpp),
// the model takes the learned state back (learn_mem) and is mapped again on
// the same device, so its programs hold the learned weights. Both paths
// apply the same rule to the same integers: they learn bit for bit alike.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Model.h"

#include "actors/ModelPipeline.h"
#include "actors/Sinks.h"
#include "compiler/fbz/LayerSchema.h"

#include <stdexcept>

namespace akida {

void Model::compile(const AkidaUnsupervised &optimizer, uint32_t seed) {
  checkRunnable();
  if (desc_.ipVersion != IpVersion::v1)
    throw std::invalid_argument("compile: edge learning needs an Akida 1.0 "
                                "model; this one is Akida 2.0");
  const size_t last = desc_.layers.size() - 1;
  if (last == 0)
    throw std::invalid_argument("compile: the model has only its input layer; "
                                "the last layer learns");
  LayerDesc layer = desc_.layers[last];
  const std::vector<int> &in = layer.inbounds;
  const ActType &inType = outputTypes_.at(in.empty() ? last - 1 : in[0]);
  learning::compile(layer, inType, optimizer, seed);
  std::swap(desc_.layers[last], layer);
  unmap();
  plan_.reset();
  try {
    validateLayer(last);
  } catch (...) {
    std::swap(desc_.layers[last], layer);
    throw;
  }
}

std::optional<AkidaUnsupervised> Model::learning() const {
  return desc_.layers.empty() ? std::nullopt
                              : learning::optimizerOf(desc_.layers.back());
}

Array Model::fit(const Array &inputs, const std::vector<int> &labels,
                 int batch_size) {
  if (!learning())
    throw std::runtime_error("fit: the model is not compiled for learning; "
                             "call compile() first");
  checkInputs(inputs, "fit");
  const int64_t total = inputs.shape[0];
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != total)
    throw std::invalid_argument("fit: got " + std::to_string(labels.size()) +
                                " labels for " + std::to_string(total) +
                                " samples; give one per sample, or none");
  if (batch_size < 0)
    throw std::invalid_argument("fit: batch_size is " +
                                std::to_string(batch_size) +
                                " but must be 0 (all at once) or positive");
  const size_t last = desc_.layers.size() - 1;
  if (mapping_ && device_) {
    std::vector<int64_t> wide(labels.begin(), labels.end());
    Array out = runOnDevice(inputs, &wide);
    std::optional<learning::LearnMem> mem = pipeline().learned();
    if (!mem)
      throw std::logic_error("fit: no sequence of the mapping holds the "
                             "learning layer");
    learning::setLearnMem(desc_.layers[last], *mem);
    validateLayer(last);
    // The programs were emitted with the weights before learning.
    const Metrics metrics = metrics_;
    std::shared_ptr<ProgrammableDevice> device = device_;
    const ModelMapping mapping = *mapping_;
    plan_.reset();
    map(std::move(device), mapping.hwOnly, mapping.mode);
    metrics_ = metrics;
    return out;
  }
  plan_.reset();
  const int from = desc_.layers[last].inbounds.empty()
                       ? static_cast<int>(last) - 1
                       : desc_.layers[last].inbounds[0];
  const ActType outType = outputTypes_.back();
  std::vector<int64_t> outputs;
  const int64_t step = batch_size == 0 ? std::max<int64_t>(total, 1) : batch_size;
  for (int64_t begin = 0; begin < total; begin += step) {
    const int64_t count = std::min(step, total - begin);
    // Everything before the learning layer, for the whole chunk.
    std::vector<ref::Activations> acts = runChunk(inputs, begin, count);
    const ref::Activations &in = acts.at(from);
    for (int64_t s = 0; s < count; ++s) {
      const ref::Activations one = in.sample(s);
      const ref::Activations y = ref::runLayer(desc_.layers[last], {&one});
      outputs.insert(outputs.end(), y.ints.begin(), y.ints.end());
      const int64_t label = labels.empty() ? -1 : labels[begin + s];
      if (labels.empty() || label >= 0) // a negative label does not train
        learning::learn(desc_.layers[last], learning::features(in, s), label);
    }
  }
  validateLayer(last);
  return actors::outputArray(outType, total, std::move(outputs), {});
}

void Model::add_classes(int num_add_classes) {
  if (desc_.layers.empty() || !learning())
    throw std::runtime_error("add_classes: the model is not compiled for "
                             "learning; call compile() first");
  LayerDesc layer = desc_.layers.back();
  learning::addClasses(layer, num_add_classes,
                       static_cast<uint32_t>(desc_.layers.size()));
  std::swap(desc_.layers.back(), layer);
  unmap();
  plan_.reset();
  try {
    validateAll();
  } catch (...) {
    std::swap(desc_.layers.back(), layer);
    validateAll();
    throw;
  }
}

} // namespace akida
