//===- ProgramBuild.cpp - From a sequence plan to a program ---------------===//
//
// buildProgram: a hardware sequence of a model, as the allocator planned it
// on a device, becomes a DecodedProgram. The plan is checked against the
// model and the device; each pass gets one record per unit (the HRC for an
// input-convolution layer, a skip-DMA channel for a merge layer, the planned
// NPs for the others, split in filters and column blocks) holding the unit's
// tensors (ProgramTensors.cpp), and the DMA descriptors that route each
// unit's output to the units, or the event DMA, that read it.
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"
#include "compiler/program/ProgramInternal.h"

#include "compiler/fbz/LayerSchema.h"
#include "compiler/fbz/Version.h"

#include <algorithm>
#include <limits>
#include <set>

namespace akida {

using namespace program::detail;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

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
  /// The tensors of a unit of layer `l` holding filters [first, first +
  /// count) (unitTensors).
  std::vector<ProgramTensor> tensorsOf(int l, int64_t first, int64_t count,
                                       bool merge) const {
    return unitTensors(model, l, outputTypes[size_t(l)].shape[2], first,
                       count, merge);
  }
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

} // namespace akida
