//===- LoopbackTransport.cpp - Frames to a ProtocolServer in-process ------===//

#include "tests/unit/usb/LoopbackTransport.h"

namespace akida::usbtest {

void LoopbackTransport::send(const std::vector<uint8_t> &frame, unsigned) {
  LoopbackLink &l = *link_;
  if (l.unplugged)
    throw usb::DeviceLost("loopback: LIBUSB_ERROR_NO_DEVICE");
  ++l.frames;
  std::vector<uint8_t> reply = l.server.handle(frame);
  bool hung = l.hangAfter && l.frames > l.hangAfter;
  if (l.frames != l.dropReply && !hung)
    l.replies.push_back(std::move(reply));
  if (l.unplugAfter && l.frames >= l.unplugAfter) {
    l.unplugged = true;
    l.replies.clear();
  }
}

std::vector<uint8_t> LoopbackTransport::receive(size_t maxBytes, unsigned) {
  LoopbackLink &l = *link_;
  if (l.unplugged)
    throw usb::DeviceLost("loopback: LIBUSB_ERROR_NO_DEVICE");
  if (l.replies.empty())
    throw usb::TransportTimeout("loopback: LIBUSB_ERROR_TIMEOUT");
  std::vector<uint8_t> &front = l.replies.front();
  size_t n = std::min(maxBytes, front.size());
  std::vector<uint8_t> piece(front.begin(), front.begin() + n);
  front.erase(front.begin(), front.begin() + n);
  if (front.empty())
    l.replies.pop_front();
  return piece;
}

} // namespace akida::usbtest
