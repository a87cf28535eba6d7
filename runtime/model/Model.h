//===- Model.h - The Akida Model API ------------------------------*- C++ -*-===//
//
// The C++ mirror of akida.Model: build a model from layers or load a .fbz,
// inspect and edit layers and variables, run it (forward, predict,
// predict_classes, evaluate, evaluate_sparsity) on the CPU backend (fast
// kernels bit-exact with the reference kernels, runtime/cpu/) or, once
// mapped, through its actor pipeline on the device (actors/), and save it.
// Every misuse throws std::invalid_argument (bad argument) or
// std::runtime_error (wrong state) with a message naming the layer or
// argument and what was expected.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_MODEL_MODEL_H
#define AKIDA_RUNTIME_MODEL_MODEL_H

#include "compiler/fbz/ModelDesc.h"
#include "device/sim/PowerModel.h"
#include "runtime/reference/Learning.h"
#include "runtime/model/Mapping.h"
#include "runtime/reference/Reference.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace akida {

class Model;
class ProgrammableDevice;
namespace cpu {
class Plan;
}
namespace actors {
class ModelPipeline;
}

/// Device counters of the last inference (akida.Metrics).
struct Metrics {
  int64_t inference_frames = 0;
  int64_t inference_clk = 0; ///< device clocks of the last forward
  int64_t program_clk = 0;   ///< clocks spent programming (chain loading)
  /// ms on the device's simulated timeline (the power events' ts): the
  /// start of the last forward, and the start + its device time at the
  /// clock rate (programming is not on the timeline).
  double inference_start = 0;
  double inference_end = 0;
};

/// akida.Statistics of the last inference on a device.
struct Statistics {
  int64_t inference_frames = 0;
  double fps = 0;
  /// Power range of the power events inside [inference_start,
  /// inference_end], mW, the floor included, by the SDK's rule (the first
  /// event dropped, at least two remaining; powerFigures): absent when
  /// measurement was off or the inference too short.
  std::optional<PowerRange> power;
  /// Energy per frame, mJ: power->avg x duration / frames (with power).
  std::optional<double> energy;
  int64_t inference_clk = 0;
  int64_t program_clk = 0;
  /// The SDK's printed lines: the framerate, the power range and energy
  /// when present, then the metrics.
  std::string str() const;
};

/// A layer of a model, as get_layer returns it: reads go to the model's
/// layer, set_variable checks and writes through.
class Layer {
public:
  const std::string &name() const { return desc().name; }
  LayerType type() const { return desc().type; }
  const std::map<std::string, int64_t> &params() const { return desc().params; }
  /// A parameter (stored or defaulted).
  int64_t param(const std::string &name) const;
  /// Names of the layers this one reads.
  std::vector<std::string> inbounds() const;
  /// (rows, columns, channels) of the first input and of the output.
  std::array<int64_t, 3> input_dims() const;
  std::array<int64_t, 3> output_dims() const;
  /// Element type of the output.
  const ActType &output_type() const;
  bool output_signed() const { return output_type().isSigned; }
  int output_bits() const { return output_type().bits; }

  std::vector<std::string> get_variable_names() const;
  /// The variable's values; throws if the layer has no such variable set.
  const Array &get_variable(const std::string &name) const;
  /// Replaces a variable after checking its name, dtype, shape and value
  /// range (weights within their bit width).
  void set_variable(const std::string &name, const Array &values);

  const LayerDesc &desc() const;

private:
  friend class Model;
  Layer(Model *model, int index) : model(model), index(index) {}
  Model *model;
  int index;
};

class Model {
public:
  /// An empty model; add an input layer first.
  Model() = default;
  /// Loads a .fbz file.
  explicit Model(const std::string &path);
  /// Rebuilds a model from to_buffer() bytes.
  static Model from_buffer(const std::vector<uint8_t> &bytes);
  /// Wraps a description, validating every layer.
  explicit Model(ModelDesc desc);
  /// A model of `layers` in order: the first is the input layer and takes
  /// `input_shape`; each other one reads its `inbounds` (indices) or, when
  /// they are empty, the layer before it.
  Model(std::array<int64_t, 3> input_shape, std::vector<LayerDesc> layers);

