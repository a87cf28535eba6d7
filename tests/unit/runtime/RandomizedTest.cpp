//===- RandomizedTest.cpp - runLayer against a naive implementation -------===//
//
// A second implementation of the layer semantics (docs/runtime/semantics.md),
// written independently and deliberately naively: one straight loop nest per
// output value, 128-bit arithmetic throughout, its own padding and rounding
// code, and none of Arithmetic.h or Shapes.cpp. Random layers (odd sizes, 1x1
// edges, strides 1-3, every padding and pooling, every bit width, variable
// values that saturate) must give bit-identical outputs in both.
//
//===----------------------------------------------------------------------===//

#include "RefTestUtil.h"

#include <cmath>
#include <deque>
#include <random>
#include <sstream>

using namespace akida;
using namespace akida::ref;
using namespace akida::ref::test;

namespace {

using i128 = __int128;

//===----------------------------------------------------------------------===//
// The naive arithmetic
//===----------------------------------------------------------------------===//

i128 pow2(int k) { return static_cast<i128>(1) << k; }

i128 naiveClamp(i128 v, int bits, bool isSigned) {
  i128 lo = isSigned ? -pow2(bits - 1) : 0;
  i128 hi = isSigned ? pow2(bits - 1) - 1 : pow2(bits) - 1;
  return v < lo ? lo : (v > hi ? hi : v);
}

/// floor(a / b) for b > 0, by truncating division and a correction.
i128 floorDiv(i128 a, i128 b) {
  i128 q = a / b;
  if (q * b > a)
    q -= 1;
  return q;
}

/// v * 2^s, or v / 2^-s rounded half up.
i128 naiveShift(i128 v, int s) {
  if (s >= 0)
    return v * pow2(s);
  return floorDiv(2 * v + pow2(-s), pow2(-s + 1));
}

/// Output size and padding before, computed the way the rule is stated:
/// same / same_upper keep ceil(in / stride) outputs and pad what the last
/// window needs; same puts the odd unit after, same_upper before.
int64_t naiveOut(int64_t in, int64_t k, int64_t s, int64_t padding) {
  if (padding == 0)
    return (in - k) / s + 1;
  int64_t out = 0;
  while (out * s < in)
    ++out;
  return out;
}
int64_t naivePadBefore(int64_t in, int64_t k, int64_t s, int64_t padding) {
  if (padding == 0)
    return 0;
  int64_t lastEnd = (naiveOut(in, k, s, padding) - 1) * s + k; // exclusive
  int64_t total = lastEnd > in ? lastEnd - in : 0;
  return padding == 1 ? total / 2 : total - total / 2;
}

/// The v1 activation by its definition: the output counts the levels n
/// (0 <= n < 2^bits - 1) such that p > T + n * s_eff. In double, which is
/// exact here: |p - T| < 2^53 and n * s_eff needs at most 28 bits.
int64_t naiveActivate(int64_t p, int64_t t, float step, int bits) {
  double d = static_cast<double>(p - t);
  double s = static_cast<double>(step) * std::pow(2.0, 4 - bits);
  int64_t out = 0;
  for (int64_t n = 0; n < (int64_t(1) << bits) - 1; ++n)
    if (d > static_cast<double>(n) * s)
      ++out;
  return out;
}

/// Max (kind 1) or sum (kind 2) pooling of (n, h, w, c) values; max windows
/// ignore positions outside the input.
std::vector<i128> naivePool(const std::vector<i128> &v, int64_t n, int64_t h,
                            int64_t w, int64_t c, int64_t kind, int64_t kh,
                            int64_t kw, int64_t sh, int64_t sw, int64_t padding,
                            int64_t &oh, int64_t &ow) {
  std::vector<i128> out;
  if (kind == 2) {
    oh = ow = 1;
    for (int64_t s = 0; s < n; ++s)
      for (int64_t ch = 0; ch < c; ++ch) {
        i128 sum = 0;
        for (int64_t y = 0; y < h; ++y)
          for (int64_t x = 0; x < w; ++x)
            sum += v[((s * h + y) * w + x) * c + ch];
        out.push_back(sum);
      }
    return out;
  }
  oh = naiveOut(h, kh, sh, padding);
  ow = naiveOut(w, kw, sw, padding);
  int64_t pt = naivePadBefore(h, kh, sh, padding);
  int64_t pl = naivePadBefore(w, kw, sw, padding);
  for (int64_t s = 0; s < n; ++s)
    for (int64_t py = 0; py < oh; ++py)
      for (int64_t px = 0; px < ow; ++px)
        for (int64_t ch = 0; ch < c; ++ch) {
          bool any = false;
          i128 best = 0;
          for (int64_t y = py * sh - pt; y < py * sh - pt + kh; ++y)
            for (int64_t x = px * sw - pl; x < px * sw - pl + kw; ++x) {
              if (y < 0 || y >= h || x < 0 || x >= w)
                continue;
              i128 val = v[((s * h + y) * w + x) * c + ch];
              if (!any || val > best)
                best = val;
              any = true;
            }
          out.push_back(best);
        }
  return out;
}

//===----------------------------------------------------------------------===//
// Random helpers
//===----------------------------------------------------------------------===//

struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen); }
  template <typename T> T pick(std::initializer_list<T> list) {
    return *(list.begin() + uniform(0, static_cast<int64_t>(list.size()) - 1));
  }
  /// A value of a `bits`-wide integer, extremes favoured.
  int64_t value(int bits, bool isSigned) {
    int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
    int64_t hi =
        isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
    int64_t r = uniform(0, 9);
    if (r == 0)
      return lo;
    if (r == 1)
      return hi;
    if (r < 4)
      return 0;
    return uniform(lo, hi);
  }
  std::vector<int64_t> values(int64_t count, int bits, bool isSigned) {
    std::vector<int64_t> v(count);
    for (auto &x : v)
      x = value(bits, isSigned);
    return v;
  }
  /// Weights of `bits`: {0, 1} for 1 bit, signed otherwise.
  std::vector<int64_t> weights(int64_t count, int bits) {
    std::vector<int64_t> v(count);
    for (auto &x : v)
      x = bits == 1 ? uniform(0, 1)
                    : uniform(-(int64_t(1) << (bits - 1)),
                              (int64_t(1) << (bits - 1)) - 1);
    return v;
  }
};

