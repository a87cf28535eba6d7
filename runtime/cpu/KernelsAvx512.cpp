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

#include <algorithm>
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

/// The fixed-point stage of 16 channels (OutputStage.h), in registers.
struct Stage16 {
  __m512i lo, hi, mul, add, sh, top, off, bias, addAtZero;
  bool hasBias, noTop, noOffset, folded;
  __m512i mulA, mulB, addA, addB, shA, shB; // the Int64 form
  __m512 fa, fb;                            // the Float form
  StageForm form;
};

AKIDA_AVX512 inline Stage16 loadStage(const FastStage &s, int ch,
                                      const int32_t *bias, __mmask16 m) {
  Stage16 p;
  p.form = s.form;
  p.hasBias = bias != nullptr;
  p.noTop = s.noTop;
  p.noOffset = s.noOffset;
  p.folded = s.folded;
  if (p.folded)
    p.addAtZero = _mm512_loadu_si512(s.addAtZero.data() + ch);
  p.lo = _mm512_loadu_si512(s.lo.data() + ch);
  p.hi = _mm512_loadu_si512(s.hi.data() + ch);
  p.top = _mm512_loadu_si512(s.top.data() + ch);
  p.off = _mm512_loadu_si512(s.offset.data() + ch);
  p.bias = bias ? _mm512_maskz_loadu_epi32(m, bias) : _mm512_setzero_si512();
  if (p.form == StageForm::Float) {
    p.fa = _mm512_loadu_ps(s.fa.data() + ch);
    p.fb = _mm512_loadu_ps(s.fb.data() + ch);
  } else if (p.form == StageForm::Int64) {
    p.mulA = _mm512_loadu_si512(s.mul64.data() + ch);
    p.mulB = _mm512_loadu_si512(s.mul64.data() + ch + 8);
    p.addA = _mm512_loadu_si512(s.add64.data() + ch);
    p.addB = _mm512_loadu_si512(s.add64.data() + ch + 8);
    p.shA = _mm512_loadu_si512(s.shift64.data() + ch);
    p.shB = _mm512_loadu_si512(s.shift64.data() + ch + 8);
  } else {
    p.mul = _mm512_loadu_si512(s.mul.data() + ch);
    p.add = _mm512_loadu_si512(s.add.data() + ch);
    p.sh = _mm512_loadu_si512(s.shift.data() + ch);
  }
  return p;
}

/// The outputs of 16 sums (int32 lanes holding 8-bit values).
AKIDA_AVX512 inline __m512i applyStage(const Stage16 &p, __m512i v) {
  if (p.hasBias)
    v = _mm512_add_epi32(v, p.bias);
  v = _mm512_min_epi32(_mm512_max_epi32(v, p.lo), p.hi);
  if (p.folded) { // the common case: six operations
    v = _mm512_srav_epi32(
        _mm512_add_epi32(_mm512_mullo_epi32(v, p.mul), p.addAtZero), p.sh);
    if (!p.noTop)
      v = _mm512_min_epi32(v, p.top);
    return p.noOffset ? v : _mm512_add_epi32(v, p.off);
  }
  v = _mm512_sub_epi32(v, p.lo);
  if (p.form == StageForm::Float) {
    v = _mm512_cvt_roundps_epi32(
        _mm512_fmadd_ps(_mm512_cvtepi32_ps(v), p.fa, p.fb),
        _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  } else if (p.form == StageForm::Int64) {
    __m512i a = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(v));
    __m512i b = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(v, 1));
    a = _mm512_srlv_epi64(_mm512_add_epi64(_mm512_mul_epu32(a, p.mulA), p.addA),
                          p.shA);
    b = _mm512_srlv_epi64(_mm512_add_epi64(_mm512_mul_epu32(b, p.mulB), p.addB),
                          p.shB);
    v = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(a)),
                           _mm512_cvtepi64_epi32(b), 1);
  } else {
    v = _mm512_mullo_epi32(v, p.mul);
    v = _mm512_srav_epi32(_mm512_add_epi32(v, p.add), p.sh);
  }
  if (!p.noTop)
    v = _mm512_min_epi32(v, p.top);
  return p.noOffset ? v : _mm512_add_epi32(v, p.off);
}

inline __mmask16 mask16(int n) {
  return n >= 16 ? __mmask16(0xFFFF)
                 : (n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1));
}

/// The first `n` of 64 lanes (n >= 0).
inline __mmask64 mask64(int64_t n) {
  return n >= 64 ? ~__mmask64(0) : (__mmask64(1) << n) - 1;
}

