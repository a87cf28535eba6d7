//===- Fbz.cpp - Reading and writing .fbz model files ---------------------===//
//
// Layout, versioning and validation rules: docs/fbz-format.md.
//
// The decoder treats its input as hostile: every size is checked before it is
// used, allocations are bounded by what the input really holds, the payload
// checksum is verified before decompression, the FlatBuffer is run through
// the FlatBuffers Verifier before any field is read, and the content is
// validated while it is converted. The encoder applies the same content rules
// so that whatever is saved can be loaded again.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/Fbz.h"

#include "compiler/fbz/Checksum.h"

#include "compiler/fbz/LayerSchema.h"
#include "compiler/fbz/Quoted.h"
#include "compiler/fbz/Version.h"
#include "compiler/fbz/model_generated.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <sys/stat.h>

namespace akida {

using namespace fbz;

static_assert(sizeof(kVersionString) <= kSdkVersionBytes,
              "the SDK version string must fit the header with a NUL");
static_assert(kMaxPayloadBytes < FLATBUFFERS_MAX_BUFFER_SIZE,
              "payloads must stay below the FlatBuffers limit");

namespace {

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

[[noreturn]] void fail(const std::string &prefix, const std::string &what) {
  throw FbzError(prefix + what);
}

uint32_t read32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}
uint64_t read64(const uint8_t *p) {
  return uint64_t(read32(p)) | uint64_t(read32(p + 4)) << 32;
}
void write32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
void write64(uint8_t *p, uint64_t v) {
  write32(p, uint32_t(v));
  write32(p + 4, uint32_t(v >> 32));
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

//===----------------------------------------------------------------------===//
// Content rules, shared by the encoder and the decoder. Each throws FbzError
// with `prefix` ("<source>: " or "cannot encode model 'x': ") prepended.
//===----------------------------------------------------------------------===//

std::string layerContext(size_t index, const std::string &name) {
  return "layer " + std::to_string(index) + " " + quoted(name);
}

/// Number of elements of `shape`, after checking rank, signs and total.
int64_t checkShape(const std::string &prefix, const std::string &what,
                   const std::vector<int64_t> &shape) {
  if (shape.size() > kMaxRank)
    fail(prefix, what + " has rank " + std::to_string(shape.size()) +
                     " (at most " + std::to_string(kMaxRank) + ")");
  for (int64_t d : shape)
    if (d < 0)
      fail(prefix, what + " " + formatDims(shape) +
                       " has a negative dimension (dimensions >= 0)");
  // Any zero dimension makes the array empty; otherwise multiply with an
  // overflow-safe bound.
  if (std::find(shape.begin(), shape.end(), 0) != shape.end())
    return 0;
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d > kMaxElements / n)
      fail(prefix, what + " " + formatDims(shape) +
                       " has too many elements (at most " +
                       std::to_string(kMaxElements) + ")");
    n *= d;
  }
  return n;
}

const char *kDTypeRange = "0..5: uint8, int8, uint16, int16, int32, float32";

void checkVariable(const std::string &prefix, const std::string &context,
                   const std::string &name, int dtype, int bitwidth,
                   const std::vector<int64_t> &shape, uint64_t byteCount) {
  std::string what = context + " variable " + quoted(name);
  if (dtype < 0 || dtype > static_cast<int>(DType::Float32))
    fail(prefix, what + ": dtype " + std::to_string(dtype) +
                     " out of range (" + kDTypeRange + ")");
  if (bitwidth < 1 || bitwidth > 32)
    fail(prefix, what + ": bit width " + std::to_string(bitwidth) +
                     " out of range (1..32)");
  int64_t elements = checkShape(prefix, what + ": shape", shape);
  DType dt = static_cast<DType>(dtype);
  uint64_t expected = uint64_t(elements) * dtypeSize(dt);
  if (byteCount != expected)
    fail(prefix, what + ": " + std::to_string(byteCount) +
                     " data bytes for shape " + formatDims(shape) + " of " +
                     dtypeName(dt) + " (" + std::to_string(expected) +
                     " bytes)");
}

