//===- LayerOp.h - One layer of a Plan --------------------------*- C++ -*-===//
//
// A LayerOp runs one layer on one frame: it reads its inputs' buffers and
// writes its output buffer, all inside the frame's arena laid out by the
// Plan. Everything a frame needs (packed weights, per-channel stages, buffer
// sizes) is prepared when the op is built; run() allocates nothing. An op
// may split its work with parallelFor (TBB tasks inside the frame) when the
// frame allows it, taking per-thread scratch from Frame::scratch().
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_LAYEROP_H
#define AKIDA_RUNTIME_CPU_LAYEROP_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/cpu/Kernels.h"
#include "runtime/cpu/Team.h"
#include "runtime/cpu/Tensor.h"
#include "runtime/reference/Reference.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <memory>
#include <string>
#include <vector>

namespace akida::cpu {

/// What an op sees of the frame it runs on.
struct Frame {
  uint8_t *arena = nullptr;           ///< this frame's buffers
  const int64_t *offsets = nullptr;   ///< arena offset of each layer output
  const uint8_t *input = nullptr;     ///< the model input of this frame
  int64_t index = 0;                  ///< frame number in the forward chunk
  bool parallel = false;              ///< ops may split work into tasks
  Team *team = nullptr;               ///< when set, loops run on it
  std::vector<ref::TemporalState> *states = nullptr;
  /// This thread's scratch (at least the plan's largest scratchBytes()).
  uint8_t *(*scratchOf)(const void *plan) = nullptr;
  const void *plan = nullptr;

  /// The output buffer of layer `layer` (-1: the model input).
  uint8_t *data(int layer) const {
    return layer < 0 ? const_cast<uint8_t *>(input) : arena + offsets[layer];
  }
  uint8_t *scratch() const { return scratchOf(plan); }
};

/// Runs body(begin, end) over [0, n): on the frame's team, or as TBB tasks
/// of about `grain` items, when the frame is parallel; else in one call.
template <typename F>
void parallelFor(const Frame &frame, int64_t n, int64_t grain, const F &body) {
  if (n <= 0)
    return;
  if (!frame.parallel || n <= grain) {
    body(int64_t(0), n);
    return;
  }
  if (frame.team) {
    frame.team->run(n, grain, body);
    return;
  }
  // Isolated: a thread waiting here only runs this loop's tasks, never an
  // outer task that could reuse its workspace.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, grain),
                      [&](const tbb::blocked_range<int64_t> &r) {
                        body(r.begin(), r.end());
                      });
  });
}

class LayerOp {
public:
  virtual ~LayerOp() = default;
  /// Computes the layer's output for one frame.
  virtual void run(const Frame &frame) const = 0;
  /// Scratch bytes a task of this op needs (per thread).
  virtual size_t scratchBytes() const { return 0; }
  /// Bytes of the op's own frame buffer (lives while the op runs).
  virtual size_t tempBytes() const { return 0; }
  /// Which kernel runs the layer, e.g. "conv3x3 u8 vnni", for summaries.
  virtual std::string kernelName() const = 0;
  /// Multiply-accumulates of one frame (what decides whether a frame is
  /// worth splitting across threads).
  virtual int64_t macs() const { return 0; }
  /// Whether frames must run one after another, in order (temporal state).
  virtual bool sequential() const { return false; }
  /// Checks the model input of `frames` frames (frameBytes each) before any
  /// runs, so that a bad value is reported as the reference reports it
  /// whatever the order frames run in (input layers only).
  virtual void checkInput(const uint8_t *input, int64_t frames,
                          int64_t frameBytes) const {
    (void)input, (void)frames, (void)frameBytes;
  }

  int layer = 0;                  ///< index in the model
  std::vector<int> inputs;        ///< producer layers (-1: model input)
  std::vector<ActType> inTypes;   ///< their types
  ActType outType;
  int64_t tempOffset = 0;         ///< arena offset of the temp buffer

  uint8_t *out(const Frame &f) const { return f.data(layer); }
  const uint8_t *in(const Frame &f, size_t i = 0) const {
    return f.data(inputs[i]);
  }
  uint8_t *temp(const Frame &f) const { return f.arena + tempOffset; }
};

/// What building an op needs to know.
struct OpContext {
  const LayerDesc &layer;
  int index;
  std::vector<int> inputs;
  std::vector<ActType> inTypes;
  ActType outType;
  const KernelTable &kernels;
};

// Builders, one per layer family (the *Op.cpp files). Each throws when the
// layer is outside what its kernels compute exactly; the Plan then runs the
// reference kernel for that layer instead.
std::unique_ptr<LayerOp> makeConvOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeSeparableOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeDepthwiseOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeDenseOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeTransposedOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeInputDataOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeAddOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeConcatenateOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeDequantizerOp(const OpContext &ctx);
std::unique_ptr<LayerOp> makeExtractTokenOp(const OpContext &ctx);
/// The reference kernel (ref::runLayer) on widened copies of the inputs:
/// every layer the fast ops do not cover, temporal layers included.
std::unique_ptr<LayerOp> makeReferenceOp(const OpContext &ctx,
                                         const std::string &why);

/// Sets `op`'s common fields from `ctx`.
void initOp(LayerOp &op, const OpContext &ctx);

/// Throws std::invalid_argument "layer 'NAME' (Type): WHAT".
[[noreturn]] void unsupported(const LayerDesc &layer, const std::string &what);

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_LAYEROP_H
