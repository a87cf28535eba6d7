//===- LibusbTransport.h - Bulk transfers through libusb ----------*- C++ -*-===//
//
// Opens the BrainChip device at a bus and address, claims interface 0 and
// moves frames over bulk endpoints 0x01 (OUT) and 0x81 (IN). libusb's
// LIBUSB_ERROR_TIMEOUT becomes TransportTimeout, LIBUSB_ERROR_NO_DEVICE
// DeviceLost, anything else TransportError, each naming the device.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_LIBUSBTRANSPORT_H
#define AKIDA_DEVICE_USB_LIBUSBTRANSPORT_H

#include "device/usb/Transport.h"

struct libusb_context;
struct libusb_device_handle;

namespace akida::usb {

class LibusbTransport final : public Transport {
public:
  /// Throws std::runtime_error when no BrainChip device is at bus/address
  /// or it cannot be opened and claimed (the message names the libusb
  /// error, e.g. LIBUSB_ERROR_ACCESS with a hint about permissions).
  LibusbTransport(int bus, int address);
  ~LibusbTransport() override;
  LibusbTransport(const LibusbTransport &) = delete;
  LibusbTransport &operator=(const LibusbTransport &) = delete;

  void send(const std::vector<uint8_t> &frame, unsigned timeoutMs) override;
  std::vector<uint8_t> receive(size_t maxBytes, unsigned timeoutMs) override;
  std::string where() const override { return where_; }

private:
  [[noreturn]] void fail(const char *what, int code) const;

  libusb_context *ctx_ = nullptr;
  libusb_device_handle *handle_ = nullptr;
  std::string where_;
};

} // namespace akida::usb

#endif // AKIDA_DEVICE_USB_LIBUSBTRANSPORT_H