/// The fused requantization in the saturating float form: per 16 sums a
/// conversion, a multiply-add and a conversion rounding down; per row, the
/// NV vectors packed into bytes with saturation (below 0 to 0), clamped to
/// the channels' tops and stored at once.
template <int MR, int NV, bool Bias>
AKIDA_AVX512 __attribute__((always_inline)) inline void
storeSaturating(const RequantTile &q, const __m512i (&acc)[MR][NV]) {
  const FastStage &s = *q.stage;
  const int n = std::min(q.channels, NV * 16);
  const __mmask64 m = mask64(n);
  __m512 a[NV], b[NV];
  __m512i bias[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    a[v] = _mm512_loadu_ps(s.sa.data() + q.ch0 + v * 16);
    b[v] = _mm512_loadu_ps(s.sb.data() + q.ch0 + v * 16);
    if (Bias)
      bias[v] =
          _mm512_maskz_loadu_epi32(mask16(n - v * 16), q.accBias + v * 16);
  }
  const __m512i top = _mm512_maskz_loadu_epi8(m, s.top8.data() + q.ch0);
  // packs/packus work within 128-bit lanes: dword j of lane l holds
  // channels 4l .. 4l + 3 of vector j; this puts them back in order.
  const __m512i order =
      _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    __m512i y[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v)
      y[v] = v < NV ? _mm512_cvt_roundps_epi32(
                          _mm512_fmadd_ps(
                              _mm512_cvtepi32_ps(
                                  Bias ? _mm512_add_epi32(acc[r][v], bias[v])
                                       : acc[r][v]),
                              a[v], b[v]),
                          _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)
                    : _mm512_setzero_si512();
    const __m512i bytes = _mm512_packus_epi16(_mm512_packs_epi32(y[0], y[1]),
                                              _mm512_packs_epi32(y[2], y[3]));
    _mm512_mask_storeu_epi8(
        q.out + r * q.outStride, m,
        _mm512_min_epu8(_mm512_permutexvar_epi32(order, bytes), top));
  }
}

template <int MR, int NV, bool S16>
AKIDA_AVX512 void gemmTile(const GemmTile &t) {
  __m512i acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[r][v] = t.init
                      ? _mm512_loadu_si512(t.init + r * t.initStride + v * 16)
                      : _mm512_setzero_si512();
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
      if (t.rowStep) {
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r)
          p[r] = t.rows[tap] + r * t.rowStep;
      } else {
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r)
          p[r] = t.rows[tap * MR + r];
      }
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
  if (const RequantTile *q = t.requant) { // fused requantization
    if (q->stage->saturating) {
      if (q->accBias)
        storeSaturating<MR, NV, true>(*q, acc);
      else
        storeSaturating<MR, NV, false>(*q, acc);
      return;
    }
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      const int n = q->channels - v * 16;
      if (n <= 0)
        break;
      const __mmask16 m = mask16(n);
      const Stage16 p = loadStage(*q->stage, q->ch0 + v * 16,
                                  q->accBias ? q->accBias + v * 16 : nullptr, m);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r)
        _mm512_mask_cvtepi32_storeu_epi8(q->out + r * q->outStride + v * 16, m,
                                         applyStage(p, acc[r][v]));
    }
    return;
  }
  if (t.sums) { // global pooling: add the column sums of the tile
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      const int n = t.sumChannels - v * 16;
      if (n <= 0)
        break;
      __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        lo = _mm512_add_epi64(lo, _mm512_cvtepi32_epi64(
                                      _mm512_castsi512_si256(acc[r][v])));
        hi = _mm512_add_epi64(hi, _mm512_cvtepi32_epi64(
                                      _mm512_extracti64x4_epi64(acc[r][v], 1)));
      }
      const __mmask16 m = mask16(n);
      const __mmask8 ml = static_cast<__mmask8>(m), mh = static_cast<__mmask8>(m >> 8);
      int64_t *sum = t.sums + v * 16;
      _mm512_mask_storeu_epi64(
          sum, ml, _mm512_add_epi64(_mm512_maskz_loadu_epi64(ml, sum), lo));
      _mm512_mask_storeu_epi64(
          sum + 8, mh,
          _mm512_add_epi64(_mm512_maskz_loadu_epi64(mh, sum + 8), hi));
    }
    return;
  }
  int32_t *out = t.acc;
  const int stride = t.accStride;
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      _mm512_storeu_si512(out + r * stride + v * 16, acc[r][v]);
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
  for (int j = 0; j < t.channels; j += 16) {
    const __mmask16 m = mask16(t.channels - j);
    const Stage16 p =
        loadStage(*t.stage, t.ch0 + j, t.accBias ? t.accBias + j : nullptr, m);
    for (int r = 0; r < t.rows; ++r)
      _mm512_mask_cvtepi32_storeu_epi8(
          t.out + r * t.outStride + j, m,
          applyStage(p, _mm512_maskz_loadu_epi32(m, t.acc + r * t.accStride + j)));
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

/// Sums of one pixel for channels [c0, c0 + 32) in int16 lanes, taps at
/// src[t] + c0 (null: the padding value).
AKIDA_AVX512 inline __m512i dwNarrow(const Tap *taps, int n, int64_t c0,
                                     __mmask32 m, __m512i pad16) {
  __m512i a = _mm512_setzero_si512();
  for (int k = 0; k < n; ++k) {
    const __m512i x =
        taps[k].src
            ? _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(m, taps[k].src + c0))
            : pad16;
    a = _mm512_add_epi16(a, _mm512_mullo_epi16(x, _mm512_loadu_si512(taps[k].w + c0)));
  }
  return a;
}

