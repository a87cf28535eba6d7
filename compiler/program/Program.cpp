//===- Program.cpp - Akida device programs --------------------------------===//
//
// Layout, packing, versioning and validation rules: docs/program-format.md.
//
// Three steps:
//   - buildProgram turns a SequencePlan into a DecodedProgram: one record per
//     unit (HRC, NP, skip-DMA channel) with the unit's slice of the layer's
//     weights and variables, and the DMA descriptors between units;
//   - writeProgram serializes it (two size-prefixed FlatBuffers, one nested
//     PassData buffer per pass, CRC-32 checksums);
//   - readProgram checks sizes, checksums and versions, runs the FlatBuffers
//     Verifier on every buffer before reading a field, converts, and applies
//     the same content rules as the writer (validateProgram).
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"

#include "compiler/fbz/LayerSchema.h"
#include "compiler/fbz/Version.h"
#include "compiler/program/program_generated.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>

namespace akida {

static_assert(program::kMaxProgramBytes < FLATBUFFERS_MAX_BUFFER_SIZE,
              "programs must stay below the FlatBuffers limit");

namespace {

const std::string kEmit = "cannot emit program: ";
const std::string kWrite = "cannot write program: ";
const std::string kRead = "invalid program: ";

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

[[noreturn]] void fail(const std::string &prefix, const std::string &what) {
  throw ProgramError(prefix + what);
}

uint32_t read32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}
void write32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

uint32_t crc32Of(const uint8_t *data, size_t size) {
  return uint32_t(crc32_z(crc32(0L, Z_NULL, 0), data, size));
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// `s` quoted for a one-line message: control and non-ASCII bytes escaped,
/// long strings shortened.
std::string quoted(const std::string &s) {
  constexpr size_t kMaxShown = 64;
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > kMaxShown)
    out += "...";
  return out + "'";
}

std::string str(int64_t v) { return std::to_string(v); }

std::string identStr(const NpIdent &i) {
  return "(" + str(i.col) + ", " + str(i.row) + ", " + str(i.id) + ")";
}

/// NpType names, as NP.Type prints them (kept here so that this library does
/// not need the device library's definitions).
const char *npTypeStr(NpType t) {
  switch (t) {
  case NpType::HRC:
    return "HRC";
  case NpType::CNP1:
    return "CNP1";
  case NpType::CNP2:
    return "CNP2";
  case NpType::FNP2:
    return "FNP2";
  case NpType::FNP3:
    return "FNP3";
  case NpType::TNP_B:
    return "TNP_B";
  case NpType::SKIP_DMA_STORE:
    return "SKIP_DMA_STORE";
  case NpType::SKIP_DMA_LOAD:
    return "SKIP_DMA_LOAD";
  }
  return "unknown";
}
constexpr int kMaxNpType = static_cast<int>(NpType::SKIP_DMA_LOAD);

bool isNpUnitType(NpType t) {
  return t == NpType::CNP1 || t == NpType::CNP2 || t == NpType::FNP2 ||
         t == NpType::FNP3 || t == NpType::TNP_B;
}

std::string dimsStr(const std::array<int64_t, 3> &d) {
  return formatDims({d.begin(), d.end()});
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

//===----------------------------------------------------------------------===//
// Layer classification
//===----------------------------------------------------------------------===//

bool isHrcLayer(LayerType t) {
  return t == LayerType::InputConvolutional || t == LayerType::InputConv2D;
}
bool isMergeLayer(LayerType t) {
  return t == LayerType::Add || t == LayerType::Concatenate;
}
bool isSoftwareLayer(LayerType t) {
  return t == LayerType::Dequantizer || t == LayerType::ExtractToken ||
         t == LayerType::Unknown;
}
/// Layers whose NPs split channels, each channel reading only its own input
/// channel.
bool isDepthwise(LayerType t) {
  return t == LayerType::DepthwiseConv2D ||
         t == LayerType::DepthwiseConv2DTranspose ||
         t == LayerType::DepthwiseBufferTempConv;
}
bool isWeightTensor(const std::string &name) {
  return name == "weights" || name == "weights_pw";
}

/// Whether variable `name` of a layer of type `type` has the filter axis
/// last, so that each NP holds only its filters' part.
bool perFilterVariable(LayerType type, const std::string &name,
                       const std::vector<int64_t> &shape, int64_t filters) {
  if (name == "weights")
    return type != LayerType::SeparableConvolutional; // depthwise (kx,ky,C,1)
  if (name == "weights_pw")
    return true;
  if (name == "input_shift")
    return isDepthwise(type); // per input channel: the NP's own channels
  if (name == "lut_values" || name == "scales")
    return false;
  if (name == "max_value" || name == "max_value_shift" ||
      name == "activation_scales" || name == "activation_shift")
    return shape.size() == 1 && shape[0] == filters; // else per layer (1,)
  return true; // threshold, act_step, bias, bias_shift, output_scales/shift
}

//===----------------------------------------------------------------------===//
// Weight packing
//===----------------------------------------------------------------------===//

bool validWeightBits(int64_t bits) {
  return bits == 1 || bits == 2 || bits == 4 || bits == 8;
}

} // namespace

std::vector<uint8_t> packWeights(const std::vector<int64_t> &values,
                                 int bits) {
  if (!validWeightBits(bits))
    throw ProgramError("cannot pack weights: bit width " + str(bits) +
                       " (1, 2, 4 or 8)");
  const int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
  const int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
  const uint32_t mask = (1u << bits) - 1;
  std::vector<uint8_t> out((values.size() * size_t(bits) + 7) / 8, 0);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t v = values[i];
    if (v < lo || v > hi)
      throw ProgramError("cannot pack weights: value " + str(v) +
                         " at flat index " + str(int64_t(i)) +
                         " does not fit " + str(bits) + " bits ([" + str(lo) +
                         ", " + str(hi) + "])");
    size_t bit = i * size_t(bits); // bits divides 8: never crosses a byte
    out[bit / 8] |= uint8_t((uint32_t(v) & mask) << (bit % 8));
  }
  return out;
}

std::vector<int8_t> unpackWeights(const uint8_t *data, size_t size, int bits,
                                  int64_t count) {
  if (!validWeightBits(bits))
    throw ProgramError("cannot unpack weights: bit width " + str(bits) +
                       " (1, 2, 4 or 8)");
  if (count < 0 || count > program::kMaxElements)
    throw ProgramError("cannot unpack weights: count " + str(count) +
                       " (0 to " + str(program::kMaxElements) + ")");
  uint64_t expected = (uint64_t(count) * uint64_t(bits) + 7) / 8;
  if (size != expected || (!data && size))
    throw ProgramError("cannot unpack weights: " + str(int64_t(size)) +
                       " bytes for " + str(count) + " " + str(bits) +
                       "-bit values (" + str(int64_t(expected)) + " bytes)");
  uint64_t usedBits = uint64_t(count) * uint64_t(bits);
  if (usedBits % 8 && (data[size - 1] >> (usedBits % 8)) != 0)
    throw ProgramError("cannot unpack weights: unused bits of the last byte "
                       "are set (zero)");
  const uint32_t mask = (1u << bits) - 1;
  std::vector<int8_t> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    uint64_t bit = uint64_t(i) * uint64_t(bits);
    uint32_t raw = (data[bit / 8] >> (bit % 8)) & mask;
    int32_t v = static_cast<int32_t>(raw);
    if (bits > 1 && (raw >> (bits - 1)))
      v -= int32_t(1) << bits; // sign-extend two's complement
    out[static_cast<size_t>(i)] = static_cast<int8_t>(v);
  }
  return out;
}

const char *dataFormatName(DataFormat format) {
  switch (format) {
  case DataFormat::Events:
    return "events";
  case DataFormat::Dense:
    return "dense";
  }
  return "unknown";
}

const char *endpointKindName(EndpointKind kind) {
  switch (kind) {
  case EndpointKind::Np:
    return "NP";
  case EndpointKind::Hrc:
    return "HRC";
  case EndpointKind::EventDma:
    return "event DMA";
  case EndpointKind::SkipDma:
    return "skip DMA";
  }
  return "unknown";
}

int64_t ProgramTensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Array ProgramTensor::toArray() const {
  if (!packed) {
    Array a;
    a.dtype = dtype;
    a.shape = shape;
    a.bytes = data;
    return a;
  }
  std::vector<int8_t> v = unpackWeights(data, bits, size());
  return Array::fromInts(DType::Int8, shape,
                         std::vector<int64_t>(v.begin(), v.end()));
}

const ProgramTensor *UnitRecord::tensor(const std::string &name) const {
  for (const ProgramTensor &t : tensors)
    if (t.name == name)
      return &t;
  return nullptr;
}

