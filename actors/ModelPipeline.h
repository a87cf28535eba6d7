//===- ModelPipeline.h - Model::forward through the actors --------*- C++ -*-===//
//
// A model (mapped or not) run through its actor pipeline: the same results
// as Model::forward, bit for bit, because each sequence actor does what the
// direct path does (DeviceInference.cpp), on a device of its own. It owns an
// actor system; the sequences' executors (device, temporal state) persist
// across calls as Model's do.
//
//   ModelPipeline p(model);            // model.map(AKD1000()) beforehand
//   Array out = p.forward(inputs);     // == model.forward(inputs)
//   p.statistics();                    // per stage, of the last call
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_MODELPIPELINE_H
#define AKIDA_ACTORS_MODELPIPELINE_H

#include "actors/StreamPipeline.h"

namespace akida::actors {

class ModelPipeline {
public:
  explicit ModelPipeline(const Model &model, DeviceFactory device = {},
                         StageOptions options = {});
  ~ModelPipeline();

  /// The whole batch as one frame, as Model::forward runs it.
  Array forward(const Array &inputs);
  /// One frame per `samplesPerFrame` samples, streamed (outputs in order).
  Array forwardStream(const Array &inputs, int64_t samplesPerFrame = 1);
  /// Per stage, of the last call.
  const std::vector<StageStats> &statistics() const { return stats_; }
  ModelStages &stages() { return *stages_; }
  caf::actor_system &system() { return *system_; }

private:
  std::shared_ptr<ModelStages> stages_;
  StageOptions options_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  std::vector<StageStats> stats_;
};

} // namespace akida::actors

#endif // AKIDA_ACTORS_MODELPIPELINE_H
