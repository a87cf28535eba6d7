//===- akida-usb-emulator.cpp - An AKD1000 on a fake USB bus ------------===//
//
//   akida-usb-emulator [--drop-reply N] [--unplug-after N] [--hang-after N]
//                      [--trace] [--record FILE] -- COMMAND [ARGS...]
//
// Runs COMMAND with a BrainChip AKD1000 (USB 1e7c:bca1, bus 1 device 2)
// that libusb finds and talks to for real: umockdev's testbed provides the
// sysfs and /dev nodes and forwards every usbdevfs ioctl the command makes
// (LD_PRELOAD'ed libumockdev-preload) to this process. Here the URBs are
// turned back into bulk transfers and the command frames handed to a
// ProtocolServer, the device end of docs/device/usb-protocol.md backed by
// the simulator. So `akida run --device usb:0` under the emulator runs the
// whole path: libusb, the protocol, the program upload, the events, the
// device counters.
//
// Faults, for the tests of the host's error paths:
//   --drop-reply N    the reply to the N-th command frame is lost (the host
//                     times out and retries; the retry is served from the
//                     server's cache)
//   --unplug-after N  after N command frames the device is gone: every
//                     later transfer fails with ENODEV
//   --hang-after N    after N command frames the device stops answering
//                     (still attached: the host's transfers time out)
//   --trace           prints each command and reply on stderr
//   --record FILE     writes the exchanges as a umockdev ioctl tree (the
//                     format umockdev-run --ioctl replays), so a session can
//                     be frozen as a recorded exchange (exchanges whose
//                     frames fit one URB: 16 KiB)
//
// Exit status: COMMAND's, or 2 when the emulator cannot start.
//
//===----------------------------------------------------------------------===//

#include "device/Device.h"
#include "device/usb/Protocol.h"
#include "device/usb/ProtocolServer.h"

#include <umockdev.h>

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <linux/usbdevice_fs.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

/// The AKD1000 and its root hub, as umockdev describes sysfs: one
/// vendor-class interface, bulk endpoints 0x01 OUT and 0x81 IN (512 bytes).
const char *kDescription =
    "P: /devices/pci0000:00\nE: SUBSYSTEM=pci\n\n"
    "P: /devices/pci0000:00/0000:00:14.0\nE: SUBSYSTEM=pci\n"
    "E: DRIVER=xhci_hcd\n\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1\nN: bus/usb/001/001\n"
    "E: BUSNUM=001\nE: DEVNUM=001\nE: DEVNAME=/dev/bus/usb/001/001\n"
    "E: DEVTYPE=usb_device\nE: SUBSYSTEM=usb\nE: DRIVER=usb\n"
    "E: PRODUCT=1d6b/2/600\nA: busnum=1\\n\nA: devnum=1\\n\n"
    "A: idVendor=1d6b\nA: idProduct=0002\nA: bConfigurationValue=1\n"
    "A: bNumConfigurations=1\nA: speed=480\n"
    "H: descriptors=12010002090001406B1D020000060302010109021900010100E00009"
    "04000001090000000705810304000C\n\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\nN: bus/usb/001/002\n"
    "E: BUSNUM=001\nE: DEVNUM=002\nE: DEVNAME=/dev/bus/usb/001/002\n"
    "E: DEVTYPE=usb_device\nE: SUBSYSTEM=usb\nE: DRIVER=usb\n"
    "E: PRODUCT=1e7c/bca1/100\nE: TYPE=0/0/0\nE: MAJOR=189\nE: MINOR=1\n"
    "A: busnum=1\\n\nA: devnum=2\\n\nA: idVendor=1e7c\nA: idProduct=bca1\n"
    "A: bConfigurationValue=1\nA: bNumConfigurations=1\nA: speed=480\n"
    "A: devpath=1\n"
    "H: descriptors=12010002000000407C1EA1BC00010102030109022000010100803209"
    "04000002FF0000000705010200020007058102000200\n";
const char *kDevNode = "/dev/bus/usb/001/002";

