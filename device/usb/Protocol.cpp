//===- Protocol.cpp - The Akida USB bulk protocol -------------------------===//

#include "device/usb/Protocol.h"

#include "compiler/fbz/Checksum.h"

#include <cstring>

namespace akida::usb {

const char *opcodeName(uint8_t opcode) {
  switch (static_cast<Opcode>(opcode & ~kReplyBit)) {
  case Opcode::Info: return "Info";
  case Opcode::Reset: return "Reset";
  case Opcode::ReadReg: return "ReadReg";
  case Opcode::WriteReg: return "WriteReg";
  case Opcode::ReadClocks: return "ReadClocks";
  case Opcode::UploadBegin: return "UploadBegin";
  case Opcode::UploadData: return "UploadData";
  case Opcode::Program: return "Program";
  case Opcode::Run: return "Run";
  case Opcode::ReadResult: return "ReadResult";
  case Opcode::Fit: return "Fit";
  case Opcode::ReadLearnMem: return "ReadLearnMem";
  case Opcode::WriteLearnMem: return "WriteLearnMem";
  }
  return "unknown";
}

const char *statusName(Status status) {
  switch (status) {
  case Status::Ok: return "ok";
  case Status::BadFrame: return "bad frame";
  case Status::UnknownCommand: return "unknown command";
  case Status::BadArgument: return "bad argument";
  case Status::NotProgrammed: return "not programmed";
  case Status::Rejected: return "rejected";
  }
  return "unknown status";
}

std::vector<uint8_t> encodeFrame(const Frame &frame) {
  if (frame.payload.size() > kMaxPayload)
    throw FramingError("frame payload of " +
                       std::to_string(frame.payload.size()) +
                       " bytes exceeds the " + std::to_string(kMaxPayload) +
                       "-byte limit");
  Writer w;
  w.bytes(kMagic, 4)
      .u8(kProtocolVersion)
      .u8(frame.opcode)
      .u16(frame.sequence)
      .u32(static_cast<uint32_t>(frame.payload.size()))
      .u32(fbz::crc32Of(frame.payload.data(), frame.payload.size()))
      .bytes(frame.payload.data(), frame.payload.size());
  return w.take();
}

Frame decodeFrame(const std::vector<uint8_t> &bytes) {
  if (bytes.size() < kHeaderSize)
    throw FramingError("frame of " + std::to_string(bytes.size()) +
                       " bytes is shorter than the 16-byte header");
  if (std::memcmp(bytes.data(), kMagic, 4) != 0)
    throw FramingError("frame does not start with the magic \"AKDA\"");
  Reader r(bytes.data() + 4, kHeaderSize - 4);
  uint8_t version = r.u8();
  if (version != kProtocolVersion)
    throw FramingError("frame has protocol version " +
                       std::to_string(version) + "; this host speaks " +
                       std::to_string(kProtocolVersion));
  Frame f;
  f.opcode = r.u8();
  f.sequence = r.u16();
  uint32_t length = r.u32();
  uint32_t crc = r.u32();
  if (length != bytes.size() - kHeaderSize)
    throw FramingError("frame header announces " + std::to_string(length) +
                       " payload bytes but " +
                       std::to_string(bytes.size() - kHeaderSize) +
                       " arrived");
  f.payload.assign(bytes.begin() + kHeaderSize, bytes.end());
  if (fbz::crc32Of(f.payload.data(), f.payload.size()) != crc)
    throw FramingError("frame payload fails its CRC-32");
  return f;
}

Writer &Writer::u8(uint8_t v) {
  out_.push_back(v);
  return *this;
}
Writer &Writer::u16(uint16_t v) {
  for (int i = 0; i < 2; ++i)
    out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer &Writer::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer &Writer::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer &Writer::f64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return u64(bits);
}
Writer &Writer::str(const std::string &s) {
  u32(static_cast<uint32_t>(s.size()));
  return bytes(reinterpret_cast<const uint8_t *>(s.data()), s.size());
}
Writer &Writer::bytes(const uint8_t *data, size_t size) {
  out_.insert(out_.end(), data, data + size);
  return *this;
}

const uint8_t *Reader::need(size_t n) {
  if (left() < n)
    throw FramingError("payload ends " + std::to_string(n - left()) +
                       " bytes too early");
  const uint8_t *at = p_;
  p_ += n;
  return at;
}
uint8_t Reader::u8() { return *need(1); }
uint16_t Reader::u16() {
  const uint8_t *b = need(2);
  return static_cast<uint16_t>(b[0] | b[1] << 8);
}
uint32_t Reader::u32() {
  const uint8_t *b = need(4);
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = v << 8 | b[i];
  return v;
}
uint64_t Reader::u64() {
  uint64_t lo = u32();
  uint64_t hi = u32();
  return hi << 32 | lo;
}
double Reader::f64() {
  uint64_t bits = u64();
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}
std::string Reader::str() {
  uint32_t n = u32();
  const uint8_t *b = need(n);
  return std::string(reinterpret_cast<const char *>(b), n);
}
std::vector<uint8_t> Reader::rest() {
  std::vector<uint8_t> v(p_, end_);
  p_ = end_;
  return v;
}
void Reader::end() const {
  if (left() != 0)
    throw FramingError("payload has " + std::to_string(left()) +
                       " unexpected trailing bytes");
}

namespace {

enum Encoding : uint8_t { Dense = 0, Events = 1 };

/// Bytes per dense value: the narrowest signed width holding the batch.
uint8_t valueWidth(const std::vector<int64_t> &values) {
  int64_t lo = 0, hi = 0;
  for (int64_t v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo >= INT8_MIN && hi <= INT8_MAX)
    return 1;
  if (lo >= INT16_MIN && hi <= INT16_MAX)
    return 2;
  if (lo >= INT32_MIN && hi <= INT32_MAX)
    return 4;
  return 8;
}

void writeValue(Writer &w, int64_t v, uint8_t width) {
  switch (width) {
  case 1: w.u8(static_cast<uint8_t>(v)); break;
  case 2: w.u16(static_cast<uint16_t>(v)); break;
  case 4: w.i32(static_cast<int32_t>(v)); break;
  default: w.i64(v); break;
  }
}

int64_t readValue(Reader &r, uint8_t width) {
  switch (width) {
  case 1: return static_cast<int8_t>(r.u8());
  case 2: return static_cast<int16_t>(r.u16());
  case 4: return r.i32();
  default: return r.i64();
  }
}

} // namespace

void writeActivations(Writer &w, const ref::Activations &a) {
  if (a.type.isFloat)
    throw std::invalid_argument(
        "usb: float activations cannot travel as events; the device "
        "exchanges integer activations only");
  for (int64_t d : a.type.shape)
    w.u32(static_cast<uint32_t>(d));
  w.u8(static_cast<uint8_t>(a.type.bits))
      .u8(a.type.isSigned ? 1 : 0)
      .u32(static_cast<uint32_t>(a.batch));
  const uint8_t width = valueWidth(a.ints);
  w.u8(width);
  const int64_t size = a.sampleSize();
  for (int64_t n = 0; n < a.batch; ++n) {
    const int64_t *v = a.ints.data() + n * size;
    int64_t nonzero = 0;
    for (int64_t i = 0; i < size; ++i)
      nonzero += v[i] != 0;
    // An event costs 4 index bytes more than a dense value.
    if (nonzero * (4 + width) < size * width) {
      w.u8(Events).u32(static_cast<uint32_t>(nonzero));
      for (int64_t i = 0; i < size; ++i)
        if (v[i] != 0) {
          w.u32(static_cast<uint32_t>(i));
          writeValue(w, v[i], width);
        }
    } else {
      w.u8(Dense);
      for (int64_t i = 0; i < size; ++i)
        writeValue(w, v[i], width);
    }
  }
}

ref::Activations readActivations(Reader &r) {
  ref::Activations a;
  for (int64_t &d : a.type.shape)
    d = r.u32();
  a.type.bits = r.u8();
  a.type.isSigned = r.u8() != 0;
  a.batch = r.u32();
  const uint8_t width = r.u8();
  if (width != 1 && width != 2 && width != 4 && width != 8)
    throw FramingError("activations have value width " +
                       std::to_string(width) + "; allowed: 1, 2, 4, 8");
  const int64_t size = a.sampleSize();
  // Every sample takes at least one byte: bounds what a bad header allocates.
  if (a.batch > static_cast<int64_t>(r.left()) ||
      (a.batch > 0 && size > static_cast<int64_t>(r.left()) * 64))
    throw FramingError("activations header announces more values than the "
                       "payload holds");
  a.ints.assign(static_cast<size_t>(a.batch * size), 0);
  for (int64_t n = 0; n < a.batch; ++n) {
    int64_t *v = a.ints.data() + n * size;
    uint8_t encoding = r.u8();
    if (encoding == Dense) {
      for (int64_t i = 0; i < size; ++i)
        v[i] = readValue(r, width);
    } else if (encoding == Events) {
      uint32_t count = r.u32();
      for (uint32_t e = 0; e < count; ++e) {
        uint32_t index = r.u32();
        if (index >= size)
          throw FramingError("event index " + std::to_string(index) +
                             " is outside the " + std::to_string(size) +
                             "-value sample");
        v[index] = readValue(r, width);
      }
    } else {
      throw FramingError("sample encoding " + std::to_string(encoding) +
                         "; allowed: 0 (dense), 1 (events)");
    }
  }
  return a;
}

std::vector<uint8_t> encodeRunResult(const RunResult &result) {
  Writer w;
  writeActivations(w, result.output);
  w.u32(static_cast<uint32_t>(result.exported.size()));
  for (const auto &[layer, a] : result.exported) {
    w.i32(layer);
    writeActivations(w, a);
  }
  w.u32(static_cast<uint32_t>(result.powerEvents.size()));
  for (const PowerEvent &e : result.powerEvents)
    w.f64(e.ts).i64(e.voltage).f64(e.current).f64(e.power);
  return w.take();
}

std::vector<uint8_t> encodeLabels(const std::vector<int64_t> &labels) {
  Writer w;
  w.u32(static_cast<uint32_t>(labels.size()));
  for (int64_t l : labels)
    w.i64(l);
  return w.take();
}

std::vector<int64_t> decodeLabels(Reader &r) {
  const uint32_t n = r.u32();
  if (n > r.left() / 8)
    throw FramingError("labels: " + std::to_string(n) +
                       " labels announced, " + std::to_string(r.left()) +
                       " bytes left");
  std::vector<int64_t> labels(n);
  for (int64_t &l : labels)
    l = r.i64();
  return labels;
}

std::vector<uint8_t> encodeLearnMem(const learning::LearnMem &mem) {
  const std::vector<int64_t> w = mem.weights.ints();
  const std::vector<int64_t> t = mem.threshold_learning.ints();
  const std::vector<float> p = mem.plasticity.floats();
  const int64_t units = mem.weights.shape.empty() ? 0 : mem.weights.shape.back();
  const int64_t rows = units ? static_cast<int64_t>(w.size()) / units : 0;
  Writer out;
  out.u32(static_cast<uint32_t>(rows)).u32(static_cast<uint32_t>(units));
  std::vector<uint8_t> bits((w.size() + 7) / 8, 0);
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i])
      bits[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
  out.bytes(bits.data(), bits.size());
  for (int64_t u = 0; u < units; ++u) {
    uint32_t f;
    std::memcpy(&f, &p.at(size_t(u)), 4);
    out.i32(static_cast<int32_t>(t.at(size_t(u)))).u32(f);
  }
  return out.take();
}

