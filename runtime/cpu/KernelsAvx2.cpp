//===- KernelsAvx2.cpp - The kernels for AVX2 -----------------------------===//
//
// AVX2 has no dot-product instruction: uint8 x int8 products go through
// vpmaddubsw (pairs summed in saturating int16) and vpmaddwd (pairs summed
// in int32). Pairs cannot saturate for inputs up to 127 (DotKind::U8S8);
// wider inputs (U8S8Wide) are split into their high and low nibbles, each
// multiplied exactly, and recombined as 16 * high + low. int16 x int16 uses
// vpmaddwd directly. Micro-tiles are 5 rows x one panel (two ymm of 8
// channels). Only functions marked AKIDA_AVX2 use the instructions.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Kernels.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <cstring>
#include <utility>

#define AKIDA_AVX2 __attribute__((target("avx2,fma")))

namespace akida::cpu {

namespace {

constexpr int kRows = 5;

AKIDA_AVX2 inline __m256i broadcast4(const uint8_t *p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

/// acc += the 4-way dot products of `a` (4 bytes broadcast) and `w`.
template <DotKind K>
AKIDA_AVX2 inline __m256i dot(__m256i acc, __m256i a, __m256i ah, __m256i w) {
  const __m256i ones = _mm256_set1_epi16(1);
  if constexpr (K == DotKind::S16S16) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(a, w));
  } else if constexpr (K == DotKind::U8S8) {
    return _mm256_add_epi32(acc,
                            _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), ones));
  } else { // a holds the low nibbles, ah the high ones
    const __m256i sixteen = _mm256_set1_epi16(16);
    acc = _mm256_add_epi32(
        acc, _mm256_madd_epi16(_mm256_maddubs_epi16(ah, w), sixteen));
    return _mm256_add_epi32(
        acc, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), ones));
  }
}

template <int MR, DotKind K>
AKIDA_AVX2 void gemmTile(const GemmTile &t) {
  __m256i acc[MR][2];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  const __m256i nib = _mm256_set1_epi8(0x0F);
  const int steps = t.events ? t.eventCount : t.groups;
  for (int tap = 0; tap < t.taps; ++tap) {
    const uint8_t *p[MR];
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r)
      p[r] = t.rowStep ? t.rows[tap] + r * t.rowStep : t.rows[tap * MR + r];
    const int8_t *wt = t.weights + int64_t(tap) * t.groups * 64;
    for (int s = 0; s < steps; ++s) {
      const int g = t.events ? t.events[s] : s;
      const int8_t *wg = wt + int64_t(g) * 64;
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wg));
      const __m256i w1 =
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wg + 32));
#pragma GCC unroll 8
      for (int r = 0; r < MR; ++r) {
        __m256i a = broadcast4(p[r] + 4 * g), ah = a;
        if constexpr (K == DotKind::U8S8Wide) {
          ah = _mm256_and_si256(_mm256_srli_epi16(a, 4), nib);
          a = _mm256_and_si256(a, nib);
        }
        acc[r][0] = dot<K>(acc[r][0], a, ah, w0);
        acc[r][1] = dot<K>(acc[r][1], a, ah, w1);
      }
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(t.acc + r * t.accStride),
                        acc[r][0]);
    _mm256_storeu_si256(
        reinterpret_cast<__m256i *>(t.acc + r * t.accStride + 8), acc[r][1]);
  }
}

using GemmFn = void (*)(const GemmTile &);

template <DotKind K, int... M>
constexpr std::array<GemmFn, kRows + 1> rowTable(std::integer_sequence<int, M...>) {
  return {nullptr, &gemmTile<M + 1, K>...};
}

constexpr std::array<GemmFn, kRows + 1> kNarrow =
    rowTable<DotKind::U8S8>(std::make_integer_sequence<int, kRows>());
constexpr std::array<GemmFn, kRows + 1> kWide =
    rowTable<DotKind::U8S8Wide>(std::make_integer_sequence<int, kRows>());
constexpr std::array<GemmFn, kRows + 1> kS16 =
    rowTable<DotKind::S16S16>(std::make_integer_sequence<int, kRows>());

