//===- ProgramRules.cpp - Content rules of programs -----------------------===//
//
// validateProgram: the rules every program obeys, shared by the writer and
// the reader (and checked on what buildProgram produces). Each check throws
// ProgramError with `P` prepended. docs/program-format.md ("Validation on
// read") describes them.
//
//===----------------------------------------------------------------------===//

#include "compiler/program/ProgramInternal.h"

#include "compiler/fbz/LayerSchema.h"

#include <algorithm>
#include <set>

namespace akida::program::detail {

namespace {

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

} // namespace

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
} // namespace akida::program::detail
