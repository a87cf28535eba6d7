//===- Allocator.h - Splitting models into sequences and NPs -----*- C++ -*-===//
//
// The mapping decisions, independent of MLIR: how many NPs of which type each
// layer needs for a filter cap, which layers form hardware sequences (and
// passes, with partial reconfiguration), and which NP idents each layer gets.
// The akida-split-sequences and akida-allocate-nps passes, and Model::map,
// all call this one implementation.
//
// Search (BrainChip's _map_search, §4.4): a global cap on filters per NP is
// searched over powers of two; results are ranked by more layers in
// hardware, then fewer sequences, then fewer passes, then more NPs (AllNps,
// HwPr) or fewer NPs (Minimal). AllNps prefers CNP1 NPs (smaller buffers, so
// more NPs); Minimal and HwPr prefer CNP2 (larger buffers, fewer NPs).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_MAPPING_ALLOCATOR_H
#define AKIDA_COMPILER_MAPPING_ALLOCATOR_H

#include "device/Device.h"
#include "runtime/reference/Shapes.h"

#include <map>

namespace akida {

enum class MapMode { AllNps = 1, HwPr = 2, Minimal = 3 };
const char *mapModeName(MapMode mode);
std::optional<MapMode> parseMapMode(const std::string &name);

/// A layer as the allocator sees it.
struct MapLayer {
  const LayerDesc *desc = nullptr;
  ActType input;  ///< first input
  ActType output;
  bool hardware = true; ///< false: the constraint check sent it to software
};

/// One NP a layer uses.
struct NpMapping {
  NpIdent ident;
  NpType type = NpType::CNP1;
  int64_t filters = 0;
};

/// What a layer needs: `count` NPs of `type` (0 for layers on the HRC, for
/// InputData, and for merge layers that use skip-DMA channels).
struct LayerDemand {
  std::optional<NpType> type;
  int64_t count = 0;
  int64_t filters = 0;      ///< filters (or channels) split across the NPs
  int64_t columnBlocks = 1; ///< input split in column blocks
  int skipDmaChannels = 0;
  bool usesHrc = false;
};

/// The demand of `layer` with at most `filterCap` filters per NP on NPs of
/// `cnpType` (CNP1 or CNP2); nullopt when no NP of that type can hold it.
std::optional<LayerDemand> layerDemand(const MapLayer &layer,
                                       int64_t filterCap, NpType cnpType);

/// A pass: layers configured on the mesh at the same time, with their NPs.
struct PassPlan {
  std::vector<int> layers; ///< indices into the model's layers
  std::map<int, std::vector<NpMapping>> nps;
  int64_t filterCap = 0;
  int64_t npCount() const;
};

struct SequencePlan {
  bool hardware = false;
  std::vector<int> layers;
  std::vector<PassPlan> passes; ///< hardware sequences only
  int64_t npCount() const;
};

struct MappingPlan {
  std::vector<SequencePlan> sequences;
  int64_t npCount() const;
};

/// Places `layers` (indices into `all`) on one configuration of `device`'s
/// mesh, searching the filter cap as `mode` says. nullopt when they cannot
/// all be there at once.
std::optional<PassPlan> placePass(const std::vector<MapLayer> &all,
                                  const std::vector<int> &layers,
                                  const Device &device, MapMode mode);

/// Places one pass the way `mode` prefers, or, when that does not fit, in
/// the most compact way (the split into sequences and passes is decided
/// compactly, so a pass always fits one of the two).
std::optional<PassPlan> placePassForMode(const std::vector<MapLayer> &all,
                                         const std::vector<int> &layers,
                                         const Device &device, MapMode mode);

/// Checks a plan (e.g. one read back from IR) against `device` and the
/// layers: NPs exist on the mesh, can take their type, suit the layer kind
/// and are used once per pass; software layers are not in hardware
/// sequences. Returns the first problem found and the layer it concerns.
std::optional<std::pair<int, std::string>> validatePlan(const MappingPlan &plan,
                                        const std::vector<MapLayer> &layers,
                                        const Device &device);

/// Maps a whole model: software layers go to software sequences, runs of
/// hardware layers to hardware sequences split where they do not fit
/// (AllNps, Minimal) or into several passes (HwPr). With `hwOnly`, throws
/// std::invalid_argument saying why the model is not one hardware sequence.
MappingPlan planMapping(const std::vector<MapLayer> &layers,
                        const Device &device, MapMode mode, bool hwOnly);

} // namespace akida

#endif // AKIDA_COMPILER_MAPPING_ALLOCATOR_H
