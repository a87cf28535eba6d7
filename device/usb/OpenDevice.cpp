//===- OpenDevice.cpp - From a device name to a device that runs ----------===//

#include "device/usb/OpenDevice.h"

#include "device/sim/VirtualDevice.h"
#include "device/usb/HardwareDevice.h"
#include "device/usb/LibusbTransport.h"
#include "device/usb/UsbDevices.h"

#include <cstdio>
#include <cstdlib>

namespace akida {

namespace {

/// A non-negative integer from the environment variable `name`, or
/// `fallback` when unset; std::invalid_argument when not a number.
long envCount(const char *name, long fallback) {
  const char *text = std::getenv(name);
  if (!text || !*text)
    return fallback;
  char *end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (*end || v < 0 || v > 3600000)
    throw std::invalid_argument(std::string(name) + " is '" + text +
                                "' but must be a whole number from 0 to "
                                "3600000");
  return v;
}

usb::LinkOptions linkOptionsFromEnvironment() {
  usb::LinkOptions o;
  o.timeoutMs = static_cast<unsigned>(
      envCount("AKIDA_USB_TIMEOUT_MS", static_cast<long>(o.timeoutMs)));
  o.retries = static_cast<int>(envCount("AKIDA_USB_RETRIES", o.retries));
  return o;
}

} // namespace

Device deviceByName(const std::string &name) {
  if (name.rfind("usb:", 0) != 0)
    return virtualDevice(name);
  const std::string index = name.substr(4);
  size_t used = 0;
  int n = -1;
  try {
    n = std::stoi(index, &used);
  } catch (const std::exception &) {
  }
  if (index.empty() || used != index.size() || n < 0)
    throw std::invalid_argument("device '" + name +
                                "': a hardware device is usb:N with N = 0, "
                                "1, ... in the order akida devices lists");
  std::vector<UsbDeviceInfo> found = usbDevices();
  if (n >= static_cast<int>(found.size()))
    throw std::invalid_argument(
        "device '" + name + "': " + std::to_string(found.size()) +
        " Akida hardware device" + (found.size() == 1 ? "" : "s") +
        " attached (akida devices lists them)");
  return found[n].device;
}

std::shared_ptr<ProgrammableDevice> openDevice(const Device &device) {
  if (device.isVirtual)
    return std::make_shared<VirtualDevice>(device);
  int bus = 0, address = 0;
  if (std::sscanf(device.path.c_str(), "usb:%d:%d", &bus, &address) != 2)
    throw std::invalid_argument("hardware device " + device.name +
                                " has no USB location (path '" + device.path +
                                "'); take it from akida::devices()");
  return std::make_shared<usb::HardwareDevice>(
      std::make_unique<usb::LibusbTransport>(bus, address), device,
      linkOptionsFromEnvironment());
}

} // namespace akida
