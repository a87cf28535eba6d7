//===- SequenceExecutor.cpp - Running one sequence of a mapped model ------===//

#include "actors/SequenceExecutor.h"

#include "actors/EdgeCodec.h"

#include "runtime/cpu/Isa.h"
#include "runtime/cpu/Plan.h"
#include "runtime/reference/Shapes.h"

#include <tbb/global_control.h>
#include <tbb/info.h>
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

SequenceCounters SequenceExecutor::counters() const {
  std::lock_guard<std::mutex> lock(countersMutex_);
  return counters_;
}

void SequenceExecutor::countFrames(int64_t frames) {
  std::lock_guard<std::mutex> lock(countersMutex_);
  counters_.frames += frames;
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
  if (loaded_)
    loaded_->save(*device_);
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

namespace {

/// Whether `layer` of `model` is compiled for learning.
bool learns(const ModelDesc &model, int layer) {
  return learning::optimizerOf(model.layers.at(static_cast<size_t>(layer)))
      .has_value();
}

} // namespace

DeviceSequence::DeviceSequence(std::shared_ptr<const ModelDesc> model,
                               StagePlan plan, std::vector<uint8_t> program,
                               std::shared_ptr<DeviceSlot> slot)
    : SequenceExecutor(std::move(plan)), model_(std::move(model)),
      program_(std::move(program)), slot_(std::move(slot)) {
  for (int l : plan_.layers)
    learns_ = learns_ || learns(*model_, l);
}

void DeviceSequence::run(LayerActs &acts) { runOn(acts, nullptr); }

void DeviceSequence::fit(LayerActs &acts, const std::vector<int64_t> &labels) {
  runOn(acts, learns_ ? &labels : nullptr);
}

void DeviceSequence::save(ProgrammableDevice &dev) {
  if (learns_)
    learnMem_ = dev.learn_mem();
}

std::optional<learning::LearnMem> DeviceSequence::learned() {
  if (!learns_)
    return std::nullopt;
  std::lock_guard<std::mutex> lock(slot_->mutex_);
  if (slot_->loaded_ == this)
    save(*slot_->device_);
  return learnMem_;
}

void DeviceSequence::runOn(LayerActs &acts,
                           const std::vector<int64_t> *labels) {
  std::lock_guard<std::mutex> lock(slot_->mutex_);
  ProgrammableDevice &dev = *slot_->device_;
  if (slot_->loaded_ != this) {
    if (slot_->loaded_)
      slot_->loaded_->save(dev);
    // A failed program() leaves the device as it was, but not ours.
    slot_->loaded_ = nullptr;
    dev.program(program_);
    if (learnMem_)
      dev.update_learn_mem(*learnMem_); // where it stopped learning
    slot_->loaded_ = this;
    std::lock_guard<std::mutex> counting(countersMutex_);
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
  ref::Activations out = labels ? dev.fit(in, *labels) : dev.forward(in);
  {
    std::lock_guard<std::mutex> counting(countersMutex_);
    counters_.frames += in.batch;
    counters_.inference_clk += dev.metrics().inference_clk;
  }
  if (slot_->keepPowerEvents_) {
    const std::vector<PowerEvent> &events = dev.inference_power_events();
    slot_->powerEvents_.insert(slot_->powerEvents_.end(), events.begin(),
                               events.end());
  }
  for (const auto &[layer, a] : dev.exported())
    acts[layer] = a;
  acts[dev.outputLayer()] = std::move(out);
}

namespace {

/// Whether a software stage can run as a Plan of the model's layers
/// [0, last]: it reads only the model input, computes exactly those layers
/// and hands on none of them but the last (which, when the stage is not the
/// last, no saturation may touch: the Plan writes unsigned values beyond
/// int32 saturated, as Model::forward returns them).
bool runsAsPlan(const StagePlan &plan, const std::vector<ActType> &types) {
  if (plan.layers.empty() || plan.reads != std::vector<int>{kModelInputEdge})
    return false;
  for (size_t i = 0; i < plan.layers.size(); ++i)
    if (plan.layers[i] != static_cast<int>(i))
      return false;
  const int last = plan.layers.back();
  for (int c : plan.carries)
    if (c != kModelInputEdge && c != last && c <= last)
      return false;
  const ActType &out = types.at(static_cast<size_t>(last));
  if (!plan.last && !out.isFloat && !out.isSigned && out.bits > 31)
    return false;
  return true;
}

} // namespace

CpuSequence::CpuSequence(std::shared_ptr<const ModelDesc> model,
                         StagePlan plan)
    : SequenceExecutor(std::move(plan)), model_(std::move(model)) {
  for (int i : plan_.layers) {
    LayerType t = model_->layers.at(static_cast<size_t>(i)).type;
    temporal_ = temporal_ || t == LayerType::BufferTempConv ||
                t == LayerType::DepthwiseBufferTempConv;
    if (learns(*model_, i)) {
      learnerIndex_ = i;
      learner_ = model_->layers.at(static_cast<size_t>(i));
    }
  }
  if (plan_.layers.empty() || plan_.layers.front() != 0 || learnerIndex_ >= 0)
    return;
  // The output types of layers [0, last], as Model validates them.
  ModelDesc prefix = *model_;
  prefix.layers.resize(static_cast<size_t>(plan_.layers.back()) + 1);
  std::vector<ActType> types;
  for (const LayerDesc &d : prefix.layers) {
    std::vector<ActType> in;
    if (d.inbounds.empty())
      in.push_back(modelInputType(prefix));
    for (int j : d.inbounds)
      in.push_back(types.at(static_cast<size_t>(j)));
    types.push_back(inferLayerOutput(d, in));
  }
  if (!runsAsPlan(plan_, types))
    return;
  fast_ = std::make_unique<const cpu::Plan>(prefix, types, cpu::activeIsa());
  fastStates_.resize(prefix.layers.size());
  outType_ = types.back();
}

CpuSequence::~CpuSequence() = default;

int CpuSequence::lanes() const {
  if (temporal_ || learnerIndex_ >= 0)
    return 1;
  return static_cast<int>(std::max<size_t>(
      1, std::min<size_t>(tbb::info::default_concurrency(),
                          tbb::global_control::active_value(
                              tbb::global_control::max_allowed_parallelism))));
}

bool CpuSequence::shortFrames() const {
  return fast_ && fast_->macs() < cpu::Plan::kSmallFrameMacs;
}

void CpuSequence::resetStates() {
  for (auto &[layer, state] : states_)
    state.reset();
  for (ref::TemporalState &s : fastStates_)
    s.reset();
}

void SequenceExecutor::runDense(const DenseTile &tile, LayerActs &acts) {
  acts[kModelInputEdge] = decodeDense(tile);
  run(acts);
}

bool CpuSequence::takesDenseInput(const DenseTile &tile) const {
  return fast_ && !tile.type.isFloat && tile.valueBytes == 1 &&
         tile.bytes.size() ==
             static_cast<size_t>(tile.batch * tile.type.shape[0] *
                                 tile.type.shape[1] * tile.type.shape[2]);
}

void CpuSequence::runDense(const DenseTile &tile, LayerActs &acts) {
  if (!takesDenseInput(tile)) {
    SequenceExecutor::runDense(tile, acts);
    return;
  }
  Array inputs;
  inputs.dtype = tile.type.isSigned ? DType::Int8 : DType::UInt8;
  inputs.shape = {tile.batch, tile.type.shape[0], tile.type.shape[1],
                  tile.type.shape[2]};
  inputs.bytes = tile.bytes;
  runFast(inputs, acts);
  countFrames(tile.batch);
}

void CpuSequence::runFast(const Array &inputs, LayerActs &acts) {
  const int64_t batch = inputs.shape[0];
  std::vector<uint8_t> bytes(
      static_cast<size_t>(fast_->outputFrameBytes() * batch));
  if (temporal_) {
    fast_->run(inputs, 0, batch, bytes.data(), fastStates_);
  } else {
    std::vector<ref::TemporalState> none; // lanes run at once: none shared
    fast_->run(inputs, 0, batch, bytes.data(), none);
  }

  ref::Activations out;
  out.type = outType_;
  out.batch = batch;
  Array a;
  a.shape = {batch, outType_.shape[0], outType_.shape[1],
             outType_.shape[2]};
  a.dtype = outType_.isFloat      ? DType::Float32
            : outType_.bits > 8   ? DType::Int32
            : outType_.isSigned   ? DType::Int8
                                  : DType::UInt8;
  a.bytes = std::move(bytes);
  if (outType_.isFloat)
    out.floats = a.floats();
  else
    out.ints = a.ints();
  acts[plan_.layers.back()] = std::move(out);
}

void CpuSequence::runLayers(LayerActs &acts,
                            const std::vector<int64_t> *labels) {
  for (int i : plan_.layers) {
    const LayerDesc &d = i == learnerIndex_
                             ? learner_
                             : model_->layers.at(static_cast<size_t>(i));
    std::vector<const ref::Activations *> inputs;
    if (d.inbounds.empty())
      inputs.push_back(&inputOf(acts, kModelInputEdge, *model_, plan_.name));
    for (int j : d.inbounds)
      inputs.push_back(&inputOf(acts, j, *model_, plan_.name));
    if (i != learnerIndex_ || !labels) {
      acts[i] = ref::runLayer(d, inputs, temporal_ ? &states_[i] : nullptr);
      continue;
    }
    // Sample by sample: its output with the weights as they are, then one
    // learning step (as Model::fit and the chip do).
    const ref::Activations &in = *inputs.front();
    ref::Activations out;
    for (int64_t s = 0; s < in.batch; ++s) {
      const ref::Activations one = in.sample(s);
      ref::Activations y = ref::runLayer(learner_, {&one});
      if (s == 0)
        out = std::move(y);
      else
        out.ints.insert(out.ints.end(), y.ints.begin(), y.ints.end());
      const int64_t label = labels->empty() ? -1 : (*labels)[size_t(s)];
      if (labels->empty() || label >= 0) // a negative label does not train
        learning::learn(learner_, learning::features(in, s), label);
    }
    out.batch = in.batch;
    acts[i] = std::move(out);
  }
}

void CpuSequence::fit(LayerActs &acts, const std::vector<int64_t> &labels) {
  if (learnerIndex_ < 0) {
    run(acts);
    return;
  }
  int64_t batch = 0;
  for (int r : plan_.reads)
    batch = std::max(batch, inputOf(acts, r, *model_, plan_.name).batch);
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != batch)
    throw std::invalid_argument(
        "stage '" + plan_.name + "': " + std::to_string(labels.size()) +
        " labels for " + std::to_string(batch) +
        " samples; give one per sample, or none");
  runLayers(acts, &labels);
  countFrames(batch);
}

std::optional<learning::LearnMem> CpuSequence::learned() {
  if (learnerIndex_ < 0)
    return std::nullopt;
  return learning::learnMemOf(learner_);
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
  if (fast_) {
    const ref::Activations &in =
        inputOf(acts, kModelInputEdge, *model_, plan_.name);
    runFast(Array::fromInts(in.type.isSigned ? DType::Int8 : DType::UInt8,
                            {in.batch, in.type.shape[0], in.type.shape[1],
                             in.type.shape[2]},
                            in.ints),
            acts);
    countFrames(in.batch);
    return;
  }
  int64_t batch = 0;
  for (int r : plan_.reads)
    batch = std::max(batch, inputOf(acts, r, *model_, plan_.name).batch);
  if (temporal_ || batch < 2) {
    runLayers(acts, nullptr);
    countFrames(batch);
    return;
  }
  // Samples are independent: run them in parallel, then concatenate.
  std::vector<LayerActs> parts(static_cast<size_t>(batch));
  tbb::parallel_for(int64_t(0), batch, [&](int64_t n) {
    LayerActs &p = parts[static_cast<size_t>(n)];
    for (int r : plan_.reads)
      p[r] = slice(acts.at(r), n, n + 1);
    runLayers(p, nullptr);
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
  countFrames(batch);
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
