//===- SequenceExecutor.h - Running one sequence of a mapped model -*- C++ -*-===//
//
// The work behind a sequence actor, without the actor: a hardware sequence
// runs its program on a ProgrammableDevice (the simulator or a chip over
// USB), a software sequence runs on the CPU: on the fast kernels
// (runtime/cpu's Plan, TBB-parallel inside a frame and across a batch) when
// it starts at the model input and hands on only its last layer (an
// unmapped model; a mapping whose first sequence is software), else layer by
// layer on the reference kernels (ref::runLayer; samples of a batch in
// parallel with TBB when no layer keeps temporal state). Both are bit-exact
// with the reference, so the pipeline's results equal Model::forward's.
//
// Several hardware sequences of a model share one device (DeviceSlot): each
// programs it when another program is loaded (chain loading). A restart
// (supervision) re-opens the device through the slot's factory; the next
// frame programs it again.
//
// Edge learning (Model::fit through the pipeline): a learning frame makes
// the sequence that holds the model's learning layer learn from each
// sample. A hardware one calls the device's fit (the chip learns in its
// NPs); before another sequence's program replaces it on the device, it
// saves the learned state (learn_mem) and puts it back when it programs the
// device again. A software one learns with learning::learn on its own copy
// of the layer. learned() gives the state for the model to keep.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SEQUENCEEXECUTOR_H
#define AKIDA_ACTORS_SEQUENCEEXECUTOR_H

#include "actors/DenseTile.h"
#include "actors/PipelinePlan.h"
#include "device/ProgrammableDevice.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace akida::cpu {
class Plan;
}

