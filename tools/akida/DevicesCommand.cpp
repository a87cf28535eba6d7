//===- DevicesCommand.cpp - akida devices ---------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "device/usb/UsbDevices.h"

#include <iostream>

namespace akida::cli {

int devicesCommand(const std::vector<std::string> &argv) {
  Args args(argv, {});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  std::vector<UsbDeviceInfo> found = usbDevices();
  if (found.empty())
    std::cout << "No Akida hardware devices found.\n";
  for (const UsbDeviceInfo &info : found)
    std::cout << info.device.desc << ", version " << info.device.version.str()
              << ", " << info.device.mesh.nps.size() << " NPs\n";
  std::cout << "Virtual devices:";
  for (const std::string &name : virtualDeviceNames())
    std::cout << " " << name;
  std::cout << "\n";
  return 0;
}

} // namespace akida::cli
