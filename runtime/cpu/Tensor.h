//===- Tensor.h - How the CPU backend stores activations --------*- C++ -*-===//
//
// The CPU backend keeps each activation in the narrowest machine type that
// holds its element type exactly: unsigned values of up to 8 bits (1-, 2-
// and 4-bit activations included) as uint8, signed ones as int8, wider ones
// as int32 (or int64 for unsigned 32-bit), float32 after a Dequantizer.
// Layout is NHWC, one frame after another, channels contiguous.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_TENSOR_H
#define AKIDA_RUNTIME_CPU_TENSOR_H

#include "runtime/reference/Shapes.h"

#include <cstdint>
#include <cstring>

namespace akida::cpu {

enum class ElemKind : uint8_t { U8, S8, I16, I32, I64, F32 };

/// The storage of an element type (I16 is only used inside a layer).
inline ElemKind elemKind(const ActType &t) {
  if (t.isFloat)
    return ElemKind::F32;
  if (t.bits <= 8)
    return t.isSigned ? ElemKind::S8 : ElemKind::U8;
  if (t.bits < 32 || (t.bits == 32 && t.isSigned))
    return ElemKind::I32;
  return ElemKind::I64;
}

inline int elemSize(ElemKind k) {
  switch (k) {
  case ElemKind::U8:
  case ElemKind::S8:
    return 1;
  case ElemKind::I16:
    return 2;
  case ElemKind::I32:
  case ElemKind::F32:
    return 4;
  case ElemKind::I64:
    return 8;
  }
  return 1;
}

/// Element `i` of a buffer of integer kind `k`, widened.
inline int64_t loadInt(const uint8_t *p, ElemKind k, int64_t i) {
  switch (k) {
  case ElemKind::U8:
    return p[i];
  case ElemKind::S8:
    return static_cast<int8_t>(p[i]);
  case ElemKind::I16: {
    int16_t v;
    std::memcpy(&v, p + 2 * i, 2);
    return v;
  }
  case ElemKind::I32: {
    int32_t v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case ElemKind::I64: {
    int64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    return v;
  }
  case ElemKind::F32:
    break;
  }
  return 0;
}

/// Stores `v` (which fits the kind) as element `i`.
inline void storeInt(uint8_t *p, ElemKind k, int64_t i, int64_t v) {
  switch (k) {
  case ElemKind::U8:
  case ElemKind::S8:
    p[i] = static_cast<uint8_t>(v);
    return;
  case ElemKind::I16: {
    int16_t x = static_cast<int16_t>(v);
    std::memcpy(p + 2 * i, &x, 2);
    return;
  }
  case ElemKind::I32: {
    int32_t x = static_cast<int32_t>(v);
    std::memcpy(p + 4 * i, &x, 4);
    return;
  }
  case ElemKind::I64:
    std::memcpy(p + 8 * i, &v, 8);
    return;
  case ElemKind::F32:
    return;
  }
}

/// The largest |value| of an element type (what bounds exact sums).
inline int64_t maxMagnitude(const ActType &t) {
  if (t.bits >= 63)
    return INT64_MAX;
  return t.isSigned ? (int64_t(1) << (t.bits - 1)) : (int64_t(1) << t.bits) - 1;
}

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_TENSOR_H
