//===- Allocator.cpp - Splitting models into sequences and NPs ------------===//

#include "compiler/mapping/Allocator.h"

#include "compiler/fbz/LayerSchema.h"
#include "device/NpBudget.h"

#include <algorithm>
#include <stdexcept>

namespace akida {

const char *mapModeName(MapMode mode) {
  switch (mode) {
  case MapMode::AllNps:
    return "AllNps";
  case MapMode::HwPr:
    return "HwPr";
  case MapMode::Minimal:
    return "Minimal";
  }
  return "AllNps";
}

std::optional<MapMode> parseMapMode(const std::string &name) {
  for (MapMode m : {MapMode::AllNps, MapMode::HwPr, MapMode::Minimal})
    if (name == mapModeName(m))
      return m;
  return std::nullopt;
}

int64_t PassPlan::npCount() const {
  int64_t n = 0;
  for (const auto &[layer, nps] : this->nps)
    n += static_cast<int64_t>(nps.size());
  return n;
}

int64_t SequencePlan::npCount() const {
  int64_t n = 0;
  for (const PassPlan &p : passes)
    n += p.npCount();
  return n;
}

int64_t MappingPlan::npCount() const {
  int64_t n = 0;
  for (const SequencePlan &s : sequences)
    n += s.npCount();
  return n;
}

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Filters (or channels, for depthwise layers) a convolutional layer splits.
int64_t splitCount(const MapLayer &layer) {
  switch (layer.desc->type) {
  case LayerType::DepthwiseConv2D:
  case LayerType::DepthwiseConv2DTranspose:
  case LayerType::DepthwiseBufferTempConv:
    return layer.input.shape[2];
  default:
    return param(*layer.desc, "filters");
  }
}

/// Weight bytes of a dense layer at its bit width.
int64_t denseWeightBytes(const MapLayer &layer) {
  const ActType &in = layer.input;
  int64_t features = in.shape[0] * in.shape[1] * in.shape[2];
  int64_t units = layer.output.shape[2];
  return ceilDiv(features * units * param(*layer.desc, "weights_bits"), 8);
}

} // namespace

std::optional<LayerDemand> layerDemand(const MapLayer &layer,
                                       int64_t filterCap, NpType cnpType) {
  LayerDemand d;
  switch (layer.desc->type) {
  case LayerType::InputData:
  case LayerType::Dequantizer:
  case LayerType::ExtractToken:
  case LayerType::OnnxGraph:
    return d;
  case LayerType::InputConvolutional:
  case LayerType::InputConv2D:
    d.usesHrc = true;
    return d;
  case LayerType::Add:
  case LayerType::Concatenate:
    d.skipDmaChannels = 1;
    return d;
  case LayerType::FullyConnected:
  case LayerType::Dense1D:
    d.type = denseWeightBytes(layer) <= kFnp3WeightBytes ? NpType::FNP3
                                                          : NpType::FNP2;
    d.count = 1;
    d.filters = layer.output.shape[2];
    return d;
  case LayerType::BufferTempConv:
  case LayerType::DepthwiseBufferTempConv:
    cnpType = NpType::TNP_B;
    [[fallthrough]];
  default: {
    const CnpBudget &budget =
        cnpType == NpType::CNP1 ? kCnp1Budget : kCnp2Budget;
    int64_t columns = layer.input.shape[1];
    d.columnBlocks = ceilDiv(columns, budget.maxColumns);
    int64_t perNp = std::min(
        filterCap, maxFiltersPerNp(budget, ceilDiv(columns, d.columnBlocks)));
    if (perNp < 1)
      return std::nullopt;
    d.type = cnpType;
    d.filters = splitCount(layer);
    d.count = d.columnBlocks * ceilDiv(d.filters, perNp);
    return d;
  }
  }
}

namespace {

/// Free NPs of a mesh, taken for layers in a deterministic order.
class MeshState {
public:
  explicit MeshState(const Device &device) : device(device) {
    for (const NpInfo &np : device.mesh.nps)
      free.push_back(&np);
    std::sort(free.begin(), free.end(), [](const NpInfo *a, const NpInfo *b) {
      return a->ident < b->ident;
    });
    skipChannels = 0;
    for (const SkipDma &s : device.mesh.skipDmas)
      skipChannels += s.channels;
  }

  /// Takes `count` NPs that can be `type`, preferring the NPs with the fewest
  /// other capabilities (so scarcer types stay available).
  std::optional<std::vector<const NpInfo *>> take(NpType type, int64_t count) {
    std::vector<const NpInfo *> candidates;
    for (const NpInfo *np : free)
      if (np->types.count(type))
        candidates.push_back(np);
    if (static_cast<int64_t>(candidates.size()) < count)
      return std::nullopt;
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const NpInfo *a, const NpInfo *b) {
                       return a->types.size() < b->types.size();
                     });
    candidates.resize(count);
    std::sort(candidates.begin(), candidates.end(),
              [](const NpInfo *a, const NpInfo *b) { return a->ident < b->ident; });
    for (const NpInfo *np : candidates)
      free.erase(std::find(free.begin(), free.end(), np));
    return candidates;
  }

  bool takeSkipChannels(int n) {
    if (n > skipChannels)
      return false;
    skipChannels -= n;
    return true;
  }

  const Device &device;

