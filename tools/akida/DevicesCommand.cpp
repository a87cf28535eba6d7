//===- DevicesCommand.cpp - akida devices ---------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "device/usb/HardwareDevice.h"
#include "device/usb/OpenDevice.h"
#include "device/usb/UsbDevices.h"

#include <iostream>

namespace akida::cli {

int devicesCommand(const std::vector<std::string> &argv) {
  Args args(argv, {}, {{"--probe", "probe"}});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  std::vector<UsbDeviceInfo> found = usbDevices();
  if (found.empty())
    std::cout << "No Akida hardware devices found.\n";
  for (size_t i = 0; i < found.size(); ++i) {
    const Device &d = found[i].device;
    std::cout << "usb:" << i << " " << d.desc << ", version "
              << d.version.str() << ", " << d.mesh.nps.size() << " NPs\n";
    if (!args.has("probe") || d.name == "unknown")
      continue;
    // Talk to it: identity over the protocol (docs/device/usb-protocol.md).
    try {
      auto hw = std::dynamic_pointer_cast<usb::HardwareDevice>(openDevice(d));
      const usb::DeviceIdentity &id = hw->identity();
      std::cout << "  protocol " << int(id.protocolVersion) << ", firmware "
                << id.firmware << ", chip id 0x" << std::hex
                << hw->read_register(usb::reg::ChipId) << std::dec
                << ", floor " << id.floorMw << " mW\n";
    } catch (const std::exception &e) {
      std::cout << "  not responding: " << e.what() << "\n";
    }
  }
  std::cout << "Virtual devices:";
  for (const std::string &name : virtualDeviceNames())
    std::cout << " " << name;
  std::cout << "\n";
  return 0;
}

} // namespace akida::cli
