//===- ArithmeticTest.cpp - Exact integer helpers -------------------------===//

#include "runtime/reference/Arithmetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace akida::ref;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(RoundShift, LeftShiftsMultiply) {
  EXPECT_EQ(roundShift(5, 0), 5);
  EXPECT_EQ(roundShift(5, 2), 20);
  EXPECT_EQ(roundShift(-3, 3), -24);
  EXPECT_EQ(roundShift(1, 62), int64_t(1) << 62);
  EXPECT_EQ(roundShift(-2, 62), kMin); // -2^63 is exactly representable
}

TEST(RoundShift, RightShiftsRoundHalfUp) {
  // floor((v + 2^(k-1)) / 2^k):
  EXPECT_EQ(roundShift(5, -1), 3);    // (5 + 1) / 2 = 3      (2.5 -> 3)
  EXPECT_EQ(roundShift(-5, -1), -2);  // (-5 + 1) / 2 = -2    (-2.5 -> -2)
  EXPECT_EQ(roundShift(1, -1), 1);    // 0.5 -> 1
  EXPECT_EQ(roundShift(-1, -1), 0);   // -0.5 -> 0
  EXPECT_EQ(roundShift(2, -2), 1);    // 0.5 -> 1
  EXPECT_EQ(roundShift(-2, -2), 0);   // -0.5 -> 0
  EXPECT_EQ(roundShift(6, -2), 2);    // 1.5 -> 2
  EXPECT_EQ(roundShift(-6, -2), -1);  // floor(-4 / 4) = -1 (-1.5 -> -1)
  EXPECT_EQ(roundShift(-7, -2), -2);  // floor(-5 / 4) = -2 (-1.75 -> -2)
  EXPECT_EQ(roundShift(7, -2), 2);    // floor(9 / 4) = 2   (1.75 -> 2)
  EXPECT_EQ(roundShift(-30, -2), -7); // -7.5 -> -7
  EXPECT_EQ(roundShift(30, -2), 8);   // 7.5 -> 8
}

TEST(RoundShift, ExtremesAreExact) {
  EXPECT_EQ(roundShift(kMax, -1), int64_t(1) << 62); // (2^63 - 1 + 1) / 2
  EXPECT_EQ(roundShift(kMin, -63), -1); // -2^63 / 2^63 = -1 exactly
  EXPECT_EQ(roundShift(kMin, -64), 0);  // -0.5 -> 0
  EXPECT_EQ(roundShift(kMax, -64), 0);
  EXPECT_EQ(roundShift(5, -200), 0);
  EXPECT_EQ(roundShift(-5, -200), 0);
  EXPECT_EQ(roundShift(-5, kMin), 0);
  // Left shifts that leave int64 saturate.
  EXPECT_EQ(roundShift(1, 63), kMax);
  EXPECT_EQ(roundShift(-1, 63), kMin);
  EXPECT_EQ(roundShift(3, 62), kMax);
  EXPECT_EQ(roundShift(5, 200), kMax);
  EXPECT_EQ(roundShift(-5, kMax), kMin);
  EXPECT_EQ(roundShift(0, 200), 0);
}

TEST(Saturate, UnsignedAndSigned) {
  EXPECT_EQ(saturate(300, 8, false), 255);
  EXPECT_EQ(saturate(-3, 8, false), 0);
  EXPECT_EQ(saturate(200, 8, true), 127);
  EXPECT_EQ(saturate(-200, 8, true), -128);
  EXPECT_EQ(saturate(1, 1, true), 0); // si1 is [-1, 0]
  EXPECT_EQ(saturate(-5, 1, true), -1);
  EXPECT_EQ(saturate(2, 1, false), 1);
  EXPECT_EQ(saturate(int64_t(1) << 40, 32, true), 2147483647);
  EXPECT_EQ(saturate(kMin, 32, false), 0);
  EXPECT_EQ(saturate(kMin, 64, true), kMin);
  EXPECT_EQ(saturate(kMax, 63, false), kMax);
  EXPECT_EQ(saturate(kMax, 64, false), kMax);
  EXPECT_THROW(saturate(1, 0, true), std::invalid_argument);
  EXPECT_THROW(saturate(1, 65, false), std::invalid_argument);
}

TEST(V1Activate, BinaryIsGreaterThanThreshold) {
  // act_bits = 1: output 1 iff p > T, whatever the step.
  EXPECT_EQ(v1Activate(10, 10, 1.0f, 1), 0);
  EXPECT_EQ(v1Activate(11, 10, 1.0f, 1), 1);
  EXPECT_EQ(v1Activate(1000, 10, 0.001f, 1), 1);
  EXPECT_EQ(v1Activate(11, 10, 3e38f, 1), 1);
  EXPECT_EQ(v1Activate(-5, -4, 1.0f, 1), 0);
}

TEST(V1Activate, FourBitSteps) {
  // act_bits = 4: s_eff = act_step.
  EXPECT_EQ(v1Activate(3, 0, 1.0f, 4), 3);
  EXPECT_EQ(v1Activate(20, 0, 1.0f, 4), 15); // clamp at 2^4 - 1
  EXPECT_EQ(v1Activate(0, 0, 1.0f, 4), 0);
  EXPECT_EQ(v1Activate(-5, 0, 1.0f, 4), 0);
  EXPECT_EQ(v1Activate(0, -5, 2.0f, 4), 3); // ceil(5 / 2) = 3
  EXPECT_EQ(v1Activate(4, 0, 2.0f, 4), 2);  // exactly 2 steps: ceil(2) = 2
}