std::string str(const std::vector<int64_t> &v) {
  std::ostringstream os;
  for (size_t i = 0; i < v.size() && i < 64; ++i)
    os << (i ? "," : "") << v[i];
  if (v.size() > 64)
    os << ",...";
  return os.str();
}

std::string describe(const LayerDesc &l) {
  std::ostringstream os;
  os << layerTypeName(l.type) << " {";
  for (const auto &[k, v] : l.params)
    os << k << "=" << v << " ";
  os << "}";
  for (const auto &[k, v] : l.variables)
    if (v.array.dtype == DType::Float32) {
      os << " " << k << "=[";
      for (float f : v.array.floats())
        os << f << " ";
      os << "]";
    } else {
      os << " " << k << "=[" << str(v.array.ints()) << "]";
    }
  return os.str();
}

//===----------------------------------------------------------------------===//
// Akida 1.0
//===----------------------------------------------------------------------===//

struct V1Case {
  LayerType type = LayerType::Convolutional;
  int64_t n = 1, h = 1, w = 1, c = 1, f = 1;
  int64_t kx = 1, ky = 1, sx = 1, sy = 1, padding = 1, padValue = 0;
  int64_t pool = 0, px = 1, py = 1, psx = 1, psy = 1;
  int64_t activation = 1, actBits = 1, weightsBits = 1, inBits = 1;
  std::vector<int64_t> x, weights, pointwise, threshold;
  std::vector<float> steps;
};

/// Every potential of the case (before pooling), in (n, oh, ow, f) order.
std::vector<i128> naiveV1Potentials(const V1Case &k, int64_t &oh, int64_t &ow) {
  std::vector<i128> p;
  auto X = [&](int64_t s, int64_t y, int64_t x, int64_t ch) -> i128 {
    if (y < 0 || y >= k.h || x < 0 || x >= k.w)
      return k.type == LayerType::InputConvolutional ? k.padValue : 0;
    return k.x[((s * k.h + y) * k.w + x) * k.c + ch];
  };
  if (k.type == LayerType::FullyConnected) {
    oh = ow = 1;
    for (int64_t s = 0; s < k.n; ++s)
      for (int64_t f = 0; f < k.f; ++f) {
        i128 sum = 0;
        for (int64_t row = 0; row < k.h; ++row)
          for (int64_t col = 0; col < k.w; ++col)
            for (int64_t ch = 0; ch < k.c; ++ch)
              sum += X(s, row, col, ch) *
                     k.weights[(ch * k.h * k.w + col * k.h + row) * k.f + f];
        p.push_back(sum);
      }
    return p;
  }
  oh = naiveOut(k.h, k.kx, k.sx, k.padding);
  ow = naiveOut(k.w, k.ky, k.sy, k.padding);
  int64_t top = naivePadBefore(k.h, k.kx, k.sx, k.padding);
  int64_t left = naivePadBefore(k.w, k.ky, k.sy, k.padding);
  bool flip = k.type != LayerType::InputConvolutional;
  for (int64_t s = 0; s < k.n; ++s)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t f = 0; f < k.f; ++f) {
          i128 sum = 0;
          if (k.type == LayerType::SeparableConvolutional) {
            for (int64_t ch = 0; ch < k.c; ++ch) {
              i128 d = 0;
              for (int64_t i = 0; i < k.kx; ++i)
                for (int64_t j = 0; j < k.ky; ++j)
                  d +=
                      k.weights[((k.kx - 1 - i) * k.ky + (k.ky - 1 - j)) * k.c +
                                ch] *
                      X(s, oy * k.sx - top + i, ox * k.sy - left + j, ch);
              sum += d * k.pointwise[ch * k.f + f];
            }
          } else {
            for (int64_t i = 0; i < k.kx; ++i)
              for (int64_t j = 0; j < k.ky; ++j)
                for (int64_t ch = 0; ch < k.c; ++ch) {
                  int64_t wi = flip ? k.kx - 1 - i : i;
                  int64_t wj = flip ? k.ky - 1 - j : j;
                  sum += k.weights[((wi * k.ky + wj) * k.c + ch) * k.f + f] *
                         X(s, oy * k.sx - top + i, ox * k.sy - left + j, ch);
                }
          }
          p.push_back(sum);
        }
  return p;
}

