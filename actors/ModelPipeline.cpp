//===- ModelPipeline.cpp - Model::forward through the actors --------------===//

#include "actors/ModelPipeline.h"

#include <stdexcept>

namespace akida::actors {

ModelPipeline::ModelPipeline(std::shared_ptr<ModelStages> stages,
                             StageOptions options)
    : stages_(std::move(stages)), options_(options),
      config_(std::make_unique<caf::actor_system_config>()) {
  addMessageTypes(*config_);
  // The stage, source and sink actors do little; the device and CPU actors
  // run on their own threads. One scheduler thread that sleeps instead of
  // spinning leaves the cores to them (CAF's default polls aggressively).
  config_->set("scheduler.max-threads", size_t{1});
  config_->set("work-stealing.aggressive-poll-attempts", size_t{0});
  config_->set("work-stealing.moderate-poll-attempts", size_t{0});
  system_ = std::make_unique<caf::actor_system>(*config_);
}

ModelPipeline::~ModelPipeline() = default;

Array ModelPipeline::forward(const Array &inputs) {
  return forwardStream(inputs, 0);
}

namespace {

DeviceRun deviceCounters(const ModelStages &stages) {
  DeviceRun r;
  for (const std::shared_ptr<SequenceWorker> &w : stages.workers)
    if (w->plan().hardware) {
      r.program_clk += w->executor().counters().program_clk;
      r.inference_clk += w->executor().counters().inference_clk;
    }
  return r;
}

} // namespace

Array ModelPipeline::forwardStream(const Array &inputs,
                                   int64_t samplesPerFrame) {
  // One frame (forward's whole batch) may use every core; a stream of them
  // runs frames side by side in the CPU actors' lanes.
  StageOptions options = options_;
  const int64_t samples = inputs.shape.size() == 4 ? inputs.shape[0] : 1;
  options.lanes =
      options.lanes && samplesPerFrame > 0 && samples > samplesPerFrame;
  // run() blocks until the stream ends: the source reads `inputs` in place.
  return run(arraySource(std::shared_ptr<const Array>(
                             &inputs, [](const Array *) {}),
                         samplesPerFrame),
             options);
}

Array ModelPipeline::fit(const Array &inputs,
                         const std::vector<int64_t> &labels) {
  return run(learningSource(std::shared_ptr<const Array>(
                                &inputs, [](const Array *) {}),
                            labels),
             options_);
}

std::optional<learning::LearnMem> ModelPipeline::learned() {
  for (const std::shared_ptr<SequenceWorker> &w : stages_->workers)
    if (std::optional<learning::LearnMem> m = w->executor().learned())
      return m;
  return std::nullopt;
}

Array ModelPipeline::run(std::unique_ptr<FrameSource> source,
                         const StageOptions &options) {
  for (const std::shared_ptr<SequenceWorker> &w : stages_->workers)
    w->takeFailure(); // stale ones, from an earlier call
  if (stages_->slot)
    stages_->slot->takePowerEvents();
  const DeviceRun before = deviceCounters(*stages_);
  std::vector<Output> outputs;
  StreamPipeline p = StreamBuilder()
                         .source(std::move(source))
                         .model(stages_, options)
                         .sink(vectorSink(outputs))
                         .build(*system_);
  p.start();
  StreamResult r = p.wait();
  stats_ = r.stages;
  deviceRun_ = deviceCounters(*stages_);
  deviceRun_.program_clk -= before.program_clk;
  deviceRun_.inference_clk -= before.inference_clk;
  if (stages_->slot)
    deviceRun_.powerEvents = stages_->slot->takePowerEvents();
  if (!r.outcome.ok) {
    // The failing sequence's own exception, when the stream ended on it.
    for (const std::shared_ptr<SequenceWorker> &w : stages_->workers)
      if (std::exception_ptr e = w->takeFailure())
        if (r.outcome.error.rfind("stage '" + w->plan().name + "'", 0) == 0)
          std::rethrow_exception(e);
    throw std::runtime_error(r.outcome.error);
  }
  return concatOutputs(outputs);
}

void ModelPipeline::resetStates() {
  for (const std::shared_ptr<SequenceWorker> &w : stages_->workers)
    w->executor().resetStates();
}

} // namespace akida::actors
