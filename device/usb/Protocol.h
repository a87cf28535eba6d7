//===- Protocol.h - The Akida USB bulk protocol -------------------*- C++ -*-===//
//
// The wire format both ends of the USB link speak: the host (HardwareDevice)
// and the device (ProtocolServer, or a chip's firmware). Every exchange is
// one command frame on bulk OUT endpoint 0x01 and one reply frame on bulk IN
// endpoint 0x81. docs/device/usb-protocol.md is the specification; this file
// is its single implementation of framing and payload encoding.
//
//   frame  = header (16 bytes, little-endian) + payload
//   header = magic "AKDA" | version u8 | opcode u8 | sequence u16
//            | payload length u32 | CRC-32 of the payload u32
//   reply  = same header, opcode | 0x80, the command's sequence; payload
//            = status u32 + data (ok) or a UTF-8 message (error)
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_USB_PROTOCOL_H
#define AKIDA_DEVICE_USB_PROTOCOL_H

#include "device/sim/PowerModel.h"
#include "runtime/reference/Learning.h"
#include "runtime/reference/Reference.h"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida::usb {

inline constexpr uint8_t kProtocolVersion = 1;
inline constexpr uint8_t kMagic[4] = {'A', 'K', 'D', 'A'};
inline constexpr size_t kHeaderSize = 16;
/// The largest payload of one frame; longer data goes in chunks
/// (UploadData, ReadResult).
inline constexpr uint32_t kMaxPayload = 60 * 1024;
inline constexpr uint32_t kMaxFrame = kHeaderSize + kMaxPayload;
/// The host reads a reply in IN transfers of at most this many bytes: the
/// first brings the header, which says how many more to read.
inline constexpr uint32_t kInTransferSize = 16 * 1024;
inline constexpr uint8_t kReplyBit = 0x80;
inline constexpr uint8_t kEndpointOut = 0x01;
inline constexpr uint8_t kEndpointIn = 0x81;
inline constexpr int kInterface = 0;

enum class Opcode : uint8_t {
  Info = 0x01,        ///< -> device identity and protocol version
  Reset = 0x02,       ///< forget the program, zero the counters
  ReadReg = 0x03,     ///< addr u32 -> value u32
  WriteReg = 0x04,    ///< addr u32, value u32
  ReadClocks = 0x05,  ///< -> frames, inference_clk, program_clk, timeline
  UploadBegin = 0x10, ///< total u32, crc u32: start filling the upload buffer
  UploadData = 0x11,  ///< offset u32, bytes
  Program = 0x12,     ///< program the upload buffer -> program_clk, max batch
  Run = 0x13,         ///< run the upload buffer as input events -> result size
  ReadResult = 0x14,  ///< offset u32, length u32 -> result bytes
  Fit = 0x15,         ///< labels: Run that learns from each sample
  ReadLearnMem = 0x16,  ///< the learning layer's state -> result size
  WriteLearnMem = 0x17, ///< the upload buffer as the learning layer's state
};
const char *opcodeName(uint8_t opcode);

enum class Status : uint32_t {
  Ok = 0,
  BadFrame = 1,       ///< magic, version, length or CRC wrong
  UnknownCommand = 2, ///< opcode not known
  BadArgument = 3,    ///< payload malformed or out of range
  NotProgrammed = 4,  ///< Run before Program
  Rejected = 5,       ///< the device cannot run this program or input
};
const char *statusName(Status status);

/// Registers (ReadReg / WriteReg), 32-bit.
namespace reg {
inline constexpr uint32_t ChipId = 0x0000;          ///< RO 0x1E7CBCA1
inline constexpr uint32_t ProtocolVersion = 0x0004; ///< RO
inline constexpr uint32_t State = 0x0008;           ///< RO bit 0: programmed
inline constexpr uint32_t ClockKhz = 0x0010;        ///< RW, default 300000
inline constexpr uint32_t PowerMeasurement = 0x0014; ///< RW 0 or 1
inline constexpr uint32_t BatchSize = 0x0018;        ///< RW 1..max batch
inline constexpr uint32_t MaxBatchSize = 0x001C;     ///< RO, 0 unprogrammed
} // namespace reg
inline constexpr uint32_t kChipId = 0x1E7CBCA1;