std::vector<int64_t> naiveV1(const V1Case &k) {
  int64_t oh, ow;
  std::vector<i128> p = naiveV1Potentials(k, oh, ow);
  if (k.pool != 0)
    p = naivePool(p, k.n, oh, ow, k.f, k.pool, k.px, k.py, k.psx, k.psy,
                  k.padding, oh, ow);
  std::vector<int64_t> out;
  for (size_t i = 0; i < p.size(); ++i) {
    size_t f = i % k.f;
    if (k.activation)
      out.push_back(naiveActivate(static_cast<int64_t>(p[i]), k.threshold[f],
                                  k.steps[f], static_cast<int>(k.actBits)));
    else
      out.push_back(static_cast<int64_t>(naiveClamp(p[i], 32, true)));
  }
  return out;
}

LayerDesc v1Layer(const V1Case &k) {
  LayerDesc l = makeLayer(k.type, {{"weights_bits", k.weightsBits},
                                   {"activation", k.activation},
                                   {"act_bits", k.actBits}});
  if (k.type == LayerType::FullyConnected) {
    l.params["units"] = k.f;
    setInts(l, "weights", DType::Int8, {1, 1, k.h * k.w * k.c, k.f}, k.weights);
  } else {
    l.params["filters"] = k.f;
    l.params["kernel_size_x"] = k.kx;
    l.params["kernel_size_y"] = k.ky;
    l.params["kernel_stride_x"] = k.sx;
    l.params["kernel_stride_y"] = k.sy;
    l.params["padding"] = k.padding;
    l.params["pool_type"] = k.pool;
    if (k.pool == 1) {
      l.params["pool_size_x"] = k.px;
      l.params["pool_size_y"] = k.py;
      l.params["pool_stride_x"] = k.psx;
      l.params["pool_stride_y"] = k.psy;
    }
    if (k.type == LayerType::InputConvolutional)
      l.params["padding_value"] = k.padValue;
    if (k.type == LayerType::SeparableConvolutional) {
      setInts(l, "weights", DType::Int8, {k.kx, k.ky, k.c, 1}, k.weights);
      setInts(l, "weights_pw", DType::Int8, {1, 1, k.c, k.f}, k.pointwise);
    } else {
      setInts(l, "weights", DType::Int8, {k.kx, k.ky, k.c, k.f}, k.weights);
    }
  }
  setV1Act(l, k.threshold, k.steps);
  return l;
}

/// A float step of about `scale`, often an awkward one (0.1, 1/3, 0.7...).
float randomStep(Rng &r, double scale) {
  float base = r.pick({0.1f, 1.0f / 3.0f, 0.7f, 1.0f, 0.3f, 1.1f});
  if (r.chance(0.5))
    base = static_cast<float>(
        std::uniform_real_distribution<double>(0.5, 1.0)(r.gen));
  int e = static_cast<int>(std::floor(std::log2(std::max(scale, 0.01))));
  return std::ldexp(base, e + static_cast<int>(r.uniform(-3, 1)));
}

