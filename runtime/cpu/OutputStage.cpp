//===- OutputStage.cpp - From exact sums to a layer's outputs -------------===//

#include "runtime/cpu/OutputStage.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace akida::cpu {

namespace {

/// The reference's cap on bias_shift and max_value_shift (semantics.md,
/// decision 7): any larger shift saturates a 32-bit value the same way.
constexpr int64_t kShiftCap = 40;

[[noreturn]] void fail(const LayerDesc &layer, const std::string &what) {
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + "): " + what);
}

std::vector<int64_t> ints(const LayerDesc &layer, const std::string &name) {
  auto it = layer.variables.find(name);
  return it == layer.variables.end() ? std::vector<int64_t>{}
                                     : it->second.array.ints();
}

/// A per-channel variable expanded to `count` values (a (1) variable
/// repeated, `neutral` when absent), as the reference reads it.
std::vector<int64_t> perChannel(const LayerDesc &layer, const std::string &name,
                                int64_t count, int64_t neutral) {
  auto it = layer.variables.find(name);
  if (it == layer.variables.end())
    return std::vector<int64_t>(count, neutral);
  std::vector<int64_t> v = it->second.array.ints();
  if (static_cast<int64_t>(v.size()) == count)
    return v;
  if (v.size() == 1)
    return std::vector<int64_t>(count, v[0]);
  fail(layer, "variable '" + name + "' has " + std::to_string(v.size()) +
                  " values but must have 1 or " + std::to_string(count));
}

int bits(const LayerDesc &layer, const char *name) {
  int64_t b = param(layer, name);
  if (b < 1 || b > 32)
    fail(layer, std::string("'") + name + "' is " + std::to_string(b) +
                    " but must be between 1 and 32");
  return static_cast<int>(b);
}

} // namespace

OutputStage OutputStage::v1(const LayerDesc &layer, const ActType &out) {
  OutputStage s;
  s.isV1_ = true;
  s.channels_ = out.shape[2];
  s.outBits_ = out.bits;
  s.outSigned_ = out.isSigned;
  const int64_t activation = param(layer, "activation");
  if (activation != 0 && activation != 1)
    fail(layer, "'activation' is " + std::to_string(activation) +
                    " but must be 0 or 1");
  s.v1Active_ = activation == 1;
  s.threshold_ = ints(layer, "threshold");
  auto it = layer.variables.find("act_step");
  if (it == layer.variables.end())
    fail(layer, "variable 'act_step' is missing");
  s.step_ = it->second.array.floats();
  if (static_cast<int64_t>(s.threshold_.size()) != s.channels_ ||
      static_cast<int64_t>(s.step_.size()) != s.channels_)
    fail(layer, "'threshold' and 'act_step' must have one value per output");
  if (s.v1Active_)
    for (float step : s.step_)
      if (!std::isfinite(step) || !(step > 0.0f))
        fail(layer, "steps of an activation must be finite and > 0");
  s.monotone_ = true;
  s.buildFast();
  return s;
}

