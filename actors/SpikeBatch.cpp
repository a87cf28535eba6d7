//===- SpikeBatch.cpp - Sparse activations as address events --------------===//

#include "actors/SpikeBatch.h"

#include <limits>
#include <stdexcept>
#include <string>

namespace akida::actors {

std::string typeName(const ActType &type) {
  std::string s = "(" + std::to_string(type.shape[0]) + "," +
                  std::to_string(type.shape[1]) + "," +
                  std::to_string(type.shape[2]) + ") ";
  if (type.isFloat)
    return s + "f32";
  return s + (type.isSigned ? "s" : "u") + std::to_string(type.bits);
}

bool spikeEncodable(const ActType &type) {
  // Values travel as int32: unsigned types up to 31 bits, signed up to 32.
  if (type.isFloat || type.bits > (type.isSigned ? 32 : 31))
    return false;
  for (int64_t d : type.shape)
    if (d < 0 || d > 65536)
      return false;
  return true;
}

namespace {

void checkSize(const ref::Activations &acts) {
  const size_t expected = static_cast<size_t>(acts.batch * acts.sampleSize());
  const size_t got = acts.type.isFloat ? acts.floats.size() : acts.ints.size();
  if (got != expected)
    throw std::invalid_argument(
        "spike encoding: " + std::to_string(got) + " values for " +
        std::to_string(acts.batch) + " samples of " + typeName(acts.type) +
        " (expected " + std::to_string(expected) + ")");
}

} // namespace

int64_t countEvents(const ref::Activations &acts) {
  int64_t n = 0;
  if (acts.type.isFloat) {
    for (float v : acts.floats)
      n += v != 0.0f;
    return n;
  }
  for (int64_t v : acts.ints)
    n += v != 0;
  return n;
}

SpikeBatch encodeSpikes(const ref::Activations &acts) {
  if (!spikeEncodable(acts.type))
    throw std::invalid_argument(
        "spike encoding: activations of type " + typeName(acts.type) +
        " cannot be spikes (integers of at most 32 bits and dimensions of "
        "at most 65536 can)");
  checkSize(acts);
  SpikeBatch b;
  b.type = acts.type;
  b.batch = acts.batch;
  b.sampleEnds.reserve(static_cast<size_t>(acts.batch));
  const int64_t rows = acts.type.shape[0], cols = acts.type.shape[1],
                chans = acts.type.shape[2];
  const int64_t *v = acts.ints.data();
  for (int64_t n = 0; n < acts.batch; ++n) {
    for (int64_t y = 0; y < rows; ++y)
      for (int64_t x = 0; x < cols; ++x)
        for (int64_t c = 0; c < chans; ++c, ++v)
          if (*v != 0)
            b.events.push_back({static_cast<uint16_t>(x),
                                static_cast<uint16_t>(y),
                                static_cast<uint16_t>(c),
                                static_cast<int32_t>(*v)});
    if (b.events.size() > std::numeric_limits<uint32_t>::max())
      throw std::invalid_argument("spike encoding: more than 2^32 events");
    b.sampleEnds.push_back(static_cast<uint32_t>(b.events.size()));
  }
  return b;
}

ref::Activations decodeSpikes(const SpikeBatch &b) {
  if (!spikeEncodable(b.type))
    throw std::invalid_argument("spike decoding: type " + typeName(b.type) +
                                " cannot be spikes");
  if (b.batch < 0 || b.sampleEnds.size() != static_cast<size_t>(b.batch))
    throw std::invalid_argument(
        "spike decoding: " + std::to_string(b.sampleEnds.size()) +
        " sample offsets for a batch of " + std::to_string(b.batch));
  ref::Activations a;
  a.type = b.type;
  a.batch = b.batch;
  const int64_t rows = b.type.shape[0], cols = b.type.shape[1],
                chans = b.type.shape[2];
  a.ints.assign(static_cast<size_t>(b.batch * a.sampleSize()), 0);
  size_t begin = 0;
  for (int64_t n = 0; n < b.batch; ++n) {
    const size_t end = b.sampleEnds[static_cast<size_t>(n)];
    if (end < begin || end > b.events.size())
      throw std::invalid_argument(
          "spike decoding: sample " + std::to_string(n) + " ends at event " +
          std::to_string(end) + " (allowed " + std::to_string(begin) + ".." +
          std::to_string(b.events.size()) + ")");
    int64_t last = -1;
    for (size_t i = begin; i < end; ++i) {
      const SpikeEvent &e = b.events[i];
      if (e.x >= cols || e.y >= rows || e.c >= chans)
        throw std::invalid_argument(
            "spike decoding: event (x " + std::to_string(e.x) + ", y " +
            std::to_string(e.y) + ", c " + std::to_string(e.c) +
            ") outside " + typeName(b.type));
      const int64_t pos = (e.y * cols + e.x) * chans + e.c;
      if (pos <= last)
        throw std::invalid_argument(
            "spike decoding: events of sample " + std::to_string(n) +
            " are not in raster order (y, x, channel) at event " +
            std::to_string(i));
      last = pos;
      a.ints[static_cast<size_t>(n * a.sampleSize() + pos)] = e.value;
    }
    begin = end;
  }
  if (begin != b.events.size())
    throw std::invalid_argument("spike decoding: " +
                                std::to_string(b.events.size() - begin) +
                                " events after the last sample");
  return a;
}

} // namespace akida::actors