V1Case randomV1(Rng &r) {
  V1Case k;
  k.type =
      r.pick({LayerType::InputConvolutional, LayerType::Convolutional,
              LayerType::SeparableConvolutional, LayerType::FullyConnected});
  k.n = r.uniform(1, 2);
  k.h = r.uniform(1, 9);
  k.w = r.uniform(1, 9);
  k.c = k.type == LayerType::InputConvolutional ? r.pick<int64_t>({1, 3})
                                                : r.uniform(1, 4);
  k.f = r.uniform(1, 5);
  k.inBits = k.type == LayerType::InputConvolutional
                 ? 8
                 : static_cast<int>(r.pick<int64_t>({1, 2, 4, 8}));
  k.weightsBits = r.pick<int64_t>({1, 2, 4, 8});
  k.activation = r.chance(0.75);
  k.actBits = r.pick<int64_t>({1, 2, 4});
  if (k.type != LayerType::FullyConnected) {
    k.padding = r.uniform(0, 2);
    do {
      k.kx = r.uniform(1, 4);
      k.ky = r.uniform(1, 4);
    } while (k.padding == 0 && (k.kx > k.h || k.ky > k.w));
    k.sx = r.uniform(1, 3);
    k.sy = r.uniform(1, 3);
    k.pool = r.uniform(0, 2);
    if (k.pool == 1) {
      int64_t oh = naiveOut(k.h, k.kx, k.sx, k.padding);
      int64_t ow = naiveOut(k.w, k.ky, k.sy, k.padding);
      do {
        k.px = r.uniform(1, 3);
        k.py = r.uniform(1, 3);
      } while (k.padding == 0 && (k.px > oh || k.py > ow));
      k.psx = r.uniform(1, 3);
      k.psy = r.uniform(1, 3);
    }
    if (k.type == LayerType::InputConvolutional && r.chance(0.5))
      k.padValue = r.uniform(0, 255);
  }
  k.x = r.values(k.n * k.h * k.w * k.c, static_cast<int>(k.inBits), false);
  int64_t taps =
      k.type == LayerType::FullyConnected ? k.h * k.w * k.c : k.kx * k.ky * k.c;
  if (k.type == LayerType::SeparableConvolutional) {
    k.weights = r.weights(k.kx * k.ky * k.c, static_cast<int>(k.weightsBits));
    k.pointwise = r.weights(k.c * k.f, static_cast<int>(k.weightsBits));
  } else {
    k.weights = r.weights(taps * k.f, static_cast<int>(k.weightsBits));
  }
  // Thresholds and steps of the order of the potentials, so that every
  // output level occurs.
  double wMax = k.weightsBits == 1
                    ? 1.0
                    : std::ldexp(1.0, static_cast<int>(k.weightsBits) - 1);
  double scale = std::ldexp(1.0, static_cast<int>(k.inBits)) * wMax *
                 std::sqrt(static_cast<double>(taps));
  if (k.pool == 2)
    scale *= static_cast<double>(k.h * k.w);
  int64_t t = static_cast<int64_t>(scale);
  for (int64_t f = 0; f < k.f; ++f) {
    k.threshold.push_back(r.uniform(-t / 2, t / 2));
    k.steps.push_back(randomStep(r, scale / 16));
  }
  return k;
}

TEST(Randomized, V1LayersMatchNaive) {
  for (uint32_t seed = 0; seed < 4000; ++seed) {
    Rng r(1000 + seed);
    V1Case k = randomV1(r);
    LayerDesc l = v1Layer(k);
    Activations in =
        acts(actType(k.h, k.w, k.c, static_cast<int>(k.inBits)), k.n, k.x);
    Activations out = run(l, in);
    std::vector<int64_t> expected = naiveV1(k);
    ASSERT_EQ(out.ints, expected)
        << "seed " << seed << ": " << describe(l) << "\ninput " << k.h << "x"
        << k.w << "x" << k.c << " batch " << k.n << ": " << str(k.x);
  }
}

//===----------------------------------------------------------------------===//
// Akida 2.0
//===----------------------------------------------------------------------===//

struct V2Case {
  LayerType type = LayerType::Conv2D;
  int64_t n = 1, h = 1, w = 1, c = 1, f = 1;
  int64_t k = 1, stride = 1, padding = 1, pool = 0, poolSize = 1,
          poolStride = 1, fifo = 1;
  int64_t activation = 1, outBits = 8, bufferBits = 28, postBits = 32;
  int inBits = 8;
  bool inSigned = false;
  std::vector<int64_t> x, weights;
  // Optional variables (empty = absent).
  std::vector<int64_t> inputShift, bias, biasShift, outScales, outShift,
      maxValue, maxValueShift, actScales, actShift, lut;
};

bool isDepthwise(LayerType t) {
  return t == LayerType::DepthwiseConv2D ||
         t == LayerType::DepthwiseConv2DTranspose ||
         t == LayerType::DepthwiseBufferTempConv;
}
bool isSpatial(LayerType t) {
  return t == LayerType::InputConv2D || t == LayerType::Conv2D ||
         t == LayerType::DepthwiseConv2D;
}
bool isTemporal(LayerType t) {
  return t == LayerType::BufferTempConv ||
         t == LayerType::DepthwiseBufferTempConv;
}
bool isTransposed(LayerType t) {
  return t == LayerType::Conv2DTranspose ||
         t == LayerType::DepthwiseConv2DTranspose;
}

/// v[i] for per-channel variables, v[0] for per-layer ones, `neutral` if
/// absent.
i128 chan(const std::vector<int64_t> &v, int64_t i, int64_t neutral) {
  if (v.empty())
    return neutral;
  return v.size() == 1 ? v[0] : v[i];
}

/// Steps 5 to 8 on a (saturated, biased, pooled) accumulator.
int64_t naiveFinish(const V2Case &k, i128 acc, int64_t f) {
  i128 v = acc;
  if (k.activation == 1) {
    v = v < 0 ? 0 : v;
    if (!k.maxValue.empty()) {
      i128 limit = chan(k.maxValue, f, 0) *
                   pow2(static_cast<int>(chan(k.maxValueShift, f, 0)));
      v = v > limit ? limit : v;
    }
  } else if (k.activation == 2) {
    i128 idx = naiveShift(acc * chan(k.actScales, f, 1),
                          static_cast<int>(chan(k.actShift, f, 0)));
    i128 half = static_cast<i128>(k.lut.size() / 2);
    idx = idx < -half ? -half : (idx > half - 1 ? half - 1 : idx);
    v = k.lut[static_cast<size_t>(idx + half)];
  }
  v = naiveClamp(v, static_cast<int>(k.postBits), true);
  i128 y = naiveShift(v * chan(k.outScales, f, 1),
                      static_cast<int>(chan(k.outShift, f, 0)));
  return static_cast<int64_t>(
      naiveClamp(y, static_cast<int>(k.outBits), k.activation != 1));
}

