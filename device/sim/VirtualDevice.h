//===- VirtualDevice.h - A simulated Akida device ------------------*- C++ -*-===//
//
// The counterpart of the SDK's HardwareDevice for the virtual devices: it is
// programmed with the bytes of one hardware sequence (emitProgram), runs
// batches through it, and counts the clocks programming and inference take
// (CostModel.h). Everything it runs comes from the program: readProgram
// decodes it, every configuration record becomes a unit of the mesh (an NP
// with its filter slice and column block, the HRC, a skip-DMA channel), the
// recorded DMA descriptors move each unit's output to the units that read
// it, and passes are configured one after the other (partial
// reconfiguration). The model is never consulted. docs/device/simulator.md
// describes the execution.
//
// The device has a simulated timeline (ms): forward() advances it by its
// inference clocks at clock_mhz(), idle() by a given time; programming is
// not on it. With power measurement enabled (the SDK's
// soc.power_measurement_enabled, off by default) the power meter records
// PowerEvents over each forward (PowerModel.h).
//
//   VirtualDevice dev(AKD1000());
//   dev.program(bytes);                 // readProgram + compatibility checks
//   dev.set_batch_size(8);              // <= 15 single pass, 1 otherwise
//   dev.set_power_measurement_enabled(true);
//   ref::Activations out = dev.forward(in);
//   dev.metrics().inference_clk;
//   dev.inference_power_events();       // PowerEvent{ts, voltage, current, power}
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_VIRTUALDEVICE_H
#define AKIDA_DEVICE_SIM_VIRTUALDEVICE_H

#include "compiler/program/Program.h"
#include "device/ProgrammableDevice.h"
#include "device/sim/CostModel.h"
#include "device/sim/PowerModel.h"
#include "device/sim/Unit.h"
#include "runtime/reference/Reference.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace akida {

namespace sim {

/// Where one DMA descriptor of a unit delivers.
struct Delivery {
  int target = -1; ///< unit index in the pass, or -1: the event DMA (export)
  int destInput = 0;
  int sourceLayer = -1;
  int64_t first = 0, end = 0; ///< channels
  int64_t hops = 0;
};

/// The learning layer of a program (layer -1: none), the units that hold
/// it (pass, unit) and its learning state (OnChipLearning.cpp).
struct LearningState {
  int layer = -1;
  std::vector<std::pair<size_t, size_t>> units;
  LayerDesc learner;
};

/// A pass as configured on the mesh.
struct LoadedPass {
  std::vector<std::unique_ptr<Unit>> units;
  std::vector<std::vector<Delivery>> routes; ///< per unit
  std::vector<Delivery> inputs;              ///< from the event DMA
  std::vector<std::vector<int>> layerUnits;  ///< per pass layer, unit indices
};

} // namespace sim

class VirtualDevice final : public ProgrammableDevice {
public:
  explicit VirtualDevice(Device device);
  VirtualDevice(Device device, CostConstants constants);
  VirtualDevice(Device device, CostConstants constants,
                PowerConstants power);
  ~VirtualDevice();
  VirtualDevice(VirtualDevice &&) noexcept;
  VirtualDevice &operator=(VirtualDevice &&) noexcept;

  const Device &device() const override { return device_; }
  const CostModel &costModel() const { return cost_; }
  const PowerModel &powerModel() const { return power_; }

  /// The clock the timeline runs at, MHz (300 by default);
  /// std::invalid_argument unless positive.
  void set_clock_mhz(double mhz) override;
  double clock_mhz() const { return clockMhz_; }
  /// Now on the device timeline, ms (0 when the device is created).
  double time_ms() const override { return meter_.timeMs(); }
  /// Spends `ms` idle (floor power): the SDK's akida run waits so before
  /// reading the floor. Recorded as a forward is, when measurement is on.
  void idle(double ms);

  /// soc.power_measurement_enabled (off by default): when on, the meter
  /// keeps the PowerEvents of each forward (and idle) call.
  void set_power_measurement_enabled(bool enabled) override {
    powerMeasurement_ = enabled;
  }
  bool power_measurement_enabled() const { return powerMeasurement_; }
  /// soc.power_meter: floor() and events() (of the last forward or idle).
  const PowerMeter &power_meter() const { return meter_; }
  double power_floor() const override { return meter_.floor(); }
  /// HardwareDevice.inference_power_events: the events of the last forward
  /// (empty when measurement was off).
  const std::vector<PowerEvent> &inference_power_events() const override {
    return meter_.events();
  }