private:
  std::vector<const NpInfo *> free;
  int skipChannels;
};

/// Splits `filters` over NPs: column blocks times filter groups, the first
/// groups taking one filter more when it does not divide.
std::vector<NpMapping> spread(const std::vector<const NpInfo *> &nps,
                              const LayerDemand &d) {
  std::vector<NpMapping> out;
  int64_t groups = d.count / d.columnBlocks;
  for (int64_t i = 0; i < d.count; ++i) {
    int64_t g = i % groups;
    int64_t filters = d.filters / groups + (g < d.filters % groups ? 1 : 0);
    out.push_back({nps[i]->ident, *d.type, filters});
  }
  return out;
}

/// Tries one filter cap: dense layers first (they need the scarce FNPs),
/// then the others, each on its preferred CNP type or the other one.
std::optional<PassPlan> tryCap(const std::vector<MapLayer> &all,
                               const std::vector<int> &layers,
                               const Device &device, int64_t cap,
                               NpType preferred) {
  MeshState mesh(device);
  PassPlan plan;
  plan.layers = layers;
  plan.filterCap = cap;
  NpType other = preferred == NpType::CNP1 ? NpType::CNP2 : NpType::CNP1;
  std::vector<int> order = layers;
  std::stable_partition(order.begin(), order.end(), [&](int i) {
    LayerType t = all[i].desc->type;
    return t == LayerType::FullyConnected || t == LayerType::Dense1D;
  });
  for (int i : order) {
    bool placed = false;
    for (NpType type : {preferred, other}) {
      std::optional<LayerDemand> d = layerDemand(all[i], cap, type);
      if (!d)
        continue;
      if (d->usesHrc && !device.mesh.hrc)
        return std::nullopt;
      if (d->skipDmaChannels && !mesh.takeSkipChannels(d->skipDmaChannels))
        return std::nullopt;
      if (d->count == 0) {
        plan.nps[i] = {};
        placed = true;
        break;
      }
      auto nps = mesh.take(*d->type, d->count);
      if (!nps) {
        // FNP2 layers may fall back to an FNP3 and vice versa.
        if (*d->type == NpType::FNP2 || *d->type == NpType::FNP3) {
          NpType alt = *d->type == NpType::FNP2 ? NpType::FNP3 : NpType::FNP2;
          nps = mesh.take(alt, d->count);
          if (nps)
            d->type = alt;
        }
      }
      if (!nps)
        continue;
      plan.nps[i] = spread(*nps, *d);
      placed = true;
      break;
    }
    if (!placed)
      return std::nullopt;
  }
  return plan;
}

} // namespace

std::optional<PassPlan> placePass(const std::vector<MapLayer> &all,
                                  const std::vector<int> &layers,
                                  const Device &device, MapMode mode) {
  // Caps searched over powers of two: ascending (more NPs first) for AllNps
  // and HwPr, descending (fewer NPs first) for Minimal.
  std::vector<int64_t> caps;
  for (int64_t cap = 1; cap <= (int64_t(1) << 16); cap <<= 1)
    caps.push_back(cap);
  NpType preferred = NpType::CNP1;
  if (mode == MapMode::Minimal) {
    std::reverse(caps.begin(), caps.end());
    preferred = NpType::CNP2;
  }
  for (int64_t cap : caps)
    if (auto plan = tryCap(all, layers, device, cap, preferred))
      return plan;
  return std::nullopt;
}

std::optional<PassPlan> placePassForMode(const std::vector<MapLayer> &all,
                                         const std::vector<int> &layers,
                                         const Device &device, MapMode mode) {
  if (std::optional<PassPlan> preferred = placePass(all, layers, device, mode))
    return preferred;
  return placePass(all, layers, device, MapMode::Minimal);
}