/// Stores 32 int16 sums of pixel ox, channels [c0, c0 + 32).
AKIDA_AVX512 __attribute__((always_inline)) inline void
storeNarrow(const DepthwiseRow &d, int64_t ox, int64_t c0, __m512i a) {
  if (d.out16) {
    const int64_t room = d.out16Stride - c0;
    if (room > 0)
      _mm512_mask_storeu_epi16(
          d.out16 + ox * d.out16Stride + c0,
          room >= 32 ? ~__mmask32(0) : (__mmask32(1) << room) - 1, a);
    return;
  }
  int32_t *acc = d.acc + ox * d.cPad;
  _mm512_storeu_si512(acc + c0, _mm512_cvtepi16_epi32(_mm512_castsi512_si256(a)));
  _mm512_storeu_si512(acc + c0 + 16,
                      _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(a, 1)));
}

inline __mmask32 mask32(int64_t left) {
  return left >= 32 ? ~__mmask32(0)
                    : (left <= 0 ? 0 : (__mmask32(1) << left) - 1);
}

/// A row of a KH x KW window in int16 lanes: NC blocks of 32 channels at
/// a time keep their tap weights in registers while they walk the pixels.
/// Pixels whose window lies inside the input read fixed offsets; the others
/// skip (or read the padding value for) the taps outside.
template <int KH, int KW, int NC, bool FULL>
AKIDA_AVX512 void dwRowNarrow(const DepthwiseRow &d) {
  constexpr int T = KH * KW;
  const int64_t iy0 = d.oy * d.sh - d.pt;
  unsigned rowOk = 0; // bit i: kernel row i is inside
  for (int i = 0; i < KH; ++i)
    if (iy0 + i >= 0 && iy0 + i < d.h)
      rowOk |= 1u << i;
  const bool allRows = rowOk == (1u << KH) - 1;
  int64_t off[T];
  for (int i = 0; i < KH; ++i)
    for (int j = 0; j < KW; ++j)
      off[i * KW + j] = ((iy0 + i) * d.w + j) * d.c;
  const __m512i pad = _mm512_set1_epi16(d.padValue);
  for (int64_t c0 = 0; c0 < d.cPad; c0 += 32 * NC) {
    __mmask32 m[NC];
    __m512i w[NC][T];
#pragma GCC unroll 2
    for (int q = 0; q < NC; ++q) {
      m[q] = mask32(d.c - c0 - 32 * q);
#pragma GCC unroll 25
      for (int t = 0; t < T; ++t)
        w[q][t] = _mm512_loadu_si512(d.weights + t * d.cPad + c0 + 32 * q);
    }
    for (int64_t ox = 0; ox < d.ow; ++ox) {
      const int64_t ix0 = ox * d.sw - d.pl;
      __m512i a[NC];
#pragma GCC unroll 2
      for (int q = 0; q < NC; ++q)
        a[q] = _mm512_setzero_si512();
      if (allRows && ix0 >= 0 && ix0 + KW <= d.w) {
        const uint8_t *base = d.x + ix0 * d.c + c0;
#pragma GCC unroll 25
        for (int t = 0; t < T; ++t)
#pragma GCC unroll 2
          for (int q = 0; q < NC; ++q)
            a[q] = _mm512_add_epi16(
                a[q],
                _mm512_mullo_epi16(
                    _mm512_cvtepu8_epi16(
                        FULL ? _mm256_loadu_si256(reinterpret_cast<const __m256i *>(
                                   base + off[t] + 32 * q))
                             : _mm256_maskz_loadu_epi8(m[q],
                                                       base + off[t] + 32 * q)),
                    w[q][t]));
      } else {
#pragma GCC unroll 5
        for (int i = 0; i < KH; ++i) {
          const bool rowIn = (rowOk >> i) & 1;
#pragma GCC unroll 5
          for (int j = 0; j < KW; ++j) {
            const int64_t ix = ix0 + j;
            const bool in = rowIn && ix >= 0 && ix < d.w;
            if (!in && !d.padValue)
              continue;
#pragma GCC unroll 2
            for (int q = 0; q < NC; ++q) {
              const __m512i x =
                  in ? _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(
                           m[q], d.x + ix * d.c + off[i * KW] + c0 + 32 * q))
                     : pad;
              a[q] = _mm512_add_epi16(a[q],
                                      _mm512_mullo_epi16(x, w[q][i * KW + j]));
            }
          }
        }
      }
#pragma GCC unroll 2
      for (int q = 0; q < NC; ++q)
        if (c0 + 32 * q < d.cPad)
          storeNarrow(d, ox, c0 + 32 * q, a[q]);
    }
  }
}

