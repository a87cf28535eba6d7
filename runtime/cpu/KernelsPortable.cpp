//===- KernelsPortable.cpp - The kernels in plain C++ ---------------------===//
//
// The reference shape of every kernel of Kernels.h, for processors without
// AVX2; the loops are written so that compilers vectorize the channel axis.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace akida::cpu {

namespace {

void requant(const RequantTile &t);

void gemmSums(const GemmTile &t, DotKind kind);

void gemm(const GemmTile &t, DotKind kind) {
  gemmViaLocalTile(t, kind, gemmSums, requant);
}

void gemmSums(const GemmTile &t, DotKind kind) {
  const int cols = t.nv * 16;
  for (int r = 0; r < t.mr; ++r)
    std::fill(t.acc + r * t.accStride, t.acc + r * t.accStride + cols, 0);
  const int steps = t.events ? t.eventCount : t.groups;
  for (int tap = 0; tap < t.taps; ++tap)
    for (int s = 0; s < steps; ++s) {
      const int g = t.events ? t.events[s] : s;
      const int8_t *w =
          t.weights + (static_cast<int64_t>(tap) * t.groups + g) * cols * 4;
      for (int r = 0; r < t.mr; ++r) {
        const uint8_t *a = (t.rowStep ? t.rows[tap] + r * t.rowStep
                                      : t.rows[tap * t.mr + r]) +
                           4 * g;
        int32_t *acc = t.acc + r * t.accStride;
        if (kind == DotKind::S16S16) {
          int16_t a0, a1;
          std::memcpy(&a0, a, 2);
          std::memcpy(&a1, a + 2, 2);
          const int16_t *w16 = reinterpret_cast<const int16_t *>(w);
          for (int j = 0; j < cols; ++j)
            acc[j] += a0 * w16[2 * j] + a1 * w16[2 * j + 1];
        } else {
          const int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
          for (int j = 0; j < cols; ++j)
            acc[j] += a0 * w[4 * j] + a1 * w[4 * j + 1] + a2 * w[4 * j + 2] +
                      a3 * w[4 * j + 3];
        }
      }
    }
}

void requant(const RequantTile &t) {
  const FastStage &s = *t.stage;
  for (int r = 0; r < t.rows; ++r) {
    const int32_t *acc = t.acc + r * t.accStride;
    uint8_t *out = t.out + r * t.outStride;
    for (int j = 0; j < t.channels; ++j) {
      const int ch = t.ch0 + j;
      int64_t v = acc[j];
      if (t.accBias)
        v += t.accBias[j];
      if (s.saturating) {
        out[j] = static_cast<uint8_t>(
            saturatingOutput(s, ch, static_cast<int32_t>(v)));
        continue;
      }
      v = std::clamp<int64_t>(v, s.lo[ch], s.hi[ch]) - s.lo[ch];
      switch (s.form) {
      case StageForm::Int32:
        v = (v * s.mul[ch] + s.add[ch]) >> s.shift[ch];
        break;
      case StageForm::Float:
        v = static_cast<int64_t>(
            std::floor(std::fma(static_cast<float>(v), s.fa[ch], s.fb[ch])));
        break;
      case StageForm::Int64:
        v = (v * s.mul64[ch] + s.add64[ch]) >> s.shift64[ch];
        break;
      }
      out[j] = static_cast<uint8_t>(std::min<int64_t>(v, s.top[ch]) +
                                    s.offset[ch]);
    }
  }
}

void depthwiseRow(const DepthwiseRow &d) {
  if (depthwiseRowByRow(d, depthwiseRow))
    return;
  for (int64_t ox = 0; ox < d.ow; ++ox) {
    int32_t *acc = d.out16 ? d.acc : d.acc + ox * d.cPad;
    std::fill(acc, acc + d.cPad, 0);
    for (int i = 0; i < d.kh; ++i) {
      const int64_t iy = d.oy * d.sh - d.pt + i;
      for (int j = 0; j < d.kw; ++j) {
        const int64_t ix = ox * d.sw - d.pl + j;
        const int16_t *w = d.weights + (i * d.kw + j) * d.cPad;
        if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w) {
          if (d.padValue)
            for (int64_t c = 0; c < d.c; ++c)
              acc[c] += int32_t(d.padValue) * w[c];
          continue;
        }
        const uint8_t *x = d.x + (iy * d.w + ix) * d.c;
        for (int64_t c = 0; c < d.c; ++c)
          acc[c] += int32_t(x[c]) * w[c];
      }
    }
    if (d.out16) {
      int16_t *o = d.out16 + ox * d.out16Stride;
      for (int64_t c = 0; c < d.out16Stride; ++c)
        o[c] = static_cast<int16_t>(c < d.c ? acc[c] : 0);
    }
  }
}

} // namespace