  /// Decodes `bytes` (readProgram: ProgramError on a malformed program) and
  /// configures the mesh from its records. Throws std::invalid_argument
  /// naming what does not match when the program was made for another
  /// device version, IP version or mesh (an NP ident or type, the HRC, a
  /// skip-DMA channel the device lacks), or when a record cannot run.
  /// A program that fails leaves the device as it was. Resets the batch
  /// size to 1, the temporal states and the metrics; counts program_clk.
  void program(const std::vector<uint8_t> &bytes) override;
  /// Forgets the program.
  void unprogram();
  bool isProgrammed() const { return programmed_; }
  /// The decoded program (throws std::runtime_error when unprogrammed).
  const DecodedProgram &programInfo() const;

  /// Samples the device takes per enqueue: 1 to 15 for a single-pass
  /// program, exactly 1 for a multi-pass or a learning one (the engine's
  /// limits). std::invalid_argument above the limit, std::runtime_error
  /// before program().
  void set_batch_size(int batchSize) override;
  int batch_size() const { return batchSize_; }
  /// The largest batch size of the loaded program.
  int max_batch_size() const override;

  /// Runs `input` (batch x program input dims; values within the program
  /// input's type and the type its first layer reads) through the program,
  /// batch_size() samples at a time, and returns the program output
  /// (type = the output dims and element type). Updates metrics().
  ref::Activations forward(const ref::Activations &input) override;

  /// The layers the program reads and writes: the source of its input
  /// (the layer index its pass inputs name; -1 or an InputData index for
  /// the model input) and its output layer.
  int inputLayer() const override { return inputLayer_; }
  int outputLayer() const override { return outputLayer_; }
  /// Every layer output that left through the event DMA in the last forward
  /// call (by layer index, batch of outputs): the program output and data
  /// read by later sequences.
  const std::map<int, ref::Activations> &exported() const override {
    return exported_;
  }

  const DeviceMetrics &metrics() const override { return metrics_; }
  /// Clears the FIFOs of temporal units.
  void reset_states();

  /// On-chip learning (OnChipLearning.cpp): the units of the program's
  /// learning layer hold its weights; after each sample of fit() the device
  /// gathers the layer's input from them, takes one learning step
  /// (learning::learn) on the layer's state and writes the winner's new
  /// weights back into the unit that holds its filter.
  /// The model layer the loaded program learns in, or -1.
  int learningLayer() const { return learning_.layer; }
  ref::Activations fit(const ref::Activations &input,
                       const std::vector<int64_t> &labels) override;
  learning::LearnMem learn_mem() override;
  void update_learn_mem(const learning::LearnMem &mem) override;

private:
  void checkCompatible(const DecodedProgram &p) const;
  void load(const DecodedProgram &p);
  /// The learning layer's units and its state as `p` configures them;
  /// std::invalid_argument when the program's learning records are
  /// inconsistent.
  static sim::LearningState readLearning(const DecodedProgram &p);
  /// forward() and fit(): every sample in turn, learning from each when
  /// `labels` is given.
  ref::Activations run(const ref::Activations &input,
                       const std::vector<int64_t> *labels);
  void runFrame(const ref::Activations &input, int64_t sample);
  /// One learning step on the sample the learning units just ran.
  void learnFrom(int64_t label);
  /// Writes learner_'s weights into the learning units.
  void storeLearnedWeights();
  /// Advances the forward by `clk` clocks carrying `energy` (timeline,
  /// meter, inference_clk, dynamic energy).
  void advance(int64_t clk, const EnergyBreakdown &energy);

  Device device_;
  CostModel cost_;
  PowerModel power_;
  PowerMeter meter_;
  bool powerMeasurement_ = false;
  double clockMhz_ = 300.0;
  bool programmed_ = false;
  DecodedProgram program_;
  std::vector<sim::LoadedPass> passes_;
  std::set<int> produced_; ///< layers with units in the program
  int inputLayer_ = -1;
  int outputLayer_ = -1;
  int loadedPass_ = 0;
  int batchSize_ = 1;
  DeviceMetrics metrics_;
  std::map<int, ref::Activations> exported_;
  /// Exports of the current frame: whole layer outputs and values received.
  std::map<int, sim::Frame> frameExports_;
  std::map<int, int64_t> frameExportCount_;
  sim::LearningState learning_;
};

} // namespace akida

#endif // AKIDA_DEVICE_SIM_VIRTUALDEVICE_H