namespace {

//===----------------------------------------------------------------------===//
// Content rules, shared by the writer and the reader (and checked on what
// buildProgram produces). Each throws ProgramError with `P` prepended.
//===----------------------------------------------------------------------===//

void checkPrintable(const std::string &P, const std::string &what,
                    const std::string &s, size_t maxLen, bool allowEmpty) {
  if (s.size() > maxLen || (!allowEmpty && s.empty()))
    fail(P, what + " " + quoted(s) + " has " + str(int64_t(s.size())) +
                " characters (" + (allowEmpty ? "0" : "1") + " to " +
                str(int64_t(maxLen)) + ")");
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e)
      fail(P, what + " " + quoted(s) + " has a non-printable character "
                     "(printable ASCII)");
}

void checkIo(const std::string &P, const std::string &what, const IoDesc &io) {
  for (int64_t d : io.dims)
    if (d < 1 || d > kInt32Max)
      fail(P, what + " dims " + dimsStr(io.dims) + " (each 1 to " +
                  str(kInt32Max) + ")");
  if (io.bits < 1 || io.bits > 32)
    fail(P, what + " bit width " + str(io.bits) + " (1 to 32)");
  if (static_cast<int>(io.format) > static_cast<int>(DataFormat::Dense))
    fail(P, what + " format " + str(static_cast<int>(io.format)) +
                " (0 events or 1 dense)");
}

void checkIdent(const std::string &P, const std::string &what,
                const NpIdent &i) {
  for (int v : {i.col, i.row, i.id})
    if (v < 0 || v > 255)
      fail(P, what + " ident " + identStr(i) + " (each 0 to 255)");
}

void checkRoute(const std::string &P, const std::string &what,
                const DmaDescriptor &r) {
  for (const Endpoint *e : {&r.source, &r.dest}) {
    if (static_cast<int>(e->kind) > static_cast<int>(EndpointKind::SkipDma))
      fail(P, what + ": endpoint kind " + str(static_cast<int>(e->kind)) +
                  " (0 NP, 1 HRC, 2 event DMA, 3 skip DMA)");
    checkIdent(P, what + " " + endpointKindName(e->kind), e->ident);
  }
  if (r.sourceLayer < -1 || r.destLayer < -1 || r.destInput < 0)
    fail(P, what + ": layers " + str(r.sourceLayer) + " -> " +
                str(r.destLayer) + " input " + str(r.destInput) +
                " (layers >= -1, input >= 0)");
  if (r.firstChannel < 0 || r.channelCount < 1 ||
      r.firstChannel > kInt32Max - r.channelCount)
    fail(P, what + ": channels [" + str(r.firstChannel) + ", +" +
                str(r.channelCount) + ") (first >= 0, count >= 1, end <= " +
                str(kInt32Max) + ")");
}

void checkTensor(const std::string &P, const std::string &what,
                 const ProgramTensor &t, const UnitRecord &u) {
  std::string w = what + " tensor " + quoted(t.name);
  checkPrintable(P, what + " tensor name", t.name, 64, false);
  if (static_cast<int>(t.dtype) > static_cast<int>(DType::Float32))
    fail(P, w + ": dtype " + str(static_cast<int>(t.dtype)) +
                " (0..5: uint8, int8, uint16, int16, int32, float32)");
  if (t.bits < 1 || t.bits > 32)
    fail(P, w + ": bit width " + str(t.bits) + " (1 to 32)");
  if (t.shape.size() > program::kMaxRank)
    fail(P, w + ": rank " + str(int64_t(t.shape.size())) + " (at most " +
                str(int64_t(program::kMaxRank)) + ")");
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0 || d > program::kMaxElements)
      fail(P, w + ": shape " + formatDims(t.shape) + " (dimensions 0 to " +
                  str(program::kMaxElements) + ")");
    n = d == 0 ? 0 : n;
    if (n && d > program::kMaxElements / n)
      fail(P, w + ": shape " + formatDims(t.shape) +
                  " has too many elements (at most " +
                  str(program::kMaxElements) + ")");
    n *= d;
  }
  if (t.packed) {
    if (t.dtype != DType::Int8 || !validWeightBits(t.bits))
      fail(P, w + ": packed as " + dtypeName(t.dtype) + " at " + str(t.bits) +
                  " bits (packed tensors are int8 weights of 1, 2, 4 or 8 "
                  "bits)");
    uint64_t expected = (uint64_t(n) * uint64_t(t.bits) + 7) / 8;
    if (t.data.size() != expected)
      fail(P, w + ": " + str(int64_t(t.data.size())) + " bytes for " + str(n) +
                  " " + str(t.bits) + "-bit values (" +
                  str(int64_t(expected)) + ")");
    uint64_t used = uint64_t(n) * uint64_t(t.bits);
    if (used % 8 && (t.data.back() >> (used % 8)) != 0)
      fail(P, w + ": unused bits of the last byte are set (zero)");
  } else {
    uint64_t expected = uint64_t(n) * dtypeSize(t.dtype);
    if (t.data.size() != expected)
      fail(P, w + ": " + str(int64_t(t.data.size())) + " bytes for shape " +
                  formatDims(t.shape) + " of " + dtypeName(t.dtype) + " (" +
                  str(int64_t(expected)) + ")");
  }
  if (t.perFilter && (t.shape.empty() || t.shape.back() != u.filterCount))
    fail(P, w + ": shape " + formatDims(t.shape) +
                " is per filter but its last axis is not the unit's " +
                str(u.filterCount) + " filters");
}

enum class Role { Hrc, Np, Merge };

void checkUnit(const std::string &P, const std::string &what,
               const UnitRecord &u, Role role, const std::set<int> &layers) {
  int type = static_cast<int>(u.type);
  if (type > kMaxNpType)
    fail(P, what + ": NP type " + str(type) + " (0.." + str(kMaxNpType) + ")");
  bool ok = role == Role::Hrc     ? u.type == NpType::HRC
            : role == Role::Merge ? u.type == NpType::SKIP_DMA_LOAD
                                  : isNpUnitType(u.type);
  if (!ok)
    fail(P, what + ": type " + npTypeStr(u.type) + " (" +
                (role == Role::Hrc     ? "HRC"
                 : role == Role::Merge ? "SKIP_DMA_LOAD"
                                       : "CNP1, CNP2, FNP2, FNP3 or TNP_B") +
                ")");
  checkIdent(P, what, u.ident);
  if (u.dmaChannel < 0 || u.dmaChannel > 255 ||
      (role != Role::Merge && u.dmaChannel != 0))
    fail(P, what + ": DMA channel " + str(u.dmaChannel) +
                " (0 to 255 for a merge unit, 0 otherwise)");
  if (!layers.count(u.layer))
    fail(P, what + ": layer " + str(u.layer) + " is not one of the pass");
  const LayerSchema *schema = nullptr;
  if (u.layerType != LayerType::Unknown) {
    try {
      schema = &layerSchema(u.layerType);
    } catch (const std::invalid_argument &) {
    }
  }
  if (!schema)
    fail(P, what + ": layer type " + str(static_cast<int>(u.layerType)) +
                " (one of the SDK's LayerType values)");
  bool typeOk = role == Role::Hrc     ? isHrcLayer(u.layerType)
                : role == Role::Merge ? isMergeLayer(u.layerType)
                                      : !isHrcLayer(u.layerType) &&
                                            !isMergeLayer(u.layerType) &&
                                            !isSoftwareLayer(u.layerType) &&
                                            u.layerType != LayerType::InputData;
  if (!typeOk)
    fail(P, what + ": a " + layerTypeName(u.layerType) + " layer cannot be "
                "configured on " + (role == Role::Hrc ? "the HRC"
                                    : role == Role::Merge ? "a skip DMA"
                                                          : "an NP"));
  for (const auto &[key, value] : u.params)
    checkPrintable(P, what + " parameter name", key, 64, false);
  checkIo(P, what + " input", u.input);
  checkIo(P, what + " output", u.output);
  if (u.totalFilters != u.output.dims[2] || u.filterCount < 1 ||
      u.firstFilter < 0 || u.firstFilter > u.totalFilters - u.filterCount)
    fail(P, what + ": filters [" + str(u.firstFilter) + ", +" +
                str(u.filterCount) + ") of " + str(u.totalFilters) +
                " (a non-empty range within the " + str(u.output.dims[2]) +
                " output channels)");
  if (u.columnBlocks < 1 || u.columnBlock < 0 ||
      u.columnBlock >= u.columnBlocks || u.columnCount < 1 ||
      u.firstColumn < 0 || u.firstColumn > u.input.dims[1] - u.columnCount)
    fail(P, what + ": column block " + str(u.columnBlock) + " of " +
                str(u.columnBlocks) + ", columns [" + str(u.firstColumn) +
                ", +" + str(u.columnCount) + ") (a non-empty range within the " +
                str(u.input.dims[1]) + " input columns)");
  const std::string *previous = nullptr;
  for (const ProgramTensor &t : u.tensors) {
    if (previous && !(*previous < t.name))
      fail(P, what + ": tensor " + quoted(t.name) + " after " +
                  quoted(*previous) + " (sorted by name, no duplicates)");
    checkTensor(P, what, t, u);
    previous = &t.name;
  }
  for (size_t i = 0; i < u.routes.size(); ++i)
    checkRoute(P, what + " route " + str(int64_t(i)), u.routes[i]);
}

