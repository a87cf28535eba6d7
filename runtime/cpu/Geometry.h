//===- Geometry.h - Where a spatial layer's windows land --------*- C++ -*-===//
//
// The convolution and pooling geometry of a spatial layer, computed with the
// reference's own placement (runtime/reference/WindowPlacement.h), so that
// the fast kernels read exactly the positions the reference reads.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_GEOMETRY_H
#define AKIDA_RUNTIME_CPU_GEOMETRY_H

#include "runtime/cpu/Pooling.h"
#include "runtime/reference/WindowPlacement.h"

namespace akida::cpu {

struct ConvShape {
  int64_t h = 0, w = 0, c = 0;                  ///< input plane
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
  int64_t oh = 0, ow = 0, f = 0;                ///< convolution output
  PoolType pool = PoolType::NoPooling;
  PoolGeometry maxPool;                         ///< when pool is Max

  int64_t pixels() const { return oh * ow; }
  int taps() const { return static_cast<int>(kh * kw); }
};

/// The geometry of `layer` (a layer with a Window) on input `in`, with `f`
/// output channels.
inline ConvShape convShape(const LayerDesc &layer, const ActType &in,
                           int64_t f) {
  const Window win = layerWindow(layer);
  ConvShape s;
  s.h = in.shape[0];
  s.w = in.shape[1];
  s.c = in.shape[2];
  s.f = f;
  ref::placeWindow(s.h, s.w, win.kernel, win.stride, win.padding, s.kh, s.kw,
                   s.sh, s.sw, s.pt, s.pl, s.oh, s.ow);
  s.pool = win.pool;
  if (s.pool == PoolType::Max) {
    PoolGeometry &p = s.maxPool;
    p.h = s.oh;
    p.w = s.ow;
    p.c = f;
    ref::placeWindow(s.oh, s.ow, win.poolSize, win.poolStride, win.padding,
                     p.kh, p.kw, p.sh, p.sw, p.pt, p.pl, p.oh, p.ow);
  }
  return s;
}

/// Rounds `n` up to a multiple of `m`.
inline int64_t roundUp(int64_t n, int64_t m) { return (n + m - 1) / m * m; }

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_GEOMETRY_H
