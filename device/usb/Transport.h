//===- Transport.h - Moving frames to and from a device -----------*- C++ -*-===//
//
// The byte pipe under the protocol: one bulk OUT transfer per command frame,
// one bulk IN transfer per reply frame. LibusbTransport drives a real (or
// umockdev-emulated) USB device; LoopbackTransport hands the frames to a
// ProtocolServer in the same process. Failures are typed so that the
// protocol client can retry a timeout and give up at once on a lost device.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_TRANSPORT_H
#define AKIDA_DEVICE_USB_TRANSPORT_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida::usb {

/// A transfer did not complete within its timeout.
class TransportTimeout : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The device is gone (unplugged, reset by the host, powered off).
class DeviceLost : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Any other transfer failure (stall, overflow, I/O error).
class TransportError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Transport {
public:
  virtual ~Transport() = default;
  /// Writes one frame to the OUT endpoint.
  virtual void send(const std::vector<uint8_t> &frame, unsigned timeoutMs) = 0;
  /// Reads one frame (at most `maxBytes`) from the IN endpoint.
  virtual std::vector<uint8_t> receive(size_t maxBytes, unsigned timeoutMs) = 0;
  /// Where the device is, for messages ("usb:001:002").
  virtual std::string where() const = 0;
};

} // namespace akida::usb

#endif // AKIDA_DEVICE_USB_TRANSPORT_H
