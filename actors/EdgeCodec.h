//===- EdgeCodec.h - Choosing spikes or dense tiles per edge -----*- C++ -*-===//
//
// What travels on an edge between two actors: one layer's activations, as
// spike events (SpikeBatch) or as a dense tile (DenseTile). An EdgeCodec
// belongs to one edge (one layer's output leaving one actor); for each frame
// it measures the density (non-zero values / values), weighs the bytes of
// both encodings (kSpikeEventBytes per event against denseValueBytes per
// value) and sends the cheaper one. It counts what it sent: the events of
// the layer (the device cost model and the stage statistics use them), the
// frames sent each way and the bytes.
//
//   EdgeCodec codec(layer);
//   EdgePayload p = codec.encode(acts);   // sparse below ~10% density (8-bit)
//   ref::Activations a = decodePayload(p);
//   codec.stats().events;
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_EDGECODEC_H
#define AKIDA_ACTORS_EDGECODEC_H

#include "actors/DenseTile.h"
#include "actors/SpikeBatch.h"

namespace akida::actors {

/// The layer id of the model input on an edge (and of the model output
/// leaving a model's last actor: the input of what follows).
constexpr int32_t kModelInputEdge = -1;

enum class EdgeEncoding : uint8_t { Dense = 0, Sparse = 1 };

/// One layer's activations on an edge.
struct EdgePayload {
  int32_t layer = kModelInputEdge;
  EdgeEncoding encoding = EdgeEncoding::Dense;
  SpikeBatch sparse; ///< when encoding == Sparse
  DenseTile dense;   ///< when encoding == Dense
  /// Events (non-zero values) it carries, counted when it was encoded.
  int64_t events = 0;

  const ActType &type() const {
    return encoding == EdgeEncoding::Sparse ? sparse.type : dense.type;
  }
  int64_t batch() const {
    return encoding == EdgeEncoding::Sparse ? sparse.batch : dense.batch;
  }
  /// Bytes of its values on the wire (events or packed values).
  int64_t wireBytes() const;
};

/// What an edge sent so far.
struct EdgeStats {
  int64_t frames = 0;
  int64_t sparseFrames = 0;
  int64_t denseFrames = 0;
  int64_t events = 0; ///< non-zero values sent
  int64_t values = 0; ///< values sent (events + zeros)
  int64_t bytes = 0;  ///< wire bytes of the values
  double density() const {
    return values ? static_cast<double>(events) / values : 0.0;
  }
};

/// The encoding that costs fewer bytes for `values` values of `type` of
/// which `events` are non-zero (dense on a tie, and when spikes cannot
/// carry the type).
EdgeEncoding cheaperEncoding(const ActType &type, int64_t values,
                             int64_t events);

class EdgeCodec {
public:
  explicit EdgeCodec(int32_t layer) : layer_(layer) {}

  /// Encodes `acts` the cheaper way for this frame's measured density.
  EdgePayload encode(const ref::Activations &acts);
  /// The same for a model input frame (NHWC uint8/int8 of `type`, checked
  /// by the caller): a dense tile is the frame's bytes as they are.
  EdgePayload encode(const Array &frame, const ActType &type);
  /// Always dense / always sparse (tests, benchmarks).
  EdgePayload encodeAs(const ref::Activations &acts, EdgeEncoding encoding);

  int32_t layer() const { return layer_; }
  const EdgeStats &stats() const { return stats_; }

private:
  void count(const EdgePayload &p, int64_t values);
  EdgePayload encodeCounted(const ref::Activations &acts,
                            EdgeEncoding encoding, int64_t events);
  int32_t layer_;
  EdgeStats stats_;
};

/// The activations a payload carries. Throws std::invalid_argument on a
/// malformed payload (naming the layer).
ref::Activations decodePayload(const EdgePayload &payload);

} // namespace akida::actors

#endif // AKIDA_ACTORS_EDGECODEC_H