void validateProgram(const DecodedProgram &p, const std::string &P) {
  if (p.formatVersion != program::kFormatVersion)
    fail(P, "format version " + str(p.formatVersion) + " (" +
                str(program::kFormatVersion) + ")");
  checkPrintable(P, "SDK version", p.sdkVersion, 32, false);
  checkPrintable(P, "device name", p.deviceName, 256, true);
  if (p.ipVersion != IpVersion::v1 && p.ipVersion != IpVersion::v2)
    fail(P, "IP version " + str(static_cast<int>(p.ipVersion)) + " (1 or 2)");
  checkIo(P, "input", p.input);
  checkIo(P, "output", p.output);
  if (p.dequantShifts.size() != p.dequantScales.size() ||
      (p.outputActivation && !p.dequantShifts.empty()) ||
      (!p.outputActivation &&
       int64_t(p.dequantShifts.size()) != p.output.dims[2]))
    fail(P, std::to_string(p.dequantShifts.size()) + " de-quantization "
                "shifts and " + std::to_string(p.dequantScales.size()) +
                " scales for " + (p.outputActivation ? "an activated" :
                "an activation-free") + " output of " + str(p.output.dims[2]) +
                " channels (" + (p.outputActivation ? "none" :
                "one of each per channel") + ")");
  if (p.denseWindowRows < 0 || p.denseWindowCols < 0 ||
      p.denseWindowRows > kInt32Max || p.denseWindowCols > kInt32Max)
    fail(P, "dense window " + str(p.denseWindowRows) + "x" +
                str(p.denseWindowCols) + " (0 to " + str(kInt32Max) + ")");
  if (p.passes.empty())
    fail(P, "no pass (at least one)");
  std::set<int> seen;
  uint32_t maxDesc = 0;
  for (size_t pi = 0; pi < p.passes.size(); ++pi) {
    const PassProgram &pass = p.passes[pi];
    std::string what = "pass " + str(int64_t(pi));
    if (pass.layers.empty() || pass.layers.size() != pass.layerNames.size())
      fail(P, what + ": " + std::to_string(pass.layers.size()) +
                  " layers and " + std::to_string(pass.layerNames.size()) +
                  " layer names (at least one layer, one name each)");
    for (size_t i = 0; i < pass.layers.size(); ++i) {
      int l = pass.layers[i];
      if (l < 0 || !seen.insert(l).second)
        fail(P, what + ": layer index " + str(l) +
                    " (>= 0, in one pass only)");
      checkPrintable(P, what + " layer name", pass.layerNames[i], 1024, true);
    }
    std::set<int> layers(pass.layers.begin(), pass.layers.end());
    uint64_t desc = pass.inputs.size();
    if (pass.hrc) {
      checkUnit(P, what + " HRC record", *pass.hrc, Role::Hrc, layers);
      desc += pass.hrc->routes.size();
    }
    for (size_t i = 0; i < pass.nps.size(); ++i) {
      checkUnit(P, what + " NP record " + str(int64_t(i)), pass.nps[i],
                Role::Np, layers);
      desc += pass.nps[i].routes.size();
    }
    for (size_t i = 0; i < pass.merges.size(); ++i) {
      checkUnit(P, what + " merge record " + str(int64_t(i)), pass.merges[i],
                Role::Merge, layers);
      desc += pass.merges[i].routes.size();
    }
    for (size_t i = 0; i < pass.inputs.size(); ++i)
      checkRoute(P, what + " input route " + str(int64_t(i)), pass.inputs[i]);
    if (desc != pass.numDescriptors)
      fail(P, what + ": " + str(pass.numDescriptors) +
                  " DMA descriptors counted but it has " + str(int64_t(desc)));
    maxDesc = std::max(maxDesc, pass.numDescriptors);
  }
  if (p.maxNumDescriptors != maxDesc)
    fail(P, "max_num_desc is " + str(p.maxNumDescriptors) +
                " but the largest pass has " + str(maxDesc) + " descriptors");
}

//===----------------------------------------------------------------------===//
// buildProgram
//===----------------------------------------------------------------------===//

std::string layerRef(const ModelDesc &m, int i) {
  const LayerDesc &l = m.layers[static_cast<size_t>(i)];
  return "layer " + str(i) + " " + quoted(l.name) + " (" +
         layerTypeName(l.type) + ")";
}

IoDesc ioOf(const ActType &t, DataFormat format) {
  IoDesc io;
  io.dims = t.shape;
  io.bits = t.bits;
  io.isSigned = t.isSigned;
  io.format = format;
  return io;
}

/// Whether the output of layer `i` is an activation (not raw potentials).
bool activated(const ModelDesc &m, int i) {
  const LayerDesc &l = m.layers[static_cast<size_t>(i)];
  if (l.type == LayerType::Concatenate) {
    for (int in : l.inbounds)
      if (!activated(m, in))
        return false;
    return !l.inbounds.empty();
  }
  if (!layerSchema(l.type).findParam("activation"))
    return false;
  return param(l, "activation") != 0;
}

class Builder {
public:
  Builder(const ModelDesc &m, const std::vector<ActType> &types,
          const SequencePlan &s, const Device &d)
      : model(m), outputTypes(types), seq(s), device(d) {}

  DecodedProgram build();

private:
  const ModelDesc &model;
  const std::vector<ActType> &outputTypes;
  const SequencePlan &seq;
  const Device &device;
  ActType modelIn;
  std::vector<int> passOf;
  std::vector<bool> inSeq;
  /// Units of each layer of the pass being built.
  std::map<int, std::vector<UnitRecord>> units;

  const LayerDesc &layer(int i) const {
    return model.layers[static_cast<size_t>(i)];
  }
  bool isInputLayer(int i) const { return layerSchema(layer(i).type).isInput; }
  ActType inputOf(int i) const {
    return isInputLayer(i) ? modelIn
                           : outputTypes[static_cast<size_t>(
                                 layer(i).inbounds.at(0))];
  }
  DataFormat unitInputFormat(bool hrc) const {
    return hrc || model.ipVersion == IpVersion::v2 ? DataFormat::Dense
                                                   : DataFormat::Events;
  }
  DataFormat outputFormat() const {
    return model.ipVersion == IpVersion::v2 ? DataFormat::Dense
                                            : DataFormat::Events;
  }

  void checkPlan();
  void fillDequant(DecodedProgram &prog, int last);
  UnitRecord baseUnit(int l) const;
  std::vector<ProgramTensor> tensorsOf(int l, int64_t first, int64_t count,
                                       bool merge) const;
  std::vector<UnitRecord> npUnits(int l, int p,
                                  const std::vector<NpMapping> &maps,
                                  std::set<NpIdent> &used) const;
  PassProgram buildPass(int p);
  static Endpoint endpointOf(const UnitRecord &u);
  std::pair<int64_t, int64_t> needed(int consumer, const UnitRecord &v,
                                     int64_t channels) const;
};

