//===- LoopbackTransport.h - Frames to a ProtocolServer in-process -*- C++ -*-===//
//
// A Transport whose device is a ProtocolServer in the same process, with
// the faults the host must survive: a lost reply, a device that stops
// answering, a device unplugged. Replies are read back in pieces of at
// most the size the host asks for, as bulk IN transfers are.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_TESTS_UNIT_USB_LOOPBACKTRANSPORT_H
#define AKIDA_TESTS_UNIT_USB_LOOPBACKTRANSPORT_H

#include "device/usb/ProtocolServer.h"
#include "device/usb/Transport.h"

#include <deque>
#include <memory>

namespace akida::usbtest {

/// The device and its faults; shared by the test and the transport.
struct LoopbackLink {
  explicit LoopbackLink(Device chip) : server(std::move(chip)) {}
  usb::ProtocolServer server;
  long frames = 0;      ///< command frames received (retries included)
  long dropReply = 0;   ///< 1-based frame whose reply is lost
  long hangAfter = 0;   ///< no reply after this many frames (0: never)
  long unplugAfter = 0; ///< gone after this many frames (0: never)
  bool unplugged = false;
  std::deque<std::vector<uint8_t>> replies;
};

class LoopbackTransport final : public usb::Transport {
public:
  explicit LoopbackTransport(std::shared_ptr<LoopbackLink> link)
      : link_(std::move(link)) {}
  void send(const std::vector<uint8_t> &frame, unsigned timeoutMs) override;
  std::vector<uint8_t> receive(size_t maxBytes, unsigned timeoutMs) override;
  std::string where() const override { return "loopback"; }

private:
  std::shared_ptr<LoopbackLink> link_;
};

} // namespace akida::usbtest

#endif // AKIDA_TESTS_UNIT_USB_LOOPBACKTRANSPORT_H