/// Checks the type and the inbounds of layer `index`; returns its schema.
const LayerSchema &checkLayer(const std::string &prefix, size_t index,
                              const std::string &name, int32_t type,
                              const std::vector<int> &inbounds) {
  std::string context = layerContext(index, name);
  const LayerSchema *schema = nullptr;
  if (type != static_cast<int32_t>(LayerType::Unknown)) {
    try {
      schema = &layerSchema(static_cast<LayerType>(type));
    } catch (const std::invalid_argument &) {
    }
  }
  if (!schema)
    fail(prefix, context + ": unknown layer type " + std::to_string(type) +
                     " (one of the SDK's LayerType values)");
  for (int in : inbounds)
    if (in < 0 || static_cast<size_t>(in) >= index)
      fail(prefix, context + ": inbound " + std::to_string(in) +
                       " is not an earlier layer (" +
                       (index == 0 ? std::string("layer 0 has none")
                                   : "0.." + std::to_string(index - 1)) +
                       ")");
  int64_t count = static_cast<int64_t>(inbounds.size());
  if (count < schema->minInbounds || count > schema->maxInbounds) {
    std::string expected = std::string(layerTypeName(schema->type)) +
                           " takes " + std::to_string(schema->minInbounds);
    if (schema->maxInbounds > schema->minInbounds)
      expected += schema->maxInbounds >= (1 << 20)
                      ? " or more"
                      : " to " + std::to_string(schema->maxInbounds);
    fail(prefix, context + ": " + std::to_string(count) + " inbound" +
                     (count == 1 ? "" : "s") + " (" + expected + ")");
  }
  return *schema;
}

void checkIpVersion(const std::string &prefix, int value) {
  if (value != static_cast<int>(IpVersion::v1) &&
      value != static_cast<int>(IpVersion::v2))
    fail(prefix, "IP version " + std::to_string(value) + " (1 or 2)");
}

void checkLearning(const std::string &prefix, const LearningDesc &l) {
  if (l.numWeights < 0)
    fail(prefix, "learning num_weights " + std::to_string(l.numWeights) +
                     " (>= 0)");
  if (l.numClasses < 1)
    fail(prefix, "learning num_classes " + std::to_string(l.numClasses) +
                     " (>= 1)");
  const std::pair<const char *, float> floats[] = {
      {"initial_plasticity", l.initialPlasticity},
      {"learning_competition", l.learningCompetition},
      {"min_plasticity", l.minPlasticity},
      {"plasticity_decay", l.plasticityDecay}};
  for (const auto &[name, v] : floats)
    if (!std::isfinite(v))
      fail(prefix, std::string("learning ") + name + " is not finite (a finite number)");
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

void validateForEncode(const ModelDesc &model, const std::string &prefix) {
  checkIpVersion(prefix, static_cast<int>(model.ipVersion));
  checkShape(prefix, "input shape", model.inputShape);
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const LayerDesc &layer = model.layers[i];
    checkLayer(prefix, i, layer.name, static_cast<int32_t>(layer.type),
               layer.inbounds);
    for (const auto &[name, var] : layer.variables)
      checkVariable(prefix, layerContext(i, layer.name), name,
                    static_cast<int>(var.array.dtype), var.bitwidth,
                    var.array.shape, var.array.bytes.size());
  }
  if (model.learning)
    checkLearning(prefix, *model.learning);
}

/// A generous upper estimate of the FlatBuffer size, to refuse models the
/// builder could not hold before building them.
uint64_t estimatePayload(const ModelDesc &model) {
  uint64_t n = 256 + model.name.size() + 8 * model.inputShape.size();
  for (const LayerDesc &layer : model.layers) {
    n += 128 + layer.name.size() + 8 * layer.inbounds.size();
    for (const auto &[key, value] : layer.params)
      n += 48 + key.size();
    for (const auto &[name, var] : layer.variables)
      n += 96 + name.size() + 8 * var.array.shape.size() +
           var.array.bytes.size();
  }
  return n;
}

