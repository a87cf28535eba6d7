//===- StreamPipeline.h - Building and running a streaming pipeline -*- C++ -*-===//
//
// The C++ API for sensor pipelines: a source, one or more model stages (each
// model expands to one actor per sequence; several models run one after the
// other, each reading the previous output), a sink:
//
//   caf::actor_system_config cfg;
//   akida::actors::addMessageTypes(cfg);
//   caf::actor_system sys{cfg};
//   StreamResult r = StreamBuilder()
//       .source(fileSource("frames/"))
//       .model(makeModelStages(model), {StagePolicy::DropOldest, 2})
//       .sink(npyFileSink("out.npy"))
//       .build(sys)
//       .run();   // throws std::runtime_error when the stream fails
//   for (const StageStats &s : r.stages) std::cout << s.str() << "\n";
//
// Frames carry sequence numbers and timestamps; outputs reach the sink in
// order. Memory is bounded by credits (StageActor.h).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_STREAMPIPELINE_H
#define AKIDA_ACTORS_STREAMPIPELINE_H

#include "actors/EndpointActors.h"
#include "actors/ModelStages.h"
#include "actors/StageActor.h"

#include <future>

namespace akida::actors {

/// One stage before it is spawned.
struct StageSpec {
  std::string name;
  StageOptions options;
  WorkerSpawner spawnWorker;
  std::function<void()> restart;
  bool ownsWorker = true;
};

struct StreamResult {
  StreamOutcome outcome;
  std::vector<StageStats> stages;
  double seconds = 0; ///< from start to the end of the stream
};

class StreamPipeline {
public:
  /// Sends the source its start.
  void start();
  /// Whether the stream ended (sink done).
  bool finished() const;
  /// Waits for the end; then stops every actor left.
  StreamResult wait();
  /// start + wait; throws std::runtime_error with the failure.
  StreamResult run();
  /// Statistics now, per stage in order.
  std::vector<StageStats> stats() const;
  ~StreamPipeline();
  StreamPipeline(StreamPipeline &&) = default;

private:
  friend class StreamBuilder;
  StreamPipeline() = default;
  void stop();
  std::vector<caf::actor> actors_; ///< source, stages, sink
  caf::actor source_;
  std::vector<std::shared_ptr<StageStatsBox>> stats_;
  std::shared_ptr<std::promise<StreamOutcome>> promise_;
  std::shared_future<StreamOutcome> future_;
  int64_t startNs_ = 0;
};

class StreamBuilder {
public:
  StreamBuilder &source(std::unique_ptr<FrameSource> source);
  /// One stage per sequence of `stages` (options apply to each).
  StreamBuilder &model(std::shared_ptr<ModelStages> stages,
                       StageOptions options = {});
  /// Any stage (e.g. remoteStage, Remote.h); `inputType` is what it reads
  /// when it is the first.
  StreamBuilder &stage(StageSpec spec, std::optional<ActType> inputType = {});
  StreamBuilder &sink(std::unique_ptr<FrameSink> sink);
  /// Frames the last stage may send ahead to the sink (default 8).
  StreamBuilder &sinkCredits(int64_t credits);
  /// Spawns the actors; throws std::invalid_argument when a part is missing.
  StreamPipeline build(caf::actor_system &system);

private:
  std::unique_ptr<FrameSource> source_;
  std::vector<StageSpec> stages_;
  std::optional<ActType> inputType_;
  std::unique_ptr<FrameSink> sink_;
  int64_t sinkCredits_ = 8;
};

} // namespace akida::actors

#endif // AKIDA_ACTORS_STREAMPIPELINE_H
