//===- StageActor.h - One stage: queue, credits, policy, supervision -*- C++ -*-===//
//
// A stage of a streaming pipeline wraps the actor that does the work (a
// sequence actor, or a remote model server) and owns everything about flow:
//
// - Credits. The stage grants its upstream `capacity` credits; upstream
//   sends a frame only while it holds one, and the stage gives one back each
//   time a frame leaves its queue. It sends downstream only with a credit
//   from downstream (reserved before the work starts). A source 10x faster
//   than the model therefore waits, and at most capacity + concurrency
//   frames sit in a stage.
// - Policy. Block (the above), or DropOldest: the stage grants unbounded
//   credits and, when its queue is full, drops the oldest queued frame,
//   counts it and tells the sink (a live sensor never waits).
// - Order. Frames leave in the order they arrived, whatever order the
//   worker(s) answer in (up to `concurrency` requests in flight).
// - Supervision. The stage monitors its worker. When the worker answers a
//   frame with an error, or dies, the stage kills it, calls `restart` (the
//   device is re-opened, so the next frame programs it again), spawns a new
//   worker and sends it every unanswered frame again. A frame that fails
//   more than `maxRetries` times ends the stream with an error naming the
//   stage, the frame and the last failure; it never hangs.
// - Statistics (StageStats.h).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_STAGEACTOR_H
#define AKIDA_ACTORS_STAGEACTOR_H

#include "actors/MessageTypes.h"
#include "actors/StageStats.h"

#include <deque>
#include <functional>
#include <memory>

namespace akida::actors {

enum class StagePolicy { Block, DropOldest };

/// "block" or "drop-oldest"; nullopt otherwise.
std::optional<StagePolicy> parseStagePolicy(const std::string &name);

struct StageOptions {
  StagePolicy policy = StagePolicy::Block;
  int64_t capacity = 4;   ///< queued frames (and credits granted upstream)
  /// Requests in flight to the worker; a model stage with detached workers
  /// keeps at least two per lane (SequenceActors.h: one lane unless the CPU
  /// actor has several).
  int64_t concurrency = 1;
  int maxRetries = 2;     ///< per frame, after the first attempt
  /// Device workers on their own threads (off under the test coordinator).
  bool detachWorkers = true;
  /// Detached CPU actors run several frames at once in lanes (a stream of
  /// many frames); off, each frame may use every core (one big frame).
  bool lanes = true;
};

/// Spawns the stage's worker from the stage actor (may throw: the stream
/// then ends with the message).
using WorkerSpawner = std::function<caf::actor(caf::local_actor *)>;

struct StageConfig {
  std::string name;
  StageOptions options;
  WorkerSpawner spawnWorker;
  std::function<void()> restart; ///< before a new worker (may be empty)
  /// False for a worker the stage does not own (a remote server): it is
  /// told eos at the end instead of being stopped, and never killed.
  bool ownsWorker = true;
  caf::actor downstream;
  caf::actor sink; ///< told of drops and failures
  std::shared_ptr<StageStatsBox> stats;
};

struct StageState {
  struct Queued {
    Frame frame;
    int64_t arrivedNs = 0;
  };
  struct InFlight {
    Frame frame;
    int64_t arrivedNs = 0;
    int attempts = 0;
    bool done = false;
    Frame result;
  };
  StageConfig cfg;
  caf::actor upstream;
  caf::actor worker;
  std::shared_ptr<caf::actor> workerBox; ///< for the exit handler
  uint64_t generation = 0;
  std::deque<Queued> queue;
  std::deque<InFlight> inflight;
  int64_t downCredits = 0;
  bool eos = false;
  uint64_t eosTotal = 0;
  bool failed = false;
  static const char *name;
};

caf::behavior stageActor(caf::stateful_actor<StageState> *self,
                         StageConfig cfg);

/// Credits a DropOldest stage grants (never runs out).
constexpr int64_t kUnboundedCredits = int64_t(1) << 40;

} // namespace akida::actors

#endif // AKIDA_ACTORS_STAGEACTOR_H
