//===- UsbDevices.cpp - Akida devices attached over USB -------------------===//

#include "device/usb/UsbDevices.h"

#include <libusb.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace akida {

namespace {

struct ContextDeleter {
  void operator()(libusb_context *ctx) const { libusb_exit(ctx); }
};

[[noreturn]] void usbError(const char *what, int code) {
  throw std::runtime_error(std::string("usb: ") + what + ": " +
                           libusb_error_name(code));
}

/// The chip behind a product id: its virtual twin gives version and mesh.
std::optional<Device> chipOf(uint16_t productId) {
  if (productId == kAkd1000ProductId)
    return AKD1000();
  return std::nullopt;
}

} // namespace

std::vector<UsbDeviceInfo> usbDevices() {
  libusb_context *raw = nullptr;
  if (int rc = libusb_init(&raw); rc != 0)
    usbError("cannot initialise libusb", rc);
  std::unique_ptr<libusb_context, ContextDeleter> ctx(raw);

  libusb_device **list = nullptr;
  ssize_t count = libusb_get_device_list(ctx.get(), &list);
  if (count < 0)
    usbError("cannot list devices", static_cast<int>(count));
  std::vector<UsbDeviceInfo> found;
  for (ssize_t i = 0; i < count; ++i) {
    libusb_device_descriptor desc;
    if (libusb_get_device_descriptor(list[i], &desc) != 0 ||
        desc.idVendor != kBrainChipVendorId)
      continue;
    UsbDeviceInfo info;
    info.vendorId = desc.idVendor;
    info.productId = desc.idProduct;
    info.bus = libusb_get_bus_number(list[i]);
    info.address = libusb_get_device_address(list[i]);
    char where[96];
    std::snprintf(where, sizeof where, "USB %04x:%04x bus %03d device %03d",
                  info.vendorId, info.productId, info.bus, info.address);
    if (std::optional<Device> chip = chipOf(desc.idProduct)) {
      info.device = *chip;
      info.device.desc = chip->name + " (" + where + ")";
    } else {
      info.device.name = "unknown";
      info.device.desc = std::string("unknown BrainChip device (") + where + ")";
      info.device.version = {0xBC, static_cast<uint8_t>(desc.idProduct & 0xff),
                             0, 0};
    }
    info.device.isVirtual = false;
    char path[32];
    std::snprintf(path, sizeof path, "usb:%03d:%03d", info.bus, info.address);
    info.device.path = path;
    found.push_back(std::move(info));
  }
  libusb_free_device_list(list, 1);
  return found;
}

std::vector<Device> devices() {
  std::vector<Device> out;
  for (UsbDeviceInfo &info : usbDevices())
    out.push_back(std::move(info.device));
  return out;
}

} // namespace akida