AKIDA_AVX2 void requant(const RequantTile &t);

void gemmSums(const GemmTile &t, DotKind kind);

void gemm(const GemmTile &t, DotKind kind) {
  gemmViaLocalTile(t, kind, gemmSums, requant);
}

void gemmSums(const GemmTile &t, DotKind kind) {
  switch (kind) {
  case DotKind::U8S8:
    return kNarrow[t.mr](t);
  case DotKind::U8S8Wide:
    return kWide[t.mr](t);
  case DotKind::S16S16:
    return kS16[t.mr](t);
  }
}

AKIDA_AVX2 inline __m256i load8(const int32_t *p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
}

AKIDA_AVX2 void requant(const RequantTile &t) {
  const FastStage &s = *t.stage;
  const bool isSigned = [&] {
    for (int j = 0; j < t.channels; ++j)
      if (s.offset[t.ch0 + j] < 0)
        return true;
    return false;
  }();
  int j = 0;
  for (; s.saturating && j + 8 <= t.channels; j += 8) { // OutputStage.h
    const int ch = t.ch0 + j;
    const __m256 a = _mm256_loadu_ps(s.sa.data() + ch);
    const __m256 b = _mm256_loadu_ps(s.sb.data() + ch);
    const __m128i top =
        _mm_loadl_epi64(reinterpret_cast<const __m128i *>(s.top8.data() + ch));
    const __m256i bias =
        t.accBias ? load8(t.accBias + j) : _mm256_setzero_si256();
    for (int r = 0; r < t.rows; ++r) {
      const __m256i v = _mm256_cvtps_epi32(_mm256_floor_ps(
          _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(
                              load8(t.acc + r * t.accStride + j), bias)),
                          a, b)));
      const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                          _mm256_extracti128_si256(v, 1));
      _mm_storel_epi64(reinterpret_cast<__m128i *>(t.out + r * t.outStride + j),
                       _mm_min_epu8(_mm_packus_epi16(p16, p16), top));
    }
  }
  for (; !s.saturating && s.form != StageForm::Int64 && j + 8 <= t.channels;
       j += 8) {
    const int ch = t.ch0 + j;
    const __m256i lo = load8(s.lo.data() + ch), hi = load8(s.hi.data() + ch);
    const __m256i mul = load8(s.mul.data() + ch), add = load8(s.add.data() + ch);
    const __m256i sh = load8(s.shift.data() + ch), off = load8(s.offset.data() + ch);
    const __m256i top = load8(s.top.data() + ch);
    const __m256 fa = _mm256_loadu_ps(s.fa.data() + ch);
    const __m256 fb = _mm256_loadu_ps(s.fb.data() + ch);
    const bool flt = s.form == StageForm::Float;
    const __m256i bias = t.accBias ? load8(t.accBias + j) : _mm256_setzero_si256();
    for (int r = 0; r < t.rows; ++r) {
      __m256i v = _mm256_add_epi32(load8(t.acc + r * t.accStride + j), bias);
      v = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
      v = _mm256_sub_epi32(v, lo);
      if (flt) {
        v = _mm256_cvtps_epi32(_mm256_floor_ps(
            _mm256_fmadd_ps(_mm256_cvtepi32_ps(v), fa, fb)));
      } else {
        v = _mm256_mullo_epi32(v, mul);
        v = _mm256_srav_epi32(_mm256_add_epi32(v, add), sh);
      }
      v = _mm256_add_epi32(_mm256_min_epi32(v, top), off);
      const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                          _mm256_extracti128_si256(v, 1));
      const __m128i p8 =
          isSigned ? _mm_packs_epi16(p16, p16) : _mm_packus_epi16(p16, p16);
      _mm_storel_epi64(reinterpret_cast<__m128i *>(t.out + r * t.outStride + j),
                       p8);
    }
  }
  for (; j < t.channels; ++j) { // tail, or the wide form
    const int ch = t.ch0 + j;
    for (int r = 0; r < t.rows; ++r) {
      int64_t v = int64_t(t.acc[r * t.accStride + j]) +
                  (t.accBias ? t.accBias[j] : 0);
      if (s.saturating) {
        t.out[r * t.outStride + j] = static_cast<uint8_t>(
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
      t.out[r * t.outStride + j] = static_cast<uint8_t>(
          std::min<int64_t>(v, s.top[ch]) + s.offset[ch]);
    }
  }
}

AKIDA_AVX2 void depthwiseRow(const DepthwiseRow &d) {
  if (depthwiseRowByRow(d, depthwiseRow))
    return;
  const int64_t step = d.narrow ? 16 : 8;
  const int64_t full = d.c / step * step;
  for (int64_t ox = 0; ox < d.ow; ++ox) {
    int32_t *acc = d.out16 ? d.acc : d.acc + ox * d.cPad;
    for (int64_t c0 = 0; c0 < full; c0 += step) {
      __m256i a = _mm256_setzero_si256();
      for (int i = 0; i < d.kh; ++i) {
        const int64_t iy = d.oy * d.sh - d.pt + i;
        for (int j = 0; j < d.kw; ++j) {
          const int64_t ix = ox * d.sw - d.pl + j;
          const bool inside = iy >= 0 && iy < d.h && ix >= 0 && ix < d.w;
          if (!inside && d.padValue == 0)
            continue;
          const int16_t *w = d.weights + (i * d.kw + j) * d.cPad + c0;
          const uint8_t *src =
              inside ? d.x + (iy * d.w + ix) * d.c + c0 : nullptr;
          if (d.narrow) {
            const __m256i x =
                inside ? _mm256_cvtepu8_epi16(_mm_loadu_si128(
                             reinterpret_cast<const __m128i *>(src)))
                       : _mm256_set1_epi16(d.padValue);
            a = _mm256_add_epi16(
                a, _mm256_mullo_epi16(
                       x, _mm256_loadu_si256(
                              reinterpret_cast<const __m256i *>(w))));
          } else {
            const __m256i x =
                inside ? _mm256_cvtepu8_epi32(_mm_loadl_epi64(
                             reinterpret_cast<const __m128i *>(src)))
                       : _mm256_set1_epi32(d.padValue);
            const __m256i wv = _mm256_cvtepi16_epi32(
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(w)));
            a = _mm256_add_epi32(a, _mm256_mullo_epi32(x, wv));
          }
        }
      }
      if (d.narrow) {
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(acc + c0),
                            _mm256_cvtepi16_epi32(_mm256_castsi256_si128(a)));
        _mm256_storeu_si256(
            reinterpret_cast<__m256i *>(acc + c0 + 8),
            _mm256_cvtepi16_epi32(_mm256_extracti128_si256(a, 1)));
      } else {
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(acc + c0), a);
      }
    }
    for (int64_t c = full; c < d.c; ++c) { // tail channels
      int32_t sum = 0;
      for (int i = 0; i < d.kh; ++i) {
        const int64_t iy = d.oy * d.sh - d.pt + i;
        for (int j = 0; j < d.kw; ++j) {
          const int64_t ix = ox * d.sw - d.pl + j;
          const bool inside = iy >= 0 && iy < d.h && ix >= 0 && ix < d.w;
          const int32_t x =
              inside ? d.x[(iy * d.w + ix) * d.c + c] : d.padValue;
          sum += x * d.weights[(i * d.kw + j) * d.cPad + c];
        }
      }
      acc[c] = sum;
    }
    if (d.out16) {
      int16_t *o = d.out16 + ox * d.out16Stride;
      for (int64_t c = 0; c < d.out16Stride; ++c)
        o[c] = static_cast<int16_t>(c < d.c ? acc[c] : 0);
    }
  }
}

} // namespace

const KernelTable &avx2Kernels() {
  static const KernelTable table{Isa::Avx2,   1,
                                 {0, kRows, 0, 0, 0},
                                 gemm,        requant,
                                 depthwiseRow, splitInt16Portable,
                                 residualSumsPortable};
  return table;
}

} // namespace akida::cpu
