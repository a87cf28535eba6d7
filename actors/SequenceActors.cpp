//===- SequenceActors.cpp - Device actors and CPU actors ------------------===//

#include "actors/SequenceActors.h"

#include <tbb/task_arena.h>

namespace akida::actors {

namespace {

/// The worker's answer to `in`, or the error the stage sees.
caf::result<Frame> answer(SequenceWorker &worker, const Frame &in) {
  try {
    return worker.run(in);
  } catch (const std::exception &e) {
    return makeError(std::string(worker.plan().hardware ? "device actor '"
                                                        : "CPU actor '") +
                     worker.plan().name + "': " + e.what());
  }
}

/// One lane of a CPU actor: a frame at a time, on one thread (a TBB arena
/// of one slot keeps the kernels from spreading a frame over the cores the
/// other lanes use).
caf::behavior laneActor(caf::event_based_actor *,
                        std::shared_ptr<SequenceWorker> worker) {
  auto arena = std::make_shared<tbb::task_arena>(1);
  return {
      [worker, arena](const Frame &in) -> caf::result<Frame> {
        caf::result<Frame> out = caf::error{};
        arena->execute([&] { out = answer(*worker, in); });
        return out;
      },
  };
}

/// Hands each frame to the next of its lanes, which answers the stage.
caf::behavior laneRouter(caf::event_based_actor *self,
                         std::shared_ptr<SequenceWorker> worker, int lanes) {
  auto all = std::make_shared<std::vector<caf::actor>>();
  for (int i = 0; i < lanes; ++i)
    all->push_back(
        self->spawn<caf::detached + caf::linked>(laneActor, worker));
  auto next = std::make_shared<size_t>(0);
  return {
      [self, all, next](const Frame &in) {
        const caf::actor &lane = (*all)[(*next)++ % all->size()];
        return self->delegate(lane, in);
      },
  };
}

} // namespace

caf::behavior sequenceActor(caf::event_based_actor *,
                            std::shared_ptr<SequenceWorker> worker) {
  return {
      [worker](const Frame &in) -> caf::result<Frame> {
        return answer(*worker, in);
      },
  };
}

int sequenceLanes(const SequenceWorker &worker, const StageOptions &options) {
  return options.detachWorkers && options.lanes ? worker.executor().lanes()
                                                : 1;
}

caf::actor spawnSequenceActor(caf::local_actor *self,
                              std::shared_ptr<SequenceWorker> worker,
                              const StageOptions &options) {
  const int lanes = sequenceLanes(*worker, options);
  if (lanes > 1)
    return self->spawn(laneRouter, std::move(worker), lanes);
  // A short frame runs on the scheduler's threads: waking a thread of its
  // own for it and back cost a DS-CNN frame (40 us) +27 to +46% on one
  // thread, against +15% this way (bench/actors.md).
  if (options.detachWorkers && !worker->executor().shortFrames())
    return self->spawn<caf::detached>(sequenceActor, std::move(worker));
  return self->spawn(sequenceActor, std::move(worker));
}

} // namespace akida::actors
