//===- Gemm.h - One GEMM tile, from packed weights to outputs ---*- C++ -*-===//
#ifndef AKIDA_RUNTIME_CPU_GEMM_H
#define AKIDA_RUNTIME_CPU_GEMM_H

#include "runtime/cpu/Epilogue.h"
#include "runtime/cpu/PackedWeights.h"

#include <algorithm>

namespace akida::cpu {

/// `n` rows cut into as few micro-tiles of at most `mr` rows as possible, of
/// balanced sizes: 56 rows with mr = 6 are six tiles of 6 and four of 5, not
/// nine of 6 and one of 2 (a short tile has too few independent sums to keep
/// the multiply-add units busy).
struct TileRows {
  TileRows(int64_t n, int mr)
      : count(n > 0 ? (n + mr - 1) / mr : 0), base(count ? n / count : 0),
        extra(count ? n % count : 0) {}
  int64_t start(int64_t t) const { return t * base + std::min(t, extra); }
  int rows(int64_t t) const { return static_cast<int>(base + (t < extra)); }
  int64_t count, base, extra;
};

/// Multiplies `mr` rows (row r of tap t at rows[t * mr + r]) by block `b`
/// of `w` into `acc` (mr x maxPanels*16 int32 scratch), then finishes the
/// block's channels through `epi`: into row r at out + r * rowStride, or,
/// when `sums` is set, into the global-pooling sums. `events` restricts a
/// one-tap product to the listed groups (the event path); `rowStep` says
/// the rows are evenly spaced (GemmTile::rowStep); `init`, when set, holds
/// the sums to start from, row r and channel c at init[r * initStride + c]
/// (all of w's channels: the tile reads its block's).
inline void runTile(const KernelTable &k, const PackedWeights &w, int b,
                    const uint8_t *const *rows, int mr, int32_t *acc,
                    const Epilogue &epi, uint8_t *out, int64_t rowStride,
                    int64_t *sums, const int32_t *events = nullptr,
                    int eventCount = 0, int64_t rowStep = 0,
                    const int32_t *init = nullptr, int64_t initStride = 0) {
  GemmTile t;
  t.rows = rows;
  t.rowStep = rowStep;
  t.taps = w.taps;
  t.groups = w.groups;
  t.weights = w.block(b);
  t.mr = mr;
  t.nv = w.blockPanels[b];
  t.acc = acc;
  t.accStride = t.nv * 16;
  t.events = events;
  t.eventCount = eventCount;
  const int64_t ch0 = w.firstChannel(b);
  if (init) {
    t.init = init + ch0;
    t.initStride = initStride;
  }
  const int nch =
      static_cast<int>(std::min<int64_t>(t.nv * 16, w.channels - ch0));
  if (sums && epi.stage().poolTermIsIdentity()) {
    // Raw sums pooled: the kernel adds its column sums.
    t.sums = sums + ch0;
    t.sumChannels = nch;
    k.gemm(t, w.kind);
    epi.addBias(mr, ch0, nch, sums);
    return;
  }
  RequantTile rq;
  if (!sums && epi.requantTile(mr, ch0, nch, out, rowStride, rq)) {
    t.requant = &rq;
    k.gemm(t, w.kind);
    return;
  }
  k.gemm(t, w.kind);
  if (sums)
    epi.accumulate(acc, t.accStride, mr, ch0, nch, sums);
  else
    epi.write(acc, t.accStride, mr, ch0, nch, out, rowStride);
}

/// The sums only: block `b` of `w` times `mr` rows into `acc` (mr rows of
/// blockPanels[b] * 16 int32).
inline void gemmSums(const KernelTable &k, const PackedWeights &w, int b,
                     const uint8_t *const *rows, int mr, int32_t *acc) {
  GemmTile t;
  t.rows = rows;
  t.taps = w.taps;
  t.groups = w.groups;
  t.weights = w.block(b);
  t.mr = mr;
  t.nv = w.blockPanels[b];
  t.acc = acc;
  t.accStride = t.nv * 16;
  k.gemm(t, w.kind);
}

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_GEMM_H
