//===- SpikeBatch.h - Sparse activations as address events -------*- C++ -*-===//
//
// The sparse encoding of one edge's activations: for each sample, the
// non-zero values as spike events (x, y, channel, value), sorted in raster
// order (y, then x, then channel: the order of the NHWC layout, so decoding
// writes memory front to back). Zeros are not sent, which is what makes an
// event-based network cheap to move around: a layer after a ReLU typically
// fires on a fraction of its neurons.
//
//   SpikeBatch b = encodeSpikes(acts);     // acts: ref::Activations, ints
//   b.events.size();                       // the events of every sample
//   ref::Activations back = decodeSpikes(b); // back.ints == acts.ints
//
// Values are int32 on the wire: an edge wider than 32 bits, or carrying
// floats (after a Dequantizer), cannot be sparse (EdgeCodec sends it dense).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SPIKEBATCH_H
#define AKIDA_ACTORS_SPIKEBATCH_H

#include "runtime/reference/Reference.h"

#include <cstdint>
#include <vector>

namespace akida::actors {

/// One spike: a neuron (column x, row y, channel c) and its value.
struct SpikeEvent {
  uint16_t x = 0;
  uint16_t y = 0;
  uint16_t c = 0;
  int32_t value = 0;
  bool operator==(const SpikeEvent &o) const {
    return x == o.x && y == o.y && c == o.c && value == o.value;
  }
};

/// Bytes one event takes on the wire (three 16-bit coordinates and a 32-bit
/// value); the cost EdgeCodec weighs against a dense tile.
constexpr int64_t kSpikeEventBytes = 10;

/// The events of a batch of samples of one type.
struct SpikeBatch {
  ActType type;       ///< per-sample shape and element type
  int64_t batch = 0;  ///< number of samples
  std::vector<SpikeEvent> events; ///< every sample's events, in sample order
  /// End offset in `events` of each sample (size batch).
  std::vector<uint32_t> sampleEnds;
};

/// Whether activations of `type` can travel as spikes: integers that fit
/// int32 (signed up to 32 bits, unsigned up to 31), at most 65536 rows,
/// columns and channels.
bool spikeEncodable(const ActType &type);

/// Number of non-zero values of `acts` (the events it would make).
int64_t countEvents(const ref::Activations &acts);

/// The non-zero values of `acts` as events. Throws std::invalid_argument
/// when the type is not spikeEncodable (naming it) or the value count does
/// not match the type and batch.
SpikeBatch encodeSpikes(const ref::Activations &acts);

/// The activations the events stand for (zeros elsewhere). Throws
/// std::invalid_argument on an event outside the shape, out of raster
/// order, or inconsistent sample offsets.
ref::Activations decodeSpikes(const SpikeBatch &batch);

/// Printable form of a type: "(49,10,1) u8", "(1,1,33) s32", "(..) f32".
std::string typeName(const ActType &type);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SPIKEBATCH_H
