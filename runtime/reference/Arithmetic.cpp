//===- Arithmetic.cpp - Exact integer helpers of the Akida maths ----------===//

#include "runtime/reference/Arithmetic.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace akida::ref {

namespace {

using i128 = __int128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

int64_t clamp64(i128 v) {
  if (v > kMax)
    return kMax;
  if (v < kMin)
    return kMin;
  return static_cast<int64_t>(v);
}

i128 pow2(int64_t k) { return static_cast<i128>(1) << k; }

/// A value m * 2^e with e >= 0 (the exact result of a left shift) or the
/// already exact result of a right shift (e = 0).
struct Scaled {
  i128 m;
  int64_t e;
};

Scaled toScaled(int64_t v, int64_t s) {
  if (s > 0)
    return {v, s};
  return {roundShift(v, s), 0};
}

/// m * 2^e saturated to int64.
int64_t scaledToInt64(const Scaled &x) {
  if (x.m == 0)
    return 0;
  if (x.e >= 64)
    return x.m > 0 ? kMax : kMin;
  // |m| < 2^64 here and e < 64: the product may exceed int128 only when
  // |m| >= 2^63, in which case it saturates anyway.
  if (x.m > kMax || x.m < kMin)
    return x.m > 0 ? kMax : kMin;
  return clamp64(x.m * pow2(x.e));
}

} // namespace

int64_t roundShift(int64_t v, int64_t s) {
  if (s >= 0) {
    if (v == 0)
      return 0;
    if (s >= 63) // |v| >= 1, so |v| * 2^s >= 2^63: out of range.
      return v > 0 ? kMax : kMin;
    return clamp64(static_cast<i128>(v) * pow2(s));
  }
  // Right shift by k = -s >= 1. For k >= 64, |v| <= 2^63 <= 2^(k-1), so
  // v + 2^(k-1) lies in [0, 2^k) and the floor is 0.
  if (s <= -64)
    return 0;
  int64_t k = -s;
  i128 num = static_cast<i128>(v) + pow2(k - 1);
  // Floor division by 2^k: an arithmetic right shift rounds towards -inf.
  // (Written as a division fix-up to avoid relying on the sign behaviour of
  // >> on negative values.)
  i128 den = pow2(k);
  i128 q = num / den;
  if (num % den != 0 && num < 0)
    q -= 1;
  return static_cast<int64_t>(q);
}

int64_t intMin(int bits, bool isSigned) {
  if (bits < 1 || bits > 64)
    throw std::invalid_argument("bit width " + std::to_string(bits) +
                                " must be between 1 and 64");
  if (!isSigned)
    return 0;
  return bits == 64 ? kMin : -(static_cast<int64_t>(1) << (bits - 1));
}

int64_t intMax(int bits, bool isSigned) {
  if (bits < 1 || bits > 64)
    throw std::invalid_argument("bit width " + std::to_string(bits) +
                                " must be between 1 and 64");
  int width = isSigned ? bits - 1 : bits;
  return width >= 63 ? kMax : (static_cast<int64_t>(1) << width) - 1;
}

int64_t saturate(int64_t v, int bits, bool isSigned) {
  int64_t lo = intMin(bits, isSigned), hi = intMax(bits, isSigned);
  return v < lo ? lo : v > hi ? hi : v;
}

int64_t v1Activate(int64_t p, int64_t threshold, float actStep, int actBits) {
  if (!std::isfinite(actStep) || !(actStep > 0.0f))
    throw std::invalid_argument("act_step " + std::to_string(actStep) +
                                " must be finite and > 0");
  if (actBits < 1 || actBits > 32)
    throw std::invalid_argument("act_bits " + std::to_string(actBits) +
                                " must be between 1 and 32");
  const int64_t maxOut = (static_cast<int64_t>(1) << actBits) - 1;
  // d = p - T is in (-2^64, 2^64).
  i128 d = static_cast<i128>(p) - threshold;
  if (d <= 0) // ceil(d / s) <= 0 for any positive step.
    return 0;
  // actStep = mant * 2^exp with mant in [0.5, 1); m = mant * 2^24 is an
  // integer (a float has 24 significant bits, subnormals fewer), so
  // s_eff = m * 2^E exactly with E = exp - 24 + 4 - actBits.
  int exp = 0;
  float mant = std::frexp(actStep, &exp);
  const int64_t m = static_cast<int64_t>(std::ldexp(mant, 24));
  const int64_t E = static_cast<int64_t>(exp) - 24 + 4 - actBits;
  i128 q;
  if (E >= 0) {
    if (E >= 64) // s_eff >= 2^64 > d: ceil(d / s_eff) = 1.
      return 1 < maxOut ? 1 : maxOut;
    i128 den = static_cast<i128>(m) * pow2(E); // < 2^88
    q = (d + den - 1) / den;
  } else {
    int64_t k = -E;
    // ceil(d * 2^k / m): with k >= 60, d * 2^k / m >= 2^60 / 2^24 > maxOut.
    if (k >= 60)
      return maxOut;
    i128 num = d * pow2(k); // < 2^64 * 2^59
    q = (num + m - 1) / m;
  }
  return q > maxOut ? maxOut : static_cast<int64_t>(q);
}

int64_t addRoundShifted(int64_t a, int64_t sa, int64_t b, int64_t sb) {
  Scaled x = toScaled(a, sa), y = toScaled(b, sb);
  if (x.m == 0)
    return scaledToInt64(y);
  if (y.m == 0)
    return scaledToInt64(x);
  if (x.e < y.e)
    std::swap(x, y);
  // x.m * 2^x.e + y.m * 2^y.e = 2^y.e * (x.m * 2^d + y.m), |x.m|, |y.m| <=
  // 2^63.
  int64_t d = x.e - y.e;
  if (d >= 64) // |x.m * 2^d| >= 2^64 > |y.m|: the sign of x decides.
    return x.m > 0 ? kMax : kMin;
  i128 inner = x.m * pow2(d) + y.m; // |.| <= 2^126 + 2^63
  return scaledToInt64({inner, y.e});
}

} // namespace akida::ref
