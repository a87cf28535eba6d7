//===- Plan.h - A model compiled for the CPU kernels ------------*- C++ -*-===//
//
// A Plan is built once per model (and instruction set): one LayerOp per
// layer, with weights packed and output stages prepared, and one arena
// layout for a frame's activations (buffers reused once their last reader
// has run). Running it allocates nothing per frame: each TBB worker keeps a
// workspace (arena and scratch) across calls.
//
// Threads. A batch of several frames runs frames in parallel, each frame on
// one thread; a single frame (or a model with temporal layers, which must
// see frames in order) runs frame after frame, each layer's loops split on
// a Team: TBB tasks that stay awake for the call (Team.h); frames of under
// kParallelFrameMacs multiply-accumulates (DS-CNN's 2.5 M) stay on one
// thread, where splitting costs more than it saves. The parallelism
// is TBB's: limit it with tbb::global_control or run inside a
// tbb::task_arena.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_PLAN_H
#define AKIDA_RUNTIME_CPU_PLAN_H

#include "runtime/cpu/Isa.h"
#include "runtime/cpu/Tensor.h"
#include "runtime/reference/Reference.h"

#include <memory>
#include <string>
#include <vector>

namespace akida::cpu {

class LayerOp;
class Team;

/// Zero and total counts of a layer's outputs over the frames run.
struct LayerSparsity {
  int64_t zeros = 0;
  int64_t values = 0;
};

class Plan {
public:
  /// Builds the plan of `model`, whose layers have output types `types`
  /// (as Model validated them), for the kernels of `isa`.
  Plan(const ModelDesc &model, const std::vector<ActType> &types, Isa isa);
  ~Plan();
  Plan(const Plan &) = delete;
  Plan &operator=(const Plan &) = delete;

  Isa isa() const { return isa_; }

  /// Runs frames [begin, begin + count) of `inputs` (NHWC uint8/int8, as
  /// Model::forward takes them) and writes each frame's model output to
  /// `out` (outputFrameBytes() per frame, in the layout of Model::forward's
  /// result: uint8/int8, int32 with unsigned values saturated, or float32).
  /// Temporal layers keep their FIFOs in `states` (one per layer). With
  /// `sparsity` (one entry per layer), counts each layer's zero outputs.
  /// Errors are the reference's (std::invalid_argument naming the layer).
  void run(const Array &inputs, int64_t begin, int64_t count, uint8_t *out,
           std::vector<ref::TemporalState> &states,
           std::vector<LayerSparsity> *sparsity = nullptr) const;

  /// Runs frames [begin, begin + count) one after another like run(), and
  /// adds each layer's wall time (seconds) to `seconds` (one per layer).
  void profile(const Array &inputs, int64_t begin, int64_t count,
               uint8_t *out, std::vector<ref::TemporalState> &states,
               std::vector<double> &seconds) const;

  /// Below this many multiply-adds a frame is not worth splitting across
  /// threads (bench/README.md: DS-CNN), nor a thread hop of its own (the
  /// CPU actor of a one-lane pipeline runs it on the stage's thread).
  static constexpr int64_t kSmallFrameMacs = 10'000'000;
  /// Dense multiply-adds of one frame.
  int64_t macs() const { return macs_; }
  int64_t outputFrameBytes() const { return outBytes_; }
  /// Bytes of one frame's arena, and of a thread's scratch.
  int64_t arenaBytes() const { return arenaBytes_; }
  int64_t scratchBytes() const { return scratchBytes_; }
  /// Per layer, the kernel that runs it ("reference (...)" for layers the
  /// fast ops do not cover).
  std::vector<std::string> kernelNames() const;
  /// Whether layer `i` runs on the reference kernel.
  bool usesReference(int i) const;

private:
  void runFrame(uint8_t *arena, const uint8_t *input, int64_t index,
                bool parallel, uint8_t *out,
                std::vector<ref::TemporalState> &states,
                std::vector<LayerSparsity> *sparsity,
                std::vector<double> *seconds = nullptr,
                Team *team = nullptr) const;
  static uint8_t *scratchOf(const void *plan);
  struct Workspaces;

  Isa isa_;
  std::vector<std::unique_ptr<LayerOp>> ops_;
  std::vector<bool> reference_;
  std::vector<int64_t> offsets_;
  int64_t arenaBytes_ = 0, scratchBytes_ = 0;
  int64_t inFrameBytes_ = 0, outBytes_ = 0;
  ElemKind lastKind_ = ElemKind::U8;
  bool sequential_ = false;
  int64_t macs_ = 0; ///< per frame
  std::unique_ptr<Workspaces> workspaces_;
};

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_PLAN_H
