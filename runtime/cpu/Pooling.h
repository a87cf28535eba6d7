//===- Pooling.h - Max pooling on a layer's outputs -------------*- C++ -*-===//
//
// Max pooling of the weighted layers runs on their outputs rather than on
// their sums: the output stages it is used with are non-decreasing
// (OutputStage::monotone), so the max of the outputs is the output of the
// max. Window positions outside the input are ignored, as in the reference.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_POOLING_H
#define AKIDA_RUNTIME_CPU_POOLING_H

#include "runtime/cpu/Tensor.h"

#include <cstdint>

namespace akida::cpu {

struct PoolGeometry {
  int64_t h = 0, w = 0, c = 0;          ///< pooled plane
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
  int64_t oh = 0, ow = 0;
};

/// Output rows [rowBegin, rowEnd) of the max pooling of `in` into `out`.
void maxPool(const uint8_t *in, uint8_t *out, ElemKind kind,
             const PoolGeometry &g, int64_t rowBegin, int64_t rowEnd);

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_POOLING_H
