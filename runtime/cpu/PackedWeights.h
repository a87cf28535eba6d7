//===- PackedWeights.h - Weights laid out for the GEMM kernels --*- C++ -*-===//
//
// A weighted layer's (taps, inputs, outputs) weights, packed once per plan in
// the layout of Kernels.h: blocks of up to KernelTable::maxPanels panels of
// 16 output channels, each block [taps][groups][panels * 16][4 bytes], zero
// padded (inputs up to a multiple of the group, outputs up to a multiple
// of 16).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_PACKEDWEIGHTS_H
#define AKIDA_RUNTIME_CPU_PACKEDWEIGHTS_H

#include "runtime/cpu/Buffer.h"
#include "runtime/cpu/Kernels.h"

#include <vector>

namespace akida::cpu {

struct PackedWeights {
  DotKind kind = DotKind::U8S8;
  int taps = 1;
  int64_t inputs = 0;    ///< reduction length per tap (before padding)
  int groups = 0;        ///< 4-byte groups per tap
  int64_t channels = 0;  ///< output channels
  std::vector<int> blockPanels;
  std::vector<int64_t> blockOffset; ///< bytes
  std::vector<int32_t> channelSum;  ///< sum of each channel's weights
  int64_t maxAbs = 0;               ///< largest |weight|
  Buffer data;

  int blocks() const { return static_cast<int>(blockPanels.size()); }
  const int8_t *block(int b) const {
    return reinterpret_cast<const int8_t *>(data.data() + blockOffset[b]);
  }
  int64_t firstChannel(int b) const { return int64_t(b) * panelsPerBlock * 16; }
  int panelsPerBlock = 1; ///< panels of every block but the last
};

/// Packs `w`, indexed (tap * inputs + i) * channels + o, for `k`'s tiles.
/// Values must fit int8 (U8S8 kinds) or int16 (S16S16).
PackedWeights packWeights(const std::vector<int64_t> &w, int taps,
                          int64_t inputs, int64_t channels, DotKind kind,
                          const KernelTable &k);

/// Elements per 4-byte group of `kind` (4 bytes or 2 int16).
inline int groupElems(DotKind kind) { return kind == DotKind::S16S16 ? 2 : 4; }

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_PACKEDWEIGHTS_H