  /// Appends a layer. The first layer must be an input layer and takes
  /// `input_shape` (rows, columns, channels); later layers read the named
  /// inbound layers, or the last layer when `inbounds` is empty. The layer's
  /// variables may be given now or set later; forward needs them all.
  void add(LayerDesc layer, const std::vector<std::string> &inbounds = {});
  void add_input(LayerDesc layer, std::array<int64_t, 3> input_shape);
  /// Removes the last layer.
  void pop_layer();

  Layer get_layer(const std::string &name);
  Layer get_layer(int index);
  int get_layer_count() const { return static_cast<int>(desc_.layers.size()); }
  std::vector<Layer> layers();

  std::array<int64_t, 3> input_shape() const;
  std::array<int64_t, 3> output_shape() const;
  IpVersion ip_version() const;
  const ModelDesc &desc() const { return desc_; }

  /// The unmapped summary (SDK format).
  std::string summary() const;

  void save(const std::string &path) const;
  std::vector<uint8_t> to_buffer() const;

  /// Runs NHWC inputs (uint8, or int8 for a signed input) through every
  /// layer. Returns uint8/int8 activations, int32 potentials for wider or
  /// activation-free outputs, float32 after a Dequantizer. batch_size 0 runs
  /// the whole array at once; otherwise in chunks of that size.
  Array forward(const Array &inputs, int batch_size = 0);
  /// forward on the reference kernels, layer by layer (the definition of
  /// the maths, runtime/reference/): for tests and comparisons.
  Array forward_reference(const Array &inputs, int batch_size = 0);
  /// The CPU kernel that runs each layer in forward (e.g. "conv 3x3/1
  /// implicit-gemm u8 fused-requant"; "reference (why)" for a layer the fast
  /// kernels do not cover), for the instruction set in use.
  std::vector<std::string> cpu_kernels();
  /// Dequantized float32 outputs; the last layer must have no activation.
  Array predict(const Array &inputs, int batch_size = 0);
  /// Class ids: argmax of predict (of forward for an activation output),
  /// neurons grouped per class when num_classes divides the outputs.
  std::vector<int> predict_classes(const Array &inputs, int num_classes = 0,
                                   int batch_size = 0);
  /// Fraction of samples whose predicted class equals the label.
  float evaluate(const Array &inputs, const std::vector<int> &labels,
                 int num_classes = 0, int batch_size = 0);
  /// Fraction of zero activations per layer (by name) over `inputs`.
  std::map<std::string, float> evaluate_sparsity(const Array &inputs);

  /// Clears the FIFO state of temporal layers.
  void reset_states();

  /// Edge learning (Akida 1.0; docs/runtime/learning.md). Makes the last
  /// layer — a FullyConnected with 1-bit weights reading 1-bit inputs —
  /// learn with `optimizer`: fresh random connections (seeded by `seed`),
  /// the learning state kept in the layer (saved with the model).
  /// std::invalid_argument naming what is not allowed.
  void compile(const AkidaUnsupervised &optimizer, uint32_t seed = 0);
  /// The optimizer after compile() (also of a loaded model), or nullopt.
  std::optional<AkidaUnsupervised> learning() const;
  /// Runs `inputs` and learns from each sample in order: with `labels` (one
  /// per sample) only the label's neurons learn; without, the winner among
  /// all. Returns what forward gives, each sample's output taken before it
  /// is learned. A mapped model stays mapped: its device is reprogrammed
  /// with the learned weights.
  Array fit(const Array &inputs, const std::vector<int> &labels = {},
            int batch_size = 0);
  /// Grows the learning layer by `num_add_classes` classes of neurons.
  void add_classes(int num_add_classes);

  /// Maps the model on `device` (SDK Model.map): sequences, passes, NPs per
  /// layer and one program per hardware sequence. With `hw_only`, throws
  /// std::invalid_argument unless the whole model is one hardware sequence.
  /// Editing the model afterwards drops the mapping.
  void map(const Device &device, bool hw_only = false,
           MapMode mode = MapMode::AllNps);
  /// The same on a device already opened (a HardwareDevice over a given
  /// transport, a VirtualDevice with its own constants): the model is
  /// mapped on device->device() and runs on `device`.
  void map(std::shared_ptr<ProgrammableDevice> device, bool hw_only = false,
           MapMode mode = MapMode::AllNps);
  /// The device the model is mapped on (null before map()): what forward
  /// runs the hardware sequences on.
  std::shared_ptr<ProgrammableDevice> device() const { return device_; }
  /// The mapping, or null before map().
  const ModelMapping *mapping() const {
    return mapping_ ? &*mapping_ : nullptr;
  }
  /// The sequences of the mapping (one software sequence when unmapped).
  std::vector<Sequence> sequences() const;
  /// NPs of a layer after map() (empty for the HRC, InputData, software).
  std::vector<NpMapping> layer_nps(const std::string &name) const;

