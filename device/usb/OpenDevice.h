//===- OpenDevice.h - From a device name to a device that runs -----*- C++ -*-===//
//
// How the runtime and the CLI get hold of a device: by name ("AKD1000",
// "TwoNodesIPv2", ... for the virtual devices, "usb:N" for the N-th
// hardware device akida devices lists), then opened into something that
// runs programs: the simulator for a virtual device, the USB protocol
// client for a hardware one.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_OPENDEVICE_H
#define AKIDA_DEVICE_USB_OPENDEVICE_H

#include "device/ProgrammableDevice.h"

#include <memory>

namespace akida {

/// The device called `name`: a virtual device name or "usb:N". Throws
/// std::invalid_argument listing what is allowed, or saying how many
/// hardware devices there are.
Device deviceByName(const std::string &name);

/// A VirtualDevice for a virtual device; for a hardware one (path
/// "usb:BUS:ADDRESS") a HardwareDevice over libusb (std::runtime_error when
/// it cannot be opened or does not answer). The link's timeout per transfer
/// and retries come from AKIDA_USB_TIMEOUT_MS (default 5000) and
/// AKIDA_USB_RETRIES (default 2).
std::shared_ptr<ProgrammableDevice> openDevice(const Device &device);

} // namespace akida

#endif // AKIDA_DEVICE_USB_OPENDEVICE_H