/// The shifted input x' at (sample, y, x, channel).
i128 xShifted(const V2Case &k, int64_t s, int64_t y, int64_t x, int64_t ch) {
  return static_cast<i128>(k.x[((s * k.h + y) * k.w + x) * k.c + ch]) *
         pow2(static_cast<int>(chan(k.inputShift, ch, 0)));
}

/// The output of a v2 case. Temporal cases run `k.n` frames after the
/// frames in `history` (which it extends).
std::vector<int64_t> naiveV2(const V2Case &k,
                             std::deque<std::vector<i128>> *history = nullptr) {
  const int buf = static_cast<int>(k.bufferBits);
  std::vector<i128> acc; // (n, oh, ow, f), saturated and biased
  int64_t oh = k.h, ow = k.w;
  auto biased = [&](i128 sum, int64_t f) {
    i128 a = naiveClamp(sum, buf, true);
    if (!k.bias.empty())
      a = naiveClamp(a + chan(k.bias, f, 0) *
                             pow2(static_cast<int>(chan(k.biasShift, f, 0))),
                     buf, true);
    return a;
  };
  if (isSpatial(k.type)) {
    oh = naiveOut(k.h, k.k, k.stride, k.padding);
    ow = naiveOut(k.w, k.k, k.stride, k.padding);
    int64_t top = naivePadBefore(k.h, k.k, k.stride, k.padding);
    int64_t left = naivePadBefore(k.w, k.k, k.stride, k.padding);
    for (int64_t s = 0; s < k.n; ++s)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox)
          for (int64_t f = 0; f < k.f; ++f) {
            i128 sum = 0;
            for (int64_t i = 0; i < k.k; ++i)
              for (int64_t j = 0; j < k.k; ++j) {
                int64_t y = oy * k.stride - top + i;
                int64_t x = ox * k.stride - left + j;
                if (y < 0 || y >= k.h || x < 0 || x >= k.w)
                  continue;
                if (isDepthwise(k.type))
                  sum += k.weights[(i * k.k + j) * k.c + f] *
                         xShifted(k, s, y, x, f);
                else
                  for (int64_t ch = 0; ch < k.c; ++ch)
                    sum += k.weights[((i * k.k + j) * k.c + ch) * k.f + f] *
                           xShifted(k, s, y, x, ch);
              }
            acc.push_back(biased(sum, f));
          }
    if (k.pool != 0) {
      acc = naivePool(acc, k.n, oh, ow, k.f, k.pool, k.poolSize, k.poolSize,
                      k.poolStride, k.poolStride, k.padding, oh, ow);
      if (k.pool == 2)
        for (auto &a : acc)
          a = naiveClamp(a, buf, true);
    }
  } else if (k.type == LayerType::Dense1D) {
    for (int64_t s = 0; s < k.n; ++s)
      for (int64_t f = 0; f < k.f; ++f) {
        i128 sum = 0;
        for (int64_t y = 0; y < k.h; ++y)
          for (int64_t x = 0; x < k.w; ++x)
            for (int64_t ch = 0; ch < k.c; ++ch)
              sum += k.weights[((y * k.w + x) * k.c + ch) * k.f + f] *
                     xShifted(k, s, y, x, ch);
        acc.push_back(biased(sum, f));
      }
  } else if (isTransposed(k.type)) {
    // Gather form: output (oy, ox) collects input (iy, ix) and tap (ky, kx)
    // whenever oy = 2 iy + ky - pad and ox = 2 ix + kx - pad.
    const int64_t pad = (k.k > 2 ? k.k - 2 : 0) / 2;
    for (int64_t s = 0; s < k.n; ++s)
      for (int64_t oy = 0; oy < 2 * k.h; ++oy)
        for (int64_t ox = 0; ox < 2 * k.w; ++ox)
          for (int64_t f = 0; f < k.f; ++f) {
            i128 sum = 0;
            for (int64_t ky = 0; ky < k.k; ++ky)
              for (int64_t kx = 0; kx < k.k; ++kx) {
                int64_t ty = oy + pad - ky, tx = ox + pad - kx;
                if (ty < 0 || tx < 0 || ty % 2 || tx % 2 || ty / 2 >= k.h ||
                    tx / 2 >= k.w)
                  continue;
                if (isDepthwise(k.type))
                  sum += k.weights[(ky * k.k + kx) * k.c + f] *
                         xShifted(k, s, ty / 2, tx / 2, f);
                else
                  for (int64_t ch = 0; ch < k.c; ++ch)
                    sum += k.weights[((ky * k.k + kx) * k.c + ch) * k.f + f] *
                           xShifted(k, s, ty / 2, tx / 2, ch);
              }
            acc.push_back(biased(sum, f));
          }
  } else { // temporal
    const int64_t frame = k.h * k.w * k.c;
    std::deque<std::vector<i128>> local;
    std::deque<std::vector<i128>> &fifo = history ? *history : local;
    while (static_cast<int64_t>(fifo.size()) < k.fifo)
      fifo.push_front(std::vector<i128>(frame, 0));
    for (int64_t s = 0; s < k.n; ++s) {
      std::vector<i128> cur;
      for (int64_t y = 0; y < k.h; ++y)
        for (int64_t x = 0; x < k.w; ++x)
          for (int64_t ch = 0; ch < k.c; ++ch)
            cur.push_back(xShifted(k, s, y, x, ch));
      fifo.push_back(cur);
      fifo.pop_front();
      for (int64_t p = 0; p < k.h * k.w; ++p)
        for (int64_t f = 0; f < k.f; ++f) {
          i128 sum = 0;
          for (int64_t t = 0; t < k.fifo; ++t) {
            if (isDepthwise(k.type))
              sum += k.weights[t * k.c + f] * fifo[t][p * k.c + f];
            else
              for (int64_t ch = 0; ch < k.c; ++ch)
                sum +=
                    k.weights[(t * k.c + ch) * k.f + f] * fifo[t][p * k.c + ch];
          }
          acc.push_back(biased(sum, f));
        }
    }
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < acc.size(); ++i)
    out.push_back(naiveFinish(k, acc[i], static_cast<int64_t>(i % k.f)));
  return out;
}

