//===- Accumulate.cpp - Exact sums of products and pooling ----------------===//
//
// The accumulation loops of the reference kernels: cross-correlation (plain
// and depthwise), matrix product, the stride-2 transposed convolution, and the
// max and global-sum pooling applied to their results. Sums are exact: each
// loop runs on int64 accumulators when a bound proves they cannot overflow,
// and on 128-bit ones otherwise, then clamps each sum to the caller's range.
//
//===----------------------------------------------------------------------===//

#include "runtime/reference/Kernels.h"
#include "runtime/reference/WindowPlacement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace akida::ref::detail {

namespace {

using i128 = __int128;

template <typename Acc>
void crossCorrelateImpl(const ConvGeometry &g, const int64_t *x,
                        const int64_t *w, int64_t *out, int64_t lo,
                        int64_t hi) {
  std::vector<Acc> acc(g.f);
  const int64_t filtersPerTap = g.depthwise ? g.c : g.c * g.f;
  for (int64_t n = 0; n < g.n; ++n) {
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        std::fill(acc.begin(), acc.end(), Acc(0));
        for (int64_t i = 0; i < g.kh; ++i) {
          const int64_t iy = oy * g.sh - g.pt + i;
          const bool rowInside = iy >= 0 && iy < g.h;
          for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t ix = ox * g.sw - g.pl + j;
            const bool inside = rowInside && ix >= 0 && ix < g.w;
            if (!inside && g.padValue == 0)
              continue;
            const int64_t *xs =
                inside ? x + ((n * g.h + iy) * g.w + ix) * g.c : nullptr;
            const int64_t *wt = w + (i * g.kw + j) * filtersPerTap;
            if (g.depthwise) {
              for (int64_t c = 0; c < g.c; ++c)
                acc[c] +=
                    static_cast<Acc>(wt[c]) * (inside ? xs[c] : g.padValue);
              continue;
            }
            for (int64_t c = 0; c < g.c; ++c) {
              const int64_t xv = inside ? xs[c] : g.padValue;
              if (xv == 0)
                continue;
              const int64_t *wr = wt + c * g.f;
              for (int64_t f = 0; f < g.f; ++f)
                acc[f] += static_cast<Acc>(wr[f]) * xv;
            }
          }
        }
        int64_t *o = out + ((n * g.oh + oy) * g.ow + ox) * g.f;
        for (int64_t f = 0; f < g.f; ++f)
          o[f] = clampTo(acc[f], lo, hi);
      }
    }
  }
}

template <typename Acc>
void matmulImpl(const int64_t *x, int64_t rows, int64_t k, const int64_t *w,
                int64_t f, int64_t *out, int64_t lo, int64_t hi) {
  std::vector<Acc> acc(f);
  for (int64_t r = 0; r < rows; ++r) {
    std::fill(acc.begin(), acc.end(), Acc(0));
    const int64_t *xr = x + r * k;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t xv = xr[i];
      if (xv == 0)
        continue;
      const int64_t *wr = w + i * f;
      for (int64_t o = 0; o < f; ++o)
        acc[o] += static_cast<Acc>(wr[o]) * xv;
    }
    for (int64_t o = 0; o < f; ++o)
      out[r * f + o] = clampTo(acc[o], lo, hi);
  }
}

template <typename Acc>
void transposedImpl(const int64_t *x, int64_t n, int64_t h, int64_t w,
                    int64_t c, const int64_t *weights, int64_t k, int64_t f,
                    bool depthwise, int64_t *out, int64_t lo, int64_t hi) {
  const int64_t oh = 2 * h, ow = 2 * w;
  const int64_t pad = std::max<int64_t>(k - 2, 0) / 2;
  const int64_t perTap = depthwise ? c : c * f;
  std::vector<Acc> acc(oh * ow * f);
  for (int64_t s = 0; s < n; ++s) {
    std::fill(acc.begin(), acc.end(), Acc(0));
    for (int64_t iy = 0; iy < h; ++iy)
      for (int64_t ix = 0; ix < w; ++ix) {
        const int64_t *xs = x + ((s * h + iy) * w + ix) * c;
        for (int64_t ky = 0; ky < k; ++ky) {
          const int64_t oy = 2 * iy + ky - pad;
          if (oy < 0 || oy >= oh)
            continue;
          for (int64_t kx = 0; kx < k; ++kx) {
            const int64_t ox = 2 * ix + kx - pad;
            if (ox < 0 || ox >= ow)
              continue;
            Acc *a = acc.data() + (oy * ow + ox) * f;
            const int64_t *wt = weights + (ky * k + kx) * perTap;
            for (int64_t ci = 0; ci < c; ++ci) {
              const int64_t xv = xs[ci];
              if (xv == 0)
                continue;
              if (depthwise) {
                a[ci] += static_cast<Acc>(wt[ci]) * xv;
                continue;
              }
              const int64_t *wr = wt + ci * f;
              for (int64_t o = 0; o < f; ++o)
                a[o] += static_cast<Acc>(wr[o]) * xv;
            }
          }
        }
      }
    int64_t *o = out + s * oh * ow * f;
    for (int64_t i = 0; i < oh * ow * f; ++i)
      o[i] = clampTo(acc[i], lo, hi);
  }
}

} // namespace

std::vector<int64_t> crossCorrelate(const ConvGeometry &g,
                                    const std::vector<int64_t> &x,
                                    const std::vector<int64_t> &w, int64_t lo,
                                    int64_t hi) {
  std::vector<int64_t> out(g.n * g.oh * g.ow * g.f);
  long double maxX = std::max(maxAbs(x), std::fabs((long double)g.padValue));
  long double terms = (long double)g.kh * g.kw * (g.depthwise ? 1 : g.c);
  if (fitsInt64(maxX, maxAbs(w), terms))
    crossCorrelateImpl<int64_t>(g, x.data(), w.data(), out.data(), lo, hi);
  else
    crossCorrelateImpl<i128>(g, x.data(), w.data(), out.data(), lo, hi);
  return out;
}

