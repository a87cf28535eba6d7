//===- KernelsAvx512.cpp - The kernels for AVX-512 VNNI -------------------===//
//
// vpdpbusd (uint8 x int8, 64 multiply-adds per instruction) and vpdpwssd
// (int16 x int16, 32) GEMM micro-tiles of up to 6 x 64 accumulators in
// zmm registers; the fixed-point requantization 16 channels at a time with
// masked byte stores; depthwise rows in int16 (or int32) lanes. This file is
// compiled for baseline x86-64: only functions marked AKIDA_AVX512 use the
// instructions, and they run only when the processor has them (Isa.cpp).
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Kernels.h"

#include <immintrin.h>

#include <array>
#include <cstring>
#include <utility>

#define AKIDA_AVX512                                                           \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))

namespace akida::cpu {

namespace {

constexpr int kMaxPanels = 4;
/// Rows of a micro-tile by panels: accumulators mr * nv <= 24 of 32 zmm.
constexpr int kRows[5] = {0, 12, 12, 8, 6};

AKIDA_AVX512 inline __m512i broadcast4(const uint8_t *p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

template <int MR, int NV, bool S16>
AKIDA_AVX512 void gemmTile(const GemmTile &t) {
  __m512i acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[r][v] = _mm512_setzero_si512();
  const int8_t *w = t.weights;
  if (t.events) {
    const uint8_t *p = t.rows[0];
    for (int e = 0; e < t.eventCount; ++e) {
      const int g = t.events[e];
      const int8_t *wg = w + int64_t(g) * NV * 64;
      const __m512i a = broadcast4(p + 4 * g);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        const __m512i wv = _mm512_loadu_si512(wg + v * 64);
        acc[0][v] = S16 ? _mm512_dpwssd_epi32(acc[0][v], a, wv)
                        : _mm512_dpbusd_epi32(acc[0][v], a, wv);
      }
    }
  } else {
    for (int tap = 0; tap < t.taps; ++tap) {
      const uint8_t *p[MR];
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r)
        p[r] = t.rows[tap * MR + r];
      for (int g = 0; g < t.groups; ++g) {
        __m512i wv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v)
          wv[v] = _mm512_loadu_si512(w + v * 64);
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
          const __m512i a = broadcast4(p[r] + 4 * g);
#pragma GCC unroll 4
          for (int v = 0; v < NV; ++v)
            acc[r][v] = S16 ? _mm512_dpwssd_epi32(acc[r][v], a, wv[v])
                            : _mm512_dpbusd_epi32(acc[r][v], a, wv[v]);
        }
        w += NV * 64;
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      _mm512_storeu_si512(t.acc + r * t.accStride + v * 16, acc[r][v]);
}

using GemmFn = void (*)(const GemmTile &);

template <int NV, bool S16, int... M>
constexpr std::array<GemmFn, 13> rowTable(std::integer_sequence<int, M...>) {
  return {nullptr, &gemmTile<M + 1, NV, S16>...};
}

template <bool S16> struct GemmTable {
  static constexpr std::array<GemmFn, 13> nv[5] = {
      {},
      rowTable<1, S16>(std::make_integer_sequence<int, kRows[1]>()),
      rowTable<2, S16>(std::make_integer_sequence<int, kRows[2]>()),
      rowTable<3, S16>(std::make_integer_sequence<int, kRows[3]>()),
      rowTable<4, S16>(std::make_integer_sequence<int, kRows[4]>())};
};

void gemm(const GemmTile &t, DotKind kind) {
  // vpdpbusd adds four uint8 x int8 products to 32 bits without
  // intermediate saturation: the narrow and wide kinds are the same here.
  if (kind == DotKind::S16S16)
    GemmTable<true>::nv[t.nv][t.mr](t);
  else
    GemmTable<false>::nv[t.nv][t.mr](t);
}

AKIDA_AVX512 void requant(const RequantTile &t) {
  const FastStage &s = *t.stage;
  for (int j = 0; j < t.channels; j += 16) {
    const int n = t.channels - j < 16 ? t.channels - j : 16;
    const __mmask16 m = static_cast<__mmask16>((1u << n) - 1);
    const int ch = t.ch0 + j;
    const __m512i lo = _mm512_loadu_si512(s.lo.data() + ch);
    const __m512i hi = _mm512_loadu_si512(s.hi.data() + ch);
    const __m512i mul = _mm512_loadu_si512(s.mul.data() + ch);
    const __m512i add = _mm512_loadu_si512(s.add.data() + ch);
    const __m512i sh = _mm512_loadu_si512(s.shift.data() + ch);
    const __m512i top = _mm512_loadu_si512(s.top.data() + ch);
    const __m512i off = _mm512_loadu_si512(s.offset.data() + ch);
    // The wide form: 64-bit lanes for channels ch..ch+7 and ch+8..ch+15.
    const __m512i mulA = _mm512_loadu_si512(s.mul64.data() + ch);
    const __m512i mulB = _mm512_loadu_si512(s.mul64.data() + ch + 8);
    const __m512i addA = _mm512_loadu_si512(s.add64.data() + ch);
    const __m512i addB = _mm512_loadu_si512(s.add64.data() + ch + 8);
    const __m512i shA = _mm512_loadu_si512(s.shift64.data() + ch);
    const __m512i shB = _mm512_loadu_si512(s.shift64.data() + ch + 8);
    const __m512i bias = t.accBias ? _mm512_maskz_loadu_epi32(m, t.accBias + j)
                                   : _mm512_setzero_si512();
    for (int r = 0; r < t.rows; ++r) {
      __m512i v = _mm512_maskz_loadu_epi32(m, t.acc + r * t.accStride + j);
      v = _mm512_add_epi32(v, bias);
      v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
      v = _mm512_sub_epi32(v, lo);
      if (s.wide) {
        __m512i a = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(v));
        __m512i b = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(v, 1));
        a = _mm512_srlv_epi64(_mm512_add_epi64(_mm512_mul_epu32(a, mulA), addA),
                              shA);
        b = _mm512_srlv_epi64(_mm512_add_epi64(_mm512_mul_epu32(b, mulB), addB),
                              shB);
        a = _mm512_min_epi64(a, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(top)));
        b = _mm512_min_epi64(
            b, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(top, 1)));
        v = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(a)),
                               _mm512_cvtepi64_epi32(b), 1);
      } else {
        v = _mm512_mullo_epi32(v, mul);
        v = _mm512_srav_epi32(_mm512_add_epi32(v, add), sh);
        v = _mm512_min_epi32(v, top);
      }
      v = _mm512_add_epi32(v, off);
      _mm512_mask_cvtepi32_storeu_epi8(t.out + r * t.outStride + j, m, v);
    }
  }
}

