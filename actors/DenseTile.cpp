//===- DenseTile.cpp - Dense activations packed at their bit width --------===//

#include "actors/DenseTile.h"

#include "actors/SpikeBatch.h"

#include <stdexcept>
#include <string>

namespace akida::actors {

int denseValueBytes(const ActType &type) {
  if (type.isFloat)
    return 4;
  if (type.bits <= 8)
    return 1;
  if (type.bits <= 16)
    return 2;
  if (type.bits <= 32)
    return 4;
  return 8;
}

DenseTile encodeDense(const ref::Activations &acts) {
  const size_t n = static_cast<size_t>(acts.batch * acts.sampleSize());
  const size_t got = acts.type.isFloat ? acts.floats.size() : acts.ints.size();
  if (acts.batch < 0 || got != n)
    throw std::invalid_argument(
        "dense tile: " + std::to_string(got) + " values for " +
        std::to_string(acts.batch) + " samples of " + typeName(acts.type) +
        " (expected " + std::to_string(n) + ")");
  DenseTile t;
  t.type = acts.type;
  t.batch = acts.batch;
  t.valueBytes = static_cast<uint8_t>(denseValueBytes(acts.type));
  if (acts.type.isFloat) {
    t.floats = acts.floats;
    return t;
  }
  t.bytes.resize(n * t.valueBytes);
  uint8_t *out = t.bytes.data();
  if (t.valueBytes == 1) {
    for (size_t i = 0; i < n; ++i)
      out[i] = static_cast<uint8_t>(acts.ints[i]);
    return t;
  }
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = static_cast<uint64_t>(acts.ints[i]);
    for (int b = 0; b < t.valueBytes; ++b)
      *out++ = static_cast<uint8_t>(v >> (8 * b));
  }
  return t;
}

ref::Activations decodeDense(const DenseTile &t) {
  ref::Activations a;
  a.type = t.type;
  a.batch = t.batch;
  const size_t n = static_cast<size_t>(t.batch * a.sampleSize());
  if (t.type.isFloat) {
    if (t.batch < 0 || t.floats.size() != n)
      throw std::invalid_argument(
          "dense tile: " + std::to_string(t.floats.size()) +
          " floats for " + std::to_string(t.batch) + " samples of " +
          typeName(t.type) + " (expected " + std::to_string(n) + ")");
    a.floats = t.floats;
    return a;
  }
  const int width = t.valueBytes;
  if (width != denseValueBytes(t.type))
    throw std::invalid_argument(
        "dense tile: " + std::to_string(width) + "-byte values for type " +
        typeName(t.type) + " (expected " +
        std::to_string(denseValueBytes(t.type)) + ")");
  if (t.batch < 0 || t.bytes.size() != n * width)
    throw std::invalid_argument(
        "dense tile: " + std::to_string(t.bytes.size()) + " bytes for " +
        std::to_string(t.batch) + " samples of " + typeName(t.type) +
        " (expected " + std::to_string(n * width) + ")");
  a.ints.resize(n);
  const uint8_t *in = t.bytes.data();
  const int shift = 64 - 8 * width;
  for (size_t i = 0; i < n; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < width; ++b)
      v |= static_cast<uint64_t>(in[i * width + b]) << (8 * b);
    int64_t s = static_cast<int64_t>(v);
    if (t.type.isSigned && shift > 0) // sign-extend from the packed width
      s = static_cast<int64_t>(v << shift) >> shift;
    a.ints[i] = s;
  }
  return a;
}

} // namespace akida::actors
