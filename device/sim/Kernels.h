//===- Kernels.h - Accumulation loops of the simulated units ------*- C++ -*-===//
//
// Not a public header. The loops the units run, written the way the
// hardware works: an NP scatters each input event it receives into the
// potentials it affects (event-driven), the HRC gathers its dense input
// window by window. Sums are exact: the loops are templates over the
// accumulator type, int64 when a bound shows no overflow, 128 bits
// otherwise (the reference kernels' rule, runtime/reference/ExactSums.h).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_KERNELS_H
#define AKIDA_DEVICE_SIM_KERNELS_H

#include "device/sim/Unit.h"
#include "runtime/reference/ExactSums.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace akida::sim::detail {

using i128 = __int128;
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

using ref::clampTo;
using ref::fitsInt64;
using ref::maxAbs;

/// One kernel tap of one input index: kernel index `k` lands on output `o`.
struct Tap {
  int64_t k;
  int64_t o;
};

/// For every input index in [0, in): the taps whose output o lies in
/// [lo, hi), where output o reads input o * stride - pad + k.
std::vector<std::vector<Tap>> inputTaps(int64_t in, int64_t kernel,
                                        int64_t stride, int64_t pad,
                                        int64_t lo, int64_t hi);

/// What an NP scatters: events of input `in` at kept columns [k0, k1) and
/// channels [chLo, chHi), shifted left by shift[c - shiftBase] when `shift`
/// is set, into conv accumulators (ohc, c1 - c0, F) of geometry `g`.
/// Weights are (kh, kw, C, F), or (kh, kw, wC) when depthwise (output
/// channel c - chLo reads input channel c); `flip` reads the kernel
/// reversed (Akida 1.0 true convolutions).
struct Scatter {
  const Port *in = nullptr;
  const Unit::Geometry *g = nullptr;
  int64_t k0 = 0, k1 = 0, chLo = 0, chHi = 0;
  const int64_t *w = nullptr;
  int64_t wC = 0, F = 0;
  bool depthwise = false, flip = false;
  const int64_t *shift = nullptr;
  int64_t shiftBase = 0;
};

/// The scatter of `in` (kept columns [k0, k1), channels [chLo, chHi))
/// through weights `w` into F accumulators per position; the caller sets
/// the rest (depthwise weights, flip, shift).
inline Scatter scatterOf(const Port &in, const Unit::Geometry &g, int64_t k0,
                         int64_t k1, int64_t chLo, int64_t chHi,
                         const int64_t *w, int64_t F) {
  return Scatter{&in, &g, k0, k1, chLo, chHi, w, /*wC=*/0, F};
}

template <typename Acc>
void scatterConv(const Scatter &s, std::vector<Acc> &acc, UnitActivity &act) {
  const Unit::Geometry &g = *s.g;
  const int64_t nc = g.c1 - g.c0, F = s.F;
  acc.assign(static_cast<size_t>(g.ohc * nc * F), Acc(0));
  const auto rows = inputTaps(g.h, g.kh, g.sh, g.pt, 0, g.ohc);
  const auto cols = inputTaps(g.w, g.kw, g.sw, g.pl, g.c0, g.c1);
  const int64_t C = s.in->dims[2], W = s.in->dims[1];
  for (int64_t iy = 0; iy < g.h; ++iy) {
    const auto &rt = rows[static_cast<size_t>(iy)];
    for (int64_t ix = s.k0; ix < s.k1; ++ix) {
      const auto &ct = cols[static_cast<size_t>(ix)];
      const int64_t *xs = s.in->values.data() + (iy * W + ix) * C;
      for (int64_t c = s.chLo; c < s.chHi; ++c) {
        int64_t v = xs[c];
        if (v == 0)
          continue;
        if (s.shift)
          v *= int64_t(1) << s.shift[c - s.shiftBase];
        ++act.eventsIn;
        for (const Tap &r : rt) {
          const int64_t i = s.flip ? g.kh - 1 - r.k : r.k;
          for (const Tap &q : ct) {
            const int64_t j = s.flip ? g.kw - 1 - q.k : q.k;
            Acc *a = acc.data() + (r.o * nc + (q.o - g.c0)) * F;
            if (s.depthwise) {
              a[c - s.chLo] +=
                  static_cast<Acc>(v) * s.w[(i * g.kw + j) * s.wC + (c - s.chLo)];
              ++act.synapticOps;
              continue;
            }
            const int64_t *wr = s.w + ((i * g.kw + j) * C + c) * F;
            for (int64_t f = 0; f < F; ++f)
              a[f] += static_cast<Acc>(v) * wr[f];
            act.synapticOps += F;
          }
        }
      }
    }
  }
}

