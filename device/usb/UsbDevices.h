//===- UsbDevices.h - Akida devices attached over USB -------------*- C++ -*-===//
//
// Discovery of BrainChip devices (USB vendor id 0x1e7c) through libusb.
// Each one is reported as a Device with its hardware version, a description
// (product, bus and address) and the mesh of its chip; with none attached,
// the list is empty.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_USBDEVICES_H
#define AKIDA_DEVICE_USB_USBDEVICES_H

#include "device/Device.h"

namespace akida {

inline constexpr uint16_t kBrainChipVendorId = 0x1e7c;
inline constexpr uint16_t kAkd1000ProductId = 0xbca1;

/// A BrainChip device found on the USB bus.
struct UsbDeviceInfo {
  uint16_t vendorId = 0;
  uint16_t productId = 0;
  int bus = 0;
  int address = 0;
  Device device; ///< version, description and mesh; isVirtual false
};

/// Enumerates BrainChip devices. Throws std::runtime_error naming the libusb
/// error when libusb cannot be initialised or the bus cannot be listed.
std::vector<UsbDeviceInfo> usbDevices();

/// The hardware devices (akida.devices()).
std::vector<Device> devices();

} // namespace akida

#endif // AKIDA_DEVICE_USB_USBDEVICES_H
