//===- DenseTile.h - Dense activations packed at their bit width -*- C++ -*-===//
//
// The dense encoding of one edge's activations: every value of every sample,
// NHWC, little-endian at the narrowest byte width that holds the type (1 byte
// up to 8 bits, 2 up to 16, 4 up to 32, 8 beyond), or float32 after a
// Dequantizer. It is what an edge sends when most neurons fire: one byte per
// 8-bit value beats a 10-byte spike event above 10% density.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_DENSETILE_H
#define AKIDA_ACTORS_DENSETILE_H

#include "runtime/reference/Reference.h"

#include <cstdint>
#include <vector>

namespace akida::actors {

struct DenseTile {
  ActType type;
  int64_t batch = 0;
  uint8_t valueBytes = 1;      ///< bytes per integer value (1, 2, 4 or 8)
  std::vector<uint8_t> bytes;  ///< integer values (empty for floats)
  std::vector<float> floats;   ///< float values (type.isFloat)
};

/// Bytes per value of a dense tile of `type` (4 for floats).
int denseValueBytes(const ActType &type);

/// Packs `acts`. Throws std::invalid_argument when the value count does not
/// match the type and batch.
DenseTile encodeDense(const ref::Activations &acts);

/// Unpacks a tile (sign-extending signed types). Throws
/// std::invalid_argument when its size does not match its type and batch.
ref::Activations decodeDense(const DenseTile &tile);

} // namespace akida::actors

#endif // AKIDA_ACTORS_DENSETILE_H
