//===- SequenceActors.h - Device actors and CPU actors ------------*- C++ -*-===//
//
// The actor behind each stage of a model: a device actor for a hardware
// sequence (programs the device when another program is loaded, runs the
// frame on it), a CPU actor for a software sequence. Both answer a Frame
// with the next Frame,
// or with an error carrying the device's or kernel's message; they never
// throw out of the handler, so the stage that owns them decides what a
// failure means (StageActor.h: restart and retry, or give up).
//
// Device actors block on the device; spawn them detached (their own
// thread), except under CAF's deterministic test coordinator.
//
// A CPU actor whose frames are independent (no temporal state) runs them
// in lanes when detached: one detached lane actor per thread TBB may use,
// each running a frame on one thread, frames handed to the lanes in turn
// and answered by the lane. A stream keeps every core busy with frames
// instead of splitting each frame's loops across cores (which waits for
// the slowest core at every layer); the stage restores the order. With one
// lane, a CPU actor whose frames are short (cpu::Plan::kSmallFrameMacs)
// runs on the scheduler's threads instead of a thread of its own.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SEQUENCEACTORS_H
#define AKIDA_ACTORS_SEQUENCEACTORS_H

#include "actors/ModelStages.h"
#include "actors/StageActor.h"

namespace akida::actors {

/// Frame -> Frame through `worker` (a DeviceSequence or a CpuSequence).
caf::behavior sequenceActor(caf::event_based_actor *self,
                            std::shared_ptr<SequenceWorker> worker);

/// How many frames the actor of `worker` runs at once under `options`: its
/// executor's lanes when detached with lanes on, else 1.
int sequenceLanes(const SequenceWorker &worker, const StageOptions &options);

/// Spawns the sequence actor of `worker` from `self` as `options` say
/// (detached or not, lanes).
caf::actor spawnSequenceActor(caf::local_actor *self,
                              std::shared_ptr<SequenceWorker> worker,
                              const StageOptions &options);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SEQUENCEACTORS_H
