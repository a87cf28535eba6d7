//===- VirtualDevice.cpp - Programming the simulated device ---------------===//
//
// program(): readProgram, the checks that the program was made for this
// device (version, IP version, every ident and NP type of every record and
// descriptor), then one unit per record and one delivery per descriptor,
// resolved to the unit it reaches. Execution is in Forward.cpp.
//
//===----------------------------------------------------------------------===//
#include "device/sim/VirtualDevice.h"

#include <algorithm>
#include <stdexcept>

namespace akida {

namespace {

int64_t hops(const NpIdent &a, const NpIdent &b) {
  return std::abs(a.col - b.col) + std::abs(a.row - b.row);
}

std::string layerRef(const PassProgram &pass, int layer) {
  for (size_t i = 0; i < pass.layers.size(); ++i)
    if (pass.layers[i] == layer && i < pass.layerNames.size())
      return "layer " + std::to_string(layer) + " '" + pass.layerNames[i] + "'";
  return "layer " + std::to_string(layer);
}

std::string typeList(const std::set<NpType> &types) {
  std::string s;
  for (NpType t : types)
    s += (s.empty() ? "" : ", ") + std::string(npTypeName(t));
  return s;
}

} // namespace

VirtualDevice::VirtualDevice(Device device)
    : VirtualDevice(device, costConstantsFor(device)) {}

VirtualDevice::VirtualDevice(Device device, CostConstants constants)
    : VirtualDevice(device, constants, powerConstantsFor(device)) {}

VirtualDevice::VirtualDevice(Device device, CostConstants constants,
                             PowerConstants power)
    : device_(std::move(device)), cost_(constants), power_(power),
      meter_(power) {
  if (!(power.samplePeriodMs > 0))
    throw std::invalid_argument("power constants: the sample period must be "
                                "positive");
}

void VirtualDevice::set_clock_mhz(double mhz) {
  if (!(mhz > 0))
    throw std::invalid_argument("clock must be positive MHz, got " +
                                std::to_string(mhz));
  clockMhz_ = mhz;
}

void VirtualDevice::idle(double ms) {
  if (!(ms >= 0))
    throw std::invalid_argument("idle: the time must be >= 0 ms, got " +
                                std::to_string(ms));
  meter_.begin(powerMeasurement_);
  const double t0 = meter_.timeMs();
  meter_.feed(t0, t0 + ms, 0);
  meter_.end();
}

VirtualDevice::~VirtualDevice() = default;
VirtualDevice::VirtualDevice(VirtualDevice &&) noexcept = default;
VirtualDevice &VirtualDevice::operator=(VirtualDevice &&) noexcept = default;

const DecodedProgram &VirtualDevice::programInfo() const {
  if (!programmed_)
    throw std::runtime_error("device " + device_.name + " is not programmed");
  return program_;
}

void VirtualDevice::checkCompatible(const DecodedProgram &p) const {
  const std::string who = "cannot program " + device_.name + " (" +
                          device_.version.str() + "): ";
  if (!(p.deviceVersion == device_.version))
    throw std::invalid_argument(
        who + "the program was made for '" + p.deviceName + "' (" +
        p.deviceVersion.str() + "); regenerate it for this device");
  const Mesh &mesh = device_.mesh;
  if (p.ipVersion != mesh.ipVersion)
    throw std::invalid_argument(
        who + "the program is for Akida " +
        std::to_string(static_cast<int>(p.ipVersion)) + ".0 but the device is Akida " +
        std::to_string(static_cast<int>(mesh.ipVersion)) + ".0");
  auto findNp = [&](const NpIdent &i) -> const NpInfo * {
    for (const NpInfo &np : mesh.nps)
      if (np.ident == i)
        return &np;
    return nullptr;
  };
  auto findSkip = [&](const NpIdent &i) -> const SkipDma * {
    for (const SkipDma &s : mesh.skipDmas)
      if (s.ident == i)
        return &s;
    return nullptr;
  };
  auto checkEndpoint = [&](const std::string &where, const Endpoint &e) {
    bool ok = false;
    switch (e.kind) {
    case EndpointKind::Np:
      ok = findNp(e.ident) != nullptr;
      break;
    case EndpointKind::Hrc:
      ok = mesh.hrc && *mesh.hrc == e.ident;
      break;
    case EndpointKind::EventDma:
      ok = mesh.dmaEvent == e.ident;
      break;
    case EndpointKind::SkipDma:
      ok = findSkip(e.ident) != nullptr;
      break;
    }
    if (!ok)
      throw std::invalid_argument(who + where + ": a DMA descriptor names the " +
                                  endpointKindName(e.kind) + " at " +
                                  e.ident.str() + ", which the mesh lacks");
  };

  for (size_t pi = 0; pi < p.passes.size(); ++pi) {
    const PassProgram &pass = p.passes[pi];
    const std::string where = "pass " + std::to_string(pi);
    std::set<NpIdent> used;
    if (pass.hrc) {
      const UnitRecord &r = *pass.hrc;
      if (!mesh.hrc)
        throw std::invalid_argument(who + where + ": " + layerRef(pass, r.layer) +
                                    " runs on the HRC, which the device lacks");
      if (!(*mesh.hrc == r.ident))
        throw std::invalid_argument(who + where + ": the program's HRC is at " +
                                    r.ident.str() + " but the device's is at " +
                                    mesh.hrc->str());
    }
    for (const UnitRecord &r : pass.nps) {
      const NpInfo *np = findNp(r.ident);
      if (!np)
        throw std::invalid_argument(
            who + where + ": " + layerRef(pass, r.layer) + " is on NP " +
            r.ident.str() + ", which the mesh of " + device_.name +
            " does not have");
      if (!np->types.count(r.type))
        throw std::invalid_argument(
            who + where + ": " + layerRef(pass, r.layer) + " uses NP " +
            r.ident.str() + " as " + npTypeName(r.type) +
            " but that NP can only be " + typeList(np->types));
      if (!used.insert(r.ident).second)
        throw std::invalid_argument(who + where + ": NP " + r.ident.str() +
                                    " is configured twice");
    }
    std::set<std::pair<NpIdent, int>> channels;
    for (const UnitRecord &r : pass.merges) {
      const SkipDma *s = findSkip(r.ident);
      if (!s || r.dmaChannel < 0 || r.dmaChannel >= s->channels)
        throw std::invalid_argument(
            who + where + ": " + layerRef(pass, r.layer) + " uses skip-DMA " +
            r.ident.str() + " channel " + std::to_string(r.dmaChannel) +
            ", which the mesh lacks");
      if (!channels.insert({r.ident, r.dmaChannel}).second)
        throw std::invalid_argument(who + where + ": skip-DMA channel " +
                                    std::to_string(r.dmaChannel) + " of " +
                                    r.ident.str() + " is configured twice");
    }
    auto records = [&](auto visit) {
      if (pass.hrc)
        visit(*pass.hrc);
      for (const UnitRecord &r : pass.nps)
        visit(r);
      for (const UnitRecord &r : pass.merges)
        visit(r);
    };
    records([&](const UnitRecord &r) {
      for (const DmaDescriptor &d : r.routes) {
        checkEndpoint(where, d.source);
        checkEndpoint(where, d.dest);
      }
    });
    for (const DmaDescriptor &d : pass.inputs) {
      checkEndpoint(where, d.source);
      checkEndpoint(where, d.dest);
    }
  }
}

void VirtualDevice::load(const DecodedProgram &p) {
  std::vector<sim::LoadedPass> passes;
  std::set<int> produced;
  for (const PassProgram &pass : p.passes) {
    if (pass.hrc)
      produced.insert(pass.hrc->layer);
    for (const UnitRecord &r : pass.nps)
      produced.insert(r.layer);
    for (const UnitRecord &r : pass.merges)
      produced.insert(r.layer);
  }
  std::set<int> external;      // layers read from outside the program
  std::set<int> exportedSoFar; // layers written to the event DMA
  for (size_t pi = 0; pi < p.passes.size(); ++pi) {
    const PassProgram &pass = p.passes[pi];
    const std::string where = "simulator: pass " + std::to_string(pi) + ": ";
    sim::LoadedPass lp;
    auto add = [&](const UnitRecord &r) {
      lp.units.push_back(std::make_unique<sim::Unit>(r));
    };
    if (pass.hrc)
      add(*pass.hrc);
    for (const UnitRecord &r : pass.nps)
      add(r);
    for (const UnitRecord &r : pass.merges)
      add(r);
    for (int l : pass.layers) {
      std::vector<int> list;
      for (size_t u = 0; u < lp.units.size(); ++u)
        if (lp.units[u]->record().layer == l)
          list.push_back(static_cast<int>(u));
      lp.layerUnits.push_back(std::move(list));
    }
    for (const auto &u : lp.units)
      if (std::find(pass.layers.begin(), pass.layers.end(),
                    u->record().layer) == pass.layers.end())
        throw std::invalid_argument(where + u->name() +
                                    " belongs to no layer of the pass");
    // The unit a descriptor reaches: its endpoint and its layer.
    auto target = [&](const DmaDescriptor &d) -> int {
      for (size_t u = 0; u < lp.units.size(); ++u) {
        const UnitRecord &r = lp.units[u]->record();
        const EndpointKind kind = r.type == NpType::HRC ? EndpointKind::Hrc
                                  : r.type == NpType::SKIP_DMA_LOAD
                                      ? EndpointKind::SkipDma
                                      : EndpointKind::Np;
        if (kind == d.dest.kind && r.ident == d.dest.ident &&
            r.layer == d.destLayer)
          return static_cast<int>(u);
      }
      throw std::invalid_argument(
          where + "a DMA descriptor of layer " + std::to_string(d.sourceLayer) +
          " goes to the " + endpointKindName(d.dest.kind) + " at " +
          d.dest.ident.str() + " for layer " + std::to_string(d.destLayer) +
          ", which no record of the pass configures");
    };
    auto delivery = [&](const DmaDescriptor &d) {
      sim::Delivery v;
      v.destInput = d.destInput;
      v.sourceLayer = d.sourceLayer;
      v.first = d.firstChannel;
      v.end = d.firstChannel + d.channelCount;
      v.hops = hops(d.source.ident, d.dest.ident);
      if (d.destLayer == -1) {
        if (d.dest.kind != EndpointKind::EventDma)
          throw std::invalid_argument(where + "a program output goes to the " +
                                      std::string(endpointKindName(d.dest.kind)) +
                                      " instead of the event DMA");
        v.target = -1;
      } else {
        v.target = target(d);
      }
      return v;
    };
    for (const auto &u : lp.units) {
      std::vector<sim::Delivery> routes;
      for (const DmaDescriptor &d : u->record().routes) {
        if (d.sourceLayer != u->record().layer)
          throw std::invalid_argument(where + u->name() +
                                      " has a descriptor for layer " +
                                      std::to_string(d.sourceLayer));
        routes.push_back(delivery(d));
        if (d.destLayer == -1)
          exportedSoFar.insert(d.sourceLayer);
      }
      lp.routes.push_back(std::move(routes));
    }
    for (const DmaDescriptor &d : pass.inputs) {
      if (d.source.kind != EndpointKind::EventDma || d.destLayer < 0)
        throw std::invalid_argument(where + "a pass input does not come from "
                                            "the event DMA into a unit");
      sim::Delivery v = delivery(d);
      if (produced.count(d.sourceLayer)) {
        // Data of an earlier pass, read back through the event DMA.
        bool earlier = false;
        for (size_t q = 0; q < pi; ++q)
          earlier = earlier ||
                    std::find(p.passes[q].layers.begin(), p.passes[q].layers.end(),
                              d.sourceLayer) != p.passes[q].layers.end();
        if (!earlier || !exportedSoFar.count(d.sourceLayer))
          throw std::invalid_argument(
              where + "reads layer " + std::to_string(d.sourceLayer) +
              " through the event DMA, but no earlier pass writes it there");
      } else {
        external.insert(d.sourceLayer);
      }
      lp.inputs.push_back(v);
    }
    passes.push_back(std::move(lp));
  }
  if (external.size() != 1)
    throw std::invalid_argument(
        "simulator: the program reads " + std::to_string(external.size()) +
        " external inputs; a program has exactly one");
  const int last = p.passes.back().layers.back();
  if (!produced.count(last) || !exportedSoFar.count(last))
    throw std::invalid_argument("simulator: the output layer " +
                                std::to_string(last) +
                                " is not written to the event DMA");
  passes_ = std::move(passes);
  produced_ = std::move(produced);
  inputLayer_ = *external.begin();
  outputLayer_ = last;
}

void VirtualDevice::program(const std::vector<uint8_t> &bytes) {
  DecodedProgram p = readProgram(bytes);
  checkCompatible(p);
  sim::LearningState learning = readLearning(p);
  load(p); // replaces the configuration only when every record loads
  learning_ = std::move(learning);
  exported_.clear();
  program_ = std::move(p);
  programmed_ = true;
  loadedPass_ = 0;
  batchSize_ = 1;
  metrics_ = DeviceMetrics{};
  metrics_.program_clk = cost_.programClk(program_);
}

void VirtualDevice::unprogram() {
  programmed_ = false;
  passes_.clear();
  produced_.clear();
  exported_.clear();
  program_ = DecodedProgram{};
  inputLayer_ = outputLayer_ = -1;
  batchSize_ = 1;
  learning_ = sim::LearningState{};
}

int VirtualDevice::max_batch_size() const {
  return programInfo().passes.size() == 1 && learning_.layer < 0 ? 15 : 1;
}

void VirtualDevice::set_batch_size(int batchSize) {
  if (!programmed_)
    throw std::runtime_error("set_batch_size: device " + device_.name +
                             " is not programmed");
  const int limit = max_batch_size();
  if (batchSize < 1 || batchSize > limit)
    throw std::invalid_argument(
        "set_batch_size: batch size " + std::to_string(batchSize) +
        " is not supported by this program; allowed: 1 to " +
        std::to_string(limit) +
        (limit > 1                ? " (single-pass program)"
         : learning_.layer >= 0 ? " (a learning program runs one sample at "
                                 "a time)"
                               : " (a multi-pass program runs one sample at "
                                 "a time)"));
  batchSize_ = batchSize;
}

void VirtualDevice::reset_states() {
  for (sim::LoadedPass &lp : passes_)
    for (auto &u : lp.units)
      u->resetState();
}

} // namespace akida
