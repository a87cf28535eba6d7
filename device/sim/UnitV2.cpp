//===- UnitV2.cpp - Akida 2.0 weighted units ------------------------------===//
//
// InputConv2D on the HRC, Conv2D, DepthwiseConv2D, Dense1D, the transposed
// convolutions and the temporal layers on NPs. Each unit runs the v2
// pipeline of docs/runtime/semantics.md on its own filters: input shift,
// exact accumulation saturated to buffer_bits, bias, pooling, activation
// (ReLU with clip, LUT, none), post-op buffer, output scale and shift,
// output saturation.
//
//===----------------------------------------------------------------------===//
#include "device/sim/Kernels.h"
#include "runtime/reference/Arithmetic.h"

#include <algorithm>

namespace akida::sim {

using namespace detail;

namespace {

long double maxShifted(const Port &p, const std::vector<int64_t> &shift) {
  const long double m = maxAbs(p.values);
  int64_t s = 0;
  for (int64_t x : shift)
    s = std::max(s, x);
  return std::ldexp(m, static_cast<int>(s));
}

} // namespace

void Unit::runV2() {
  const Geometry &g = g_;
  const int64_t F = count_;
  const Port &in = port(0);
  const int64_t lo = ref::intMin(bufferBits_, true);
  const int64_t hi = ref::intMax(bufferBits_, true);
  auto finish = [&](int64_t acc, int64_t f) {
    return finishV2(acc, static_cast<size_t>(f));
  };
  auto addBias = [&](std::vector<int64_t> &acc) {
    if (!hasBias_)
      return;
    for (size_t i = 0; i < acc.size(); ++i)
      acc[i] = ref::saturate(acc[i] + bias_[i % size_t(F)], bufferBits_, true);
  };

  const long double maxX = maxShifted(in, inShift_);
  const long double maxW = maxAbs(weights_);
  const int64_t shiftBase = depthwise_ ? first_ : 0;

  // Exact sums in Acc, clamped to the accumulator buffer.
  auto accumulate = [&](auto zero) {
    using Acc = decltype(zero);
    std::vector<Acc> sums;
    switch (kernel_) {
    case Kernel::ConvV2:
      if (rec_.type == NpType::HRC) {
        gatherConv<Acc>(in, g, weights_.data(), F, 0, inShift_.data(), sums,
                        act_);
      } else {
        Scatter s = scatterOf(in, g, k0_, k1_, 0, g.c, weights_.data(), F);
        s.shift = inShift_.data();
        scatterConv<Acc>(s, sums, act_);
      }
      break;
    case Kernel::DepthwiseV2: {
      Scatter s =
          scatterOf(in, g, k0_, k1_, first_, first_ + F, weights_.data(), F);
      s.wC = F;
      s.depthwise = true;
      s.shift = inShift_.data();
      s.shiftBase = shiftBase;
      scatterConv<Acc>(s, sums, act_);
      break;
    }
    case Kernel::Dense1D: { // row-major flatten: the HWC order
      sums.assign(static_cast<size_t>(F), Acc(0));
      const int64_t n = g.h * g.w * g.c;
      for (int64_t i = 0; i < n; ++i) {
        int64_t v = in.values[size_t(i)];
        if (v == 0)
          continue;
        v *= int64_t(1) << inShift_[size_t(i % g.c)];
        ++act_.eventsIn;
        const int64_t *wr = weights_.data() + i * F;
        for (int64_t f = 0; f < F; ++f)
          sums[size_t(f)] += static_cast<Acc>(v) * wr[f];
        act_.synapticOps += F;
      }
      break;
    }
    default: { // TransposeV2, stride 2, "same"
      const int64_t k = kernelSize_, pad = std::max<int64_t>(k - 2, 0) / 2;
      const int64_t cols = x1_ - x0_, C = g.c;
      sums.assign(static_cast<size_t>(g.oh * cols * F), Acc(0));
      const int64_t chLo = depthwise_ ? first_ : 0;
      const int64_t chHi = depthwise_ ? first_ + F : C;
      for (int64_t iy = 0; iy < g.h; ++iy)
        for (int64_t ix = k0_; ix < k1_; ++ix)
          for (int64_t c = chLo; c < chHi; ++c) {
            int64_t v = in.values[size_t((iy * g.w + ix) * C + c)];
            if (v == 0)
              continue;
            v *= int64_t(1) << inShift_[size_t(c - shiftBase)];
            ++act_.eventsIn;
            for (int64_t ky = 0; ky < k; ++ky) {
              const int64_t oy = 2 * iy + ky - pad;
              if (oy < 0 || oy >= g.oh)
                continue;
              for (int64_t kx = 0; kx < k; ++kx) {
                const int64_t ox = 2 * ix + kx - pad;
                if (ox < x0_ || ox >= x1_)
                  continue;
                Acc *a = sums.data() + (oy * cols + (ox - x0_)) * F;
                if (depthwise_) {
                  a[c - first_] += static_cast<Acc>(v) *
                                   weights_[size_t((ky * k + kx) * F + c - first_)];
                  ++act_.synapticOps;
                  continue;
                }
                const int64_t *wr = weights_.data() + ((ky * k + kx) * C + c) * F;
                for (int64_t f = 0; f < F; ++f)
                  a[f] += static_cast<Acc>(v) * wr[f];
                act_.synapticOps += F;
              }
            }
          }
      break;
    }
    }
    std::vector<int64_t> acc(sums.size());
    for (size_t i = 0; i < sums.size(); ++i)
      acc[i] = clampTo(sums[i], lo, hi);
    return acc;
  };

  long double terms = (long double)g.kh * g.kw * (depthwise_ ? 1 : g.c);
  if (kernel_ == Kernel::Dense1D)
    terms = (long double)g.h * g.w * g.c;
  if (kernel_ == Kernel::TransposeV2)
    terms = (long double)kernelSize_ * kernelSize_ * (depthwise_ ? 1 : g.c);
  std::vector<int64_t> acc = fitsInt64(maxX, maxW, terms)
                                 ? accumulate(int64_t(0))
                                 : accumulate(i128(0));
  addBias(acc);
  if (kernel_ == Kernel::ConvV2 || kernel_ == Kernel::DepthwiseV2) {
    poolAndFinish(g, x0_, x1_, acc, F, lo, hi, out_, finish);
    return;
  }
  for (size_t i = 0; i < acc.size(); ++i)
    out_.values[i] = finish(acc[i], static_cast<int64_t>(i % size_t(F)));
}

void Unit::runTemporal() {
  const Geometry &g = g_;
  const int64_t F = count_;
  const Port &in = port(0);
  const int64_t T = fifoSize_, C = g.c, frame = g.h * g.w * C;
  const int64_t lo = ref::intMin(bufferBits_, true);
  const int64_t hi = ref::intMax(bufferBits_, true);
  if (static_cast<int64_t>(fifo_.size()) != T * frame)
    fifo_.assign(static_cast<size_t>(T * frame), 0);
  // Drop the oldest frame; the input-shifted current one becomes t = T - 1.
  std::move(fifo_.begin() + frame, fifo_.end(), fifo_.begin());
  const int64_t shiftBase = depthwise_ ? first_ : 0;
  int64_t *cur = fifo_.data() + (T - 1) * frame;
  for (int64_t p = 0; p < g.h * g.w; ++p)
    for (int64_t c = 0; c < C; ++c) {
      const bool mine = !depthwise_ || (c >= first_ && c < first_ + F);
      int64_t v = mine ? in.values[size_t(p * C + c)] : 0;
      if (v != 0) {
        v *= int64_t(1) << inShift_[size_t(c - shiftBase)];
        const int64_t x = p % g.w;
        act_.eventsIn += x >= k0_ && x < k1_;
      }
      cur[p * C + c] = v;
    }
  std::vector<int64_t> acc(static_cast<size_t>(g.h * (x1_ - x0_) * F));
  for (int64_t y = 0; y < g.h; ++y)
    for (int64_t x = x0_; x < x1_; ++x) {
      const int64_t p = y * g.w + x;
      int64_t *a = acc.data() + (y * (x1_ - x0_) + (x - x0_)) * F;
      for (int64_t f = 0; f < F; ++f) {
        i128 sum = 0;
        for (int64_t t = 0; t < T; ++t) {
          const int64_t *fr = fifo_.data() + t * frame + p * C;
          if (depthwise_) {
            sum += static_cast<i128>(weights_[size_t(t * F + f)]) * fr[first_ + f];
            continue;
          }
          for (int64_t c = 0; c < C; ++c)
            if (fr[c])
              sum += static_cast<i128>(weights_[size_t((t * C + c) * F + f)]) *
                     fr[c];
        }
        a[f] = clampTo(sum, lo, hi);
        act_.synapticOps += T * (depthwise_ ? 1 : C);
      }
    }
  for (size_t i = 0; i < acc.size(); ++i) {
    const size_t ch = i % static_cast<size_t>(F);
    const int64_t v =
        hasBias_ ? ref::saturate(acc[i] + bias_[ch], bufferBits_, true)
                 : acc[i];
    out_.values[i] = finishV2(v, ch);
  }
}

int64_t Unit::finishV2(int64_t acc, size_t ch) const {
  int64_t v = acc;
  switch (v2Act_) {
  case Activation::ReLU:
    v = std::max<int64_t>(v, 0);
    if (hasClip_)
      v = std::min(v, clip_[ch]);
    break;
  case Activation::LUT: {
    const int64_t half = static_cast<int64_t>(lut_.size()) / 2;
    int64_t idx = ref::roundShift(acc * actScale_[ch], actShift_[ch]);
    idx = std::clamp(idx, -half, half - 1);
    v = lut_[static_cast<size_t>(idx + half)];
    break;
  }
  case Activation::NoActivation:
    break;
  }
  v = ref::saturate(v, postBits_, true);
  const int64_t y = ref::roundShift(v * outScale_[ch], outShift_[ch]);
  return ref::saturate(y, rec_.output.bits, rec_.output.isSigned);
}

} // namespace akida::sim