struct Options {
  long dropReply = 0;   ///< 1-based command frame whose reply is lost
  long unplugAfter = 0; ///< 0: never
  long hangAfter = 0;   ///< 0: never
  bool trace = false;
  std::string record;   ///< ioctl tree file, or empty
};

/// The USB side of the device: URBs in, frames to the server, replies out.
class Emulator {
public:
  Emulator(Options options)
      : options_(options), server_(akida::AKD1000(), "akida-usb-emulator") {
    if (!options_.record.empty()) {
      record_ = std::fopen(options_.record.c_str(), "w");
      if (!record_)
        throw std::runtime_error("cannot write the record file '" +
                                 options_.record + "': " + std::strerror(errno));
      std::fprintf(record_, "@DEV %s (usbdevfs)\nUSBDEVFS_CONNECTINFO 0 "
                            "0200000000000000\n", kDevNode);
    }
  }
  ~Emulator() {
    if (record_)
      std::fclose(record_);
  }

  gboolean ioctl(UMockdevIoctlClient *client) {
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
      UMockdevIoctlData *caps =
          umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
      guint32 v = USBDEVFS_CAP_BULK_CONTINUATION |
                  USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_ZERO_PACKET;
      std::memcpy(caps->data, &v, sizeof v);
      umockdev_ioctl_data_unref(caps);
      return complete(client, 0, 0);
    }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_RESET:
      return unplugged_ ? complete(client, -1, ENODEV) : complete(client, 0, 0);
    case USBDEVFS_SUBMITURB:
      return submit(client, arg);
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
      return reap(client, arg);
    case USBDEVFS_DISCARDURB:
      return discard(client, arg);
    default:
      return FALSE; // umockdev answers ENOTTY
    }
  }