bool splitInt16Portable(const SplitInt16 &s) {
  int64_t n = 0;
  for (int64_t p = 0; p < s.pixels; ++p) {
    if (n + s.c > s.capacity)
      return false;
    s.rowStart[p] = static_cast<int32_t>(n);
    const int16_t *d = s.d + p * s.dStride;
    uint8_t *o = s.d8 + p * s.d8Stride;
    for (int64_t c = 0; c < s.c; ++c) {
      const int32_t v = int32_t(d[c]) - s.center[c];
      const int32_t sat = v < -128 ? -128 : v > 127 ? 127 : v;
      o[c] = static_cast<uint8_t>(sat + 128);
      if (v != sat) {
        s.chan[n] = static_cast<int32_t>(c);
        s.val[n] = v - sat;
        ++n;
      }
    }
    for (int64_t c = s.c; c < s.d8Stride; ++c)
      o[c] = 0;
  }
  s.rowStart[s.pixels] = static_cast<int32_t>(n);
  return true;
}

const KernelTable &portableKernels() {
  static const KernelTable table{Isa::Portable,    4,       {0, 4, 4, 4, 4},
                                 gemm,             requant, depthwiseRow,
                                 splitInt16Portable, residualSumsPortable};
  return table;
}

void gemmViaLocalTile(const GemmTile &t, DotKind kind,
                      void (*gemmSums)(const GemmTile &, DotKind),
                      void (*requant)(const RequantTile &)) {
  if (!t.sums && !t.requant && !t.init)
    return gemmSums(t, kind);
  // Sums into a local tile, then the initial sums, then the column sums or
  // the requantization loop.
  alignas(64) int32_t acc[16 * 64];
  const int stride = t.nv * 16;
  GemmTile local = t;
  local.sums = nullptr;
  local.requant = nullptr;
  local.init = nullptr;
  local.acc = t.sums || t.requant ? acc : t.acc;
  local.accStride = t.sums || t.requant ? stride : t.accStride;
  gemmSums(local, kind);
  if (t.init)
    for (int r = 0; r < t.mr; ++r)
      for (int j = 0; j < stride; ++j)
        local.acc[r * local.accStride + j] += t.init[r * t.initStride + j];
  if (t.sums) {
    for (int r = 0; r < t.mr; ++r)
      for (int j = 0; j < t.sumChannels; ++j)
        t.sums[j] += acc[r * stride + j];
  } else if (t.requant) {
    RequantTile r = *t.requant;
    r.acc = acc;
    r.accStride = stride;
    requant(r);
  }
}

void residualSumsPortable(const ResidualSums &s) {
  for (int64_t p = 0; p < s.pixels; ++p) {
    int32_t *out = s.out + p * s.outStride;
    std::fill(out, out + s.wStride, 0);
    for (int32_t e = s.rowStart[p]; e < s.rowStart[p + 1]; ++e) {
      const int32_t v = s.val[e];
      const int8_t *w = s.weights + int64_t(s.chan[e]) * s.wStride;
      for (int64_t o = 0; o < s.wStride; ++o)
        out[o] += v * w[o];
    }
  }
}

} // namespace akida::cpu
