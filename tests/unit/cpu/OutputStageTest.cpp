// The fixed-point form of output stages (OutputStage.h): it exists for the
// stages real models use, and wherever it exists it equals the exact stage
// (checked here on dense samples around every step, independently of the
// proof the builder runs).

#include "runtime/cpu/OutputStage.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <random>

using namespace akida;
using cpu::OutputStage;

namespace {

LayerDesc v1Layer(int actBits, const std::vector<int64_t> &thresholds,
                  const std::vector<float> &steps) {
  LayerDesc l;
  l.name = "fc";
  l.type = LayerType::FullyConnected;
  l.params = {{"units", int64_t(thresholds.size())},
              {"activation", 1},
              {"act_bits", actBits}};
  const int64_t n = static_cast<int64_t>(thresholds.size());
  l.variables["threshold"] = {Array::fromInts(DType::Int32, {n}, thresholds), 32};
  l.variables["act_step"] = {Array::fromFloats({n}, steps), 32};
  return l;
}

ActType outType(int64_t units, int bits, bool isSigned) {
  ActType t;
  t.shape = {1, 1, units};
  t.bits = bits;
  t.isSigned = isSigned;
  return t;
}

/// The fast form applied to one value, as the kernels compute it.
int64_t applyFast(const cpu::FastStage &f, int64_t ch, int64_t acc) {
  int64_t v = std::clamp<int64_t>(acc, f.lo[ch], f.hi[ch]) - f.lo[ch];
  switch (f.form) {
  case cpu::StageForm::Int64: // 64-bit lanes: t * mul + add < 2^63
    v = (v * f.mul64[ch] + f.add64[ch]) >> f.shift64[ch];
    break;
  case cpu::StageForm::Float: // float32 lanes: t exact, one rounding
    EXPECT_LT(v, int64_t(1) << 24);
    v = static_cast<int64_t>(
        std::floor(std::fma(static_cast<float>(v), f.fa[ch], f.fb[ch])));
    break;
  case cpu::StageForm::Int32: // int32 lanes: t * mul + add < 2^31
    EXPECT_LE(v * f.mul[ch] + f.add[ch], INT32_MAX);
    v = (v * f.mul[ch] + f.add[ch]) >> f.shift[ch];
    break;
  }
  return std::min<int64_t>(v, f.top[ch]) + f.offset[ch];
}

/// Samples every integer near the stage's steps and far away.
void expectFastExact(const OutputStage &s, std::mt19937 &rng) {
  const cpu::FastStage *f = s.fast();
  ASSERT_NE(f, nullptr);
  for (int64_t ch = 0; ch < s.channels(); ++ch) {
    std::vector<int64_t> points = {INT32_MIN, INT32_MAX, 0, -1, 1};
    for (int64_t p = f->lo[ch] - 3; p <= f->hi[ch] + 3 && p <= f->lo[ch] + 5000;
         ++p)
      points.push_back(p);
    std::uniform_int_distribution<int64_t> any(INT32_MIN, INT32_MAX);
    for (int i = 0; i < 200; ++i)
      points.push_back(any(rng));
    for (int64_t p : points) {
      p = std::clamp<int64_t>(p, INT32_MIN, INT32_MAX);
      ASSERT_EQ(applyFast(*f, ch, p), s.finish(p, ch))
          << "channel " << ch << " acc " << p;
      if (f->saturating)
        ASSERT_EQ(cpu::saturatingOutput(*f, ch, static_cast<int32_t>(p)),
                  s.finish(p, ch))
            << "saturating form, channel " << ch << " acc " << p;
    }
  }
}

TEST(OutputStage, V1StepsOfEveryScaleHaveAnExactFastForm) {
  std::mt19937 rng(5);
  for (int bits : {1, 2, 4}) {
    std::vector<int64_t> t;
    std::vector<float> steps;
    // Awkward floats, tiny and large steps, negative thresholds.
    for (float s : {0.7f, 1.0f / 3.0f, 0.01f, 0.1f, 1.0f, 2.5f, 17.3f, 100.0f,
                    1000.0f, 12345.6f, 1e-6f, 4096.0f}) {
      steps.push_back(s);
      t.push_back(static_cast<int64_t>(rng() % 2001) - 1000);
    }
    OutputStage s =
        OutputStage::v1(v1Layer(bits, t, steps), outType(t.size(), bits, false));
    expectFastExact(s, rng);
  }
}

TEST(OutputStage, UnsignedStagesHaveTheSaturatingForm) {
  // What the zoo's v1 layers look like: thresholds in the thousands,
  // steps from a few units to hundreds, 1 to 4 bits. (Steps below about
  // one unit need slopes of 1 or more, whose results could leave int32:
  // those keep the clamped forms, V1StepsOfEveryScaleHaveAnExactFastForm.)
  std::mt19937 rng(7);
  for (int bits : {1, 2, 4}) {
    std::vector<int64_t> t;
    std::vector<float> steps;
    for (int ch = 0; ch < 64; ++ch) {
      steps.push_back(std::ldexp(1.0f + float(rng() % 1000) / 1000.0f,
                                 static_cast<int>(rng() % 8) + 1));
      t.push_back(static_cast<int64_t>(rng() % 20001) - 10000);
    }
    OutputStage s = OutputStage::v1(v1Layer(bits, t, steps),
                                    outType(t.size(), bits, false));
    ASSERT_NE(s.fast(), nullptr);
    EXPECT_TRUE(s.fast()->saturating) << bits << " bits";
    expectFastExact(s, rng);
  }
}

TEST(OutputStage, SaturatingFormsStayInsideInt32) {
  // Two levels per unit need slopes of 2: fma results would pass 2^31,
  // where the conversion back to int32 overflows: no saturating form.
  cpu::SaturatingFloat f;
  EXPECT_FALSE(cpu::fitSaturatingFloat({0, 0, 1, 1}, f));
  // One level per unit: slopes between 1/2 and 1 do.
  ASSERT_TRUE(cpu::fitSaturatingFloat({0, 1, 2, 3}, f));
  EXPECT_LT(std::fabs(double(f.a)) * 2147483648.0 + std::fabs(double(f.b)),
            2147483648.0);
  ASSERT_TRUE(cpu::fitSaturatingFloat({0, 2, 4, 6}, f));
  // Thresholds 0, 2, 4, 6: the level is ceil(x / 2), from 0 to 4.
  for (int64_t x : {int64_t(INT32_MIN), int64_t(-3), int64_t(-1), int64_t(0),
                    int64_t(1), int64_t(2), int64_t(3), int64_t(6), int64_t(7),
                    int64_t(8), int64_t(INT32_MAX)})
    EXPECT_EQ(f.apply(x), x <= 0 ? 0 : std::min<int64_t>((x + 1) / 2, 4))
        << "acc " << x;
}

TEST(OutputStage, V1ActivationOffHasNoFastForm) {
  LayerDesc l = v1Layer(4, {0}, {1.0f});
  l.params["activation"] = 0;
  OutputStage s = OutputStage::v1(l, outType(1, 32, true));
  EXPECT_EQ(s.fast(), nullptr);
  EXPECT_EQ(s.finish(int64_t(1) << 40, 0), INT32_MAX);
}

TEST(OutputStage, V2ScaleShiftReluClipHaveAnExactFastForm) {
  std::mt19937 rng(6);
  for (int trial = 0; trial < 50; ++trial) {
    const int64_t n = 8;
    LayerDesc l;
    l.name = "conv";
    l.type = LayerType::Conv2D;
    l.params = {{"filters", n}, {"kernel_size", 1}, {"activation", 1},
                {"output_bits", 8}, {"buffer_bits", 20 + trial % 13},
                {"post_op_buffer_bits", 32}};
    fillDefaultParams(l);
    std::uniform_int_distribution<int64_t> byte(0, 255), sb(-128, 127),
        shift(-24, 0), small(0, 6);
    std::vector<int64_t> bias, bshift, scale, oshift, mv, mvs;
    for (int64_t i = 0; i < n; ++i) {
      bias.push_back(sb(rng));
      bshift.push_back(small(rng));
      scale.push_back(byte(rng));
      oshift.push_back(shift(rng));
      mv.push_back(byte(rng));
      mvs.push_back(small(rng));
    }
    l.variables["bias"] = {Array::fromInts(DType::Int8, {n}, bias), 8};
    l.variables["bias_shift"] = {Array::fromInts(DType::UInt8, {n}, bshift), 8};
    l.variables["output_scales"] = {Array::fromInts(DType::UInt8, {n}, scale), 8};
    l.variables["output_shift"] = {Array::fromInts(DType::Int8, {n}, oshift), 8};
    if (trial % 2) {
      l.variables["max_value"] = {Array::fromInts(DType::UInt8, {n}, mv), 8};
      l.variables["max_value_shift"] = {Array::fromInts(DType::UInt8, {n}, mvs), 8};
    }
    OutputStage s = OutputStage::v2(l, outType(n, 8, false));
    expectFastExact(s, rng);
  }
}

TEST(OutputStage, LargeStepsTakeTheFloatForm) {
  // An input convolution's potentials: steps of thousands.
  std::mt19937 rng(9);
  std::vector<int64_t> t;
  std::vector<float> steps;
  for (float s : {2345.6f, 12345.6f, 7777.7f, 40000.0f}) {
    steps.push_back(s);
    t.push_back(static_cast<int64_t>(rng() % 20001) - 10000);
  }
  OutputStage s = OutputStage::v1(v1Layer(4, t, steps), outType(t.size(), 4, false));
  ASSERT_NE(s.fast(), nullptr);
  EXPECT_EQ(s.fast()->form, cpu::StageForm::Float);
  expectFastExact(s, rng);
}

TEST(OutputStage, FixedPointFitsAnAffineStaircase) {
  // floor((x * 3 + 1) / 8) on [0, 40]: thresholds where it steps up.
  std::vector<int64_t> thresholds;
  for (int64_t k = 0; k < 15; ++k) {
    int64_t x = 0;
    while ((x * 3 + 1) / 8 <= k)
      ++x;
    thresholds.push_back(x - 1 + 100);
  }
  cpu::FixedPoint fp;
  ASSERT_TRUE(cpu::fitFixedPoint(thresholds, 0, cpu::StageForm::Int32, fp));
  for (int64_t p = 50; p < 200; ++p) {
    int64_t want = 0;
    for (int64_t t : thresholds)
      want += p > t;
    EXPECT_EQ(fp.apply(p), want) << p;
  }
}

} // namespace
