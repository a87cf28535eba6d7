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
