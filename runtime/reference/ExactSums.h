//===- ExactSums.h - The accumulator rule of exact sums ---------*- C++ -*-===//
//
// How the reference kernels and the simulator's units keep sums of products
// exact: a loop runs on int64 accumulators when a bound on |x| * |w| * terms
// shows it cannot overflow (fitsInt64), on 128-bit ones otherwise, and each
// sum is clamped to the caller's range at the end (clampTo). One rule for
// both, so that the simulator is bit-exact with the reference.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_EXACTSUMS_H
#define AKIDA_RUNTIME_REFERENCE_EXACTSUMS_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace akida::ref {

/// Accumulator `v` (int64_t or __int128) clamped to [lo, hi].
template <typename Acc> int64_t clampTo(Acc v, int64_t lo, int64_t hi) {
  if (v < static_cast<Acc>(lo))
    return lo;
  if (v > static_cast<Acc>(hi))
    return hi;
  return static_cast<int64_t>(v);
}

/// Largest |v| of `values` (as a long double, so |INT64_MIN| is exact).
inline long double maxAbs(const std::vector<int64_t> &values) {
  long double m = 0;
  for (int64_t v : values)
    m = std::max(m, std::fabs(static_cast<long double>(v)));
  return m;
}

/// Whether sums of `terms` products |x| <= maxX, |w| <= maxW stay below 2^62.
inline bool fitsInt64(long double maxX, long double maxW, long double terms) {
  return maxX * maxW * terms < std::ldexp(1.0L, 62);
}

} // namespace akida::ref

#endif // AKIDA_RUNTIME_REFERENCE_EXACTSUMS_H
