//===- ModelPipeline.h - Model::forward through the actors --------*- C++ -*-===//
//
// A model's stages (mapped or not) run through their actor pipeline: the
// same results as the reference kernels, bit for bit, because each sequence
// actor runs a hardware sequence's program on the device (bit-exact
// simulator or chip) or a software sequence's layers on the reference
// kernels. It owns an actor system; the sequences' executors (device,
// temporal state) persist across calls. Model::forward on a mapped model
// runs through one of these, built once per map() (DeviceInference.cpp).
//
//   ModelPipeline p(makeModelStages(model));  // FromModel.h
//   Array out = p.forward(inputs);            // == model.forward(inputs)
//   p.statistics();                           // per stage, of the last call
//
// When a sequence actor's work throws and the stream fails on it, the call
// rethrows that exception (its type and message: DeviceLost, ProgramError,
// std::invalid_argument naming a layer), not a wrapper.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_MODELPIPELINE_H
#define AKIDA_ACTORS_MODELPIPELINE_H

#include "actors/StreamPipeline.h"

namespace akida::actors {

/// What the hardware sequences did during one call, summed in run order.
struct DeviceRun {
  int64_t program_clk = 0;
  int64_t inference_clk = 0;
  /// Every forward's power events, when the device slot keeps them.
  std::vector<PowerEvent> powerEvents;
};

class ModelPipeline {
public:
  explicit ModelPipeline(std::shared_ptr<ModelStages> stages,
                         StageOptions options = {});
  ~ModelPipeline();

  /// The whole batch as one frame, as Model::forward runs it.
  Array forward(const Array &inputs);
  /// One frame per `samplesPerFrame` samples, streamed (outputs in order).
  Array forwardStream(const Array &inputs, int64_t samplesPerFrame = 1);
  /// Edge learning (Model::fit): one frame per sample, each learned from
  /// by the sequence that holds the learning layer (on the chip for a
  /// hardware one). `labels`: one per sample (a negative one does not
  /// train), or empty (unsupervised).
  /// Returns each sample's output taken before it was learned.
  Array fit(const Array &inputs, const std::vector<int64_t> &labels);
  /// The learning layer's state as the stages have learned it; nullopt
  /// when no sequence holds a learning layer.
  std::optional<learning::LearnMem> learned();
  /// Per stage, of the last call.
  const std::vector<StageStats> &statistics() const { return stats_; }
  /// The device's counters of the last call.
  const DeviceRun &deviceRun() const { return deviceRun_; }
  /// Clears the temporal state of every sequence.
  void resetStates();
  ModelStages &stages() { return *stages_; }
  caf::actor_system &system() { return *system_; }

private:
  /// Streams `source` through the stages; the outputs in order.
  Array run(std::unique_ptr<FrameSource> source, const StageOptions &options);
  std::shared_ptr<ModelStages> stages_;
  StageOptions options_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  std::vector<StageStats> stats_;
  DeviceRun deviceRun_;
};

} // namespace akida::actors

#endif // AKIDA_ACTORS_MODELPIPELINE_H