void Builder::checkPlan() {
  const size_t n = model.layers.size();
  if (outputTypes.size() != n)
    fail(kEmit, std::to_string(outputTypes.size()) + " output types for " +
                    std::to_string(n) + " layers (one per layer)");
  if (!seq.hardware)
    fail(kEmit, "the sequence runs in software (only hardware sequences have "
                "a program)");
  if (seq.layers.empty() || seq.passes.empty())
    fail(kEmit, "the sequence has " + std::to_string(seq.layers.size()) +
                    " layers and " + std::to_string(seq.passes.size()) +
                    " passes (at least one of each)");
  if (device.mesh.ipVersion != model.ipVersion)
    fail(kEmit, "the model is Akida " +
                    str(static_cast<int>(model.ipVersion)) +
                    ".0 but device " + quoted(device.name) + " is Akida " +
                    str(static_cast<int>(device.mesh.ipVersion)) + ".0");
  passOf.assign(n, -1);
  inSeq.assign(n, false);
  for (int l : seq.layers) {
    if (l < 0 || static_cast<size_t>(l) >= n)
      fail(kEmit, "the sequence holds layer " + str(l) + " (0 to " +
                      str(int64_t(n) - 1) + ")");
    if (inSeq[static_cast<size_t>(l)])
      fail(kEmit, "the sequence holds " + layerRef(model, l) + " twice");
    inSeq[static_cast<size_t>(l)] = true;
  }
  for (size_t p = 0; p < seq.passes.size(); ++p) {
    const PassPlan &pass = seq.passes[p];
    if (pass.layers.empty())
      fail(kEmit, "pass " + str(int64_t(p)) + " has no layer");
    for (int l : pass.layers) {
      if (l < 0 || static_cast<size_t>(l) >= n || !inSeq[size_t(l)])
        fail(kEmit, "pass " + str(int64_t(p)) + " holds layer " + str(l) +
                        ", which is not in the sequence");
      if (passOf[size_t(l)] != -1)
        fail(kEmit, layerRef(model, l) + " is in passes " +
                        str(passOf[size_t(l)]) + " and " + str(int64_t(p)) +
                        " (one pass per layer)");
      passOf[size_t(l)] = static_cast<int>(p);
    }
    for (const auto &[l, maps] : pass.nps)
      if (l < 0 || static_cast<size_t>(l) >= n ||
          passOf[size_t(l)] != static_cast<int>(p))
        fail(kEmit, "pass " + str(int64_t(p)) + " gives NPs to layer " +
                        str(l) + ", which is not in the pass");
  }
  for (int l : seq.layers) {
    const LayerDesc &ld = layer(l);
    if (passOf[size_t(l)] == -1)
      fail(kEmit, layerRef(model, l) + " is in no pass of the sequence");
    if (isSoftwareLayer(ld.type))
      fail(kEmit, layerRef(model, l) +
                      " runs in software; a program holds hardware layers "
                      "only");
    const LayerSchema &schema = layerSchema(ld.type);
    if (!schema.isInput && ld.inbounds.empty())
      fail(kEmit, layerRef(model, l) + " has no inbound layer");
    for (int in : ld.inbounds) {
      if (in < 0 || in >= l)
        fail(kEmit, layerRef(model, l) + " reads layer " + str(in) +
                        " (an earlier layer)");
      if (inSeq[size_t(in)] && passOf[size_t(in)] > passOf[size_t(l)])
        fail(kEmit, layerRef(model, l) + " in pass " +
                        str(passOf[size_t(l)]) + " reads " +
                        layerRef(model, in) + " of the later pass " +
                        str(passOf[size_t(in)]));
      const ActType &t = outputTypes[size_t(in)];
      if (t.isFloat)
        fail(kEmit, layerRef(model, l) + " reads float data from " +
                        layerRef(model, in));
    }
    const ActType &out = outputTypes[size_t(l)];
    if (out.isFloat)
      fail(kEmit, layerRef(model, l) + " outputs float data");
    for (int64_t d : out.shape)
      if (d < 1 || d > kInt32Max)
        fail(kEmit, layerRef(model, l) + " has output dims " +
                        dimsStr(out.shape) + " (each 1 to " + str(kInt32Max) +
                        ")");
  }
}

void Builder::fillDequant(DecodedProgram &prog, int last) {
  const LayerDesc &l = layer(last);
  const int64_t channels = outputTypes[size_t(last)].shape[2];
  auto it = l.variables.find("threshold");
  auto jt = l.variables.find("act_step");
  if (model.ipVersion == IpVersion::v1 && it != l.variables.end() &&
      jt != l.variables.end()) {
    // v1 potentials: float = (potential - threshold) / act_step.
    if (it->second.array.size() != channels ||
        jt->second.array.size() != channels ||
        it->second.array.dtype != DType::Int32 ||
        jt->second.array.dtype != DType::Float32 ||
        it->second.array.bytes.size() != size_t(channels) * 4 ||
        jt->second.array.bytes.size() != size_t(channels) * 4)
      fail(kEmit, layerRef(model, last) + " output layer needs int32 "
                      "'threshold' and float32 'act_step' of " +
                      str(channels) + " values to de-quantize its outputs");
    for (int64_t c = 0; c < channels; ++c) {
      prog.dequantShifts.push_back(
          static_cast<int32_t>(it->second.array.intAt(c)));
      prog.dequantScales.push_back(jt->second.array.floatAt(c));
    }
    return;
  }
  // v2 (and layers without those variables): the integers are the values.
  prog.dequantShifts.assign(size_t(channels), 0);
  prog.dequantScales.assign(size_t(channels), 1.0f);
}

UnitRecord Builder::baseUnit(int l) const {
  UnitRecord u;
  LayerDesc filled = layer(l);
  try {
    fillDefaultParams(filled);
  } catch (const std::invalid_argument &e) {
    fail(kEmit, layerRef(model, l) + ": " + e.what());
  }
  u.layer = l;
  u.layerType = filled.type;
  u.params = std::move(filled.params);
  u.input = ioOf(inputOf(l), unitInputFormat(isHrcLayer(filled.type)));
  u.output = ioOf(outputTypes[size_t(l)], outputFormat());
  u.totalFilters = u.output.dims[2];
  u.firstFilter = 0;
  u.filterCount = u.totalFilters;
  u.columnBlock = 0;
  u.columnBlocks = 1;
  u.firstColumn = 0;
  u.columnCount = u.input.dims[1];
  return u;
}