OutputStage OutputStage::v2(const LayerDesc &layer, const ActType &out) {
  OutputStage s;
  s.isV1_ = false;
  const int64_t f = out.shape[2];
  s.channels_ = f;
  s.outBits_ = out.bits;
  s.outSigned_ = out.isSigned;
  s.bufferBits_ = bits(layer, "buffer_bits");
  s.postBits_ = bits(layer, "post_op_buffer_bits");
  s.bufMin_ = ref::intMin(s.bufferBits_, true);
  s.bufMax_ = ref::intMax(s.bufferBits_, true);
  const int64_t act = param(layer, "activation");
  if (act < 0 || act > 2)
    fail(layer, "'activation' is " + std::to_string(act) +
                    " but must be 0 (none), 1 (ReLU) or 2 (LUT)");
  s.activation_ = static_cast<Activation>(act);
  s.hasBias_ = layer.variables.count("bias") != 0;
  if (s.hasBias_) {
    s.bias_ = perChannel(layer, "bias", f, 0);
    std::vector<int64_t> shift = perChannel(layer, "bias_shift", f, 0);
    for (int64_t i = 0; i < f; ++i)
      s.bias_[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
  }
  s.hasClip_ = s.activation_ == Activation::ReLU &&
               layer.variables.count("max_value") != 0;
  if (s.hasClip_) {
    s.clip_ = perChannel(layer, "max_value", f, 0);
    std::vector<int64_t> shift = perChannel(layer, "max_value_shift", f, 0);
    for (int64_t i = 0; i < f; ++i)
      s.clip_[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
  }
  if (s.activation_ == Activation::LUT) {
    if (!layer.variables.count("lut_values"))
      fail(layer, "activation is LUT but variable 'lut_values' is missing");
    s.lut_ = ints(layer, "lut_values");
    s.lutHalf_ = static_cast<int64_t>(s.lut_.size()) / 2;
    s.actScale_ = perChannel(layer, "activation_scales", f, 1);
    s.actShift_ = perChannel(layer, "activation_shift", f, 0);
  }
  s.outScale_ = perChannel(layer, "output_scales", f, 1);
  s.outShift_ = perChannel(layer, "output_shift", f, 0);
  // ReLU, clip, saturations and a non-negative scale are all
  // non-decreasing; a LUT need not be.
  s.monotone_ = s.activation_ != Activation::LUT;
  for (int64_t v : s.outScale_)
    s.monotone_ = s.monotone_ && v >= 0;
  s.buildFast();
  return s;
}

int64_t OutputStage::core(int64_t v, int64_t ch) const {
  const int64_t acc = v;
  switch (activation_) {
  case Activation::ReLU:
    v = std::max<int64_t>(v, 0);
    if (hasClip_)
      v = std::min(v, clip_[ch]);
    break;
  case Activation::LUT: {
    int64_t idx = ref::roundShift(acc * actScale_[ch], actShift_[ch]);
    idx = std::clamp(idx, -lutHalf_, lutHalf_ - 1);
    v = lut_[idx + lutHalf_];
    break;
  }
  case Activation::NoActivation:
    break;
  }
  v = ref::saturate(v, postBits_, true);
  const int64_t y = ref::roundShift(v * outScale_[ch], outShift_[ch]);
  return ref::saturate(y, outBits_, outSigned_);
}

int64_t OutputStage::poolTerm(int64_t acc, int64_t ch) const {
  if (isV1_)
    return acc;
  int64_t a = std::clamp(acc, bufMin_, bufMax_);
  if (hasBias_)
    a = std::clamp(a + bias_[ch], bufMin_, bufMax_);
  return a;
}

int64_t OutputStage::finish(int64_t acc, int64_t ch) const {
  if (isV1_)
    return v1Active_ ? ref::v1Activate(acc, threshold_[ch], step_[ch], outBits_)
                     : ref::saturate(acc, 32, true);
  return core(poolTerm(acc, ch), ch);
}

int64_t OutputStage::finishSum(int64_t sum, int64_t ch) const {
  if (isV1_)
    return finish(sum, ch);
  return core(std::clamp(sum, bufMin_, bufMax_), ch);
}

int64_t FixedPoint::apply(int64_t acc) const {
  const int64_t t = std::clamp<int64_t>(acc, lo, hi) - int64_t(lo);
  int64_t q;
  if (form == StageForm::Float) // as vfmadd: one rounding, then floor
    q = static_cast<int64_t>(
        std::floor(std::fma(static_cast<float>(t), fa, fb)));
  else
    q = static_cast<int64_t>((__int128(t) * mul + add) >> shift);
  return std::min<int64_t>(q, top) + offset;
}

namespace {

/// The float form: q(x) = floor(fma(x, a, b)) stepping exactly at the
/// thresholds, x counted from `origin`. Candidates for a around the mean
/// slope and inside the exact slope interval, b in the middle of what the
/// steps allow; each checked with the float arithmetic itself. With
/// `zeroAtOrigin` (the clamped form, whose x starts at 0 = the first
/// threshold) q(0) must be 0; without it (the saturating form, x the sum
/// itself, any int32), values below the first step may fall below 0 and
/// |a| 2^31 + |b| must stay below 2^31 (slopes below 1, the steps of
/// under a unit taking slopes between 1/2 and 1).
bool fitFloat(const std::vector<int64_t> &thresholds, int64_t origin,
              bool zeroAtOrigin, double amin, double amax, double step,
              float &fa, float &fb) {
  const bool bounded = !zeroAtOrigin;
  const int64_t m = static_cast<int64_t>(thresholds.size());
  const int64_t first = thresholds.front() - origin;
  const int64_t last = thresholds.back() + 1 - origin;
  if (std::max(std::llabs(first), std::llabs(last)) >= (int64_t(1) << 24))
    return false; // x must convert to float exactly
  auto q = [](int64_t x, float a, float b) {
    return std::floor(std::fma(static_cast<float>(x), a, b));
  };
  auto works = [&](float a, float b) {
    if (zeroAtOrigin && q(0, a, b) != 0.0f)
      return false;
    if (bounded && std::fabs(double(a)) * 2147483648.0 + std::fabs(double(b)) >=
                       2147483648.0 - 256.0)
      return false;
    for (int64_t k = 0; k < m; ++k) {
      const int64_t x = thresholds[k] - origin;
      if (q(x, a, b) > float(k) || q(x + 1, a, b) < float(k + 1))
        return false;
    }
    return true;
  };
  std::vector<float> slopes;
  float base = static_cast<float>(1.0 / step);
  for (int u = 0; u < 4; ++u) {
    slopes.push_back(base);
    slopes.push_back(std::nextafter(base, 0.0f));
    base = std::nextafter(base, 1e30f);
  }
  if (amax > amin && amax < 1e30)
    slopes.push_back(static_cast<float>((amin + amax) / 2));
  if (bounded) {
    slopes.push_back(std::min(static_cast<float>(1.0 / step), 0.75f));
    if (amax > amin && amin < 0.99)
      slopes.push_back(static_cast<float>((amin + std::min(amax, 0.99)) / 2));
  }
  for (float a : slopes) {
    if (!(a > 0))
      continue;
    double lowB = zeroAtOrigin ? 0 : -1e300, highB = zeroAtOrigin ? 1 : 1e300;
    for (int64_t k = 0; k < m; ++k) {
      const double x = double(thresholds[k] - origin);
      lowB = std::max(lowB, double(k + 1) - (x + 1) * a);
      highB = std::min(highB, double(k + 1) - x * a);
    }
    if (lowB >= highB)
      continue;
    for (double w : {0.5, 0.25, 0.75, 0.1, 0.9}) {
      const float b = static_cast<float>(lowB + (highB - lowB) * w);
      if (works(a, b)) {
        fa = a;
        fb = b;
        return true;
      }
    }
  }
  return false;
}

struct Slopes {
  double amin = 0, amax = 1e300;
};

/// The mean distance between thresholds, at least 1 / (m + 1).
double meanStep(const std::vector<int64_t> &thresholds) {
  const int64_t m = static_cast<int64_t>(thresholds.size());
  const double step =
      m >= 2 ? double(thresholds.back() - thresholds.front()) / double(m - 1)
             : 1.0;
  return std::max(step, 1.0 / double(m + 1));
}

/// The exact slope interval (amin, amax) of the staircase: for levels
/// j < k, q climbs k - j between thresholds x_j and x_k.
Slopes slopesOf(const std::vector<int64_t> &thresholds) {
  const int64_t m = static_cast<int64_t>(thresholds.size());
  Slopes s;
  for (int64_t j = 0; j < m; ++j)
    for (int64_t k = j + 1; k < m; ++k) {
      const double dx = double(thresholds[k] - thresholds[j]);
      s.amin = std::max(s.amin, double(k - j) / (dx + 1));
      if (dx > 1)
        s.amax = std::min(s.amax, double(k - j) / (dx - 1));
    }
  return s;
}

} // namespace

bool fitFixedPoint(const std::vector<int64_t> &thresholds, int64_t gmin,
                   StageForm form, FixedPoint &out) {
  using i128 = __int128;
  const int64_t m = static_cast<int64_t>(thresholds.size());
  out = FixedPoint{};
  out.form = form;
  if (gmin < INT32_MIN || gmin > INT32_MAX || gmin + m > INT32_MAX)
    return false;
  out.offset = static_cast<int32_t>(gmin);
  if (m == 0)
    return true; // constant
  const int64_t lo = thresholds.front(), hi = thresholds.back() + 1;
  if (lo < INT32_MIN || hi > INT32_MAX)
    return false;
  const int64_t range = hi - lo;
  const bool wide = form == StageForm::Int64;
  const i128 limit = wide ? i128(INT64_MAX) : i128(INT32_MAX);
  // The slope (in units of 2^shift) must lie in (amin, amax): for levels
  // j < k, q climbs k - j between thresholds x_j and x_k. The guess from
  // the mean step usually lands inside; steps below one accumulator unit
  // (several levels at once) need the exact interval, computed on demand.
  std::optional<Slopes> bounds;
  const double step = meanStep(thresholds);
  auto tryFit = [&](int s, int64_t a) {
    if (a < 1 || a > UINT32_MAX || i128(range) * a > limit)
      return false;
    const i128 one = i128(1) << s;
    // q(x) = (x * a + b) >> s must satisfy, for threshold x_k:
    // q(x_k) <= k and q(x_k + 1) >= k + 1 (the output then clamps at m);
    // and q(0) >= 0.
    i128 lowB = 0, highB = limit - i128(range) * a;
    for (int64_t k = 0; k < m; ++k) {
      const i128 x = thresholds[k] - lo;
      lowB = std::max(lowB, (k + 1) * one - (x + 1) * a);
      highB = std::min(highB, (k + 1) * one - x * a - 1);
    }
    if (lowB > highB)
      return false;
    out.lo = static_cast<int32_t>(lo);
    out.hi = static_cast<int32_t>(hi);
    out.mul = a;
    out.add = static_cast<int64_t>(lowB);
    out.shift = s;
    out.top = static_cast<int32_t>(m);
    return true;
  };
  if (form == StageForm::Float) {
    bounds = slopesOf(thresholds);
    if (!fitFloat(thresholds, lo, true, bounds->amin, bounds->amax, step,
                  out.fa, out.fb))
      return false;
    out.lo = static_cast<int32_t>(lo);
    out.hi = static_cast<int32_t>(hi);
    out.top = static_cast<int32_t>(m);
    return true;
  }
  for (int s = wide ? 62 : 30; s >= 0; --s) {
    const double base = std::ldexp(1.0, s) / step;
    if (base < 4294967295.0 && double(range) * base <= double(limit))
      for (int d : {0, 1, -1, 2, -2, 3, -3})
        if (tryFit(s, std::llround(base) + d))
          return true;
    if (!bounds)
      bounds = slopesOf(thresholds);
    const double lowA = std::ldexp(bounds->amin, s),
                 highA = std::ldexp(bounds->amax, s);
    if (lowA >= 4294967295.0 || double(range) * lowA > double(limit))
      continue;
    const int64_t first = static_cast<int64_t>(std::floor(lowA)) + 1;
    for (int64_t a : {first, first + 1,
                      static_cast<int64_t>(std::min(highA, 4294967295.0) / 2 +
                                           lowA / 2)})
      if (tryFit(s, a))
        return true;
  }
  return false;
}

int64_t SaturatingFloat::apply(int64_t acc) const {
  const float q = std::floor(std::fma(static_cast<float>(acc), a, b));
  return std::clamp<int64_t>(static_cast<int64_t>(q), 0, top);
}

bool fitSaturatingFloat(const std::vector<int64_t> &thresholds,
                        SaturatingFloat &out) {
  const int64_t m = static_cast<int64_t>(thresholds.size());
  out = SaturatingFloat{};
  if (m > 255)
    return false;
  out.top = static_cast<int32_t>(m);
  if (m == 0)
    return true; // always 0
  // The slopes around the mean step first, the exact interval (quadratic
  // in the levels) only when they fail.
  const double step = meanStep(thresholds);
  if (!fitFloat(thresholds, 0, false, -1, -1, step, out.a, out.b)) {
    const Slopes bounds = slopesOf(thresholds);
    if (!fitFloat(thresholds, 0, false, bounds.amin, bounds.amax, step, out.a,
                  out.b))
      return false;
  }
  return true;
}

void OutputStage::buildFast() {
  hasFast_ = false;
  if (!monotone_ || outBits_ > 8 || (isV1_ && !v1Active_))
    return;
  // The steps of every channel: thresholds[k] is the largest p with
  // finish(p) <= gmin + k, found by galloping up from the previous
  // threshold then bisecting.
  std::vector<std::vector<int64_t>> steps(channels_);
  std::vector<int64_t> gmins(channels_);
  for (int64_t ch = 0; ch < channels_; ++ch) {
    const int64_t gmin = finish(INT32_MIN, ch), gmax = finish(INT32_MAX, ch);
    if (gmax < gmin || gmax - gmin > 255)
      return;
    gmins[ch] = gmin;
    std::vector<int64_t> &thresholds = steps[ch];
    int64_t good = INT32_MIN;
    for (int64_t k = 0; k < gmax - gmin; ++k) {
      const int64_t target = gmin + k;
      int64_t stepUp = 1, bad = INT32_MAX;
      while (good + stepUp < INT32_MAX) {
        if (finish(good + stepUp, ch) > target) {
          bad = good + stepUp;
          break;
        }
        good += stepUp;
        stepUp *= 2;
      }
      // finish(good) <= target < finish(bad) (finish(INT32_MAX) = gmax).
      while (bad - good > 1) {
        int64_t mid = good + (bad - good) / 2;
        (finish(mid, ch) <= target ? good : bad) = mid;
      }
      thresholds.push_back(good);
    }
  }
  // Whether a fitted form equals the stage on channel ch: equal at every
  // step, one past it and at both ends, and both non-decreasing: equal
  // everywhere on int32.
  auto proved = [&](int64_t ch, const auto &form) {
    auto same = [&](int64_t p) { return form.apply(p) == finish(p, ch); };
    if (!same(INT32_MIN) || !same(INT32_MAX))
      return false;
    for (int64_t t : steps[ch])
      if (!same(t) || !same(t + 1))
        return false;
    return true;
  };
  // One form for the whole layer: the cheapest every channel fits.
  std::vector<FixedPoint> fits(channels_);
  for (StageForm form :
       {StageForm::Int32, StageForm::Float, StageForm::Int64}) {
    bool all = true;
    for (int64_t ch = 0; ch < channels_ && all; ++ch) {
      all = fitFixedPoint(steps[ch], gmins[ch], form, fits[ch]) &&
            proved(ch, fits[ch]);
    }
    if (!all)
      continue;
    const int64_t padded = (channels_ + 15) / 16 * 16;
    FastStage f;
    f.form = form;
    for (auto *v : {&f.lo, &f.hi, &f.mul, &f.add, &f.shift, &f.top, &f.offset})
      v->assign(padded, 0);
    for (auto *v : {&f.mul64, &f.add64, &f.shift64})
      v->assign(padded, 0);
    f.fa.assign(padded, 0.0f);
    f.fb.assign(padded, 0.0f);
    f.addAtZero.assign(padded, 0);
    f.noTop = f.noOffset = true;
    f.folded = form == StageForm::Int32;
    for (int64_t ch = 0; ch < channels_; ++ch) {
      const FixedPoint &fp = fits[ch];
      f.lo[ch] = fp.lo;
      f.hi[ch] = fp.hi;
      f.top[ch] = fp.top;
      f.offset[ch] = fp.offset;
      f.mul[ch] = static_cast<int32_t>(fp.mul);
      f.add[ch] = static_cast<int32_t>(fp.add);
      f.shift[ch] = static_cast<int32_t>(fp.shift);
      f.mul64[ch] = fp.mul;
      f.add64[ch] = fp.add;
      f.shift64[ch] = fp.shift;
      f.fa[ch] = fp.fa;
      f.fb[ch] = fp.fb;
      // The shortcuts hold for every channel or are not taken.
      FixedPoint noClamp = fp;
      noClamp.top = INT32_MAX;
      f.noTop = f.noTop && noClamp.apply(fp.hi) <= int64_t(fp.top) + fp.offset;
      f.noOffset = f.noOffset && fp.offset == 0;
      if (form == StageForm::Int32) {
        const int64_t addAtZero = fp.add - int64_t(fp.lo) * fp.mul;
        const int64_t extreme =
            std::max(std::llabs(int64_t(fp.lo)), std::llabs(int64_t(fp.hi))) *
                fp.mul +
            std::llabs(addAtZero);
        f.folded = f.folded && extreme <= INT32_MAX;
        f.addAtZero[ch] = static_cast<int32_t>(
            std::clamp<int64_t>(addAtZero, INT32_MIN, INT32_MAX));
      }
    }
    // The saturating form, where every channel starts at 0 and has one.
    f.sa.assign(padded, 0.0f);
    f.sb.assign(padded, 0.0f);
    f.top8.assign(padded + 64, 0);
    f.saturating = true;
    for (int64_t ch = 0; ch < channels_ && f.saturating; ++ch) {
      SaturatingFloat sf;
      f.saturating =
          gmins[ch] == 0 && fitSaturatingFloat(steps[ch], sf) && proved(ch, sf);
      f.sa[ch] = sf.a;
      f.sb[ch] = sf.b;
      f.top8[ch] = static_cast<uint8_t>(sf.top);
    }
    fast_ = std::move(f);
    hasFast_ = true;
    return;
  }
}

} // namespace akida::cpu
