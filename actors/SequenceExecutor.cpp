//===- SequenceExecutor.cpp - Running one sequence of a mapped model ------===//

#include "actors/SequenceExecutor.h"

#include "actors/EdgeCodec.h"

#include <tbb/parallel_for.h>

#include <stdexcept>
#include <utility>

namespace akida::actors {

const ref::Activations &inputOf(const LayerActs &acts, int layer,
                                const ModelDesc &model,
                                const std::string &stage) {
  auto it = acts.find(layer);
  if (it == acts.end())
    throw std::invalid_argument(
        "stage '" + stage + "': the frame does not carry " +
        (layer == kModelInputEdge
             ? std::string("the model input")
             : "layer '" + model.layers.at(static_cast<size_t>(layer)).name +
                   "'"));
  return it->second;
}

DeviceSlot::DeviceSlot(DeviceFactory factory) : factory_(std::move(factory)) {
  device_ = factory_();
  if (!device_)
    throw std::invalid_argument("device slot: the factory gave no device");
}

void DeviceSlot::reopen() {
  std::lock_guard<std::mutex> lock(mutex_);
  device_ = factory_();
  if (!device_)
    throw std::runtime_error("device slot: the factory gave no device");
  loaded_ = nullptr;
  ++reopens_;
}

void DeviceSlot::unload() {
  std::lock_guard<std::mutex> lock(mutex_);
  loaded_ = nullptr;
}

void DeviceSlot::keepPowerEvents(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  keepPowerEvents_ = on;
  if (!on)
    powerEvents_.clear();
}

std::vector<PowerEvent> DeviceSlot::takePowerEvents() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(powerEvents_, {});
}

DeviceSequence::DeviceSequence(std::shared_ptr<const ModelDesc> model,
                               StagePlan plan, std::vector<uint8_t> program,
                               std::shared_ptr<DeviceSlot> slot)
    : SequenceExecutor(std::move(plan)), model_(std::move(model)),
      program_(std::move(program)), slot_(std::move(slot)) {}

void DeviceSequence::run(LayerActs &acts) {
  std::lock_guard<std::mutex> lock(slot_->mutex_);
  ProgrammableDevice &dev = *slot_->device_;
  if (slot_->loaded_ != this) {
    // A failed program() leaves the device as it was, but not ours.
    slot_->loaded_ = nullptr;
    dev.program(program_);
    slot_->loaded_ = this;
    ++counters_.programs;
    counters_.program_clk += dev.metrics().program_clk;
  }
  dev.set_batch_size(dev.max_batch_size());
  // Model::forward: the model input when the program reads the input layer,
  // else the first layer's first inbound.
  const int source = dev.inputLayer();
  const bool fromModelInput =
      source < 0 ||
      model_->layers.at(static_cast<size_t>(source)).type == LayerType::InputData;
  const LayerDesc &first =
      model_->layers.at(static_cast<size_t>(plan_.layers.front()));
  const int read = fromModelInput || first.inbounds.empty()
                       ? kModelInputEdge
                       : first.inbounds[0];
  const ref::Activations &in = inputOf(acts, read, *model_, plan_.name);
  ref::Activations out = dev.forward(in);
  counters_.frames += in.batch;
  counters_.inference_clk += dev.metrics().inference_clk;
  if (slot_->keepPowerEvents_) {
    const std::vector<PowerEvent> &events = dev.inference_power_events();
    slot_->powerEvents_.insert(slot_->powerEvents_.end(), events.begin(),
                               events.end());
  }
  for (const auto &[layer, a] : dev.exported())
    acts[layer] = a;
  acts[dev.outputLayer()] = std::move(out);
}

CpuSequence::CpuSequence(std::shared_ptr<const ModelDesc> model,
                         StagePlan plan)
    : SequenceExecutor(std::move(plan)), model_(std::move(model)) {
  for (int i : plan_.layers) {
    LayerType t = model_->layers.at(static_cast<size_t>(i)).type;
    temporal_ = temporal_ || t == LayerType::BufferTempConv ||
                t == LayerType::DepthwiseBufferTempConv;
  }
}

void CpuSequence::resetStates() {
  for (auto &[layer, state] : states_)
    state.reset();
}

void CpuSequence::runLayers(LayerActs &acts) {
  for (int i : plan_.layers) {
    const LayerDesc &d = model_->layers.at(static_cast<size_t>(i));
    std::vector<const ref::Activations *> inputs;
    if (d.inbounds.empty())
      inputs.push_back(&inputOf(acts, kModelInputEdge, *model_, plan_.name));
    for (int j : d.inbounds)
      inputs.push_back(&inputOf(acts, j, *model_, plan_.name));
    acts[i] = ref::runLayer(d, inputs, temporal_ ? &states_[i] : nullptr);
  }
}

namespace {

/// Samples [begin, end) of `a`.
ref::Activations slice(const ref::Activations &a, int64_t begin, int64_t end) {
  ref::Activations s;
  s.type = a.type;
  s.batch = end - begin;
  const int64_t n = a.sampleSize();
  if (a.type.isFloat)
    s.floats.assign(a.floats.begin() + begin * n, a.floats.begin() + end * n);
  else
    s.ints.assign(a.ints.begin() + begin * n, a.ints.begin() + end * n);
  return s;
}

} // namespace

void CpuSequence::run(LayerActs &acts) {
  int64_t batch = 0;
  for (int r : plan_.reads)
    batch = std::max(batch, inputOf(acts, r, *model_, plan_.name).batch);
  if (temporal_ || batch < 2) {
    runLayers(acts);
    counters_.frames += batch;
    return;
  }
  // Samples are independent: run them in parallel, then concatenate.
  std::vector<LayerActs> parts(static_cast<size_t>(batch));
  tbb::parallel_for(int64_t(0), batch, [&](int64_t n) {
    LayerActs &p = parts[static_cast<size_t>(n)];
    for (int r : plan_.reads)
      p[r] = slice(acts.at(r), n, n + 1);
    runLayers(p);
  });
  for (int i : plan_.layers) {
    ref::Activations all = std::move(parts[0].at(i));
    for (int64_t n = 1; n < batch; ++n) {
      const ref::Activations &p = parts[static_cast<size_t>(n)].at(i);
      all.ints.insert(all.ints.end(), p.ints.begin(), p.ints.end());
      all.floats.insert(all.floats.end(), p.floats.begin(), p.floats.end());
    }
    all.batch = batch;
    acts[i] = std::move(all);
  }
  counters_.frames += batch;
}

std::vector<std::shared_ptr<SequenceExecutor>>
makeExecutors(std::shared_ptr<const ModelDesc> model, const PipelinePlan &plan,
              const std::vector<Sequence> &sequences,
              std::shared_ptr<DeviceSlot> slot) {
  std::vector<std::shared_ptr<SequenceExecutor>> out;
  for (const StagePlan &st : plan.stages) {
    const Sequence &seq = sequences.at(st.sequence);
    if (seq.hardware) {
      if (!slot)
        throw std::invalid_argument("pipeline: sequence '" + seq.name +
                                    "' runs in hardware but no device was "
                                    "given");
      out.push_back(std::make_shared<DeviceSequence>(model, st, seq.program,
                                                     slot));
    } else {
      out.push_back(std::make_shared<CpuSequence>(model, st));
    }
  }
  return out;
}

} // namespace akida::actors