learning::LearnMem decodeLearnMem(const std::vector<uint8_t> &bytes) {
  Reader r(bytes);
  const uint32_t rows = r.u32(), units = r.u32();
  const uint64_t n = uint64_t(rows) * units;
  if ((n + 7) / 8 + uint64_t(units) * 8 != r.left())
    throw FramingError("learn_mem: " + std::to_string(rows) + " x " +
                       std::to_string(units) + " weights do not fit the " +
                       std::to_string(r.left()) + " bytes that follow");
  std::vector<int64_t> w(n), t(units);
  std::vector<float> p(units);
  for (uint64_t i = 0; i < n; i += 8) {
    const uint8_t b = r.u8();
    for (uint64_t k = 0; k < 8 && i + k < n; ++k)
      w[i + k] = (b >> k) & 1;
  }
  for (uint32_t u = 0; u < units; ++u) {
    t[u] = r.i32();
    const uint32_t f = r.u32();
    std::memcpy(&p[u], &f, 4);
  }
  r.end();
  learning::LearnMem mem;
  mem.weights = Array::fromInts(DType::Int8, {1, 1, rows, units}, w);
  mem.threshold_learning = Array::fromInts(DType::Int32, {units}, t);
  mem.plasticity = Array::fromFloats({units}, p);
  return mem;
}

RunResult decodeRunResult(const std::vector<uint8_t> &bytes) {
  Reader r(bytes);
  RunResult result;
  result.output = readActivations(r);
  uint32_t exports = r.u32();
  for (uint32_t i = 0; i < exports; ++i) {
    int layer = r.i32();
    result.exported[layer] = readActivations(r);
  }
  uint32_t events = r.u32();
  if (events > r.left() / 32)
    throw FramingError("result announces more power events than it holds");
  for (uint32_t i = 0; i < events; ++i) {
    PowerEvent e;
    e.ts = r.f64();
    e.voltage = r.i64();
    e.current = r.f64();
    e.power = r.f64();
    result.powerEvents.push_back(e);
  }
  r.end();
  return result;
}

} // namespace akida::usb