private:
  static gboolean complete(UMockdevIoctlClient *client, long result, int err) {
    umockdev_ioctl_client_complete(client, result, err);
    return TRUE;
  }

  static usbdevfs_urb *urbOf(UMockdevIoctlData *d) {
    return reinterpret_cast<usbdevfs_urb *>(d->data);
  }

  gboolean submit(UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    if (unplugged_)
      return complete(client, -1, ENODEV);
    UMockdevIoctlData *urbData =
        umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
    usbdevfs_urb *urb = urbOf(urbData);
    if (urb->type != USBDEVFS_URB_TYPE_BULK ||
        (urb->endpoint != akida::usb::kEndpointOut &&
         urb->endpoint != akida::usb::kEndpointIn)) {
      umockdev_ioctl_data_unref(urbData);
      return complete(client, -1, EINVAL); // only the bulk endpoints exist
    }
    if (urb->endpoint == akida::usb::kEndpointIn) {
      pendingIn_.push_back(urbData);
      deliver();
      return complete(client, 0, 0);
    }
    UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(
        urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
        static_cast<gsize>(urb->buffer_length), nullptr);
    out_.insert(out_.end(), buf->data, buf->data + urb->buffer_length);
    umockdev_ioctl_data_unref(buf);
    urb->actual_length = urb->buffer_length;
    urb->status = 0;
    done_.push_back(urbData);
    takeFrames();
    deliver();
    return complete(client, 0, 0);
  }

  /// Hands every complete command frame of the OUT stream to the server.
  void takeFrames() {
    using namespace akida::usb;
    while (out_.size() >= kHeaderSize) {
      size_t length = out_[8] | out_[9] << 8 | out_[10] << 16 |
                      static_cast<size_t>(out_[11]) << 24;
      size_t total = std::memcmp(out_.data(), kMagic, 4) == 0 &&
                             length <= kMaxPayload
                         ? kHeaderSize + length
                         : out_.size(); // garbage: let the server say so
      if (out_.size() < total)
        return;
      std::vector<uint8_t> frame(out_.begin(), out_.begin() + total);
      out_.erase(out_.begin(), out_.begin() + total);
      ++frames_;
      std::vector<uint8_t> reply = server_.handle(frame);
      if (options_.trace)
        std::fprintf(stderr, "akida-usb-emulator: #%ld %s seq %u, %zu bytes%s\n",
                     frames_, opcodeName(frame[5]), frame[6] | frame[7] << 8,
                     frame.size(),
                     frames_ == options_.dropReply ? " (reply dropped)" : "");
      bool hung = options_.hangAfter && frames_ > options_.hangAfter;
      if (frames_ != options_.dropReply && !hung)
        replies_.push_back({std::move(frame), std::move(reply)});
      if (options_.unplugAfter && frames_ >= options_.unplugAfter) {
        unplugged_ = true;
        replies_.clear();
        replyOffset_ = 0;
        if (options_.trace)
          std::fprintf(stderr, "akida-usb-emulator: device unplugged\n");
      }
    }
  }

  /// Fills waiting IN URBs with the waiting replies: a reply longer than
  /// an URB continues in the next one, as a device sends it in packets.
  void deliver() {
    while (!pendingIn_.empty() && !replies_.empty()) {
      UMockdevIoctlData *urbData = pendingIn_.front();
      pendingIn_.pop_front();
      usbdevfs_urb *urb = urbOf(urbData);
      const auto &[command, reply] = replies_.front();
      size_t n = std::min(reply.size() - replyOffset_,
                          static_cast<size_t>(urb->buffer_length));
      UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(
          urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
          static_cast<gsize>(urb->buffer_length), nullptr);
      std::memcpy(buf->data, reply.data() + replyOffset_, n);
      umockdev_ioctl_data_unref(buf);
      urb->actual_length = static_cast<int>(n);
      urb->status = 0;
      if (record_ && replyOffset_ == 0 && n == reply.size()) {
        writeRecord(false, command.size(), command.size(), command);
        writeRecord(true, static_cast<size_t>(urb->buffer_length), n, reply);
      }
      replyOffset_ += n;
      if (replyOffset_ == reply.size()) {
        replies_.pop_front();
        replyOffset_ = 0;
      }
      done_.push_back(urbData);
    }
  }

  /// One bulk URB as an ioctl-tree line; a reply is the child of its
  /// command (leading space).
  void writeRecord(bool in, size_t bufferLength, size_t actual,
                   const std::vector<uint8_t> &data) {
    std::fprintf(record_, "%sUSBDEVFS_REAPURBNDELAY 0 %d %d 0 0 %zu %zu 0 ",
                 in ? " " : "", USBDEVFS_URB_TYPE_BULK,
                 in ? akida::usb::kEndpointIn : akida::usb::kEndpointOut,
                 bufferLength, actual);
    for (size_t k = 0; k < actual; ++k)
      std::fprintf(record_, "%02X", data[k]);
    std::fprintf(record_, "\n");
  }

  gboolean reap(UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    if (unplugged_) {
      // URBs in flight come back failed, then the device is gone.
      for (UMockdevIoctlData *d : pendingIn_) {
        urbOf(d)->status = -ENODEV;
        done_.push_back(d);
      }
      pendingIn_.clear();
      if (done_.empty())
        return complete(client, -1, ENODEV);
    }
    if (done_.empty())
      return complete(client, -1, EAGAIN);
    UMockdevIoctlData *urbData = done_.front();
    done_.pop_front();
    UMockdevIoctlData *ptr =
        umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
    umockdev_ioctl_data_set_ptr(ptr, 0, urbData);
    umockdev_ioctl_data_unref(ptr);
    umockdev_ioctl_data_unref(urbData);
    return complete(client, 0, 0);
  }

  /// libusb cancels an IN transfer that timed out.
  gboolean discard(UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    gulong addr = 0;
    std::memcpy(&addr, arg->data, sizeof addr);
    for (auto it = pendingIn_.begin(); it != pendingIn_.end(); ++it)
      if ((*it)->client_addr == addr) {
        urbOf(*it)->status = -ENOENT;
        urbOf(*it)->actual_length = 0;
        done_.push_back(*it);
        pendingIn_.erase(it);
        return complete(client, 0, 0);
      }
    return complete(client, -1, EINVAL);
  }

  Options options_;
  akida::usb::ProtocolServer server_;
  std::vector<uint8_t> out_;
  /// Replies not yet read, with their commands.
  std::deque<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>> replies_;
  size_t replyOffset_ = 0; ///< bytes of the front reply already sent
  FILE *record_ = nullptr;
  std::deque<UMockdevIoctlData *> pendingIn_, done_;
  long frames_ = 0;
  bool unplugged_ = false;
};