LayerDesc v2Layer(const V2Case &k) {
  LayerDesc l = makeLayer(k.type, {{"activation", k.activation},
                                   {"output_bits", k.outBits},
                                   {"buffer_bits", k.bufferBits},
                                   {"post_op_buffer_bits", k.postBits},
                                   {"weights_bits", 8}});
  if (!isDepthwise(k.type))
    l.params[k.type == LayerType::Dense1D ? "units" : "filters"] = k.f;
  if (isSpatial(k.type) || isTransposed(k.type))
    l.params["kernel_size"] = k.k;
  if (isSpatial(k.type)) {
    l.params["kernel_stride"] = k.stride;
    l.params["padding"] = k.padding;
    l.params["pool_type"] = k.pool;
    l.params["pool_size"] = k.pool == 1 ? k.poolSize : -1;
    l.params["pool_stride"] = k.pool == 1 ? k.poolStride : -1;
  }
  if (isTemporal(k.type))
    l.params["fifo_size"] = k.fifo;
  std::vector<int64_t> wShape;
  if (isSpatial(k.type) || isTransposed(k.type))
    wShape = isDepthwise(k.type) ? std::vector<int64_t>{k.k, k.k, k.c}
                                 : std::vector<int64_t>{k.k, k.k, k.c, k.f};
  else if (k.type == LayerType::Dense1D)
    wShape = {k.h * k.w * k.c, k.f};
  else
    wShape = isDepthwise(k.type) ? std::vector<int64_t>{k.fifo, k.c}
                                 : std::vector<int64_t>{k.fifo, k.c, k.f};
  setInts(l, "weights", DType::Int8, wShape, k.weights);
  auto opt = [&](const char *name, DType dtype, const std::vector<int64_t> &v) {
    if (!v.empty())
      setInts(l, name, dtype, {static_cast<int64_t>(v.size())}, v);
  };
  opt("input_shift", DType::UInt8, k.inputShift);
  opt("bias", DType::Int8, k.bias);
  opt("bias_shift", DType::UInt8, k.biasShift);
  opt("output_scales", DType::UInt8, k.outScales);
  opt("output_shift", DType::Int8, k.outShift);
  opt("max_value", DType::UInt8, k.maxValue);
  opt("max_value_shift", DType::UInt8, k.maxValueShift);
  opt("activation_scales", DType::UInt8, k.actScales);
  opt("activation_shift", DType::Int8, k.actShift);
  opt("lut_values", DType::Int32, k.lut);
  return l;
}

