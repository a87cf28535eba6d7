// Output sizes and padding of convolution windows, against values worked by
// hand (not by the formulas under test).

#include "dialect/LayerShapes.h"

#include <gtest/gtest.h>

using namespace mlir::akida;

TEST(WindowMath, SameKeepsCeilOfInputOverStride) {
  // 49 rows, 5x5 kernel, stride 2: rows 0,2,...,48 are centres -> 25.
  EXPECT_EQ(windowOutputDim(49, 5, 2, Padding::Same), 25);
  EXPECT_EQ(windowOutputDim(10, 5, 2, Padding::Same), 5);
  EXPECT_EQ(windowOutputDim(224, 3, 2, Padding::Same), 112);
  EXPECT_EQ(windowOutputDim(7, 3, 3, Padding::SameUpper), 3);
  EXPECT_EQ(windowOutputDim(1, 3, 1, Padding::Same), 1);
}

TEST(WindowMath, ValidCountsWholeWindows) {
  // 28 values, window 3, stride 2: starts 0,2,...,24 -> 13 windows.
  EXPECT_EQ(windowOutputDim(28, 3, 2, Padding::Valid), 13);
  EXPECT_EQ(windowOutputDim(28, 1, 2, Padding::Valid), 14);
  EXPECT_EQ(windowOutputDim(5, 5, 1, Padding::Valid), 1);
  EXPECT_EQ(windowOutputDim(4, 5, 1, Padding::Valid), 0);
}

TEST(WindowMath, SamePutsOddPaddingAfterSameUpperBefore) {
  // 10 values, kernel 4, stride 1: 3 padding units; same: 1 before, 2 after.
  EXPECT_EQ(paddingBefore(10, 4, 1, Padding::Same), 1);
  EXPECT_EQ(paddingBefore(10, 4, 1, Padding::SameUpper), 2);
  // 49 rows, kernel 5, stride 2: 25 outputs need 24*2+5 = 53 -> 4 units.
  EXPECT_EQ(paddingBefore(49, 5, 2, Padding::Same), 2);
  // 224, kernel 3, stride 2: 112 outputs need 111*2+3 = 225 -> 1 unit after.
  EXPECT_EQ(paddingBefore(224, 3, 2, Padding::Same), 0);
  EXPECT_EQ(paddingBefore(224, 3, 2, Padding::SameUpper), 1);
  EXPECT_EQ(paddingBefore(28, 3, 1, Padding::Valid), 0);
}