gboolean onIoctl(UMockdevIoctlBase *, UMockdevIoctlClient *client,
                 gpointer self) {
  return static_cast<Emulator *>(self)->ioctl(client);
}

struct Child {
  GMainLoop *loop = nullptr;
  int status = 2;
};

void onChildExit(GPid, gint status, gpointer data) {
  auto *child = static_cast<Child *>(data);
  child->status = WIFEXITED(status)     ? WEXITSTATUS(status)
                  : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                        : 2;
  g_main_loop_quit(child->loop);
}

int usage(const std::string &problem) {
  std::cerr << "akida-usb-emulator: " << problem
            << "\nusage: akida-usb-emulator [--drop-reply N] "
               "[--unplug-after N] [--hang-after N] [--trace] [--record FILE] "
               "-- COMMAND [ARGS...]\n";
  return 2;
}

bool parseCount(const char *text, long &out) {
  char *end = nullptr;
  errno = 0;
  long v = std::strtol(text, &end, 10);
  if (errno || !end || *end || v < 1)
    return false;
  out = v;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--trace") {
      options.trace = true;
    } else if (a == "--record") {
      if (i + 1 >= argc)
        return usage("--record needs a file");
      options.record = argv[++i];
    } else if (a == "--drop-reply" || a == "--unplug-after" ||
               a == "--hang-after") {
      long &target = a == "--drop-reply"     ? options.dropReply
                     : a == "--unplug-after" ? options.unplugAfter
                                             : options.hangAfter;
      if (i + 1 >= argc || !parseCount(argv[i + 1], target))
        return usage(a + " needs a positive count");
      ++i;
    } else {
      return usage("unknown option '" + a + "'");
    }
  }
  if (i >= argc)
    return usage("no command to run (put it after --)");

  std::unique_ptr<Emulator> made;
  try {
    made = std::make_unique<Emulator>(options);
  } catch (const std::exception &e) {
    return usage(e.what());
  }
  Emulator &emulator = *made;
  UMockdevTestbed *testbed = umockdev_testbed_new();
  UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
  g_signal_connect(handler, "handle-ioctl", G_CALLBACK(onIoctl), &emulator);
  GError *error = nullptr;
  if (!umockdev_testbed_attach_ioctl(testbed, kDevNode, handler, &error) ||
      !umockdev_testbed_add_from_string(testbed, kDescription, &error)) {
    std::cerr << "akida-usb-emulator: cannot set up the fake device: "
              << error->message << "\n";
    return 2;
  }

  gchar *root = umockdev_testbed_get_root_dir(testbed);
  gchar **env = g_get_environ();
  env = g_environ_setenv(env, "UMOCKDEV_DIR", root, TRUE);
  const gchar *preload = g_environ_getenv(env, "LD_PRELOAD");
  std::string libs = "libumockdev-preload.so.0";
  if (preload && *preload)
    libs += std::string(":") + preload;
  env = g_environ_setenv(env, "LD_PRELOAD", libs.c_str(), TRUE);

  GPid pid;
  if (!g_spawn_async(nullptr, argv + i, env,
                     static_cast<GSpawnFlags>(G_SPAWN_DO_NOT_REAP_CHILD |
                                              G_SPAWN_SEARCH_PATH |
                                              G_SPAWN_CHILD_INHERITS_STDIN),
                     nullptr, nullptr, &pid, &error)) {
    std::cerr << "akida-usb-emulator: cannot run '" << argv[i]
              << "': " << error->message << "\n";
    return 2;
  }
  Child child;
  child.loop = g_main_loop_new(nullptr, FALSE);
  g_child_watch_add(pid, onChildExit, &child);
  g_main_loop_run(child.loop);

  g_main_loop_unref(child.loop);
  g_strfreev(env);
  g_free(root);
  g_object_unref(handler);
  g_object_unref(testbed);
  return child.status;
}
