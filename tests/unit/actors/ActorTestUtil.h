//===- ActorTestUtil.h - Models, inputs and faulty devices for actor tests -*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_ACTORS_ACTORTESTUTIL_H
#define AKIDA_TESTS_UNIT_ACTORS_ACTORTESTUTIL_H

#include "actors/SequenceExecutor.h"
#include "device/sim/VirtualDevice.h"
#include "runtime/model/Model.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace akida::actortest {

/// Zoo model `name` (seed 0) mapped on virtual device `device` with `mode`,
/// built once per process.
const Model &mappedZooModel(const std::string &name, const std::string &device,
                            MapMode mode = MapMode::AllNps);

/// `n` random samples for `model` (seeded).
Array randomInputs(const Model &model, int64_t n, uint32_t seed);

/// Sample `i` of `a` as a (1, r, c, ch) array.
Array sample(const Array &a, int64_t i);

/// A device that fails: the first `failures` forward calls (counted across
/// every device the factory opens) throw "injected device failure". It
/// records the threads its forwards ran on.
struct FaultPlan {
  std::atomic<int64_t> failuresLeft{0};
  std::atomic<int64_t> opened{0};
  std::mutex mutex;
  std::set<std::thread::id> forwardThreads;
};

/// A factory of virtual `device`s that fail as `plan` says.
actors::DeviceFactory faultyFactory(const Device &device,
                                    std::shared_ptr<FaultPlan> plan);

} // namespace akida::actortest

#endif // AKIDA_TESTS_UNIT_ACTORS_ACTORTESTUTIL_H
