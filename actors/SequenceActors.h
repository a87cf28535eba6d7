//===- SequenceActors.h - Device actors and CPU actors ------------*- C++ -*-===//
//
// The actor behind each stage of a model: a device actor for a hardware
// sequence (programs the device when another program is loaded, runs the
// frame on it), a CPU actor for a software sequence (reference kernels, TBB
// across the samples of a frame). Both answer a Frame with the next Frame,
// or with an error carrying the device's or kernel's message; they never
// throw out of the handler, so the stage that owns them decides what a
// failure means (StageActor.h: restart and retry, or give up).
//
// Device actors block on the device; spawn them detached (their own
// thread), except under CAF's deterministic test coordinator.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SEQUENCEACTORS_H
#define AKIDA_ACTORS_SEQUENCEACTORS_H

#include "actors/ModelStages.h"

namespace akida::actors {

/// Frame -> Frame through `worker` (a DeviceSequence or a CpuSequence).
caf::behavior sequenceActor(caf::event_based_actor *self,
                            std::shared_ptr<SequenceWorker> worker);

/// Spawns the sequence actor of `worker` from `self`, detached or not.
caf::actor spawnSequenceActor(caf::local_actor *self,
                              std::shared_ptr<SequenceWorker> worker,
                              bool detached);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SEQUENCEACTORS_H
