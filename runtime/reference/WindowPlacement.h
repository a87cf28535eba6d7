//===- WindowPlacement.h - Where a layer's windows land ---------*- C++ -*-===//
//
// The geometry of a convolution-like layer's Window: the convolution on the
// layer input, then the max pooling on the convolution output. Shared by the
// reference kernels (planSpatial) and the simulator's units, which must agree
// on it to the position.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_WINDOWPLACEMENT_H
#define AKIDA_RUNTIME_REFERENCE_WINDOWPLACEMENT_H

#include "runtime/reference/Shapes.h"

#include <array>
#include <cstdint>

namespace akida::ref {

/// Places a 2-D window of `size` and `stride` with `padding` on an h x w
/// plane (a convolution kernel on the layer input, or a max-pool window on
/// the convolution output). Stores its size (kh, kw) and stride (sh, sw), the
/// padding before it (pt, pl: top, left) and its output size (oh, ow).
inline void placeWindow(int64_t h, int64_t w,
                        const std::array<int64_t, 2> &size,
                        const std::array<int64_t, 2> &stride, Padding padding,
                        int64_t &kh, int64_t &kw, int64_t &sh, int64_t &sw,
                        int64_t &pt, int64_t &pl, int64_t &oh, int64_t &ow) {
  kh = size[0];
  kw = size[1];
  sh = stride[0];
  sw = stride[1];
  pt = paddingBefore(h, kh, sh, padding);
  pl = paddingBefore(w, kw, sw, padding);
  oh = windowOutputDim(h, kh, sh, padding);
  ow = windowOutputDim(w, kw, sw, padding);
}

} // namespace akida::ref

#endif // AKIDA_RUNTIME_REFERENCE_WINDOWPLACEMENT_H