/// A row of a KH x KW window on byte pairs: vpmaddubsw multiplies the
/// inputs of two taps, interleaved byte by byte, by their interleaved
/// weights and adds each channel's two products into int16 (DepthwiseRow::
/// pairWeights); taps outside the input read zeros (masked loads).
template <int KH, int KW, bool FULL>
AKIDA_AVX512 void dwRowPairs(const DepthwiseRow &d) {
  constexpr int T = KH * KW, P = (T + 1) / 2;
  // The int16 sums of bytes 0-7 (lo) and 8-15 (hi) of each 16-channel lane,
  // back into channel order.
  const __m512i first = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
  const __m512i second = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  // Row by row (the window's input rows stay in L1 across the channel
  // blocks), each block's weights in registers along the row.
  for (int64_t row = 0; row < d.rows; ++row) {
    const int64_t iy0 = (d.oy + row) * d.sh - d.pt;
    bool rowIn[KH];
    bool allRows = true;
    for (int i = 0; i < KH; ++i) {
      rowIn[i] = iy0 + i >= 0 && iy0 + i < d.h;
      allRows = allRows && rowIn[i];
    }
    int64_t off[T]; // of each tap from the window's corner
    for (int t = 0; t < T; ++t)
      off[t] = ((iy0 + t / KW) * d.w + t % KW) * d.c;
    for (int64_t c0 = 0; c0 < d.cPad; c0 += 64) {
      const __mmask64 m = mask64(d.c - c0);
      const int8_t *pw = d.pairWeights + (c0 / 64) * P * 128;
      __m512i wlo[P], whi[P];
#pragma GCC unroll 13
      for (int k = 0; k < P; ++k) {
        wlo[k] = _mm512_loadu_si512(pw + k * 128);
        whi[k] = _mm512_loadu_si512(pw + k * 128 + 64);
      }
      for (int64_t ox = 0; ox < d.ow; ++ox) {
        const int64_t ix0 = ox * d.sw - d.pl;
        __m512i x[2 * P];
        if (allRows && ix0 >= 0 && ix0 + KW <= d.w) { // inside: fixed offsets
          const uint8_t *base = d.x + ix0 * d.c + c0;
#pragma GCC unroll 26
          for (int t = 0; t < 2 * P; ++t)
            x[t] = t >= T ? _mm512_setzero_si512()
                   : FULL ? _mm512_loadu_si512(base + off[t])
                          : _mm512_maskz_loadu_epi8(m, base + off[t]);
        } else {
#pragma GCC unroll 26
          for (int t = 0; t < 2 * P; ++t) {
            const int i = t / KW, j = t % KW;
            const int64_t ix = ix0 + j;
            x[t] = t < T && rowIn[i] && ix >= 0 && ix < d.w
                       ? _mm512_maskz_loadu_epi8(
                             m, d.x + ((iy0 + i) * d.w + ix) * d.c + c0)
                       : _mm512_setzero_si512();
          }
        }
        __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
#pragma GCC unroll 13
        for (int k = 0; k < P; ++k) {
          const __m512i a = x[2 * k], b = x[2 * k + 1];
          lo = _mm512_add_epi16(
              lo, _mm512_maddubs_epi16(_mm512_unpacklo_epi8(a, b), wlo[k]));
          hi = _mm512_add_epi16(
              hi, _mm512_maddubs_epi16(_mm512_unpackhi_epi8(a, b), whi[k]));
        }
        const __m512i v0 = _mm512_permutex2var_epi64(lo, first, hi);
        const __m512i v1 = _mm512_permutex2var_epi64(lo, second, hi);
        const int64_t pixel = row * d.ow + ox; // of this call's out16
        if (FULL) { // whole rows of 64 channels (out16Stride = c)
          int16_t *o = d.out16 + pixel * d.out16Stride + c0;
          _mm512_storeu_si512(o, v0);
          _mm512_storeu_si512(o + 32, v1);
          continue;
        }
        storeNarrow(d, pixel, c0, v0);
        if (c0 + 32 < d.cPad)
          storeNarrow(d, pixel, c0 + 32, v1);
      }
    }
  }
}

