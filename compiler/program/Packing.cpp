//===- Packing.cpp - Bit packing of weights -------------------------------===//
//
// packWeights and unpackWeights (Program.h): weight values at 1, 2, 4 or 8
// bits each, little-endian bit order (docs/program-format.md).
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"
#include "compiler/program/ProgramInternal.h"

namespace akida {

using namespace program::detail;

std::vector<uint8_t> packWeights(const std::vector<int64_t> &values,
                                 int bits) {
  if (!validWeightBits(bits))
    throw ProgramError("cannot pack weights: bit width " + str(bits) +
                       " (1, 2, 4 or 8)");
  const int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
  const int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
  const uint32_t mask = (1u << bits) - 1;
  std::vector<uint8_t> out((values.size() * size_t(bits) + 7) / 8, 0);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t v = values[i];
    if (v < lo || v > hi)
      throw ProgramError("cannot pack weights: value " + str(v) +
                         " at flat index " + str(int64_t(i)) +
                         " does not fit " + str(bits) + " bits ([" + str(lo) +
                         ", " + str(hi) + "])");
    size_t bit = i * size_t(bits); // bits divides 8: never crosses a byte
    out[bit / 8] |= uint8_t((uint32_t(v) & mask) << (bit % 8));
  }
  return out;
}

std::vector<int8_t> unpackWeights(const uint8_t *data, size_t size, int bits,
                                  int64_t count) {
  if (!validWeightBits(bits))
    throw ProgramError("cannot unpack weights: bit width " + str(bits) +
                       " (1, 2, 4 or 8)");
  if (count < 0 || count > program::kMaxElements)
    throw ProgramError("cannot unpack weights: count " + str(count) +
                       " (0 to " + str(program::kMaxElements) + ")");
  uint64_t expected = (uint64_t(count) * uint64_t(bits) + 7) / 8;
  if (size != expected || (!data && size))
    throw ProgramError("cannot unpack weights: " + str(int64_t(size)) +
                       " bytes for " + str(count) + " " + str(bits) +
                       "-bit values (" + str(int64_t(expected)) + " bytes)");
  uint64_t usedBits = uint64_t(count) * uint64_t(bits);
  if (usedBits % 8 && (data[size - 1] >> (usedBits % 8)) != 0)
    throw ProgramError("cannot unpack weights: unused bits of the last byte "
                       "are set (zero)");
  const uint32_t mask = (1u << bits) - 1;
  std::vector<int8_t> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    uint64_t bit = uint64_t(i) * uint64_t(bits);
    uint32_t raw = (data[bit / 8] >> (bit % 8)) & mask;
    int32_t v = static_cast<int32_t>(raw);
    if (bits > 1 && (raw >> (bits - 1)))
      v -= int32_t(1) << bits; // sign-extend two's complement
    out[static_cast<size_t>(i)] = static_cast<int8_t>(v);
  }
  return out;
}

} // namespace akida