std::optional<std::pair<int, std::string>> validatePlan(const MappingPlan &plan,
                                        const std::vector<MapLayer> &layers,
                                        const Device &device) {
  auto kindOk = [&](const MapLayer &layer, NpType type) {
    std::optional<LayerDemand> d = layerDemand(layer, 1 << 20, NpType::CNP1);
    if (!d || !d->type)
      return false;
    switch (*d->type) {
    case NpType::FNP2:
    case NpType::FNP3:
      return type == NpType::FNP2 || type == NpType::FNP3;
    case NpType::TNP_B:
      return type == NpType::TNP_B;
    default:
      return type == NpType::CNP1 || type == NpType::CNP2;
    }
  };
  for (const SequencePlan &seq : plan.sequences) {
    if (seq.hardware)
      for (int i : seq.layers)
        if (!layers.at(i).hardware &&
            layers[i].desc->type != LayerType::InputData)
          return std::make_pair(
              i, "layer '" + layers[i].desc->name + "' (" +
                     layerTypeName(layers[i].desc->type) +
                     ") runs in software but is in a hardware sequence");
    for (const PassPlan &pass : seq.passes) {
      std::vector<NpIdent> used;
      for (const auto &[i, nps] : pass.nps) {
        const MapLayer &layer = layers.at(i);
        std::string who = "layer '" + layer.desc->name + "' (" +
                          layerTypeName(layer.desc->type) + ")";
        if (!layer.hardware && layer.desc->type != LayerType::InputData)
          return std::make_pair(
              i, who + " runs in software but is in a hardware sequence");
        for (const NpMapping &np : nps) {
          auto info = std::find_if(
              device.mesh.nps.begin(), device.mesh.nps.end(),
              [&](const NpInfo &m) { return m.ident == np.ident; });
          if (info == device.mesh.nps.end())
            return std::make_pair(i, who + ": NP " + np.ident.str() + " is not on " + device.name);
          if (!info->types.count(np.type))
            return std::make_pair(i, who + ": NP " + np.ident.str() + " of " + device.name +
                   " cannot be " + npTypeName(np.type));
          if (!kindOk(layer, np.type))
            return std::make_pair(i, who + " cannot run on a " + npTypeName(np.type) + " NP");
          if (std::find(used.begin(), used.end(), np.ident) != used.end())
            return std::make_pair(i, who + ": NP " + np.ident.str() + " is used twice in a pass");
          used.push_back(np.ident);
        }
      }
    }
  }
  return std::nullopt;
}

MappingPlan planMapping(const std::vector<MapLayer> &layers,
                        const Device &device, MapMode mode, bool hwOnly) {
  size_t n = layers.size();
  // InputData goes where the layer it feeds goes.
  std::vector<bool> hw(n);
  for (size_t i = 0; i < n; ++i)
    hw[i] = layers[i].hardware;
  for (size_t i = 0; i < n; ++i)
    if (layers[i].desc->type == LayerType::InputData)
      hw[i] = i + 1 < n && hw[i + 1];

  MappingPlan plan;
  auto addSoftware = [&](int i) {
    if (plan.sequences.empty() || plan.sequences.back().hardware)
      plan.sequences.push_back({false, {}, {}});
    plan.sequences.back().layers.push_back(i);
  };

  size_t i = 0;
  while (i < n) {
    if (!hw[i]) {
      if (hwOnly && layers[i].desc->type != LayerType::InputData)
        throw std::invalid_argument(
            "hw_only: layer '" + layers[i].desc->name + "' (" +
            layerTypeName(layers[i].desc->type) +
            ") cannot run on " + device.name + " hardware");
      addSoftware(static_cast<int>(i++));
      continue;
    }
    // The longest run of hardware layers from i that fits in one pass,
    // judged by the most compact placement (fewer sequences and passes rank
    // before the number of NPs); then placed the way the mode prefers.
    std::vector<int> current;
    std::optional<PassPlan> placed;
    size_t j = i;
    while (j < n && hw[j]) {
      std::vector<int> next = current;
      next.push_back(static_cast<int>(j));
      std::optional<PassPlan> p =
          placePass(layers, next, device, MapMode::Minimal);
      if (!p)
        break;
      current = std::move(next);
      placed = std::move(p);
      ++j;
    }
    if (placed && mode != MapMode::Minimal)
      placed = placePassForMode(layers, current, device, mode);
    if (!placed) {
      // This layer alone does not fit the device: it runs in software.
      if (hwOnly)
        throw std::invalid_argument(
            "hw_only: layer '" + layers[i].desc->name + "' (" +
            layerTypeName(layers[i].desc->type) + ") does not fit on " +
            device.name + " even alone");
      addSoftware(static_cast<int>(i++));
      continue;
    }
    bool extendPasses = mode == MapMode::HwPr && !plan.sequences.empty() &&
                        plan.sequences.back().hardware &&
                        plan.sequences.back().layers.back() + 1 ==
                            static_cast<int>(i);
    if (!extendPasses)
      plan.sequences.push_back({true, {}, {}});
    SequencePlan &seq = plan.sequences.back();
    seq.layers.insert(seq.layers.end(), current.begin(), current.end());
    seq.passes.push_back(std::move(*placed));
    i = j;
  }
  if (hwOnly && plan.sequences.size() > 1) {
    const SequencePlan &second = plan.sequences[1];
    throw std::invalid_argument(
        "hw_only: the model needs " + std::to_string(plan.sequences.size()) +
        " sequences on " + device.name + " in " + mapModeName(mode) +
        " mode; layers from '" + layers[second.layers.front()].desc->name +
        "' on do not fit in the first one (try mode HwPr or a larger device)");
  }
  return plan;
}

} // namespace akida