std::vector<ProgramTensor> Builder::tensorsOf(int l, int64_t first,
                                              int64_t count, bool merge) const {
  const LayerDesc &ld = layer(l);
  const int64_t filters = outputTypes[size_t(l)].shape[2];
  std::vector<ProgramTensor> out;
  for (const auto &[name, var] : ld.variables) { // sorted by name
    const std::string what = layerRef(model, l) + " variable " + quoted(name);
    const Array &a = var.array;
    if (static_cast<int>(a.dtype) > static_cast<int>(DType::Float32))
      fail(kEmit, what + " has an unknown dtype");
    if (a.shape.size() > program::kMaxRank)
      fail(kEmit, what + " has rank " + str(int64_t(a.shape.size())) +
                      " (at most " + str(int64_t(program::kMaxRank)) + ")");
    int64_t n = 1;
    for (int64_t d : a.shape) {
      if (d < 0 || (d > 0 && n > program::kMaxElements / d))
        fail(kEmit, what + " has shape " + formatDims(a.shape) +
                        " (dimensions >= 0, at most " +
                        str(program::kMaxElements) + " elements)");
      n *= d;
    }
    const size_t es = dtypeSize(a.dtype);
    if (a.bytes.size() != size_t(n) * es)
      fail(kEmit, what + " has " + str(int64_t(a.bytes.size())) +
                      " bytes for shape " + formatDims(a.shape) + " of " +
                      dtypeName(a.dtype));
    ProgramTensor t;
    t.name = name;
    t.dtype = a.dtype;
    t.bits = var.bitwidth;
    t.shape = a.shape;
    t.perFilter = !merge && perFilterVariable(ld.type, name, a.shape, filters);
    Array slice;
    slice.dtype = a.dtype;
    if (t.perFilter) {
      if (a.shape.empty() || a.shape.back() != filters)
        fail(kEmit, what + " has shape " + formatDims(a.shape) +
                        " but its last axis should be the layer's " +
                        str(filters) + " filters");
      t.shape.back() = count;
      const int64_t outer = filters ? n / filters : 0;
      slice.bytes.reserve(size_t(outer * count) * es);
      for (int64_t o = 0; o < outer; ++o) {
        const uint8_t *src = a.bytes.data() + size_t(o * filters + first) * es;
        slice.bytes.insert(slice.bytes.end(), src, src + size_t(count) * es);
      }
    } else {
      slice.bytes = a.bytes;
    }
    slice.shape = t.shape;
    if (isWeightTensor(name)) {
      if (a.dtype != DType::Int8)
        fail(kEmit, what + " is " + dtypeName(a.dtype) + " (int8 weights)");
      int64_t bits = param(ld, "weights_bits");
      if (!validWeightBits(bits))
        fail(kEmit, layerRef(model, l) + " has weights_bits " + str(bits) +
                        " (1, 2, 4 or 8)");
      t.bits = static_cast<int>(bits);
      t.packed = true;
      try {
        t.data = packWeights(slice.ints(), t.bits);
      } catch (const ProgramError &e) {
        // "cannot pack weights: <why>" -> "<what>: <why>"
        std::string why = e.what();
        why = why.substr(why.find(':') + 2);
        fail(kEmit, what + " of NP filters [" + str(first) + ", +" +
                        str(count) + "): " + why);
      }
    } else {
      t.data = std::move(slice.bytes);
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<UnitRecord>
Builder::npUnits(int l, int p, const std::vector<NpMapping> &maps,
                 std::set<NpIdent> &used) const {
  const std::string who = layerRef(model, l);
  const int64_t filters = outputTypes[size_t(l)].shape[2];
  int64_t sum = 0;
  for (const NpMapping &m : maps) {
    if (m.filters < 1 || m.filters > kInt32Max)
      fail(kEmit, who + " gets " + str(m.filters) + " filters on NP " +
                      identStr(m.ident) + " (at least 1)");
    sum += m.filters;
  }
  if (sum % filters != 0)
    fail(kEmit, who + " has " + str(sum) + " filters on its NPs in all, not "
                    "a multiple of its " + str(filters) +
                    " filters (one set per column block)");
  const int64_t blocks = sum / filters;
  const int64_t count = static_cast<int64_t>(maps.size());
  if (count % blocks != 0)
    fail(kEmit, who + " has " + str(count) + " NPs for " + str(blocks) +
                    " column blocks (the same number of NPs per block)");
  const int64_t groups = count / blocks;
  const int64_t columns = inputOf(l).shape[1];
  const int64_t width = ceilDiv(columns, blocks);
  std::vector<UnitRecord> out;
  for (int64_t b = 0; b < blocks; ++b) {
    int64_t first = 0;
    for (int64_t g = 0; g < groups; ++g) {
      const NpMapping &m = maps[size_t(b * groups + g)];
      const NpInfo *info = nullptr;
      for (const NpInfo &np : device.mesh.nps)
        if (np.ident == m.ident)
          info = &np;
      if (!info)
        fail(kEmit, who + " is on NP " + identStr(m.ident) +
                        ", which device " + quoted(device.name) +
                        " does not have");
      if (!isNpUnitType(m.type) || !info->types.count(m.type))
        fail(kEmit, who + " is on NP " + identStr(m.ident) + " as " +
                        npTypeStr(m.type) + ", a type that NP cannot take");
      if (!used.insert(m.ident).second)
        fail(kEmit, "NP " + identStr(m.ident) + " is used twice in pass " +
                        str(p) + " (by " + who + ")");
      if (first + m.filters > filters)
        fail(kEmit, who + " has more than its " + str(filters) +
                        " filters in column block " + str(b));
      UnitRecord u = baseUnit(l);
      u.type = m.type;
      u.ident = m.ident;
      u.firstFilter = first;
      u.filterCount = m.filters;
      u.columnBlock = b;
      u.columnBlocks = blocks;
      u.firstColumn = b * width;
      u.columnCount = std::min(columns, u.firstColumn + width) - u.firstColumn;
      if (u.columnCount < 1)
        fail(kEmit, who + " is split in " + str(blocks) +
                        " column blocks but its input has only " +
                        str(columns) + " columns");
      u.tensors = tensorsOf(l, first, m.filters, false);
      first += m.filters;
      out.push_back(std::move(u));
    }
    if (first != filters)
      fail(kEmit, who + " has " + str(first) + " of its " + str(filters) +
                      " filters in column block " + str(b) +
                      " (each block holds all filters)");
  }
  return out;
}

Endpoint Builder::endpointOf(const UnitRecord &u) {
  Endpoint e;
  e.ident = u.ident;
  e.kind = u.type == NpType::HRC             ? EndpointKind::Hrc
           : u.type == NpType::SKIP_DMA_LOAD ? EndpointKind::SkipDma
                                             : EndpointKind::Np;
  return e;
}

/// Channels [first, end) of its input that unit `v` of layer `consumer`
/// needs, for an input of `channels` channels.
std::pair<int64_t, int64_t> Builder::needed(int consumer, const UnitRecord &v,
                                            int64_t channels) const {
  if (isDepthwise(layer(consumer).type))
    return {v.firstFilter, v.firstFilter + v.filterCount};
  return {0, channels};
}

PassProgram Builder::buildPass(int p) {
  const PassPlan &plan = seq.passes[size_t(p)];
  PassProgram pass;
  units.clear();
  std::set<NpIdent> used;

  // Skip-DMA channels, in ident order, for the merge layers of the pass.
  std::vector<SkipDma> skips = device.mesh.skipDmas;
  std::sort(skips.begin(), skips.end(),
            [](const SkipDma &a, const SkipDma &b) { return a.ident < b.ident; });
  std::vector<std::pair<NpIdent, int>> slots;
  for (const SkipDma &s : skips)
    for (int c = 0; c < s.channels; ++c)
      slots.push_back({s.ident, c});
  size_t nextSlot = 0;
  bool hasHrc = false;

  for (int l : plan.layers) {
    const LayerDesc &ld = layer(l);
    pass.layers.push_back(l);
    pass.layerNames.push_back(ld.name);
    auto it = plan.nps.find(l);
    const bool hasNps = it != plan.nps.end() && !it->second.empty();
    if (ld.type == LayerType::InputData || isHrcLayer(ld.type) ||
        isMergeLayer(ld.type)) {
      if (hasNps)
        fail(kEmit, layerRef(model, l) + " is given NPs, but it " +
                        (ld.type == LayerType::InputData ? "has none"
                         : isHrcLayer(ld.type) ? "runs on the HRC"
                                               : "uses a skip DMA"));
    }
    if (ld.type == LayerType::InputData)
      continue;
    if (isHrcLayer(ld.type)) {
      if (!device.mesh.hrc)
        fail(kEmit, layerRef(model, l) + " needs the HRC, which device " +
                        quoted(device.name) + " does not have");
      if (hasHrc)
        fail(kEmit, "pass " + str(p) + " has two input-convolution layers "
                    "(one HRC)");
      hasHrc = true;
      UnitRecord u = baseUnit(l);
      u.type = NpType::HRC;
      u.ident = *device.mesh.hrc;
      u.tensors = tensorsOf(l, 0, u.totalFilters, false);
      units[l].push_back(std::move(u));
    } else if (isMergeLayer(ld.type)) {
      if (nextSlot >= slots.size())
        fail(kEmit, layerRef(model, l) + " needs a skip-DMA channel; pass " +
                        str(p) + " has more merge layers than device " +
                        quoted(device.name) + "'s " +
                        std::to_string(slots.size()) + " channels");
      UnitRecord u = baseUnit(l);
      u.type = NpType::SKIP_DMA_LOAD;
      u.ident = slots[nextSlot].first;
      u.dmaChannel = slots[nextSlot].second;
      ++nextSlot;
      u.tensors = tensorsOf(l, 0, u.totalFilters, true);
      units[l].push_back(std::move(u));
    } else {
      if (!hasNps)
        fail(kEmit, layerRef(model, l) + " has no NP in pass " + str(p));
      units[l] = npUnits(l, p, it->second, used);
    }
  }

  const int last = seq.layers.back();
  const Endpoint eventDma{EndpointKind::EventDma, device.mesh.dmaEvent};

  // Routes out of each unit.
  for (int l : plan.layers) {
    auto found = units.find(l);
    if (found == units.end())
      continue;
    bool external = l == last;
    for (size_t j = size_t(l) + 1; j < model.layers.size() && !external; ++j)
      for (int in : model.layers[j].inbounds)
        if (in == l && passOf[j] != p)
          external = true;
    for (UnitRecord &u : found->second) {
      const int64_t a = u.firstFilter, b = u.firstFilter + u.filterCount;
      for (int c : plan.layers) {
        auto cu = units.find(c);
        if (cu == units.end())
          continue;
        const std::vector<int> &inb = layer(c).inbounds;
        for (size_t s = 0; s < inb.size(); ++s) {
          if (inb[s] != l)
            continue;
          for (const UnitRecord &v : cu->second) {
            auto [lo, hi] = needed(c, v, u.totalFilters);
            lo = std::max(lo, a);
            hi = std::min(hi, b);
            if (lo < hi)
              u.routes.push_back({endpointOf(u), endpointOf(v), l, c,
                                  static_cast<int>(s), lo, hi - lo});
          }
        }
      }
      if (external)
        u.routes.push_back({endpointOf(u), eventDma, l, -1, 0, a, b - a});
    }
  }

  // Routes into the pass: the model input, data from earlier passes or
  // sequences, and InputData (which has no unit).
  for (int c : plan.layers) {
    auto cu = units.find(c);
    if (cu == units.end())
      continue;
    std::vector<int> sources = layer(c).inbounds;
    if (isInputLayer(c))
      sources = {-1};
    for (size_t s = 0; s < sources.size(); ++s) {
      int src = sources[s];
      if (src >= 0 && passOf[size_t(src)] == p && units.count(src))
        continue; // routed by the producing units
      const int64_t channels =
          src < 0 ? modelIn.shape[2] : outputTypes[size_t(src)].shape[2];
      for (const UnitRecord &v : cu->second) {
        auto [lo, hi] = needed(c, v, channels);
        hi = std::min(hi, channels);
        if (lo < hi)
          pass.inputs.push_back({eventDma, endpointOf(v), src, c,
                                 static_cast<int>(s), lo, hi - lo});
      }
    }
  }

  uint64_t desc = pass.inputs.size();
  for (int l : plan.layers) {
    auto found = units.find(l);
    if (found == units.end())
      continue;
    for (UnitRecord &u : found->second) {
      desc += u.routes.size();
      if (u.type == NpType::HRC)
        pass.hrc = std::move(u);
      else if (u.type == NpType::SKIP_DMA_LOAD)
        pass.merges.push_back(std::move(u));
      else
        pass.nps.push_back(std::move(u));
    }
  }
  if (desc > std::numeric_limits<uint32_t>::max())
    fail(kEmit, "pass " + str(p) + " has too many DMA descriptors");
  pass.numDescriptors = static_cast<uint32_t>(desc);
  return pass;
}

DecodedProgram Builder::build() {
  checkPlan();
  try {
    modelIn = modelInputType(model);
  } catch (const std::invalid_argument &e) {
    fail(kEmit, e.what());
  }

  DecodedProgram prog;
  prog.formatVersion = program::kFormatVersion;
  prog.sdkVersion = kVersionString;
  prog.deviceName = device.name;
  prog.deviceVersion = device.version;
  prog.ipVersion = model.ipVersion;

  // The program input: the model input or the output of one earlier layer.
  std::set<int> sources;
  bool hrcInput = false;
  for (int l : seq.layers) {
    if (isInputLayer(l)) {
      sources.insert(-1);
      hrcInput = hrcInput || isHrcLayer(layer(l).type);
    }
    for (int in : layer(l).inbounds)
      if (!inSeq[size_t(in)])
        sources.insert(in);
  }
  if (sources.size() != 1) {
    std::string list;
    for (int s : sources)
      list += (list.empty() ? "" : ", ") +
              (s < 0 ? std::string("the model input") : layerRef(model, s));
    fail(kEmit, "the sequence reads " + std::to_string(sources.size()) +
                    " inputs (" + list + "); a program has one");
  }
  const int src = *sources.begin();
  prog.input = ioOf(src < 0 ? modelIn : outputTypes[size_t(src)],
                    unitInputFormat(hrcInput));

  const int last = seq.layers.back();
  prog.output = ioOf(outputTypes[size_t(last)], outputFormat());
  prog.outputActivation = activated(model, last);
  if (!prog.outputActivation)
    fillDequant(prog, last);

  for (size_t p = 0; p < seq.passes.size(); ++p) {
    prog.passes.push_back(buildPass(static_cast<int>(p)));
    const PassProgram &pass = prog.passes.back();
    prog.maxNumDescriptors =
        std::max(prog.maxNumDescriptors, pass.numDescriptors);
    if (pass.hrc && prog.denseWindowRows == 0) {
      prog.denseWindowRows = pass.hrc->input.dims[0];
      prog.denseWindowCols = pass.hrc->input.dims[1];
    }
  }
  validateProgram(prog, kEmit);
  return prog;
}

//===----------------------------------------------------------------------===//
// writeProgram
//===----------------------------------------------------------------------===//

using FBB = flatbuffers::FlatBufferBuilder;

pfb::IoType toFb(const IoDesc &io) {
  return pfb::IoType(static_cast<int32_t>(io.dims[0]),
                     static_cast<int32_t>(io.dims[1]),
                     static_cast<int32_t>(io.dims[2]),
                     static_cast<uint8_t>(io.bits), io.isSigned,
                     static_cast<pfb::DataFormat>(io.format));
}

pfb::Endpoint toFb(const Endpoint &e) {
  return pfb::Endpoint(static_cast<pfb::EndpointKind>(e.kind),
                       static_cast<uint8_t>(e.ident.col),
                       static_cast<uint8_t>(e.ident.row),
                       static_cast<uint8_t>(e.ident.id));
}

pfb::Route toFb(const DmaDescriptor &r) {
  return pfb::Route(toFb(r.source), toFb(r.dest), r.sourceLayer, r.destLayer,
                    r.destInput, static_cast<int32_t>(r.firstChannel),
                    static_cast<int32_t>(r.channelCount));
}

flatbuffers::Offset<flatbuffers::Vector<const pfb::Route *>>
routesToFb(FBB &fbb, const std::vector<DmaDescriptor> &routes) {
  std::vector<pfb::Route> v;
  v.reserve(routes.size());
  for (const DmaDescriptor &r : routes)
    v.push_back(toFb(r));
  return fbb.CreateVectorOfStructs(v);
}

flatbuffers::Offset<pfb::Unit> unitToFb(FBB &fbb, const UnitRecord &u) {
  std::vector<flatbuffers::Offset<pfb::Param>> params;
  for (const auto &[key, value] : u.params) // std::map: sorted by key
    params.push_back(pfb::CreateParam(fbb, fbb.CreateString(key), value));
  std::vector<flatbuffers::Offset<pfb::Tensor>> tensors;
  for (const ProgramTensor &t : u.tensors) {
    auto name = fbb.CreateString(t.name);
    std::vector<int32_t> shape(t.shape.begin(), t.shape.end());
    auto shapeOff = fbb.CreateVector(shape);
    auto data = fbb.CreateVector(t.data);
    tensors.push_back(pfb::CreateTensor(
        fbb, name, static_cast<pfb::DType>(t.dtype),
        static_cast<uint8_t>(t.bits), t.packed, t.perFilter, shapeOff, data));
  }
  auto paramsOff = fbb.CreateVector(params);
  auto tensorsOff = fbb.CreateVector(tensors);
  auto routesOff = routesToFb(fbb, u.routes);
  pfb::Ident ident(static_cast<uint8_t>(u.ident.col),
                   static_cast<uint8_t>(u.ident.row),
                   static_cast<uint8_t>(u.ident.id));
  pfb::IoType input = toFb(u.input), output = toFb(u.output);
  return pfb::CreateUnit(
      fbb, static_cast<pfb::NpType>(u.type), &ident, u.dmaChannel, u.layer,
      static_cast<int32_t>(u.layerType), paramsOff, &input, &output,
      static_cast<int32_t>(u.firstFilter), static_cast<int32_t>(u.filterCount),
      static_cast<int32_t>(u.totalFilters),
      static_cast<int32_t>(u.columnBlock),
      static_cast<int32_t>(u.columnBlocks),
      static_cast<int32_t>(u.firstColumn), static_cast<int32_t>(u.columnCount),
      tensorsOff, routesOff);
}

/// A generous upper estimate of a pass buffer, to refuse what the builder
/// could not hold before building it.
uint64_t estimateUnit(const UnitRecord &u) {
  uint64_t n = 256 + 32 * u.routes.size();
  for (const auto &[key, value] : u.params)
    n += 48 + key.size();
  for (const ProgramTensor &t : u.tensors)
    n += 96 + t.name.size() + 4 * t.shape.size() + t.data.size();
  return n;
}

std::vector<uint8_t> passToFb(const PassProgram &pass) {
  FBB fbb(1024);
  fbb.ForceDefaults(true);
  flatbuffers::Offset<pfb::Unit> hrc;
  if (pass.hrc)
    hrc = unitToFb(fbb, *pass.hrc);
  std::vector<flatbuffers::Offset<pfb::Unit>> nps, merges;
  for (const UnitRecord &u : pass.nps)
    nps.push_back(unitToFb(fbb, u));
  for (const UnitRecord &u : pass.merges)
    merges.push_back(unitToFb(fbb, u));
  auto npsOff = fbb.CreateVector(nps);
  auto mergesOff = fbb.CreateVector(merges);
  auto inputsOff = routesToFb(fbb, pass.inputs);
  auto root = pfb::CreatePassData(fbb, hrc, npsOff, mergesOff, inputsOff);
  fbb.Finish(root, program::kPassIdentifier);
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

} // namespace

DecodedProgram buildProgram(const ModelDesc &model,
                            const std::vector<ActType> &outputTypes,
                            const SequencePlan &sequence,
                            const Device &device) {
  // The schema helpers report bad layers with std::invalid_argument (unknown
  // layer type, missing parameter); they become one-line ProgramErrors.
  try {
    return Builder(model, outputTypes, sequence, device).build();
  } catch (const std::invalid_argument &e) {
    throw ProgramError(kEmit + e.what());
  } catch (const std::out_of_range &e) {
    throw ProgramError(kEmit + e.what());
  }
}

std::vector<uint8_t> writeProgram(const DecodedProgram &prog) {
  validateProgram(prog, kWrite);
  uint64_t estimate = 4096;
  for (const PassProgram &pass : prog.passes) {
    estimate += 512 + 32 * pass.inputs.size();
    for (const std::string &name : pass.layerNames)
      estimate += 16 + name.size();
    if (pass.hrc)
      estimate += estimateUnit(*pass.hrc);
    for (const UnitRecord &u : pass.nps)
      estimate += estimateUnit(u);
    for (const UnitRecord &u : pass.merges)
      estimate += estimateUnit(u);
    if (estimate > program::kMaxProgramBytes)
      fail(kWrite, "program too large (at most " +
                       str(int64_t(program::kMaxProgramBytes)) + " bytes)");
  }

  // ProgramData: one nested PassData buffer per pass. The blobs are created
  // last pass first so that, as FlatBuffers fills its buffer from the end,
  // pass 0 comes first and the spans increase with the pass index.
  std::vector<std::vector<uint8_t>> passBuffers;
  for (const PassProgram &pass : prog.passes)
    passBuffers.push_back(passToFb(pass));
  FBB dfb(1024);
  dfb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<pfb::PassBlob>> blobs(passBuffers.size());
  for (size_t i = passBuffers.size(); i-- > 0;)
    blobs[i] = pfb::CreatePassBlob(dfb, dfb.CreateVector(passBuffers[i]));
  auto passesOff = dfb.CreateVector(blobs);
  dfb.FinishSizePrefixed(pfb::CreateProgramData(dfb, passesOff),
                         program::kDataIdentifier);
  const uint8_t *dataBuf = dfb.GetBufferPointer();
  const size_t dataSize = dfb.GetSize() - 4;
  const auto *data = flatbuffers::GetSizePrefixedRoot<pfb::ProgramData>(dataBuf);
  const uint8_t *dataStart = dataBuf + 4;
  const uint32_t dataCrc = crc32Of(dataStart, dataSize);

  // ProgramInfo, with its own checksum patched in at the end.
  FBB ifb(1024);
  ifb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<pfb::PassSpan>> spans;
  for (size_t i = 0; i < prog.passes.size(); ++i) {
    const PassProgram &pass = prog.passes[i];
    const auto *blob = data->passes()->Get(static_cast<flatbuffers::uoffset_t>(i));
    auto layers = ifb.CreateVector(pass.layers);
    auto names = ifb.CreateVectorOfStrings(pass.layerNames);
    spans.push_back(pfb::CreatePassSpan(
        ifb, layers, names,
        static_cast<uint32_t>(blob->data()->Data() - dataStart),
        blob->data()->size(), static_cast<uint32_t>(pass.numRecords()),
        pass.numDescriptors));
  }
  auto sdk = ifb.CreateString(prog.sdkVersion);
  auto deviceName = ifb.CreateString(prog.deviceName);
  auto spansOff = ifb.CreateVector(spans);
  auto shifts = ifb.CreateVector(prog.dequantShifts);
  auto scales = ifb.CreateVector(prog.dequantScales);
  pfb::HwVersion hw(prog.deviceVersion.vendorId, prog.deviceVersion.productId,
                    prog.deviceVersion.majorRev, prog.deviceVersion.minorRev);
  pfb::IoType input = toFb(prog.input), output = toFb(prog.output);
  auto root = pfb::CreateProgramInfo(
      ifb, prog.formatVersion, /*info_crc32=*/0, dataCrc,
      static_cast<uint32_t>(dataSize), sdk, deviceName, &hw,
      static_cast<uint8_t>(prog.ipVersion), &input, &output,
      prog.outputActivation, static_cast<int32_t>(prog.denseWindowRows),
      static_cast<int32_t>(prog.denseWindowCols), prog.maxNumDescriptors,
      spansOff, shifts, scales);
  ifb.FinishSizePrefixed(root, program::kInfoIdentifier);

  std::vector<uint8_t> out(ifb.GetBufferPointer(),
                           ifb.GetBufferPointer() + ifb.GetSize());
  {
    const auto *info = flatbuffers::GetSizePrefixedRoot<pfb::ProgramInfo>(out.data());
    const uint8_t *field = reinterpret_cast<const flatbuffers::Table *>(info)
                               ->GetAddressOf(pfb::ProgramInfo::VT_INFO_CRC32);
    size_t at = static_cast<size_t>(field - out.data());
    write32(out.data() + at, crc32Of(out.data() + 4, out.size() - 4));
  }
  out.insert(out.end(), dataBuf, dataBuf + dfb.GetSize());
  if (out.size() > program::kMaxProgramBytes)
    fail(kWrite, "program too large (" + str(int64_t(out.size())) +
                     " bytes, at most " +
                     str(int64_t(program::kMaxProgramBytes)) + ")");
  return out;
}

std::vector<uint8_t> emitProgram(const ModelDesc &model,
                                 const std::vector<ActType> &outputTypes,
                                 const SequencePlan &sequence,
                                 const Device &device) {
  return writeProgram(buildProgram(model, outputTypes, sequence, device));
}

//===----------------------------------------------------------------------===//
// readProgram
//===----------------------------------------------------------------------===//

namespace {

/// Converts verified FlatBuffers into plain structs. The Verifier accepts
/// offsets that point to the same object more than once, so a small buffer
/// could expand into a huge program; every object converted is charged
/// against the buffer size at no more than the bytes it must occupy on its
/// own, which no writer's output exceeds.
class Reader {
public:
  explicit Reader(size_t limit) : budget(limit) {}

  std::string toString(const flatbuffers::String *s) {
    charge(sizeof(flatbuffers::uoffset_t) + s->size() + 1);
    return std::string(s->data(), s->size());
  }

  /// Scalar vector elements, copied byte-wise (the Verifier only checks the
  /// alignment of the length).
  template <typename T, typename U = T>
  std::vector<U> toVector(const flatbuffers::Vector<T> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()) * sizeof(T));
    std::vector<U> out(v->size());
    const uint8_t *p = v->Data();
    for (size_t i = 0; i < out.size(); ++i) {
      T x;
      std::memcpy(&x, p + i * sizeof(T), sizeof(T));
      out[i] = static_cast<U>(flatbuffers::EndianScalar(x));
    }
    return out;
  }

  IoDesc io(const pfb::IoType &t) {
    IoDesc d;
    d.dims = {t.rows(), t.cols(), t.channels()};
    d.bits = t.bits();
    d.isSigned = t.is_signed();
    d.format = static_cast<DataFormat>(t.format());
    return d;
  }

  Endpoint endpoint(const pfb::Endpoint &e) {
    Endpoint out;
    out.kind = static_cast<EndpointKind>(e.kind());
    out.ident = {e.col(), e.row(), e.id()};
    return out;
  }

  std::vector<DmaDescriptor>
  routes(const flatbuffers::Vector<const pfb::Route *> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()) * sizeof(pfb::Route));
    std::vector<DmaDescriptor> out;
    out.reserve(v->size());
    for (const pfb::Route *r : *v)
      out.push_back({endpoint(r->src()), endpoint(r->dst()), r->src_layer(),
                     r->dst_layer(), r->dst_input(), r->first_channel(),
                     r->channel_count()});
    return out;
  }

  UnitRecord unit(const pfb::Unit &u, const std::string &what) {
    charge(8 + 3 * 4 + 3 + 2 * sizeof(pfb::IoType)); // slot, vtable, fields
    UnitRecord r;
    r.type = static_cast<NpType>(u.type());
    r.ident = {u.ident()->col(), u.ident()->row(), u.ident()->id()};
    r.dmaChannel = u.dma_channel();
    r.layer = u.layer();
    r.layerType = static_cast<LayerType>(u.layer_type());
    r.input = io(*u.input());
    r.output = io(*u.output());
    r.firstFilter = u.first_filter();
    r.filterCount = u.filter_count();
    r.totalFilters = u.total_filters();
    r.columnBlock = u.column_block();
    r.columnBlocks = u.column_blocks();
    r.firstColumn = u.first_column();
    r.columnCount = u.column_count();
    charge(sizeof(flatbuffers::uoffset_t));
    const std::string *previous = nullptr;
    for (const pfb::Param *p : *u.params()) {
      charge(12); // slot, vtable offset, key offset
      std::string key = toString(p->key());
      if (previous && !(*previous < key))
        fail(kRead, what + ": parameter " + quoted(key) + " after " +
                        quoted(*previous) + " (sorted by name, no duplicates)");
      previous = &r.params.emplace(std::move(key), p->value()).first->first;
    }
    charge(sizeof(flatbuffers::uoffset_t));
    for (const pfb::Tensor *t : *u.tensors()) {
      charge(20); // slot, vtable offset, name, shape and data offsets
      ProgramTensor pt;
      pt.name = toString(t->name());
      pt.dtype = static_cast<DType>(t->dtype());
      pt.bits = t->bits();
      pt.packed = t->packed();
      pt.perFilter = t->per_filter();
      if (t->shape()->size() > program::kMaxRank)
        fail(kRead, what + " tensor " + quoted(pt.name) + ": rank " +
                        str(t->shape()->size()) + " (at most " +
                        str(int64_t(program::kMaxRank)) + ")");
      pt.shape = toVector<int32_t, int64_t>(t->shape());
      charge(sizeof(flatbuffers::uoffset_t) + t->data()->size());
      pt.data.assign(t->data()->data(), t->data()->data() + t->data()->size());
      r.tensors.push_back(std::move(pt));
    }
    r.routes = routes(u.routes());
    return r;
  }

private:
  size_t budget;

  void charge(size_t bytes) {
    if (bytes > budget)
      fail(kRead, "the data refers to the same object more than once (each "
                  "string, vector and table stored once)");
    budget -= bytes;
  }
};