AKIDA_AVX512 void depthwiseRow(const DepthwiseRow &d) {
  constexpr int kMaxTaps = 64;
  if (d.kh * d.kw > kMaxTaps)
    return portableKernels().depthwiseRow(d);
  if (d.pairWeights && d.out16 && !d.padValue && d.kh == 3 && d.kw == 3)
    return d.c % 64 == 0 && d.out16Stride == d.c ? dwRowPairs<3, 3, true>(d)
                                                 : dwRowPairs<3, 3, false>(d);
  if (depthwiseRowByRow(d, depthwiseRow))
    return;
  // Channel counts that fill every vector load need no masks.
  if (d.narrow && d.kh == 3 && d.kw == 3) {
    if (d.c % 64 == 0)
      return dwRowNarrow<3, 3, 2, true>(d);
    if (d.cPad >= 64)
      return dwRowNarrow<3, 3, 2, false>(d);
    return d.c % 32 == 0 ? dwRowNarrow<3, 3, 1, true>(d)
                         : dwRowNarrow<3, 3, 1, false>(d);
  }
  if (d.narrow && d.kh == 5 && d.kw == 5)
    return d.c % 32 == 0 ? dwRowNarrow<5, 5, 1, true>(d)
                         : dwRowNarrow<5, 5, 1, false>(d);
  Tap taps[kMaxTaps];
  const __m512i pad16 = _mm512_set1_epi16(d.padValue);
  const __m512i pad32 = _mm512_set1_epi32(d.padValue);
  for (int64_t ox = 0; ox < d.ow; ++ox) {
    const int n = pixelTaps(d, ox, taps);
    if (d.narrow) { // int16 lanes, 32 channels a vector
      for (int64_t c0 = 0; c0 < d.cPad; c0 += 32)
        storeNarrow(d, ox, c0, dwNarrow(taps, n, c0, mask32(d.c - c0), pad16));
    } else { // int32 lanes, 16 channels a vector
      int32_t *acc = d.acc + ox * d.cPad;
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

AKIDA_AVX512 bool splitInt16(const SplitInt16 &s) {
  // 64 (or 32) values at a time: the saturation and a mask of the values
  // outside int8 ((e + 128) as uint16 above 255, e saturated to int16
  // keeping its side); the rare residuals are then taken one by one,
  // exactly, from d and o.
  int64_t n = 0;
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80)); // s + 128
  const __m512i plus128 = _mm512_set1_epi16(128);
  const __m512i max8 = _mm512_set1_epi16(255);
  const __m512i lanes = _mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7);
  // Local copies: the residual stores cannot alias them.
  const int16_t *const center = s.center;
  int32_t *const chan = s.chan, *const val = s.val;
  // The residuals of the channels c0 + (set bits of out), exactly.
  auto take = [&](const int16_t *d, int64_t c0, uint64_t out) {
    while (out) {
      const int64_t ch = c0 + __builtin_ctzll(out);
      const int32_t v = int32_t(d[ch]) - center[ch];
      chan[n] = static_cast<int32_t>(ch);
      val[n] = v - std::clamp(v, -128, 127);
      ++n;
      out &= out - 1;
    }
  };
  for (int64_t p = 0; p < s.pixels; ++p) {
    if (n + s.c > s.capacity)
      return false;
    s.rowStart[p] = static_cast<int32_t>(n);
    const int16_t *d = s.d + p * s.dStride;
    uint8_t *o = s.d8 + p * s.d8Stride;
    int64_t c0 = 0;
    // Whole 64-channel blocks: both halves saturated by one pack (whose
    // 128-bit lanes interleave them, put back in order by one permute) and
    // stored unmasked, one mask test for the 64.
    for (; c0 + 64 <= s.c; c0 += 64) {
      const __m512i e0 = _mm512_subs_epi16(_mm512_loadu_si512(d + c0),
                                           _mm512_loadu_si512(center + c0));
      const __m512i e1 =
          _mm512_subs_epi16(_mm512_loadu_si512(d + c0 + 32),
                            _mm512_loadu_si512(center + c0 + 32));
      const __m512i sat =
          _mm512_permutexvar_epi64(lanes, _mm512_packs_epi16(e0, e1));
      _mm512_storeu_si512(o + c0, _mm512_xor_si512(sat, flip));
      uint64_t out = _kor_mask64(
          _mm512_cmpgt_epu16_mask(_mm512_add_epi16(e0, plus128), max8),
          _kshiftli_mask64(
              _mm512_cmpgt_epu16_mask(_mm512_add_epi16(e1, plus128), max8),
              32));
      take(d, c0, out);
    }
    for (; c0 < s.d8Stride; c0 += 32) {
      const __mmask32 m = mask32(s.c - c0);
      const __m512i dv = _mm512_maskz_loadu_epi16(m, d + c0);
      const __m512i e = _mm512_subs_epi16(dv, _mm512_loadu_si512(center + c0));
      const __m256i sat = _mm512_cvtsepi16_epi8(e);
      _mm256_mask_storeu_epi8(
          o + c0, mask32(s.d8Stride - c0),
          _mm256_maskz_mov_epi8(
              m, _mm256_xor_si256(sat, _mm512_castsi512_si256(flip))));
      take(d, c0,
           _mm512_mask_cmpgt_epu16_mask(m, _mm512_add_epi16(e, plus128), max8));
    }
  }
  s.rowStart[s.pixels] = static_cast<int32_t>(n);
  return true;
}

