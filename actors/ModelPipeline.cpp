//===- ModelPipeline.cpp - Model::forward through the actors --------------===//

#include "actors/ModelPipeline.h"

#include "runtime/model/Model.h"

namespace akida::actors {

ModelPipeline::ModelPipeline(const Model &model, DeviceFactory device,
                             StageOptions options)
    : stages_(makeModelStages(model, std::move(device))),
      options_(options),
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

Array ModelPipeline::forwardStream(const Array &inputs,
                                   int64_t samplesPerFrame) {
  std::vector<Output> outputs;
  StreamPipeline p = StreamBuilder()
                         .source(arraySource(inputs, samplesPerFrame))
                         .model(stages_, options_)
                         .sink(vectorSink(outputs))
                         .build(*system_);
  StreamResult r = p.run();
  stats_ = r.stages;
  return concatOutputs(outputs);
}

} // namespace akida::actors
