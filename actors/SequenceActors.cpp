//===- SequenceActors.cpp - Device actors and CPU actors ------------------===//

#include "actors/SequenceActors.h"

namespace akida::actors {

caf::behavior sequenceActor(caf::event_based_actor *,
                            std::shared_ptr<SequenceWorker> worker) {
  return {
      [worker](const Frame &in) -> caf::result<Frame> {
        try {
          return worker->run(in);
        } catch (const std::exception &e) {
          return makeError(std::string(worker->plan().hardware
                                           ? "device actor '"
                                           : "CPU actor '") +
                           worker->plan().name + "': " + e.what());
        }
      },
  };
}

caf::actor spawnSequenceActor(caf::local_actor *self,
                              std::shared_ptr<SequenceWorker> worker,
                              bool detached) {
  if (detached)
    return self->spawn<caf::detached>(sequenceActor, std::move(worker));
  return self->spawn(sequenceActor, std::move(worker));
}

} // namespace akida::actors