/// A copy of [p, p + n) in memory aligned for any scalar, as the Verifier
/// and the accessors need.
std::vector<uint8_t> aligned(const uint8_t *p, size_t n) {
  return std::vector<uint8_t>(p, p + n); // operator new: max_align_t
}

flatbuffers::Verifier::Options verifierOptions() {
  flatbuffers::Verifier::Options o;
  o.max_depth = 16;
  o.max_tables = 1u << 22;
  return o;
}

/// "the ProgramInfo" etc. with the number of bytes, for truncation messages.
std::string bytesStr(uint64_t n) {
  return str(int64_t(n)) + (n == 1 ? " byte" : " bytes");
}

} // namespace

DecodedProgram readProgram(const uint8_t *data, size_t size) {
  const std::string &P = kRead;
  if (!data && size != 0)
    fail(P, "no data (a buffer)");
  if (size == 0)
    fail(P, "empty (a program starts with the 4-byte size of its ProgramInfo)");
  if (size > program::kMaxProgramBytes)
    fail(P, bytesStr(size) + " (at most " +
                bytesStr(program::kMaxProgramBytes) + ")");
  if (size >= 12 && std::memcmp(data + 8, program::kInfoIdentifier, 4) != 0)
    fail(P, "not an Akida program (no ProgramInfo identifier '" +
                std::string(program::kInfoIdentifier) + "' at byte 8)");
  if (size < 4)
    fail(P, "truncated: " + bytesStr(size) +
                " (a program starts with the 4-byte size of its ProgramInfo)");
  const uint64_t infoSize = read32(data);
  if (infoSize < 12)
    fail(P, "ProgramInfo size " + str(int64_t(infoSize)) +
                " (a ProgramInfo FlatBuffer has at least 12 bytes)");
  if (4 + infoSize > size)
    fail(P, "truncated: the ProgramInfo takes " + bytesStr(infoSize) +
                " but " + bytesStr(size - 4) + " follow its size");
  if (8 + infoSize > size)
    fail(P, "truncated: " + bytesStr(size - 4 - infoSize) +
                " after the ProgramInfo (the 4-byte size of the program "
                "data)");
  const uint8_t *dataPrefix = data + 4 + infoSize;
  const uint64_t dataSize = read32(dataPrefix);
  const uint64_t total = 8 + infoSize + dataSize;
  if (total > size)
    fail(P, "truncated: the program data takes " + bytesStr(dataSize) +
                " but " + bytesStr(size - 8 - infoSize) + " follow its size");
  if (total < size)
    fail(P, bytesStr(size - total) + " of trailing data after the program "
                "data (program of " + bytesStr(total) + ")");

  // ProgramInfo: verified, then its checksum and versions.
  std::vector<uint8_t> infoBuf = aligned(data, size_t(4 + infoSize));
  {
    flatbuffers::Verifier v(infoBuf.data(), infoBuf.size(), verifierOptions());
    if (!v.VerifySizePrefixedBuffer<pfb::ProgramInfo>(program::kInfoIdentifier))
      fail(P, "the ProgramInfo is not a valid FlatBuffer of "
              "compiler/program/program.fbs");
  }
  const auto *info =
      flatbuffers::GetSizePrefixedRoot<pfb::ProgramInfo>(infoBuf.data());
  const uint8_t *crcField = reinterpret_cast<const flatbuffers::Table *>(info)
                                ->GetAddressOf(pfb::ProgramInfo::VT_INFO_CRC32);
  if (!crcField)
    fail(P, "the ProgramInfo has no checksum (info_crc32)");
  {
    std::vector<uint8_t> zeroed(infoBuf.begin() + 4, infoBuf.end());
    size_t at = size_t(crcField - infoBuf.data()) - 4;
    std::memset(zeroed.data() + at, 0, 4);
    uint32_t crc = crc32Of(zeroed.data(), zeroed.size());
    // Another format version may checksum differently: say both.
    if (crc != info->info_crc32() &&
        info->format_version() != program::kFormatVersion)
      fail(P, "format version " + str(info->format_version()) +
                  " (this Akida " + kVersionString + " reads format version " +
                  str(program::kFormatVersion) + "), or a corrupted program "
                  "(ProgramInfo checksum mismatch)");
    if (crc != info->info_crc32())
      fail(P, "ProgramInfo checksum mismatch, the program is corrupted "
              "(CRC-32 " + hex32(crc) + ", stored " +
              hex32(info->info_crc32()) + ")");
  }
  Reader reader(infoBuf.size());
  const std::string writer = reader.toString(info->sdk_version());
  if (info->format_version() != program::kFormatVersion)
    fail(P, "format version " + str(info->format_version()) + " (written by " +
                "Akida " + quoted(writer) + ") but this Akida " +
                kVersionString + " reads format version " +
                str(program::kFormatVersion));
  if (writer != kVersionString)
    fail(P, "written by Akida " + quoted(writer) + "; this is Akida " +
                kVersionString + " and programs must match it exactly");
  if (info->data_size() != dataSize)
    fail(P, "the ProgramInfo says " + bytesStr(info->data_size()) +
                " of program data but the program has " + bytesStr(dataSize));

  // ProgramData: checksum, then verified, then the pass spans.
  const uint8_t *dataStartIn = dataPrefix + 4;
  uint32_t dataCrc = crc32Of(dataStartIn, size_t(dataSize));
  if (dataCrc != info->data_crc32())
    fail(P, "program data checksum mismatch, the program is corrupted "
            "(CRC-32 " + hex32(dataCrc) + ", ProgramInfo says " +
            hex32(info->data_crc32()) + ")");
  std::vector<uint8_t> dataBuf = aligned(dataPrefix, size_t(4 + dataSize));
  {
    flatbuffers::Verifier v(dataBuf.data(), dataBuf.size(), verifierOptions());
    if (!v.VerifySizePrefixedBuffer<pfb::ProgramData>(program::kDataIdentifier))
      fail(P, "the program data is not a valid FlatBuffer of "
              "compiler/program/program.fbs");
  }
  const auto *pd =
      flatbuffers::GetSizePrefixedRoot<pfb::ProgramData>(dataBuf.data());
  const uint8_t *dataStart = dataBuf.data() + 4;
  const auto *spans = info->passes();
  if (spans->size() != pd->passes()->size())
    fail(P, "the ProgramInfo lists " + str(spans->size()) +
                " passes but the program data holds " +
                str(pd->passes()->size()));

  DecodedProgram prog;
  prog.formatVersion = info->format_version();
  prog.sdkVersion = writer;
  prog.deviceName = reader.toString(info->device_name());
  const pfb::HwVersion *hw = info->device_version();
  prog.deviceVersion = {hw->vendor_id(), hw->product_id(), hw->major_rev(),
                        hw->minor_rev()};
  prog.ipVersion = static_cast<IpVersion>(info->ip_version());
  prog.input = reader.io(*info->input());
  prog.output = reader.io(*info->output());
  prog.outputActivation = info->output_activation();
  prog.denseWindowRows = info->dense_window_rows();
  prog.denseWindowCols = info->dense_window_cols();
  prog.maxNumDescriptors = info->max_num_desc();
  prog.dequantShifts = reader.toVector(info->dequant_shifts());
  prog.dequantScales = reader.toVector(info->dequant_scales());

  uint64_t end = 0;
  for (flatbuffers::uoffset_t i = 0; i < spans->size(); ++i) {
    const pfb::PassSpan &span = *spans->Get(i);
    const std::string what = "pass " + str(i);
    const auto *blob = pd->passes()->Get(i)->data();
    const uint64_t offset = uint64_t(blob->Data() - dataStart);
    if (span.data_offset() != offset || span.data_size() != blob->size())
      fail(P, what + ": the ProgramInfo spans bytes [" +
                  str(span.data_offset()) + ", +" + str(span.data_size()) +
                  ") of the program data but the pass is at [" +
                  str(int64_t(offset)) + ", +" + str(blob->size()) + ")");
    if (offset < end)
      fail(P, what + ": its bytes overlap the previous pass's (passes "
                  "stored one after the other)");
    end = offset + blob->size();

    PassProgram pass;
    pass.layers = reader.toVector(span.layers());
    for (const flatbuffers::String *s : *span.layer_names())
      pass.layerNames.push_back(reader.toString(s));
    pass.dataOffset = span.data_offset();
    pass.dataSize = span.data_size();
    pass.numDescriptors = span.num_desc();

    std::vector<uint8_t> passBuf = aligned(blob->Data(), blob->size());
    flatbuffers::Verifier v(passBuf.data(), passBuf.size(), verifierOptions());
    if (!v.VerifyBuffer<pfb::PassData>(program::kPassIdentifier))
      fail(P, what + " is not a valid PassData FlatBuffer of "
                     "compiler/program/program.fbs");
    const auto *pdata = flatbuffers::GetRoot<pfb::PassData>(passBuf.data());
    Reader passReader(passBuf.size());
    if (pdata->hrc())
      pass.hrc = passReader.unit(*pdata->hrc(), what + " HRC record");
    for (flatbuffers::uoffset_t k = 0; k < pdata->nps()->size(); ++k)
      pass.nps.push_back(passReader.unit(*pdata->nps()->Get(k),
                                         what + " NP record " + str(k)));
    for (flatbuffers::uoffset_t k = 0; k < pdata->merges()->size(); ++k)
      pass.merges.push_back(passReader.unit(
          *pdata->merges()->Get(k), what + " merge record " + str(k)));
    pass.inputs = passReader.routes(pdata->inputs());
    if (span.num_records() != pass.numRecords())
      fail(P, what + ": the ProgramInfo counts " + str(span.num_records()) +
                  " records but the pass holds " +
                  str(int64_t(pass.numRecords())));
    prog.passes.push_back(std::move(pass));
  }

  validateProgram(prog, P);
  prog.infoBytes = size_t(infoSize);
  prog.dataBytes = size_t(dataSize);
  prog.totalBytes = size;
  return prog;
}

} // namespace akida