std::vector<int64_t> matmul(const std::vector<int64_t> &x, int64_t rows,
                            int64_t k, const std::vector<int64_t> &w, int64_t f,
                            int64_t lo, int64_t hi) {
  std::vector<int64_t> out(rows * f);
  if (fitsInt64(maxAbs(x), maxAbs(w), (long double)k))
    matmulImpl<int64_t>(x.data(), rows, k, w.data(), f, out.data(), lo, hi);
  else
    matmulImpl<i128>(x.data(), rows, k, w.data(), f, out.data(), lo, hi);
  return out;
}

std::vector<int64_t> transposedConv(const std::vector<int64_t> &x, int64_t n,
                                    int64_t h, int64_t w, int64_t c,
                                    const std::vector<int64_t> &weights,
                                    int64_t k, int64_t f, bool depthwise,
                                    int64_t lo, int64_t hi) {
  std::vector<int64_t> out(n * 4 * h * w * f);
  // Each output receives at most ceil(k/2)^2 taps per input channel.
  long double taps = (long double)((k + 1) / 2) * ((k + 1) / 2);
  long double terms = depthwise ? taps : taps * c;
  if (fitsInt64(maxAbs(x), maxAbs(weights), terms))
    transposedImpl<int64_t>(x.data(), n, h, w, c, weights.data(), k, f,
                            depthwise, out.data(), lo, hi);
  else
    transposedImpl<i128>(x.data(), n, h, w, c, weights.data(), k, f, depthwise,
                         out.data(), lo, hi);
  return out;
}

std::vector<int64_t> maxPool(const std::vector<int64_t> &in, int64_t n,
                             int64_t h, int64_t w, int64_t c, int64_t kh,
                             int64_t kw, int64_t sh, int64_t sw, int64_t pt,
                             int64_t pl, int64_t oh, int64_t ow) {
  std::vector<int64_t> out(n * oh * ow * c);
  std::vector<int64_t> best(c);
  for (int64_t s = 0; s < n; ++s)
    for (int64_t py = 0; py < oh; ++py)
      for (int64_t px = 0; px < ow; ++px) {
        bool any = false;
        for (int64_t i = 0; i < kh; ++i) {
          const int64_t y = py * sh - pt + i;
          if (y < 0 || y >= h)
            continue;
          for (int64_t j = 0; j < kw; ++j) {
            const int64_t x = px * sw - pl + j;
            if (x < 0 || x >= w)
              continue;
            const int64_t *v = in.data() + ((s * h + y) * w + x) * c;
            if (!any)
              std::copy(v, v + c, best.begin());
            else
              for (int64_t ch = 0; ch < c; ++ch)
                best[ch] = std::max(best[ch], v[ch]);
            any = true;
          }
        }
        if (!any) // The shape rules guarantee every window meets the input.
          throw std::logic_error("max pooling window outside its input");
        std::copy(best.begin(), best.end(),
                  out.begin() + ((s * oh + py) * ow + px) * c);
      }
  return out;
}

std::vector<int64_t> globalSum(const std::vector<int64_t> &in, int64_t n,
                               int64_t h, int64_t w, int64_t c, int64_t lo,
                               int64_t hi) {
  std::vector<int64_t> out(n * c);
  std::vector<i128> sum(c);
  for (int64_t s = 0; s < n; ++s) {
    std::fill(sum.begin(), sum.end(), i128(0));
    for (int64_t p = 0; p < h * w; ++p) {
      const int64_t *v = in.data() + (s * h * w + p) * c;
      for (int64_t ch = 0; ch < c; ++ch)
        sum[ch] += v[ch];
    }
    for (int64_t ch = 0; ch < c; ++ch)
      out[s * c + ch] = clampTo(sum[ch], lo, hi);
  }
  return out;
}

SpatialPlan planSpatial(const Window &window, int64_t n, int64_t h, int64_t w,
                        int64_t c, int64_t f, bool depthwise) {
  SpatialPlan p;
  ConvGeometry &g = p.conv;
  g.n = n;
  g.h = h;
  g.w = w;
  g.c = c;
  g.f = f;
  g.depthwise = depthwise;
  placeWindow(h, w, window.kernel, window.stride, window.padding, g.kh, g.kw,
              g.sh, g.sw, g.pt, g.pl, g.oh, g.ow);
  p.pool = window.pool;
  if (p.pool == PoolType::Max)
    placeWindow(g.oh, g.ow, window.poolSize, window.poolStride, window.padding,
                p.poolKh, p.poolKw, p.poolSh, p.poolSw, p.poolPt, p.poolPl,
                p.poolOh, p.poolOw);
  return p;
}

std::vector<int64_t> applyPooling(const SpatialPlan &plan,
                                  const std::vector<int64_t> &acc, int64_t lo,
                                  int64_t hi) {
  const ConvGeometry &g = plan.conv;
  switch (plan.pool) {
  case PoolType::Max:
    return maxPool(acc, g.n, g.oh, g.ow, g.f, plan.poolKh, plan.poolKw,
                   plan.poolSh, plan.poolSw, plan.poolPt, plan.poolPl,
                   plan.poolOh, plan.poolOw);
  case PoolType::Average:
    return globalSum(acc, g.n, g.oh, g.ow, g.f, lo, hi);
  case PoolType::NoPooling:
    break;
  }
  return acc;
}

} // namespace akida::ref::detail
