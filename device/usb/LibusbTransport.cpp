//===- LibusbTransport.cpp - Bulk transfers through libusb ----------------===//

#include "device/usb/LibusbTransport.h"

#include "device/usb/Protocol.h"
#include "device/usb/UsbDevices.h"

#include <libusb.h>

#include <cstdio>

namespace akida::usb {

LibusbTransport::LibusbTransport(int bus, int address) {
  char where[32];
  std::snprintf(where, sizeof where, "usb:%03d:%03d", bus, address);
  where_ = where;
  if (int rc = libusb_init(&ctx_); rc != 0)
    fail("cannot initialise libusb", rc);
  libusb_device **list = nullptr;
  ssize_t count = libusb_get_device_list(ctx_, &list);
  if (count < 0) {
    libusb_exit(ctx_);
    fail("cannot list devices", static_cast<int>(count));
  }
  int rc = LIBUSB_ERROR_NOT_FOUND;
  for (ssize_t i = 0; i < count; ++i) {
    libusb_device_descriptor desc;
    if (libusb_get_bus_number(list[i]) != bus ||
        libusb_get_device_address(list[i]) != address ||
        libusb_get_device_descriptor(list[i], &desc) != 0 ||
        desc.idVendor != kBrainChipVendorId)
      continue;
    rc = libusb_open(list[i], &handle_);
    break;
  }
  libusb_free_device_list(list, 1);
  if (rc == 0)
    rc = libusb_claim_interface(handle_, kInterface);
  if (rc != 0) {
    if (handle_)
      libusb_close(handle_);
    libusb_exit(ctx_);
    if (rc == LIBUSB_ERROR_ACCESS)
      throw std::runtime_error("usb: cannot open the device at " + where_ +
                               ": LIBUSB_ERROR_ACCESS (no permission on "
                               "/dev/bus/usb; add a udev rule for 1e7c)");
    fail("cannot open and claim the device", rc);
  }
}

LibusbTransport::~LibusbTransport() {
  libusb_release_interface(handle_, kInterface);
  libusb_close(handle_);
  libusb_exit(ctx_);
}

void LibusbTransport::fail(const char *what, int code) const {
  std::string msg = std::string("usb: ") + what + " at " + where_ + ": " +
                    libusb_error_name(code);
  if (code == LIBUSB_ERROR_TIMEOUT)
    throw TransportTimeout(msg);
  if (code == LIBUSB_ERROR_NO_DEVICE)
    throw DeviceLost(msg);
  throw TransportError(msg);
}

void LibusbTransport::send(const std::vector<uint8_t> &frame,
                           unsigned timeoutMs) {
  int done = 0;
  int rc = libusb_bulk_transfer(handle_, kEndpointOut,
                                const_cast<uint8_t *>(frame.data()),
                                static_cast<int>(frame.size()), &done,
                                timeoutMs);
  if (rc != 0)
    fail("bulk OUT failed", rc);
  if (done != static_cast<int>(frame.size()))
    throw TransportError("usb: bulk OUT at " + where_ + " sent " +
                         std::to_string(done) + " of " +
                         std::to_string(frame.size()) + " bytes");
}

std::vector<uint8_t> LibusbTransport::receive(size_t maxBytes,
                                              unsigned timeoutMs) {
  std::vector<uint8_t> buf(maxBytes);
  int done = 0;
  int rc = libusb_bulk_transfer(handle_, kEndpointIn, buf.data(),
                                static_cast<int>(buf.size()), &done,
                                timeoutMs);
  if (rc != 0)
    fail("bulk IN failed", rc);
  buf.resize(static_cast<size_t>(done));
  return buf;
}

} // namespace akida::usb
