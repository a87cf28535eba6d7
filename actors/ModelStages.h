//===- ModelStages.h - The stages of one model in a pipeline -----*- C++ -*-===//
//
// What a model contributes to a pipeline: its plan (PipelinePlan.h), one
// SequenceWorker per sequence (decode the frame's edges, run the sequence,
// encode what goes on: EdgeCodec per outgoing layer), and the device its
// hardware sequences share. It outlives any one stream, so temporal state
// and device counters carry over from stream to stream as they do across
// Model::forward calls.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_MODELSTAGES_H
#define AKIDA_ACTORS_MODELSTAGES_H

#include "actors/MessageTypes.h"
#include "actors/SequenceExecutor.h"

#include <exception>
#include <map>
#include <memory>
#include <mutex>

namespace akida::actors {

/// One sequence as a frame-to-frame function.
class SequenceWorker {
public:
  SequenceWorker(std::shared_ptr<SequenceExecutor> executor,
                 std::shared_ptr<const ModelDesc> model);
  /// Decodes the layers the sequence reads from `in`, runs it, and returns
  /// the frame carrying what later stages read (spikes or dense tiles as
  /// EdgeCodec picks; edges passed through untouched).
  Frame run(const Frame &in);
  SequenceExecutor &executor() { return *executor_; }
  const SequenceExecutor &executor() const { return *executor_; }
  const StagePlan &plan() const { return executor_->plan(); }
  /// Per outgoing layer, what its codec sent.
  std::map<int, EdgeStats> edgeStats() const;
  /// The exception of the last run that threw (null when none since the
  /// last take), so a caller can rethrow the device's own error.
  std::exception_ptr takeFailure();

private:
  std::shared_ptr<SequenceExecutor> executor_;
  std::shared_ptr<const ModelDesc> model_;
  mutable std::mutex mutex_;
  std::map<int, EdgeCodec> codecs_;
  std::exception_ptr failure_;
};

struct ModelStages {
  std::shared_ptr<const ModelDesc> desc;
  PipelinePlan plan;
  ActType inputType;
  std::shared_ptr<DeviceSlot> slot; ///< null without hardware sequences
  std::vector<std::shared_ptr<SequenceWorker>> workers;
};

/// The stages of a model `desc` run as `sequences` (a mapping's, or one
/// software sequence of every layer): hardware ones on the device `device`
/// opens (std::invalid_argument when there are some and it is empty), the
/// others on the CPU. For a Model: makeModelStages(model) (FromModel.h).
std::shared_ptr<ModelStages>
makeModelStages(std::shared_ptr<const ModelDesc> desc,
                const std::vector<Sequence> &sequences, DeviceFactory device);

/// The model input frame for `inputs` (checked against the model input).
Frame inputFrame(const ModelStages &stages, const Array &inputs, uint64_t seq,
                 int64_t timestampNs, EdgeCodec &codec);

/// Every stage of `stages` on `frame` in turn, without actors (remote
/// servers, and the baseline of the benchmark).
Frame runStages(ModelStages &stages, Frame frame);

/// The output a last stage's frame carries, as forward returns it.
Array frameOutput(const Frame &frame);

} // namespace akida::actors

#endif // AKIDA_ACTORS_MODELSTAGES_H