/// What the HRC computes: every conv output (all rows, columns [c0, c1)) as
/// a sum over its dense window; positions outside the input read
/// `padValue`. Weights (kh, kw, C, F).
template <typename Acc>
void gatherConv(const Port &in, const Unit::Geometry &g, const int64_t *w,
                int64_t F, int64_t padValue, const int64_t *shift,
                std::vector<Acc> &acc, UnitActivity &act) {
  const int64_t nc = g.c1 - g.c0, C = g.c;
  acc.assign(static_cast<size_t>(g.ohc * nc * F), Acc(0));
  for (int64_t oy = 0; oy < g.ohc; ++oy)
    for (int64_t ox = g.c0; ox < g.c1; ++ox) {
      Acc *a = acc.data() + (oy * nc + (ox - g.c0)) * F;
      for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t iy = oy * g.sh - g.pt + i;
        for (int64_t j = 0; j < g.kw; ++j) {
          const int64_t ix = ox * g.sw - g.pl + j;
          const bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
          const int64_t *xs =
              inside ? in.values.data() + (iy * g.w + ix) * C : nullptr;
          const int64_t *wt = w + (i * g.kw + j) * C * F;
          act.synapticOps += C * F;
          for (int64_t c = 0; c < C; ++c) {
            int64_t x = inside ? xs[c] : padValue;
            if (x == 0)
              continue;
            if (inside && shift)
              x *= int64_t(1) << shift[c];
            for (int64_t f = 0; f < F; ++f)
              a[f] += static_cast<Acc>(x) * wt[c * F + f];
          }
        }
      }
    }
  act.eventsIn += in.dims[0] * in.dims[1] * in.dims[2];
}

/// Pools conv outputs `acc` (ohc, c1 - c0, F) as `g` says (max pooling
/// ignores positions outside the conv output; a global sum is clamped to
/// [lo, hi]) for the owned output columns [x0, x1), and writes
/// finish(value, f) into `out` (oh, x1 - x0, F).
template <typename Finish>
void poolAndFinish(const Unit::Geometry &g, int64_t x0, int64_t x1,
                   const std::vector<int64_t> &acc, int64_t F, int64_t lo,
                   int64_t hi, Frame &out, Finish finish) {
  const int64_t nc = g.c1 - g.c0, cols = x1 - x0;
  auto put = [&](int64_t y, int64_t X, int64_t f, int64_t v) {
    out.values[static_cast<size_t>((y * cols + (X - x0)) * F + f)] =
        finish(v, f);
  };
  switch (g.pool) {
  case PoolType::NoPooling:
    for (int64_t y = 0; y < g.oh; ++y)
      for (int64_t X = x0; X < x1; ++X)
        for (int64_t f = 0; f < F; ++f)
          put(y, X, f, acc[static_cast<size_t>((y * nc + (X - g.c0)) * F + f)]);
    return;
  case PoolType::Average: {
    if (x0 != 0 || x1 != 1)
      return;
    std::vector<i128> sum(static_cast<size_t>(F), 0);
    for (int64_t p = 0; p < g.ohc * nc; ++p)
      for (int64_t f = 0; f < F; ++f)
        sum[size_t(f)] += acc[static_cast<size_t>(p * F + f)];
    for (int64_t f = 0; f < F; ++f)
      put(0, 0, f, clampTo(sum[size_t(f)], lo, hi));
    return;
  }
  case PoolType::Max: {
    std::vector<int64_t> best(static_cast<size_t>(F));
    for (int64_t py = 0; py < g.oh; ++py)
      for (int64_t X = x0; X < x1; ++X) {
        bool any = false;
        for (int64_t i = 0; i < g.pkh; ++i) {
          const int64_t y = py * g.psh - g.ppt + i;
          if (y < 0 || y >= g.ohc)
            continue;
          for (int64_t j = 0; j < g.pkw; ++j) {
            const int64_t x = X * g.psw - g.ppl + j;
            if (x < 0 || x >= g.owc)
              continue;
            const int64_t *v = acc.data() + (y * nc + (x - g.c0)) * F;
            for (int64_t f = 0; f < F; ++f)
              best[size_t(f)] = any ? std::max(best[size_t(f)], v[f]) : v[f];
            any = true;
          }
        }
        for (int64_t f = 0; f < F; ++f)
          put(py, X, f, any ? best[size_t(f)] : 0);
      }
    return;
  }
  }
}

} // namespace akida::sim::detail

#endif // AKIDA_DEVICE_SIM_KERNELS_H
