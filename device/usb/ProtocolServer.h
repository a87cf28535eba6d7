//===- ProtocolServer.h - The device end of the USB protocol ------*- C++ -*-===//
//
// What a chip's firmware does with the frames of docs/device/usb-protocol.md,
// backed by the simulator: it owns a VirtualDevice of the chip, fills the
// upload buffer, programs it, runs it as input events and serves the result
// in chunks, keeps the registers and the clock counters. One call per
// command frame, returning the reply frame. A command that repeats the last
// one (same sequence, opcode and payload: the host retrying after a lost
// reply) is answered from the cached reply, not executed twice.
//
// The umockdev device emulator (tools/akida-usb-emulator) puts it behind
// libusb; tests drive it directly.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_PROTOCOLSERVER_H
#define AKIDA_DEVICE_USB_PROTOCOLSERVER_H

#include "device/sim/VirtualDevice.h"
#include "device/usb/Protocol.h"

#include <memory>

namespace akida::usb {

class ProtocolServer {
public:
  explicit ProtocolServer(Device chip,
                          std::string firmware = "akida-sim-firmware");

  /// The reply frame to one command frame (never throws on bad input: a
  /// malformed frame gets a BadFrame reply).
  std::vector<uint8_t> handle(const std::vector<uint8_t> &request);

  /// Commands executed (retries answered from the cache not counted).
  int64_t executed() const { return executed_; }
  const VirtualDevice &device() const { return *device_; }

private:
  Frame execute(const Frame &command);
  std::vector<uint8_t> readRegister(Reader &r) const;
  void writeRegister(Reader &r);
  std::vector<uint8_t> clocks() const;

  Device chip_;
  std::string firmware_;
  std::unique_ptr<VirtualDevice> device_;
  std::vector<uint8_t> upload_;
  uint32_t uploadTotal_ = 0, uploadCrc_ = 0;
  bool uploadOpen_ = false;
  std::vector<uint8_t> result_;
  bool hasLast_ = false;
  std::vector<uint8_t> lastRequest_, lastReply_;
  int64_t executed_ = 0;
};

} // namespace akida::usb

#endif // AKIDA_DEVICE_USB_PROTOCOLSERVER_H