namespace akida::actors {

class DeviceSequence;

/// Activations by layer (kModelInputEdge: the model input).
using LayerActs = std::map<int, ref::Activations>;

/// Opens (or re-opens) the device a model runs on.
using DeviceFactory = std::function<std::shared_ptr<ProgrammableDevice>()>;

/// One device shared by the hardware sequences of a model.
class DeviceSlot {
public:
  explicit DeviceSlot(DeviceFactory factory);
  /// Re-opens the device (after a failure); the next run programs it.
  void reopen();
  int64_t reopens() const { return reopens_; }
  /// Forgets which program is loaded: the next run programs the device
  /// (Model::forward programs on every call, as the SDK counts it).
  void unload();
  /// While on, the power events of every forward are kept, in run order,
  /// until taken (Model::power_events). Off by default: a stream keeps none.
  void keepPowerEvents(bool on);
  std::vector<PowerEvent> takePowerEvents();

private:
  friend class DeviceSequence;
  DeviceFactory factory_;
  std::shared_ptr<ProgrammableDevice> device_;
  std::mutex mutex_;
  DeviceSequence *loaded_ = nullptr; ///< whose program is loaded
  int64_t reopens_ = 0;
  bool keepPowerEvents_ = false;
  std::vector<PowerEvent> powerEvents_;
};

/// Device counters of one hardware sequence over every frame it ran.
struct SequenceCounters {
  int64_t frames = 0;
  int64_t programs = 0;       ///< times it programmed the device
  int64_t program_clk = 0;
  int64_t inference_clk = 0;
};

class SequenceExecutor {
public:
  virtual ~SequenceExecutor() = default;
  const StagePlan &plan() const { return plan_; }
  /// Computes the sequence's layers from `acts` (which must hold what the
  /// plan reads) and adds their outputs. Throws what the device or kernels
  /// throw; std::invalid_argument naming a missing input.
  virtual void run(LayerActs &acts) = 0;
  /// Whether runDense takes the model input as this tile (bytes as they
  /// came, no unpacking); false by default.
  virtual bool takesDenseInput(const DenseTile &) const { return false; }
  /// run() for a stage that reads only the model input, given as `tile`.
  virtual void runDense(const DenseTile &tile, LayerActs &acts);
  /// run() of a learning frame: the sequence holding the learning layer
  /// learns from each sample after computing it (`labels`: one per sample,
  /// a negative one does not train, or empty: unsupervised); the others
  /// just run.
  virtual void fit(LayerActs &acts, const std::vector<int64_t> &labels) {
    (void)labels;
    run(acts);
  }
  /// The learning layer's state as this sequence has learned it, or
  /// nullopt when it does not hold the learning layer.
  virtual std::optional<learning::LearnMem> learned() { return std::nullopt; }
  /// Called by the supervisor before a retry.
  virtual void restart() {}
  /// Clears temporal state (Model::reset_states).
  virtual void resetStates() {}
  /// How many frames it may run at once, each on its own thread (the lanes
  /// of a CPU actor): 1 unless frames are independent of each other.
  virtual int lanes() const { return 1; }
  /// Whether a frame takes so little time that a thread hop would cost a
  /// large share of it (cpu::Plan::kSmallFrameMacs).
  virtual bool shortFrames() const { return false; }
  SequenceCounters counters() const;

protected:
  explicit SequenceExecutor(StagePlan plan) : plan_(std::move(plan)) {}
  /// Adds `frames` run (safe from several lanes at once).
  void countFrames(int64_t frames);
  StagePlan plan_;
  mutable std::mutex countersMutex_;
  SequenceCounters counters_; ///< under countersMutex_
};

/// A hardware sequence: its program on the slot's device.
class DeviceSequence final : public SequenceExecutor {
public:
  DeviceSequence(std::shared_ptr<const ModelDesc> model, StagePlan plan,
                 std::vector<uint8_t> program,
                 std::shared_ptr<DeviceSlot> slot);
  void run(LayerActs &acts) override;
  void fit(LayerActs &acts, const std::vector<int64_t> &labels) override;
  std::optional<learning::LearnMem> learned() override;
  void restart() override { slot_->reopen(); }

private:
  friend class DeviceSlot;
  /// forward, or fit with `labels`, of the frame (under the slot's lock).
  void runOn(LayerActs &acts, const std::vector<int64_t> *labels);
  /// Keeps what the device has learned before another program replaces
  /// ours (the slot's lock held).
  void save(ProgrammableDevice &dev);
  std::shared_ptr<const ModelDesc> model_;
  std::vector<uint8_t> program_;
  std::shared_ptr<DeviceSlot> slot_;
  bool learns_ = false; ///< the program holds the learning layer
  std::optional<learning::LearnMem> learnMem_; ///< saved off the device
};

/// A software sequence: its layers on the fast kernels or the reference
/// ones. Temporal layers keep their state across frames (as Model keeps
/// states_); without them frames are independent, and run() may be called
/// from lanes() threads at once.
class CpuSequence final : public SequenceExecutor {
public:
  CpuSequence(std::shared_ptr<const ModelDesc> model, StagePlan plan);
  ~CpuSequence() override;
  void run(LayerActs &acts) override;
  bool takesDenseInput(const DenseTile &tile) const override;
  void runDense(const DenseTile &tile, LayerActs &acts) override;
  void fit(LayerActs &acts, const std::vector<int64_t> &labels) override;
  std::optional<learning::LearnMem> learned() override;
  void resetStates() override;
  /// One per thread TBB may use (AKIDA_THREADS / global_control), or 1 when
  /// a layer keeps temporal state or the sequence learns.
  int lanes() const override;
  /// On the fast kernels, frames under cpu::Plan::kSmallFrameMacs.
  bool shortFrames() const override;
  /// Whether it runs on the fast kernels (a Plan) rather than layer by
  /// layer on the reference.
  bool fast() const { return fast_ != nullptr; }

private:
  void runLayers(LayerActs &acts, const std::vector<int64_t> *labels);
  void runFast(const Array &inputs, LayerActs &acts);
  std::shared_ptr<const ModelDesc> model_;
  std::map<int, ref::TemporalState> states_;
  bool temporal_ = false;
  /// The learning layer (its index and the layer as it has learned), when
  /// the sequence holds it; such a sequence runs on the reference kernels.
  int learnerIndex_ = -1;
  LayerDesc learner_;
  /// The plan of the model's layers [0, last] when fast.
  std::unique_ptr<const cpu::Plan> fast_;
  std::vector<ref::TemporalState> fastStates_;
  ActType outType_;
};

/// One executor per stage of `plan`: DeviceSequence for hardware sequences
/// (all on `slot`; it may be null when there are none), CpuSequence else.
std::vector<std::shared_ptr<SequenceExecutor>>
makeExecutors(std::shared_ptr<const ModelDesc> model, const PipelinePlan &plan,
              const std::vector<Sequence> &sequences,
              std::shared_ptr<DeviceSlot> slot);

/// The activations a layer input comes from; throws std::invalid_argument
/// naming the layer when the frame lacks it.
const ref::Activations &inputOf(const LayerActs &acts, int layer,
                                const ModelDesc &model,
                                const std::string &stage);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SEQUENCEEXECUTOR_H
