//===- NpBudget.h - What one NP can hold ---------------------------*- C++ -*-===//
//
// The per-NP capacities the NP allocator uses to split a layer's filters
// across NPs. BrainChip does not publish them; the values below are chosen
// so that the allocator reproduces every mapping BrainChip published
// (docs/device/budgets.md gives the derivation):
//   - DS-CNN KWS on AKD1000: AllNps 16 NPs per separable layer, 65 in all;
//     Minimal 5;
//   - AkidaNet 0.5/224: AllNps conv_1 4, conv_2 6, conv_3 3, sep_4 6,
//     sep_5 4, sep_6 8, sep_7..11 4, sep_12 8, sep_13 8, classifier 1 = 68;
//     Minimal 32.
//
// Model: a convolutional NP keeps one row of partial potentials for each of
// its filters across the input columns it processes, in a buffer of
// `rowWords` words, plus `freeFilters` filters in dedicated registers; so
// filters per NP <= freeFilters + rowWords / columns. It processes at most
// `maxColumns` input columns; wider inputs are split into column blocks, one
// NP per block and filter group.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_NPBUDGET_H
#define AKIDA_DEVICE_NPBUDGET_H

#include "device/Device.h"

namespace akida {

struct CnpBudget {
  int64_t rowWords;
  int64_t freeFilters;
  int64_t maxColumns;
};

inline constexpr CnpBudget kCnp1Budget{800, 8, 64};
inline constexpr CnpBudget kCnp2Budget{1400, 28, 128};

/// Largest number of filters of a layer with `columns` input columns that
/// one NP of this budget holds (0 when a column block cannot be processed).
int64_t maxFiltersPerNp(const CnpBudget &budget, int64_t columns);

/// Weight bytes one FNP3 holds in internal memory; larger fully connected
/// layers go to an FNP2, whose weights live in external memory.
inline constexpr int64_t kFnp3WeightBytes = 512 * 1024;

} // namespace akida

#endif // AKIDA_DEVICE_NPBUDGET_H
