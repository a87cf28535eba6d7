//===- Kernels.h - The per-instruction-set kernel table ---------*- C++ -*-===//
//
// The inner loops of the CPU backend, one implementation per instruction set
// (KernelsPortable.cpp, KernelsAvx2.cpp, KernelsAvx512.cpp), reached through
// a table picked at run time (Isa.h). Layer operations (the *Op.cpp files)
// do the geometry, packing and threading; these loops only multiply,
// accumulate and requantize.
//
// Weights are packed in panels of 16 output channels. Along the reduction
// axis they come in groups of 4 bytes per channel: 4 int8 weights for uint8
// inputs (vpdpbusd), or 2 int16 weights for int16 inputs (vpdpwssd). A block
// of `nv` panels is stored as [taps][groups][nv * 16][4 bytes].
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_KERNELS_H
#define AKIDA_RUNTIME_CPU_KERNELS_H

#include "runtime/cpu/Isa.h"
#include "runtime/cpu/OutputStage.h"

#include <cstdint>
#include <vector>

namespace akida::cpu {

/// What a GEMM reduction multiplies.
enum class DotKind : uint8_t {
  U8S8,     ///< uint8 inputs of at most 4 bits times int8 weights
  U8S8Wide, ///< uint8 inputs of up to 8 bits times int8 weights
  S16S16,   ///< int16 inputs times int16 weights
};

struct RequantTile;

/// One micro-tile of an implicit GEMM: `mr` output rows times one block of
/// `nv` panels. Row r reads, for tap t, the 4-byte groups at rows[t*mr + r],
/// or at rows[t] + r * rowStep when rowStep is set (evenly spaced rows).
struct GemmTile {
  const uint8_t *const *rows = nullptr;
  int64_t rowStep = 0;
  int taps = 1;
  int groups = 0;                   ///< 4-byte groups per tap
  const int8_t *weights = nullptr;  ///< the block, [taps][groups][nv*16][4]
  int mr = 1, nv = 1;
  int32_t *acc = nullptr;           ///< mr rows of nv*16 sums
  int accStride = 0;                ///< int32 between rows of acc
  /// When set, only these groups (indices into one tap) are summed: the
  /// event path of a one-row product, which skips all-zero input groups.
  const int32_t *events = nullptr;
  int eventCount = 0;
  /// When set, the sums are requantized into its outputs (rows and
  /// channels of this tile; acc, accStride and rows ignored) instead of
  /// being stored in acc: fused in registers where the kernel can.
  const RequantTile *requant = nullptr;
  /// When set, the column sums of the tile (its first sumChannels
  /// channels) are added to sums[0 ..] instead (global average pooling of
  /// raw sums); acc is then ignored.
  int64_t *sums = nullptr;
  int sumChannels = 0;
  /// When set, the sums start from these instead of zero: row r, channel j
  /// of the block at init[r * initStride + j] (SeparableOp's residual
  /// corrections, ResidualSums).
  const int32_t *init = nullptr;
  int64_t initStride = 0;
};

/// Requantization of a tile of sums by a FastStage (OutputStage.h).
struct RequantTile {
  const int32_t *acc = nullptr;
  int accStride = 0;
  int rows = 0, channels = 0;       ///< channels of this tile
  const int32_t *accBias = nullptr; ///< added to each row first, or null
  const FastStage *stage = nullptr;
  int ch0 = 0;                      ///< first channel of the tile in stage
  uint8_t *out = nullptr;           ///< uint8/int8 outputs
  int64_t outStride = 0;            ///< bytes between rows of out
};

/// One output row of a depthwise cross-correlation on uint8 inputs.
struct DepthwiseRow {
  const uint8_t *x = nullptr;       ///< one frame, h x w x c
  int64_t h = 0, w = 0, c = 0;
  int kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
  int64_t oy = 0, ow = 0;
  /// Output rows oy .. oy + rows - 1 (more than one only with out16: row r
  /// at out16 + r * ow * out16Stride).
  int64_t rows = 1;
  const int16_t *weights = nullptr; ///< [kh * kw][cPad], zero beyond c
  int64_t cPad = 0;                 ///< c rounded up to 32
  uint8_t padValue = 0;             ///< what positions outside the input read
  bool narrow = false;              ///< every sum fits int16
  int32_t *acc = nullptr;           ///< ow x cPad sums
  /// When set (narrow sums only): the sums go here instead, as int16, pixel
  /// ox at out16 + ox * out16Stride, channels c .. out16Stride - 1 zero.
  int16_t *out16 = nullptr;
  int64_t out16Stride = 0;
  /// When set (with out16, padValue 0 and a 3x3 window; the AVX-512 table
  /// reads it, the others ignore it), the weights as byte pairs for
  /// vpmaddubsw, which the caller guarantees never saturate (2 * max input *
  /// max |weight| <= 32767): per block of 64 channels, per pair of taps
  /// (2k, 2k + 1; a last odd tap pairs with zeros), 128 bytes: the two
  /// taps' weights interleaved as unpacklo_epi8 then unpackhi_epi8 of their
  /// 64-channel vectors interleave inputs (pairedDepthwiseWeights).
  const int8_t *pairWeights = nullptr;
};

/// The pairWeights layout of int16 depthwise weights [taps][cPad] (values
/// within int8), for c channels.
std::vector<int8_t> pairedDepthwiseWeights(const int16_t *weights, int taps,
                                           int64_t c, int64_t cPad);

/// Runs `one` (a kernel of one output row) on each row of `d`: for the
/// kernels without a loop over rows of their own. Returns false when d has
/// a single row (the caller then computes it).
bool depthwiseRowByRow(const DepthwiseRow &d,
                       void (*one)(const DepthwiseRow &));

/// Splits int16 values d, centred on a per-channel value o (e = d - o), into
/// their int8 saturation, stored as uint8 (sat(e) + 128, rows of d8Stride
/// bytes, zero beyond c), and a sparse residual e - sat(e) for the values
/// with e outside [-128, 127]: for pixel p,
/// entries rowStart[p] .. rowStart[p + 1] - 1 of (chan, val). Returns false
/// (with rowStart incomplete) when the residuals so far plus one pixel's
/// worth (c) would exceed `capacity`.
struct SplitInt16 {
  const int16_t *d = nullptr;
  int64_t pixels = 0, c = 0, dStride = 0;
  const int16_t *center = nullptr; ///< o per channel (c rounded up to 32)
  uint8_t *d8 = nullptr;
  int64_t d8Stride = 0;
  int32_t *rowStart = nullptr; ///< pixels + 1 entries
  int32_t *chan = nullptr;
  int32_t *val = nullptr;
  int64_t capacity = 0;
};

/// The products of sparse values with rows of int8 weights, per pixel:
/// out[p * outStride + o] = sum over e in [rowStart[p], rowStart[p + 1]) of
/// val[e] * weights[chan[e] * wStride + o], for o in [0, wStride), zero for
/// a pixel without entries (|val| < 2^15; wStride a multiple of 32, weights
/// zero beyond the outputs). SeparableOp's residuals, computed once for all
/// output channels and added to the GEMM tiles through GemmTile::init.
struct ResidualSums {
  int64_t pixels = 0;
  const int32_t *rowStart = nullptr, *chan = nullptr, *val = nullptr;
  const int8_t *weights = nullptr;
  int64_t wStride = 0;
  int32_t *out = nullptr;
  int64_t outStride = 0;
};

struct KernelTable {
  Isa isa;
  int maxPanels;     ///< nv of the widest micro-tile
  int rows[5];       ///< rows of a micro-tile of nv panels (index nv)
  void (*gemm)(const GemmTile &tile, DotKind kind);
  void (*requant)(const RequantTile &tile);
  void (*depthwiseRow)(const DepthwiseRow &row);
  bool (*splitInt16)(const SplitInt16 &split);
  void (*residualSums)(const ResidualSums &sums);
};

/// A gemm whose tile has an epilogue (initial sums, column sums or
/// requantization): `sums` computes the plain sums into a local tile, then
/// the initial sums are added and the column sums or `requant` run. Shared by
/// the tables whose micro-tiles do not fuse the epilogue.
void gemmViaLocalTile(const GemmTile &t, DotKind kind,
                      void (*sums)(const GemmTile &, DotKind),
                      void (*requant)(const RequantTile &));

/// The portable split and residual sums (the other tables may reuse them).
bool splitInt16Portable(const SplitInt16 &split);
void residualSumsPortable(const ResidualSums &sums);

/// The table of `isa` (which must be supported).
const KernelTable &kernels(Isa isa);

const KernelTable &portableKernels();
const KernelTable &avx2Kernels();
const KernelTable &avx512Kernels();

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_KERNELS_H
