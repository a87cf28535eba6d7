//===- UnitV1.cpp - Akida 1.0 units ---------------------------------------===//
//
// InputConvolutional on the HRC (dense cross-correlation, borders read
// padding_value), Convolutional (true convolution: the kernel reversed) and
// SeparableConvolutional (depthwise true convolution over every channel,
// then the unit's pointwise filters) on CNPs, FullyConnected (channel-major
// flatten) on FNPs. Potentials are exact int64, pooled (max or global sum),
// then activated with v1Activate or saturated to si32: the arithmetic of
// docs/runtime/semantics.md, computed per unit for its filters and columns.
//
//===----------------------------------------------------------------------===//
#include "device/sim/Kernels.h"
#include "runtime/reference/Arithmetic.h"

#include <stdexcept>
#include <string>

namespace akida::sim {

using namespace detail;

namespace {

/// Largest |x| over the unit's kept region of its first input.
long double keptMax(const Port &p, int64_t k0, int64_t k1, int64_t chLo,
                    int64_t chHi) {
  long double m = 0;
  const int64_t W = p.dims[1], C = p.dims[2];
  for (int64_t y = 0; y < p.dims[0]; ++y)
    for (int64_t x = k0; x < k1; ++x)
      for (int64_t c = chLo; c < chHi; ++c)
        m = std::max(m, std::fabs(static_cast<long double>(
                            p.values[size_t((y * W + x) * C + c)])));
  return m;
}

} // namespace

void Unit::runV1() {
  const Geometry &g = g_;
  const int64_t F = count_;
  const Port &in = port(0);
  auto finish = [&](int64_t p, int64_t f) {
    return activation_ ? ref::v1Activate(p, threshold_[size_t(f)],
                                         actStep_[size_t(f)], actBits_)
                       : ref::saturate(p, 32, true);
  };
  // Potentials are int64 (docs/runtime/semantics.md decision 3): a unit
  // whose worst case could leave 62 bits is refused, as the reference does.
  const long double maxX = keptMax(in, k0_, k1_, 0, g.c);
  const long double maxW = maxAbs(weights_);
  auto checkBound = [&](long double bound) {
    if (bound >= std::ldexp(1.0L, 62))
      fail("potentials could exceed 62 bits; the layer is too large for "
           "exact int64 potentials");
  };

  if (kernel_ == Kernel::FullyConnectedV1) {
    // Feature index c * (H * W) + col * H + row.
    const int64_t H = g.h, W = g.w, C = g.c;
    checkBound(maxX * maxW * H * W * C);
    std::vector<int64_t> acc(static_cast<size_t>(F), 0);
    for (int64_t row = 0; row < H; ++row)
      for (int64_t col = 0; col < W; ++col)
        for (int64_t c = 0; c < C; ++c) {
          const int64_t v = in.values[size_t((row * W + col) * C + c)];
          if (v == 0)
            continue;
          ++act_.eventsIn;
          const int64_t *wr = weights_.data() + (c * H * W + col * H + row) * F;
          for (int64_t f = 0; f < F; ++f)
            acc[size_t(f)] += v * wr[f];
          act_.synapticOps += F;
        }
    for (int64_t f = 0; f < F; ++f)
      out_.values[size_t(f)] = finish(acc[size_t(f)], f);
    return;
  }

  const long double spatial =
      g.pool == PoolType::Average ? (long double)g.ohc * g.owc : 1.0L;
  std::vector<int64_t> acc;
  if (kernel_ == Kernel::InputConvV1) {
    checkBound(std::max<long double>(maxX, padValue_) * maxW * g.kh * g.kw *
               g.c * spatial);
    gatherConv<int64_t>(in, g, weights_.data(), F, padValue_, nullptr, acc,
                        act_);
  } else if (kernel_ == Kernel::ConvV1) {
    checkBound(maxX * maxW * g.kh * g.kw * g.c * spatial);
    Scatter s = scatterOf(in, g, k0_, k1_, 0, g.c, weights_.data(), F);
    s.flip = true;
    scatterConv<int64_t>(s, acc, act_);
  } else { // SeparableV1: depthwise over every channel, then pointwise
    checkBound(maxX * maxW * g.kh * g.kw * maxAbs(weightsPw_) * g.c *
               spatial);
    Scatter s = scatterOf(in, g, k0_, k1_, 0, g.c, weights_.data(), g.c);
    s.wC = g.c;
    s.depthwise = true;
    s.flip = true;
    std::vector<int64_t> d;
    scatterConv<int64_t>(s, d, act_);
    const int64_t positions = g.ohc * (g.c1 - g.c0), C = g.c;
    acc.assign(static_cast<size_t>(positions * F), 0);
    for (int64_t p = 0; p < positions; ++p) {
      int64_t *a = acc.data() + p * F;
      const int64_t *dp = d.data() + p * C;
      for (int64_t c = 0; c < C; ++c) {
        const int64_t v = dp[c];
        if (v == 0)
          continue;
        const int64_t *wr = weightsPw_.data() + c * F;
        for (int64_t f = 0; f < F; ++f)
          a[f] += v * wr[f];
        act_.synapticOps += F;
      }
    }
  }
  poolAndFinish(g, x0_, x1_, acc, F, kMin64, kMax64, out_, finish);
}

} // namespace akida::sim