std::vector<uint8_t> buildPayload(const ModelDesc &model,
                                  const std::string &prefix) {
  if (estimatePayload(model) > kMaxPayloadBytes)
    fail(prefix, "model too large (at most " +
                     std::to_string(kMaxPayloadBytes) + " bytes of payload)");
  flatbuffers::FlatBufferBuilder fbb(1024);
  // Every scalar is written, even when it equals the schema default: the
  // bytes then do not depend on default values (e.g. -0.0f stays -0.0f).
  fbb.ForceDefaults(true);

  std::vector<flatbuffers::Offset<fbs::Layer>> layers;
  layers.reserve(model.layers.size());
  for (const LayerDesc &layer : model.layers) {
    std::vector<flatbuffers::Offset<fbs::Param>> params;
    for (const auto &[key, value] : layer.params) // std::map: sorted by key
      params.push_back(fbs::CreateParam(fbb, fbb.CreateString(key), value));
    std::vector<flatbuffers::Offset<fbs::Variable>> vars;
    for (const auto &[name, var] : layer.variables) { // sorted by name
      auto nameOff = fbb.CreateString(name);
      auto shapeOff = fbb.CreateVector(var.array.shape);
      auto dataOff = fbb.CreateVector(var.array.bytes);
      vars.push_back(fbs::CreateVariable(
          fbb, nameOff, static_cast<fbs::DType>(var.array.dtype),
          static_cast<uint8_t>(var.bitwidth), shapeOff, dataOff));
    }
    auto nameOff = fbb.CreateString(layer.name);
    auto paramsOff = fbb.CreateVector(params);
    auto inboundsOff = fbb.CreateVector(layer.inbounds);
    auto varsOff = fbb.CreateVector(vars);
    layers.push_back(fbs::CreateLayer(fbb, nameOff,
                                      static_cast<int32_t>(layer.type),
                                      paramsOff, inboundsOff, varsOff));
  }
  flatbuffers::Offset<fbs::Learning> learning;
  if (model.learning) {
    const LearningDesc &l = *model.learning;
    learning = fbs::CreateLearning(fbb, l.numWeights, l.numClasses,
                                   l.initialPlasticity, l.learningCompetition,
                                   l.minPlasticity, l.plasticityDecay);
  }
  auto nameOff = fbb.CreateString(model.name);
  auto inputOff = fbb.CreateVector(model.inputShape);
  auto layersOff = fbb.CreateVector(layers);
  auto root = fbs::CreateModel(fbb, nameOff,
                               static_cast<uint8_t>(model.ipVersion),
                               inputOff, layersOff, learning);
  fbs::FinishModelBuffer(fbb, root);
  if (fbb.GetSize() > kMaxPayloadBytes)
    fail(prefix, "model too large (" + std::to_string(fbb.GetSize()) +
                     " bytes of payload, at most " +
                     std::to_string(kMaxPayloadBytes) + ")");
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

//===----------------------------------------------------------------------===//
// Decoding: the header
//===----------------------------------------------------------------------===//

/// What a file that is not ours looks like, for the bad-magic message.
std::string guessForeignFormat(const uint8_t *data, size_t size) {
  auto startsWith = [&](const char *magic, size_t n) {
    return size >= n && std::memcmp(data, magic, n) == 0;
  };
  if (startsWith("\x89" "AKIDA\n", 7))
    return "line endings were converted, the file was copied in text mode";
  if (startsWith("\x89PNG", 4))
    return "this looks like a PNG image";
  if (startsWith("\x93NUMPY", 6))
    return "this looks like a NumPy .npy array";
  if (startsWith("PK\x03\x04", 4))
    return "this looks like a ZIP archive (.npz, .keras, ...)";
  if (startsWith("\x89HDF\r\n\x1a\n", 8))
    return "this looks like an HDF5 file (.h5)";
  if (startsWith("\x1f\x8b", 2))
    return "this looks like gzip-compressed data";
  if (startsWith("\x7f" "ELF", 4))
    return "this looks like an executable";
  if (startsWith("\x80\x44\x04\x10", 4))
    return "possibly a BrainChip Akida SDK file, a format this "
           "implementation does not read";
  size_t n = std::min<size_t>(size, 512);
  bool text = n > 0;
  for (size_t i = 0; i < n && text; ++i) {
    uint8_t c = data[i];
    text = (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
  }
  if (text)
    return "this looks like text";
  return "";
}

struct Header {
  uint32_t formatVersion;
  uint32_t flags;
  std::string sdkVersion;
  uint64_t payloadSize;
  uint64_t compressedSize;
  uint32_t payloadCrc;
};

/// The writer's SDK version string; empty when the field is malformed (no
/// NUL, non-printable bytes, garbage after the NUL).
std::string readSdkVersion(const uint8_t *field) {
  size_t len = 0;
  while (len < kSdkVersionBytes && field[len] != 0)
    ++len;
  if (len == 0 || len == kSdkVersionBytes)
    return "";
  for (size_t i = 0; i < len; ++i)
    if (field[i] < 0x21 || field[i] > 0x7e)
      return "";
  for (size_t i = len; i < kSdkVersionBytes; ++i)
    if (field[i] != 0)
      return "";
  return std::string(reinterpret_cast<const char *>(field), len);
}

/// Parses "major.minor[.anything]".
bool parseMajorMinor(const std::string &v, long &major, long &minor) {
  const char *p = v.c_str();
  auto number = [&](long &out) {
    if (*p < '0' || *p > '9')
      return false;
    out = 0;
    while (*p >= '0' && *p <= '9') {
      if (out > 100000)
        return false;
      out = out * 10 + (*p++ - '0');
    }
    return true;
  };
  if (!number(major) || *p++ != '.' || !number(minor))
    return false;
  return *p == 0 || *p == '.' || *p == '-' || *p == '+';
}

Header readHeader(const uint8_t *data, size_t size, const std::string &prefix) {
  if (size == 0)
    fail(prefix, "empty file (an Akida model file, starting with a " +
                     std::to_string(kHeaderSize) + "-byte header)");
  size_t magicBytes = std::min(size, sizeof kMagic);
  if (std::memcmp(data, kMagic, magicBytes) != 0) {
    std::string hint = guessForeignFormat(data, size);
    fail(prefix, "not an Akida model file (bad magic" +
                     (hint.empty() ? std::string() : "; " + hint) + ")");
  }
  if (size < kHeaderSize)
    fail(prefix, "truncated (" + std::to_string(size) + " bytes, the header alone is " +
                     std::to_string(kHeaderSize) + ")");

  Header h;
  h.formatVersion = read32(data + kOffFormatVersion);
  std::string writer = readSdkVersion(data + kOffSdkVersion);
  if (h.formatVersion > kFormatVersion)
    fail(prefix, "format version " + std::to_string(h.formatVersion) +
                     (writer.empty() ? "" : " (written by Akida " + writer + ")") +
                     " is newer than this Akida " + kVersionString +
                     " reads (format version " +
                     std::to_string(kFormatVersion) + " or older)");
  if (h.formatVersion == 0)
    fail(prefix, "invalid format version 0 (1 to " +
                     std::to_string(kFormatVersion) + ")");

  uint32_t headerCrc = read32(data + kOffHeaderCrc);
  uint32_t actualHeaderCrc = crc32Of(data, kOffHeaderCrc);
  if (headerCrc != actualHeaderCrc)
    fail(prefix, "header checksum mismatch, file is corrupted (header CRC-32 " +
                     hex32(actualHeaderCrc) + ", stored " + hex32(headerCrc) +
                     ")");

  long major = 0, minor = 0;
  if (writer.empty() || !parseMajorMinor(writer, major, minor))
    fail(prefix, "bad writer version " +
                     quoted(std::string(
                         reinterpret_cast<const char *>(data + kOffSdkVersion),
                         strnlen(reinterpret_cast<const char *>(data +
                                                                kOffSdkVersion),
                                 kSdkVersionBytes))) +
                     " in the header (major.minor.patch)");
  if (major != kVersionMajor || minor != kVersionMinor)
    fail(prefix, "written by Akida " + writer + "; this is Akida " +
                     kVersionString + " and files must match major.minor");
  h.sdkVersion = writer;

  h.flags = read32(data + kOffFlags);
  if (h.flags != kFlagZlib)
    fail(prefix, "unsupported flags " + hex32(h.flags) + " (" +
                     hex32(kFlagZlib) + ": zlib payload)");

  h.payloadSize = read64(data + kOffPayloadSize);
  h.compressedSize = read64(data + kOffCompressedSize);
  h.payloadCrc = read32(data + kOffPayloadCrc);
  if (h.payloadSize > kMaxPayloadBytes)
    fail(prefix, "header says " + std::to_string(h.payloadSize) +
                     " uncompressed payload bytes (at most " +
                     std::to_string(kMaxPayloadBytes) + ")");
  // The smallest FlatBuffer with a file identifier is 8 bytes.
  if (h.payloadSize < 8)
    fail(prefix, "header says " + std::to_string(h.payloadSize) +
                     " uncompressed payload bytes (a model takes at least 8)");
  // Deflate expands at most 1032-fold; a larger claim is forged.
  if (h.payloadSize / 1032 > h.compressedSize)
    fail(prefix, "header says " + std::to_string(h.payloadSize) +
                     " uncompressed bytes from " +
                     std::to_string(h.compressedSize) +
                     " compressed bytes (zlib expands at most 1032-fold)");

  // Incompressible data grows a little; more than this is not from deflate.
  if (h.compressedSize > compressBound(static_cast<uLong>(h.payloadSize)))
    fail(prefix, "header says " + std::to_string(h.compressedSize) +
                     " compressed bytes for " + std::to_string(h.payloadSize) +
                     " uncompressed ones (at most " +
                     std::to_string(compressBound(
                         static_cast<uLong>(h.payloadSize))) +
                     ")");

  uint64_t available = size - kHeaderSize;
  if (h.compressedSize > available)
    fail(prefix, "truncated (header says " + std::to_string(h.compressedSize) +
                     " payload bytes, file has " + std::to_string(available) +
                     ")");
  if (h.compressedSize < available)
    fail(prefix, std::to_string(available - h.compressedSize) +
                     (available - h.compressedSize == 1 ? " byte" : " bytes") +
                     " of trailing data (header says " +
                     std::to_string(h.compressedSize) +
                     " payload bytes, file has " + std::to_string(available) +
                     ")");
  return h;
}

/// Decompresses exactly `expected` bytes from a zlib stream. The output grows
/// with what really comes out, so a forged size does not allocate up front.
std::vector<uint8_t> inflatePayload(const uint8_t *in, size_t inSize,
                                    uint64_t expected,
                                    const std::string &prefix) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit(&zs) != Z_OK)
    fail(prefix, "cannot start zlib (out of memory?)");
  std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&zs, inflateEnd);

  // One byte more than expected, to notice a stream that is too long.
  const uint64_t limit = expected + 1;
  std::vector<uint8_t> out(static_cast<size_t>(
      std::min<uint64_t>(limit, std::max<uint64_t>(uint64_t(inSize) * 4, 1 << 16))));
  zs.next_in = const_cast<Bytef *>(in);
  zs.avail_in = static_cast<uInt>(inSize); // inSize < 4 GiB, checked by caller
  for (;;) {
    if (zs.total_out == out.size()) {
      if (out.size() >= limit)
        fail(prefix, "payload decompresses to more than " +
                         std::to_string(expected) + " bytes (header says " +
                         std::to_string(expected) + ")");
      out.resize(static_cast<size_t>(
          std::min<uint64_t>(limit, uint64_t(out.size()) * 2)));
    }
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(
        std::min<uint64_t>(out.size() - zs.total_out, 1u << 30));
    uLong inBefore = zs.total_in, outBefore = zs.total_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END)
      break;
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      if (zs.avail_in == 0 && zs.avail_out != 0)
        fail(prefix, "payload is cut short (a complete zlib stream)");
      if (zs.total_in == inBefore && zs.total_out == outBefore &&
          zs.avail_out != 0)
        fail(prefix, "payload does not decompress (a valid zlib stream)");
      continue;
    }
    fail(prefix, std::string("payload does not decompress: ") +
                     (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) +
                     " (a valid zlib stream)");
  }
  if (zs.avail_in != 0)
    fail(prefix, std::to_string(zs.avail_in) +
                     " bytes after the end of the zlib stream (none)");
  if (zs.total_out != expected)
    fail(prefix, "payload decompresses to " + std::to_string(zs.total_out) +
                     " bytes (header says " + std::to_string(expected) + ")");
  out.resize(static_cast<size_t>(expected));
  return out;
}