V2Case randomV2(Rng &r, LayerType type) {
  V2Case k;
  k.type = type;
  k.n = r.uniform(1, isTemporal(type) ? 4 : 2);
  bool small = isTransposed(type) || type == LayerType::Dense1D;
  k.h = r.uniform(1, small ? 4 : 8);
  k.w = r.uniform(1, small ? 4 : 8);
  k.c = r.uniform(1, 4);
  k.f = isDepthwise(type) ? k.c : r.uniform(1, 4);
  if (type == LayerType::InputConv2D) {
    k.inBits = 8;
    k.inSigned = r.chance(0.5);
  } else {
    k.inBits = static_cast<int>(r.pick<int64_t>({1, 2, 4, 8, 8, 16, 32}));
    k.inSigned = k.inBits > 1 && r.chance(0.4);
  }
  k.activation = r.pick<int64_t>({0, 1, 1, 2});
  k.outBits = r.pick<int64_t>({4, 8, 8, 16, 32});
  k.bufferBits = r.uniform(12, 32);
  k.postBits = r.chance(0.5) ? 32 : r.uniform(4, 32);
  if (isSpatial(type)) {
    k.padding = r.uniform(0, 2);
    do
      k.k = r.uniform(1, 4);
    while (k.padding == 0 && (k.k > k.h || k.k > k.w));
    k.stride = r.uniform(1, 3);
    k.pool = r.uniform(0, 2);
    if (k.pool == 1) {
      int64_t oh = naiveOut(k.h, k.k, k.stride, k.padding);
      int64_t ow = naiveOut(k.w, k.k, k.stride, k.padding);
      do
        k.poolSize = r.uniform(1, 3);
      while (k.padding == 0 && (k.poolSize > oh || k.poolSize > ow));
      k.poolStride = r.uniform(1, 3);
    }
  }
  if (isTransposed(type))
    k.k = r.uniform(1, 5);
  if (isTemporal(type))
    k.fifo = r.uniform(1, 4);
  k.x = r.values(k.n * k.h * k.w * k.c, k.inBits, k.inSigned);
  int64_t wCount =
      static_cast<int64_t>(isSpatial(type) || isTransposed(type)
                               ? k.k * k.k * k.c * (isDepthwise(type) ? 1 : k.f)
                           : type == LayerType::Dense1D
                               ? k.h * k.w * k.c * k.f
                               : k.fifo * k.c * (isDepthwise(type) ? 1 : k.f));
  k.weights =
      r.weights(wCount, static_cast<int>(r.pick<int64_t>({1, 2, 4, 8})));

  // Optional variables: absent, neutral-ish or saturating.
  auto perChannel = [&](int64_t count, int64_t lo, int64_t hi) {
    std::vector<int64_t> v(count);
    for (auto &x : v)
      x = r.uniform(lo, hi);
    return v;
  };
  if (r.chance(0.5))
    k.inputShift = perChannel(k.c, 0, r.chance(0.2) ? 31 : 4);
  if (r.chance(0.6)) {
    k.bias = perChannel(k.f, -128, 127);
    if (r.chance(0.7))
      k.biasShift = perChannel(k.f, 0, r.chance(0.2) ? 40 : 12);
  }
  if (r.chance(0.7))
    k.outScales = perChannel(k.f, 0, 255);
  if (r.chance(0.7))
    k.outShift =
        r.chance(0.1) ? perChannel(k.f, -70, 50) : perChannel(k.f, -32, 31);
  if (k.activation == 1 && r.chance(0.5)) {
    int64_t count = r.chance(0.5) ? 1 : k.f;
    k.maxValue = perChannel(count, 0, 255);
    if (r.chance(0.7))
      k.maxValueShift = perChannel(count, 0, r.chance(0.2) ? 45 : 12);
  }
  if (k.activation == 2) {
    int64_t size = int64_t(1) << r.uniform(1, 7);
    k.lut = perChannel(size, r.chance(0.5) ? -2000 : INT32_MIN,
                       r.chance(0.5) ? 2000 : INT32_MAX);
    if (r.chance(0.7))
      k.actScales = perChannel(r.chance(0.5) ? 1 : k.f, 0, 255);
    if (r.chance(0.7))
      k.actShift = perChannel(r.chance(0.5) ? 1 : k.f, -24, 6);
  }
  return k;
}

TEST(Randomized, V2LayersMatchNaive) {
  const LayerType types[] = {
      LayerType::InputConv2D,     LayerType::Conv2D,
      LayerType::DepthwiseConv2D, LayerType::Dense1D,
      LayerType::Conv2DTranspose, LayerType::DepthwiseConv2DTranspose,
      LayerType::BufferTempConv,  LayerType::DepthwiseBufferTempConv};
  for (uint32_t seed = 0; seed < 8000; ++seed) {
    Rng r(5000 + seed);
    LayerType type = types[seed % 8];
    V2Case k = randomV2(r, type);
    LayerDesc l = v2Layer(k);
    Activations in =
        acts(actType(k.h, k.w, k.c, k.inBits, k.inSigned), k.n, k.x);
    TemporalState state;
    std::deque<std::vector<i128>> history;
    Activations out = run(l, in, &state);
    std::vector<int64_t> expected = naiveV2(k, &history);
    ASSERT_EQ(out.ints, expected)
        << "seed " << seed << ": " << describe(l) << "\ninput " << k.h << "x"
        << k.w << "x" << k.c << " " << (k.inSigned ? "si" : "ui") << k.inBits
        << " batch " << k.n << ": " << str(k.x);
    if (!isTemporal(type))
      continue;
    // A second call continues the FIFO.
    V2Case next = k;
    next.n = r.uniform(1, 3);
    next.x = r.values(next.n * k.h * k.w * k.c, k.inBits, k.inSigned);
    Activations in2 =
        acts(actType(k.h, k.w, k.c, k.inBits, k.inSigned), next.n, next.x);
    ASSERT_EQ(run(l, in2, &state).ints, naiveV2(next, &history))
        << "second call, seed " << seed << ": " << describe(l);
  }
}

//===----------------------------------------------------------------------===//
// Add
//===----------------------------------------------------------------------===//