/// The taps of output pixel ox that read inside the input (src) or the
/// padding value (src null, only when padValue is nonzero).
struct Tap {
  const uint8_t *src;
  const int16_t *w;
};

inline int pixelTaps(const DepthwiseRow &d, int64_t ox, Tap *taps) {
  int n = 0;
  for (int i = 0; i < d.kh; ++i) {
    const int64_t iy = d.oy * d.sh - d.pt + i;
    const bool rowInside = iy >= 0 && iy < d.h;
    for (int j = 0; j < d.kw; ++j) {
      const int64_t ix = ox * d.sw - d.pl + j;
      const bool inside = rowInside && ix >= 0 && ix < d.w;
      if (!inside && d.padValue == 0)
        continue;
      taps[n].src = inside ? d.x + (iy * d.w + ix) * d.c : nullptr;
      taps[n].w = d.weights + (i * d.kw + j) * d.cPad;
      ++n;
    }
  }
  return n;
}

AKIDA_AVX512 void depthwiseRow(const DepthwiseRow &d) {
  constexpr int kMaxTaps = 64;
  if (d.kh * d.kw > kMaxTaps)
    return portableKernels().depthwiseRow(d);
  Tap taps[kMaxTaps];
  const __m512i pad16 = _mm512_set1_epi16(d.padValue);
  const __m512i pad32 = _mm512_set1_epi32(d.padValue);
  for (int64_t ox = 0; ox < d.ow; ++ox) {
    const int n = pixelTaps(d, ox, taps);
    int32_t *acc = d.acc + ox * d.cPad;
    if (d.narrow) { // int16 lanes, 32 channels a vector
      for (int64_t c0 = 0; c0 < d.cPad; c0 += 32) {
        const int64_t left = d.c - c0;
        const __mmask32 m =
            left >= 32 ? ~__mmask32(0)
                       : (left <= 0 ? 0 : (__mmask32(1) << left) - 1);
        __m512i a = _mm512_setzero_si512();
        for (int k = 0; k < n; ++k) {
          const __m512i x =
              taps[k].src ? _mm512_cvtepu8_epi16(
                                _mm256_maskz_loadu_epi8(m, taps[k].src + c0))
                          : pad16;
          const __m512i w = _mm512_loadu_si512(taps[k].w + c0);
          a = _mm512_add_epi16(a, _mm512_mullo_epi16(x, w));
        }
        _mm512_storeu_si512(acc + c0,
                            _mm512_cvtepi16_epi32(_mm512_castsi512_si256(a)));
        _mm512_storeu_si512(
            acc + c0 + 16,
            _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(a, 1)));
      }
    } else { // int32 lanes, 16 channels a vector
      for (int64_t c0 = 0; c0 < d.cPad; c0 += 16) {
        const int64_t left = d.c - c0;
        const __mmask16 m =
            left >= 16 ? __mmask16(0xFFFF)
                       : (left <= 0 ? 0 : __mmask16((1u << left) - 1));
        __m512i a = _mm512_setzero_si512();
        for (int k = 0; k < n; ++k) {
          const __m512i x =
              taps[k].src ? _mm512_cvtepu8_epi32(
                                _mm_maskz_loadu_epi8(m, taps[k].src + c0))
                          : pad32;
          const __m512i w = _mm512_cvtepi16_epi32(
              _mm256_loadu_si256(reinterpret_cast<const __m256i *>(
                  taps[k].w + c0)));
          a = _mm512_add_epi32(a, _mm512_mullo_epi32(x, w));
        }
        _mm512_storeu_si512(acc + c0, a);
      }
    }
  }
}

} // namespace

const KernelTable &avx512Kernels() {
  static const KernelTable table{Isa::Avx512Vnni,
                                 kMaxPanels,
                                 {kRows[0], kRows[1], kRows[2], kRows[3],
                                  kRows[4]},
                                 gemm,
                                 requant,
                                 depthwiseRow};
  return table;
}

} // namespace akida::cpu