//===----------------------------------------------------------------------===//
// Decoding: the content
//===----------------------------------------------------------------------===//

/// Converts a verified FlatBuffer to a ModelDesc, checking the content.
///
/// The Verifier accepts offsets that point to the same string, vector or
/// table more than once, so a small payload could expand into a huge model
/// (a 100 MB weight array referenced by a thousand layers). The converter
/// therefore charges every string, vector and table it converts against a
/// budget of the payload size, at no more than the bytes each one must
/// occupy on its own in a FlatBuffer: a file without such sharing (every
/// writer's) never exceeds it, and the model built is at most a small
/// multiple of the payload.
class Converter {
public:
  Converter(size_t payloadSize, const std::string &prefix)
      : budget(payloadSize), prefix(prefix) {}

  ModelDesc convert(const fbs::Model &m);

private:
  size_t budget;
  const std::string &prefix;

  void charge(size_t bytes) {
    if (bytes > budget)
      fail(prefix, "the payload refers to the same data more than once "
                   "(each string, array and table stored once)");
    budget -= bytes;
  }

  std::string toString(const flatbuffers::String *s) {
    charge(sizeof(flatbuffers::uoffset_t) + s->size() + 1);
    return std::string(s->data(), s->size());
  }

  /// The elements of a scalar vector. They are copied byte-wise: the
  /// Verifier only checks the 4-byte alignment of a vector's length, so the
  /// elements of a forged [long] may be misaligned for a direct load.
  template <typename T>
  std::vector<T> toVector(const flatbuffers::Vector<T> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()) * sizeof(T));
    std::vector<T> out(v->size());
    const uint8_t *p = v->Data();
    for (size_t i = 0; i < out.size(); ++i) {
      T x;
      std::memcpy(&x, p + i * sizeof(T), sizeof(T));
      out[i] = flatbuffers::EndianScalar(x);
    }
    return out;
  }

  std::vector<uint8_t> toBytes(const flatbuffers::Vector<uint8_t> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()));
    return std::vector<uint8_t>(v->data(), v->data() + v->size());
  }

  /// A table reached through a vector of offsets: its slot in the vector,
  /// its vtable offset and one offset per required field.
  void chargeTable(size_t requiredOffsets) {
    charge(sizeof(flatbuffers::uoffset_t) * (2 + requiredOffsets));
  }
};

