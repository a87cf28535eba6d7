//===- HardwareDevice.h - An Akida chip driven over USB -----------*- C++ -*-===//
//
// The host end of docs/device/usb-protocol.md: a ProgrammableDevice whose
// every operation is a command to the chip. program() uploads the program
// in chunks and commits it; forward() uploads the input batch as events,
// runs it and fetches the result (output, exported layers, power events)
// in chunks; clocks and time come from the chip's counters.
//
// Failures: a transfer that times out (or a reply that fails its framing)
// is retried with the same sequence number — the chip answers a repeated
// command from its cache, so a retry never runs anything twice — up to
// `retries` times, then TransportTimeout names the device, the command and
// the time waited. A lost device (unplugged mid-inference) raises
// DeviceLost at once, naming the device and the command it was lost in.
// An error status from the chip becomes std::invalid_argument (bad
// argument, rejected program or input) or std::runtime_error, with the
// chip's own message.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_HARDWAREDEVICE_H
#define AKIDA_DEVICE_USB_HARDWAREDEVICE_H

#include "device/ProgrammableDevice.h"
#include "device/usb/Protocol.h"
#include "device/usb/Transport.h"

#include <memory>

namespace akida::usb {

struct LinkOptions {
  unsigned timeoutMs = 5000; ///< per transfer
  int retries = 2;           ///< extra tries after a timeout
};

class HardwareDevice final : public ProgrammableDevice {
public:
  /// Asks the chip who it is (Info) and checks that it speaks this
  /// protocol version and is the chip `device` describes; throws
  /// std::runtime_error naming the mismatch. Sets the clock to 300 MHz.
  HardwareDevice(std::unique_ptr<Transport> transport, Device device,
                 LinkOptions options = {});

  const Device &device() const override { return device_; }
  const DeviceIdentity &identity() const { return identity_; }

  void set_clock_mhz(double mhz) override;
  void set_power_measurement_enabled(bool enabled) override;
  double time_ms() const override { return clocks_.nowMs; }
  double power_floor() const override { return identity_.floorMw; }

  void program(const std::vector<uint8_t> &bytes) override;
  int max_batch_size() const override { return maxBatch_; }
  void set_batch_size(int batchSize) override;
  int inputLayer() const override { return inputLayer_; }
  int outputLayer() const override { return outputLayer_; }

  ref::Activations forward(const ref::Activations &input) override;
  const DeviceMetrics &metrics() const override { return metrics_; }
  const std::vector<PowerEvent> &inference_power_events() const override {
    return powerEvents_;
  }
  const std::map<int, ref::Activations> &exported() const override {
    return exported_;
  }
  ref::Activations fit(const ref::Activations &input,
                       const std::vector<int64_t> &labels) override;
  learning::LearnMem learn_mem() override;
  void update_learn_mem(const learning::LearnMem &mem) override;

  /// The protocol's own operations.
  uint32_t read_register(uint32_t address);
  void write_register(uint32_t address, uint32_t value);
  /// Forgets the program and zeroes the counters on the chip.
  void reset();
  /// Reads the clock counters (and refreshes time_ms()).
  Clocks read_clocks();

  /// Commands sent, counting retries.
  int64_t transfers() const { return transfers_; }

private:
  /// Sends one command and returns the data of its Ok reply.
  std::vector<uint8_t> call(Opcode op, const std::vector<uint8_t> &payload);
  /// One reply frame, read in IN transfers of kInTransferSize.
  std::vector<uint8_t> receiveFrame();
  void upload(const std::vector<uint8_t> &bytes);
  /// The `size` bytes of the result buffer, in ReadResult chunks.
  std::vector<uint8_t> readResult(uint32_t size);
  /// Run or Fit (`labels`) of `input`, the result read back.
  ref::Activations run(const ref::Activations &input,
                       const std::vector<int64_t> *labels);
  std::string who() const;

  std::unique_ptr<Transport> transport_;
  Device device_;
  LinkOptions options_;
  DeviceIdentity identity_;
  uint16_t sequence_ = 0;
  int64_t transfers_ = 0;
  int maxBatch_ = 0;
  int inputLayer_ = -1, outputLayer_ = -1;
  Clocks clocks_;
  DeviceMetrics metrics_;
  std::vector<PowerEvent> powerEvents_;
  std::map<int, ref::Activations> exported_;
};

} // namespace akida::usb

#endif // AKIDA_DEVICE_USB_HARDWAREDEVICE_H
