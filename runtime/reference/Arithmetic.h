//===- Arithmetic.h - Exact integer helpers of the Akida maths --*- C++ -*-===//
//
// The integer operations every Akida layer is built from: rounding shifts,
// saturation and the v1 threshold/act_step activation. They are the project's
// definition of these operations (docs/runtime/semantics.md): the reference
// kernels use them, and fast kernels must either call them or be tested
// bit-for-bit against them. Every function is exact for all of its inputs (no
// overflow, no floating-point division).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_ARITHMETIC_H
#define AKIDA_RUNTIME_REFERENCE_ARITHMETIC_H

#include <cstdint>

namespace akida::ref {

/// `v * 2^s` for s >= 0; for s < 0 a right shift by -s that rounds half up:
/// floor((v + 2^(-s-1)) / 2^(-s)) (so -2.5 -> -2, 2.5 -> 3). The exact result
/// is saturated to the int64 range when it does not fit (only possible for
/// left shifts); every caller saturates further to at most 32 bits, so this
/// never changes a layer's output.
int64_t roundShift(int64_t v, int64_t s);

/// `v` clamped to the range of a `bits`-wide integer: [0, 2^bits - 1] when
/// unsigned, [-2^(bits-1), 2^(bits-1) - 1] when signed. `bits` is 1..64
/// (std::invalid_argument otherwise); ranges wider than int64 clamp at the
/// int64 limits.
int64_t saturate(int64_t v, int bits, bool isSigned);

/// The lowest and highest values of a `bits`-wide integer (as saturate()).
int64_t intMin(int bits, bool isSigned);
int64_t intMax(int bits, bool isSigned);

/// The Akida 1.0 activation of potential `p`:
///   s_eff = actStep * 2^(4 - actBits)   (the stored step is the 4-bit one)
///   out   = clamp(ceil((p - threshold) / s_eff), 0, 2^actBits - 1)
/// computed exactly: actStep is decomposed as m * 2^e with an integer m and
/// the ceiling division is done on 128-bit integers. actBits = 1 gives
/// `p > threshold`. Throws std::invalid_argument when actStep is not finite
/// and > 0, or actBits is not 1..32.
int64_t v1Activate(int64_t p, int64_t threshold, float actStep, int actBits);

/// roundShift(a, sa) + roundShift(b, sb) computed on unbounded integers (the
/// left shifts are not saturated first), then saturated to the int64 range.
/// This is the sum of Akida 2.0 Add before its buffer saturation: it stays
/// exact even when both shifted inputs exceed 64 bits and cancel.
int64_t addRoundShifted(int64_t a, int64_t sa, int64_t b, int64_t sb);

} // namespace akida::ref

#endif // AKIDA_RUNTIME_REFERENCE_ARITHMETIC_H