AKIDA_AVX512 void residualSums(const ResidualSums &s) {
  // vpdpwssd against the pair (val, 0) sums val times the even outputs of
  // 32 weights (widened to int16), against (0, val) the odd ones: two
  // accumulators per 32 outputs, put back in order at the end of a pixel.
  constexpr int kChunk = 8; // 32-output groups per pass: 16 accumulators
  const __m512i evenIdx = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20,
                                            5, 21, 6, 22, 7, 23);
  const __m512i oddIdx = _mm512_add_epi32(evenIdx, _mm512_set1_epi32(8));
  for (int64_t p = 0; p < s.pixels; ++p) {
    int32_t *out = s.out + p * s.outStride;
    const int32_t e0 = s.rowStart[p], e1 = s.rowStart[p + 1];
    for (int64_t o0 = 0; o0 < s.wStride; o0 += 32 * kChunk) {
      const int n =
          static_cast<int>(std::min<int64_t>(kChunk, (s.wStride - o0) / 32));
      __m512i ev[kChunk], od[kChunk];
#pragma GCC unroll 8
      for (int q = 0; q < kChunk; ++q)
        ev[q] = od[q] = _mm512_setzero_si512();
      for (int32_t e = e0; e < e1; ++e) {
        const uint32_t v = static_cast<uint32_t>(s.val[e]) & 0xFFFFu;
        const __m512i lo = _mm512_set1_epi32(static_cast<int32_t>(v));
        const __m512i hi = _mm512_set1_epi32(static_cast<int32_t>(v << 16));
        const int8_t *w = s.weights + int64_t(s.chan[e]) * s.wStride + o0;
#pragma GCC unroll 8
        for (int q = 0; q < kChunk; ++q)
          if (q < n) {
            const __m512i wv = _mm512_cvtepi8_epi16(_mm256_loadu_si256(
                reinterpret_cast<const __m256i *>(w + 32 * q)));
            ev[q] = _mm512_dpwssd_epi32(ev[q], lo, wv);
            od[q] = _mm512_dpwssd_epi32(od[q], hi, wv);
          }
      }
#pragma GCC unroll 8
      for (int q = 0; q < kChunk; ++q)
        if (q < n) {
          _mm512_storeu_si512(out + o0 + 32 * q,
                              _mm512_permutex2var_epi32(ev[q], evenIdx, od[q]));
          _mm512_storeu_si512(out + o0 + 32 * q + 16,
                              _mm512_permutex2var_epi32(ev[q], oddIdx, od[q]));
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
                                 depthwiseRow,
                                 splitInt16,
                                 residualSums};
  return table;
}

} // namespace akida::cpu
