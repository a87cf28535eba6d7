//===- ProgrammableDevice.h - A device that runs programs ---------*- C++ -*-===//
//
// What the runtime needs of a device to run a mapped model: write one
// hardware sequence's program, run batches through it, read its clocks and
// power events. Two implementations: the simulator (device/sim
// VirtualDevice) and a chip over USB (device/usb HardwareDevice, which
// speaks docs/device/usb-protocol.md). Model::forward chain-loads the
// sequences of a mapped model through this interface only, so it runs the
// same way on both.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_PROGRAMMABLEDEVICE_H
#define AKIDA_DEVICE_PROGRAMMABLEDEVICE_H

#include "device/Device.h"
#include "device/sim/PowerModel.h"
#include "runtime/reference/Learning.h"
#include "runtime/reference/Reference.h"

#include <map>
#include <vector>

namespace akida {

/// What one unit did over the frames of the last forward call.
struct UnitMetrics {
  NpIdent ident;
  NpType type = NpType::CNP1;
  int pass = 0;
  int layer = 0;
  int64_t filters = 0;
  int64_t events = 0;
  int64_t synapticOps = 0;
  int64_t eventsOut = 0;
  int64_t wordsOut = 0;
  int64_t hopsOut = 0;
  int64_t clk = 0; ///< unitClk summed over the frames
};

/// The SDK's device metrics, plus what the cost model counted (a hardware
/// device reports the SDK's counters; the rest stays zero).
struct DeviceMetrics {
  int64_t inference_frames = 0; ///< frames of the last forward call
  int64_t inference_clk = 0;    ///< clocks of the last forward call
  int64_t program_clk = 0;      ///< clocks of the last program() call
  /// Part of inference_clk spent reconfiguring passes (HwPr programs).
  int64_t reconfigure_clk = 0;
  int64_t dma_words = 0; ///< words moved by DMA descriptors (last forward)
  /// The last forward on the device timeline, ms: inference_end -
  /// inference_start = inference_clk at the device clock.
  double inference_start = 0;
  double inference_end = 0;
  /// Dynamic energy of the last forward by cause, mJ (the floor excluded:
  /// the energy drawn is floor x duration + this total).
  EnergyBreakdown dynamic_energy;
  std::vector<UnitMetrics> units;
};

class ProgrammableDevice {
public:
  virtual ~ProgrammableDevice() = default;

  /// Version, description and mesh.
  virtual const Device &device() const = 0;

  /// The clock the device timeline runs at, MHz (300 by default);
  /// std::invalid_argument unless positive.
  virtual void set_clock_mhz(double mhz) = 0;
  /// soc.power_measurement_enabled (off by default).
  virtual void set_power_measurement_enabled(bool enabled) = 0;
  /// Now on the device timeline, ms.
  virtual double time_ms() const = 0;
  /// soc.power_meter.floor, mW.
  virtual double power_floor() const = 0;

  /// Writes one program (the bytes emitProgram made) and configures the
  /// device from it. Throws std::invalid_argument or ProgramError naming
  /// what the device cannot run; a program that fails leaves the device
  /// as it was. Resets the batch size to 1; counts program_clk.
  virtual void program(const std::vector<uint8_t> &bytes) = 0;
  /// The largest batch size of the loaded program, and the one to use.
  virtual int max_batch_size() const = 0;
  virtual void set_batch_size(int batchSize) = 0;
  /// The layer the program reads (-1 or an InputData index: the model
  /// input) and the layer it writes out.
  virtual int inputLayer() const = 0;
  virtual int outputLayer() const = 0;

  /// Runs a batch through the program; returns the program output.
  virtual ref::Activations forward(const ref::Activations &input) = 0;
  /// Counters of the last program() and forward().
  virtual const DeviceMetrics &metrics() const = 0;
  /// The power events of the last forward (empty when measurement is off).
  virtual const std::vector<PowerEvent> &inference_power_events() const = 0;
  /// Every layer output the last forward sent out through the event DMA.
  virtual const std::map<int, ref::Activations> &exported() const = 0;

  // Edge learning on the chip (Akida 1.0): a program whose last layer is a
  // FullyConnected compiled for learning learns in its NPs.

  /// HardwareDevice.fit: forward() whose learning layer, after each
  /// sample's output, learns from that sample (learning::learn). `labels`:
  /// one per sample (a negative one does not train), or empty
  /// (unsupervised: every sample trains). The outputs
  /// are forward's, each taken before its sample is learned.
  /// std::invalid_argument when the program has no learning layer or the
  /// labels do not match the batch.
  virtual ref::Activations fit(const ref::Activations &input,
                               const std::vector<int64_t> &labels) = 0;
  /// learn_mem: the learning layer's state now (std::runtime_error
  /// without a learning layer).
  virtual learning::LearnMem learn_mem() = 0;
  /// update_learn_mem: puts a state back (after the device ran another
  /// program); std::invalid_argument when it does not fit the layer.
  virtual void update_learn_mem(const learning::LearnMem &mem) = 0;
};

} // namespace akida

#endif // AKIDA_DEVICE_PROGRAMMABLEDEVICE_H