/// A frame that is not a valid frame of this protocol.
class FramingError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Frame {
  uint8_t opcode = 0;
  uint16_t sequence = 0;
  std::vector<uint8_t> payload;
};

/// Header + payload (throws FramingError when the payload is too long).
std::vector<uint8_t> encodeFrame(const Frame &frame);
/// The frame in `bytes`, which must be exactly one frame; FramingError
/// naming what is wrong (size, magic, version, length, CRC).
Frame decodeFrame(const std::vector<uint8_t> &bytes);

/// Little-endian payload builder.
class Writer {
public:
  Writer &u8(uint8_t v);
  Writer &u16(uint16_t v);
  Writer &u32(uint32_t v);
  Writer &u64(uint64_t v);
  Writer &i32(int32_t v) { return u32(static_cast<uint32_t>(v)); }
  Writer &i64(int64_t v) { return u64(static_cast<uint64_t>(v)); }
  Writer &f64(double v);
  Writer &str(const std::string &s); ///< u32 length + bytes
  Writer &bytes(const uint8_t *data, size_t size);
  std::vector<uint8_t> take() { return std::move(out_); }
  const std::vector<uint8_t> &data() const { return out_; }

private:
  std::vector<uint8_t> out_;
};

/// Little-endian payload reader; FramingError when it runs past the end.
class Reader {
public:
  Reader(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}
  explicit Reader(const std::vector<uint8_t> &v)
      : Reader(v.data(), v.size()) {}
  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  int32_t i32() { return static_cast<int32_t>(u32()); }
  int64_t i64() { return static_cast<int64_t>(u64()); }
  double f64();
  std::string str();
  std::vector<uint8_t> rest();
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  /// FramingError unless everything was read.
  void end() const;

private:
  const uint8_t *need(size_t n);
  const uint8_t *p_;
  const uint8_t *end_;
};

/// A batch of integer activations as input events: per-sample type and
/// batch, then per sample either dense values or (index, value) events,
/// whichever is smaller (docs/device/usb-protocol.md, "Activations").
/// std::invalid_argument for float activations.
void writeActivations(Writer &w, const ref::Activations &a);
ref::Activations readActivations(Reader &r);

/// What Run leaves in the result buffer: the program output, every layer
/// the event DMA sent out, and the power events of the run.
struct RunResult {
  ref::Activations output;
  std::map<int, ref::Activations> exported;
  std::vector<PowerEvent> powerEvents;
};
std::vector<uint8_t> encodeRunResult(const RunResult &result);
RunResult decodeRunResult(const std::vector<uint8_t> &bytes);

/// Fit's payload: the labels, one per sample (empty: unsupervised).
std::vector<uint8_t> encodeLabels(const std::vector<int64_t> &labels);
std::vector<int64_t> decodeLabels(Reader &r);

/// A learning layer's state (ReadLearnMem's result, WriteLearnMem's
/// upload): rows u32, units u32, the 0/1 weights packed 8 per byte (LSB
/// first, C order), then per unit threshold_learning i32 and plasticity
/// (float32 bits) u32.
std::vector<uint8_t> encodeLearnMem(const learning::LearnMem &mem);
learning::LearnMem decodeLearnMem(const std::vector<uint8_t> &bytes);

/// The clock counters (ReadClocks).
struct Clocks {
  uint64_t inferenceFrames = 0;
  uint64_t inferenceClk = 0;
  uint64_t programClk = 0;
  double inferenceStartMs = 0; ///< the last run on the device timeline
  double inferenceEndMs = 0;
  double nowMs = 0;
};

/// Info reply.
struct DeviceIdentity {
  uint8_t protocolVersion = 0;
  uint8_t hwVendor = 0, hwProduct = 0, hwMajor = 0, hwMinor = 0;
  std::string name;     ///< the chip: "AKD1000"
  std::string firmware; ///< what runs the protocol
  uint32_t npCount = 0;
  double floorMw = 0;
};

} // namespace akida::usb

#endif // AKIDA_DEVICE_USB_PROTOCOL_H