TEST(V1Activate, StoredStepIsTheFourBitStep) {
  // act_bits = 2: s_eff = 0.5 * 2^(4-2) = 2: ceil(d / 2) clamped to 3.
  EXPECT_EQ(v1Activate(1, 0, 0.5f, 2), 1);
  EXPECT_EQ(v1Activate(2, 0, 0.5f, 2), 1);
  EXPECT_EQ(v1Activate(3, 0, 0.5f, 2), 2);
  EXPECT_EQ(v1Activate(5, 0, 0.5f, 2), 3);
  EXPECT_EQ(v1Activate(7, 0, 0.5f, 2), 3);
  // act_bits = 2, step 0.25: s_eff = 1.
  EXPECT_EQ(v1Activate(2, 0, 0.25f, 2), 2);
  EXPECT_EQ(v1Activate(4, 0, 0.25f, 2), 3);
}

TEST(V1Activate, AwkwardFloatStepsAreExact) {
  // 0.7f = 11744051 * 2^-24 = 0.699999988079071... < 0.7, so
  // 7 / 0.7f = 10.00000017 and the exact ceiling is 11. A float division
  // (7.0f / 0.7f) rounds to 10.0f and would give 10.
  EXPECT_EQ(v1Activate(10, 3, 0.7f, 4), 11);
  // 0.1f = 0.100000001490116... > 0.1: 1 / 0.1f = 9.99999985 -> 10.
  EXPECT_EQ(v1Activate(1, 0, 0.1f, 4), 10);
  // 1/3f = 0.3333333432674408 > 1/3: 1 / s = 2.99999991 -> 3,
  // 5 / s = 14.9999996 -> 15, 6 / s = 17.99999946 -> 18 -> clamp 15.
  const float third = 1.0f / 3.0f;
  EXPECT_EQ(v1Activate(1, 0, third, 4), 3);
  EXPECT_EQ(v1Activate(5, 0, third, 4), 15);
  EXPECT_EQ(v1Activate(6, 0, third, 4), 15);
  // act_bits = 2: s_eff = 4 * (1/3f) = 1.3333333730697632:
  // 4 / s_eff = 2.99999991 -> 3; 1 / s_eff = 0.75 -> 1.
  EXPECT_EQ(v1Activate(4, 0, third, 2), 3);
  EXPECT_EQ(v1Activate(1, 0, third, 2), 1);
}

TEST(V1Activate, ExtremeSteps) {
  // Subnormal step: any positive d is many steps.
  EXPECT_EQ(v1Activate(1, 0, 1e-45f, 4), 15);
  EXPECT_EQ(v1Activate(0, 0, 1e-45f, 4), 0);
  // Huge step: any positive d is within the first step.
  EXPECT_EQ(v1Activate(1, 0, 3e38f, 4), 1);
  EXPECT_EQ(v1Activate(kMax, kMin, 1e30f, 4), 1); // d = 2^64 - 1
  EXPECT_EQ(v1Activate(kMax, kMin, 1.0f, 4), 15);
}

TEST(V1Activate, RejectsBadSteps) {
  EXPECT_THROW(v1Activate(1, 0, 0.0f, 4), std::invalid_argument);
  EXPECT_THROW(v1Activate(1, 0, -1.0f, 4), std::invalid_argument);
  EXPECT_THROW(v1Activate(1, 0, std::nanf(""), 4), std::invalid_argument);
  EXPECT_THROW(v1Activate(1, 0, INFINITY, 4), std::invalid_argument);
  EXPECT_THROW(v1Activate(1, 0, 1.0f, 0), std::invalid_argument);
}

TEST(AddRoundShifted, SmallValues) {
  EXPECT_EQ(addRoundShifted(3, 2, 5, -1), 15);  // 12 + 3
  EXPECT_EQ(addRoundShifted(-7, -1, 0, 0), -3); // floor(-6 / 2)
  EXPECT_EQ(addRoundShifted(1, 3, -8, 0), 0);
  EXPECT_EQ(addRoundShifted(0, 100, 9, 0), 9);
}

TEST(AddRoundShifted, HugeShiftsStayExact) {
  EXPECT_EQ(addRoundShifted(1, 100, -1, 100), 0);
  EXPECT_EQ(addRoundShifted(1, 100, -1, 99), kMax); // 2^99 > 0
  EXPECT_EQ(addRoundShifted(-1, 100, 1, 99), kMin); // -2^99
  EXPECT_EQ(addRoundShifted(5, 70, -5, 70), 0);
  EXPECT_EQ(addRoundShifted(1, 62, 1, 62), kMax); // 2^63
  EXPECT_EQ(addRoundShifted(-1, 63, 0, 0), kMin); // -2^63
  EXPECT_EQ(addRoundShifted(3, 127, -3, 127), 0);
  EXPECT_EQ(addRoundShifted(2, 126, -1, 127), 0); // 2^127 - 2^127
  EXPECT_EQ(addRoundShifted(-1, 127, 7, 0), kMin);
}

} // namespace