ModelDesc Converter::convert(const fbs::Model &m) {
  ModelDesc model;
  model.name = toString(m.name());
  checkIpVersion(prefix, m.ip_version());
  model.ipVersion = static_cast<IpVersion>(m.ip_version());
  model.inputShape = toVector(m.input_shape());
  checkShape(prefix, "input shape", model.inputShape);

  const auto *layers = m.layers();
  charge(sizeof(flatbuffers::uoffset_t));
  for (flatbuffers::uoffset_t i = 0; i < layers->size(); ++i) {
    const fbs::Layer &l = *layers->Get(i);
    chargeTable(4); // name, params, inbounds, variables
    LayerDesc layer;
    layer.name = toString(l.name());
    std::string context = layerContext(i, layer.name);
    std::vector<int32_t> inbounds = toVector(l.inbounds());
    layer.inbounds.assign(inbounds.begin(), inbounds.end());
    checkLayer(prefix, i, layer.name, l.type(), layer.inbounds);
    layer.type = static_cast<LayerType>(l.type());

    const std::string *previous = nullptr;
    charge(sizeof(flatbuffers::uoffset_t));
    for (const fbs::Param *p : *l.params()) {
      chargeTable(1); // key
      std::string key = toString(p->key());
      if (previous && !(*previous < key))
        fail(prefix, context + ": parameter " + quoted(key) + " after " +
                         quoted(*previous) +
                         " (parameters sorted by name, no duplicates)");
      previous = &layer.params.emplace(std::move(key), p->value()).first->first;
    }

    previous = nullptr;
    charge(sizeof(flatbuffers::uoffset_t));
    for (const fbs::Variable *v : *l.variables()) {
      chargeTable(3); // name, shape, data
      std::string name = toString(v->name());
      if (previous && !(*previous < name))
        fail(prefix, context + ": variable " + quoted(name) + " after " +
                         quoted(*previous) +
                         " (variables sorted by name, no duplicates)");
      Variable var;
      var.array.shape = toVector(v->shape());
      checkVariable(prefix, context, name, static_cast<int>(v->dtype()),
                    v->bitwidth(), var.array.shape, v->data()->size());
      var.array.dtype = static_cast<DType>(v->dtype());
      var.bitwidth = v->bitwidth();
      var.array.bytes = toBytes(v->data());
      previous =
          &layer.variables.emplace(std::move(name), std::move(var)).first->first;
    }
    model.layers.push_back(std::move(layer));
  }

  if (const fbs::Learning *l = m.learning()) {
    LearningDesc learning;
    learning.numWeights = l->num_weights();
    learning.numClasses = l->num_classes();
    learning.initialPlasticity = l->initial_plasticity();
    learning.learningCompetition = l->learning_competition();
    learning.minPlasticity = l->min_plasticity();
    learning.plasticityDecay = l->plasticity_decay();
    checkLearning(prefix, learning);
    model.learning = learning;
  }
  return model;
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::vector<uint8_t> encodeFbz(const ModelDesc &model) {
  const std::string prefix = "cannot encode model " + quoted(model.name) + ": ";
  validateForEncode(model, prefix);
  std::vector<uint8_t> payload = buildPayload(model, prefix);

  uLong bound = compressBound(static_cast<uLong>(payload.size()));
  std::vector<uint8_t> file(kHeaderSize + bound);
  uLongf compressedSize = bound;
  int rc = compress2(file.data() + kHeaderSize, &compressedSize,
                     payload.data(), static_cast<uLong>(payload.size()),
                     kZlibLevel);
  if (rc != Z_OK)
    fail(prefix, "zlib compression failed (error " + std::to_string(rc) + ")");
  file.resize(kHeaderSize + compressedSize);

  uint8_t *h = file.data();
  std::memset(h, 0, kHeaderSize);
  std::memcpy(h + kOffMagic, kMagic, sizeof kMagic);
  write32(h + kOffFormatVersion, kFormatVersion);
  write32(h + kOffFlags, kFlagZlib);
  std::memcpy(h + kOffSdkVersion, kVersionString, std::strlen(kVersionString));
  write64(h + kOffPayloadSize, payload.size());
  write64(h + kOffCompressedSize, compressedSize);
  write32(h + kOffPayloadCrc, crc32Of(h + kHeaderSize, compressedSize));
  write32(h + kOffHeaderCrc, crc32Of(h, kOffHeaderCrc));
  return file;
}

ModelDesc decodeFbz(const uint8_t *data, size_t size,
                    const std::string &source) {
  const std::string prefix = source + ": ";
  if (!data && size != 0)
    fail(prefix, "no data (a buffer)");
  Header h = readHeader(data, size, prefix);

  const uint8_t *payload = data + kHeaderSize;
  size_t compressed = static_cast<size_t>(h.compressedSize);
  uint32_t crc = crc32Of(payload, compressed);
  if (crc != h.payloadCrc)
    fail(prefix, "checksum mismatch, file is corrupted (payload CRC-32 " +
                     hex32(crc) + ", header says " + hex32(h.payloadCrc) + ")");
  std::vector<uint8_t> buffer =
      inflatePayload(payload, compressed, h.payloadSize, prefix);

  flatbuffers::Verifier::Options options;
  options.max_depth = 16;
  options.max_tables = 1u << 20; // a large model has a few thousand
  flatbuffers::Verifier verifier(buffer.data(), buffer.size(), options);
  if (!fbs::VerifyModelBuffer(verifier))
    fail(prefix, "the payload is not a valid model (a FlatBuffer of "
                 "compiler/fbz/model.fbs)");
  return Converter(buffer.size(), prefix).convert(*fbs::GetModel(buffer.data()));
}

void saveFbz(const ModelDesc &model, const std::string &path) {
  std::vector<uint8_t> bytes = encodeFbz(model);
  const std::string tmp = path + ".tmp";
  auto failWrite = [&](int err) {
    std::remove(tmp.c_str());
    throw FbzError("cannot write '" + path + "': " + std::strerror(err));
  };
  std::FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    throw FbzError("cannot write '" + path + "': " + std::strerror(errno));
  size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  int err = errno;
  if (written != bytes.size()) {
    std::fclose(f);
    failWrite(err ? err : EIO);
  }
  if (std::fclose(f) != 0)
    failWrite(errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    failWrite(errno);
}

ModelDesc loadFbz(const std::string &path) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    throw FbzError("cannot open '" + path + "': " + std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE *)> guard(f, std::fclose);
  struct stat st;
  if (fstat(fileno(f), &st) != 0)
    throw FbzError("cannot open '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw FbzError("cannot open '" + path + "': " + std::strerror(EISDIR));

  // Refuse a file larger than the largest valid one without reading it, and
  // read at most one byte more than that from anything else (a pipe).
  const uint64_t maxFile =
      kHeaderSize + compressBound(static_cast<uLong>(kMaxPayloadBytes));
  auto tooLarge = [&](const std::string &size) {
    return FbzError(path + ": file too large (" + size + " bytes, at most " +
                    std::to_string(maxFile) + ")");
  };
  if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > maxFile)
    throw tooLarge(std::to_string(st.st_size));
  std::vector<uint8_t> bytes;
  if (S_ISREG(st.st_mode))
    bytes.reserve(static_cast<size_t>(st.st_size));
  std::vector<uint8_t> chunk(1 << 16);
  for (;;) {
    size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
    if (bytes.size() > maxFile)
      throw tooLarge("more than " + std::to_string(maxFile));
    if (n < chunk.size()) {
      if (std::ferror(f))
        throw FbzError("cannot read '" + path + "': " + std::strerror(errno));
      break;
    }
  }
  return decodeFbz(bytes.data(), bytes.size(), path);
}

} // namespace akida