  /// Counters of the last forward on the mapped device (zero before).
  const Metrics &metrics() const { return metrics_; }
  /// Frames per second and clocks of the last forward on the device; the
  /// device time is inference_clk at `clock_mhz` (300 MHz by default).
  Statistics statistics() const;
  void set_clock_mhz(double mhz);

  /// The device's soc.power_measurement_enabled for the forwards of this
  /// model (off by default; kept across map()).
  void set_power_measurement_enabled(bool enabled);
  bool power_measurement_enabled() const { return powerMeasurement_; }
  /// akida.Model.power_events: the device's PowerEvents of the last forward
  /// (every hardware sequence), empty when measurement was off.
  const std::vector<PowerEvent> &power_events() const { return powerEvents_; }
  /// soc.power_meter.floor of the mapped device, mW (std::runtime_error
  /// before map()).
  double power_floor() const;

private:
  friend class Layer;
  /// Checks layer `index` (parameters, inbounds, variables) and records its
  /// output type; throws naming the layer.
  void validateLayer(size_t index);
  void validateAll();
  void checkRunnable() const;
  /// Checks `inputs` against the model input (rank, shape, dtype).
  void checkInputs(const Array &inputs, const char *caller) const;
  /// Every layer's activations for samples [begin, begin + count).
  std::vector<ref::Activations> runChunk(const Array &inputs, int64_t begin,
                                         int64_t count);
  /// Calls `consume` with each chunk's activations.
  template <typename F>
  void runBatches(const Array &inputs, int batch_size, const char *caller,
                  F consume);
  int layerIndex(const std::string &name) const;

  /// Runs a batch through the mapped model's actor pipeline: a device actor
  /// per hardware sequence (its program on the mapped device), a CPU actor
  /// per software sequence.
  Array forwardOnDevice(const Array &inputs, int batch_size);
  /// forward (labels null: the whole batch as one frame) or fit (one frame
  /// per sample, learned from) through the pipeline; metrics and power
  /// events from the run.
  Array runOnDevice(const Array &inputs, const std::vector<int64_t> *labels);
  /// The actor pipeline of the mapping, built on first use after map().
  actors::ModelPipeline &pipeline();
  /// Drops the mapping, the device and the pipeline (an edit, a re-map).
  void unmap();
  /// The CPU plan for the instruction set in use, built on first use and
  /// dropped by every edit of the model.
  const cpu::Plan &plan();

  ModelDesc desc_;
  std::optional<ModelMapping> mapping_;
  std::shared_ptr<ProgrammableDevice> device_;
  Metrics metrics_;
  double clockMhz_ = 300.0;
  bool powerMeasurement_ = false;
  std::vector<PowerEvent> powerEvents_;
  std::vector<ActType> outputTypes_;
  std::vector<ref::TemporalState> states_;
  /// Shared by copies of the model (a plan is immutable once built; each
  /// thread runs it in its own workspace); an edit replaces this model's.
  std::shared_ptr<const cpu::Plan> plan_;
  /// The mapping's actor pipeline (actors/ModelPipeline.h). Not shared by
  /// copies: a copy builds its own (its own CPU temporal state) on the same
  /// device.
  struct PipelineSlot {
    std::shared_ptr<actors::ModelPipeline> pipeline;
    PipelineSlot() = default;
    PipelineSlot(const PipelineSlot &) {}
    PipelineSlot(PipelineSlot &&) = default;
    PipelineSlot &operator=(const PipelineSlot &) {
      pipeline.reset();
      return *this;
    }
    PipelineSlot &operator=(PipelineSlot &&) = default;
  };
  PipelineSlot pipeline_;
};

} // namespace akida

#endif // AKIDA_RUNTIME_MODEL_MODEL_H