TEST(Randomized, AddMatchesNaive) {
  for (uint32_t seed = 0; seed < 3000; ++seed) {
    Rng r(9000 + seed);
    int64_t n = r.uniform(1, 2), h = r.uniform(1, 4), w = r.uniform(1, 4),
            c = r.uniform(1, 4);
    int aBits = static_cast<int>(r.pick<int64_t>({4, 8, 16, 32}));
    int bBits = static_cast<int>(r.pick<int64_t>({4, 8, 16, 32}));
    bool aSigned = r.chance(0.5), bSigned = r.chance(0.5);
    int64_t activation = r.uniform(0, 1);
    int64_t outBits = r.pick<int64_t>({4, 8, 16, 32});
    int64_t bufferBits = r.uniform(1, 32), postBits = r.uniform(1, 32);
    auto shifts = [&](int64_t lo, int64_t hi) {
      std::vector<int64_t> v(c);
      for (auto &x : v)
        x = r.uniform(lo, hi);
      return v;
    };
    bool wide = r.chance(0.2);
    std::vector<int64_t> aShift = shifts(wide ? -40 : -8, wide ? 40 : 8);
    std::vector<int64_t> bShift = shifts(wide ? -40 : -8, wide ? 40 : 8);
    std::vector<int64_t> outShift = shifts(-12, 4);
    LayerDesc l = makeLayer(LayerType::Add, {{"output_bits", outBits},
                                             {"buffer_bits", bufferBits},
                                             {"post_op_buffer_bits", postBits},
                                             {"activation", activation}});
    setInts(l, "a_shift", DType::Int8, {c}, aShift);
    setInts(l, "b_shift", DType::Int8, {c}, bShift);
    setInts(l, "output_shift", DType::Int8, {c}, outShift);
    Activations a = acts(actType(h, w, c, aBits, aSigned), n,
                         r.values(n * h * w * c, aBits, aSigned));
    Activations b = acts(actType(h, w, c, bBits, bSigned), n,
                         r.values(n * h * w * c, bBits, bSigned));
    std::vector<int64_t> expected;
    for (size_t i = 0; i < a.ints.size(); ++i) {
      int64_t ch = static_cast<int64_t>(i % c);
      i128 s = naiveShift(a.ints[i], static_cast<int>(aShift[ch])) +
               naiveShift(b.ints[i], static_cast<int>(bShift[ch]));
      s = naiveClamp(s, static_cast<int>(bufferBits), true);
      if (activation && s < 0)
        s = 0;
      s = naiveClamp(s, static_cast<int>(postBits), true);
      s = naiveShift(s, static_cast<int>(outShift[ch]));
      expected.push_back(static_cast<int64_t>(
          naiveClamp(s, static_cast<int>(outBits), !activation)));
    }
    ASSERT_EQ(runLayer(l, {&a, &b}).ints, expected)
        << "seed " << seed << ": " << describe(l);
  }
}

//===----------------------------------------------------------------------===//
// Data movement: Concatenate, ExtractToken
//===----------------------------------------------------------------------===//

TEST(Randomized, ConcatenateAndExtractTokenMatchNaive) {
  for (uint32_t seed = 0; seed < 300; ++seed) {
    Rng r(12000 + seed);
    int64_t n = r.uniform(1, 3), h = r.uniform(1, 4), w = r.uniform(1, 4);
    int64_t count = r.uniform(2, 4);
    std::vector<Activations> parts;
    for (int64_t i = 0; i < count; ++i) {
      int64_t c = r.uniform(1, 3);
      parts.push_back(
          acts(actType(h, w, c, 8, true), n, r.values(n * h * w * c, 8, true)));
    }
    std::vector<const Activations *> ptrs;
    for (const Activations &p : parts)
      ptrs.push_back(&p);
    Activations cat = runLayer(makeLayer(LayerType::Concatenate), ptrs);
    std::vector<int64_t> expected;
    for (int64_t pos = 0; pos < n * h * w; ++pos)
      for (const Activations &p : parts)
        for (int64_t ch = 0; ch < p.type.shape[2]; ++ch)
          expected.push_back(p.ints[pos * p.type.shape[2] + ch]);
    ASSERT_EQ(cat.ints, expected) << "seed " << seed;

    int64_t tokens = h * w, total = cat.type.shape[2];
    int64_t begin = r.uniform(0, tokens - 1),
            end = r.uniform(begin + 1, tokens);
    LayerDesc ex =
        makeLayer(LayerType::ExtractToken, {{"begin", begin}, {"end", end}});
    Activations got = run(ex, cat);
    std::vector<int64_t> want;
    for (int64_t s = 0; s < n; ++s)
      for (int64_t t = begin; t < end; ++t)
        for (int64_t ch = 0; ch < total; ++ch)
          want.push_back(cat.ints[((s * h + t / w) * w + t % w) * total + ch]);
    ASSERT_EQ(got.type.shape, (std::array<int64_t, 3>{1, end - begin, total}));
    ASSERT_EQ(got.ints, want) << "seed " << seed;
  }
}

} // namespace
