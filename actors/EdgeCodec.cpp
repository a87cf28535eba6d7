//===- EdgeCodec.cpp - Choosing spikes or dense tiles per edge ------------===//

#include "actors/EdgeCodec.h"

#include <stdexcept>
#include <string>

namespace akida::actors {

int64_t EdgePayload::wireBytes() const {
  if (encoding == EdgeEncoding::Sparse)
    return static_cast<int64_t>(sparse.events.size()) * kSpikeEventBytes +
           static_cast<int64_t>(sparse.sampleEnds.size()) * 4;
  return dense.type.isFloat ? static_cast<int64_t>(dense.floats.size()) * 4
                            : static_cast<int64_t>(dense.bytes.size());
}

EdgeEncoding cheaperEncoding(const ActType &type, int64_t values,
                             int64_t events) {
  if (!spikeEncodable(type))
    return EdgeEncoding::Dense;
  const int64_t denseBytes = values * denseValueBytes(type);
  const int64_t sparseBytes = events * kSpikeEventBytes;
  return sparseBytes < denseBytes ? EdgeEncoding::Sparse : EdgeEncoding::Dense;
}

EdgePayload EdgeCodec::encode(const ref::Activations &acts) {
  const int64_t events = countEvents(acts);
  const int64_t values = acts.batch * acts.sampleSize();
  return encodeCounted(acts, cheaperEncoding(acts.type, values, events),
                       events);
}

EdgePayload EdgeCodec::encode(const Array &frame, const ActType &type) {
  const int64_t values = static_cast<int64_t>(frame.bytes.size());
  int64_t events = 0;
  for (uint8_t b : frame.bytes)
    events += b != 0;
  const EdgeEncoding encoding = cheaperEncoding(type, values, events);
  if (encoding == EdgeEncoding::Sparse || denseValueBytes(type) != 1) {
    ref::Activations acts;
    acts.type = type;
    acts.batch = frame.shape.at(0);
    acts.ints = frame.ints();
    return encodeCounted(acts, encoding, events);
  }
  EdgePayload p;
  p.layer = layer_;
  p.encoding = EdgeEncoding::Dense;
  p.events = events;
  p.dense.type = type;
  p.dense.batch = frame.shape.at(0);
  p.dense.valueBytes = 1;
  p.dense.bytes = frame.bytes; // int8 and uint8: the same bytes
  count(p, values);
  return p;
}

EdgePayload EdgeCodec::encodeAs(const ref::Activations &acts,
                                EdgeEncoding encoding) {
  return encodeCounted(acts, encoding, countEvents(acts));
}

EdgePayload EdgeCodec::encodeCounted(const ref::Activations &acts,
                                     EdgeEncoding encoding, int64_t events) {
  EdgePayload p;
  p.layer = layer_;
  p.encoding = encoding;
  p.events = events;
  if (encoding == EdgeEncoding::Sparse)
    p.sparse = encodeSpikes(acts);
  else
    p.dense = encodeDense(acts);
  count(p, acts.batch * acts.sampleSize());
  return p;
}

void EdgeCodec::count(const EdgePayload &p, int64_t values) {
  ++stats_.frames;
  ++(p.encoding == EdgeEncoding::Sparse ? stats_.sparseFrames
                                        : stats_.denseFrames);
  stats_.events += p.events;
  stats_.values += values;
  stats_.bytes += p.wireBytes();
}

ref::Activations decodePayload(const EdgePayload &p) {
  try {
    return p.encoding == EdgeEncoding::Sparse ? decodeSpikes(p.sparse)
                                              : decodeDense(p.dense);
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument("edge of layer " + std::to_string(p.layer) +
                                ": " + e.what());
  }
}

} // namespace akida::actors
