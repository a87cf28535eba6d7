//===- NpBudgetTest.cpp - Filters per NP, worked by hand ------------------===//
#include "DeviceTestUtil.h"

#include "device/NpBudget.h"

using namespace akida;
using namespace akida::test;

TEST(NpBudgetTest, Cnp1) {
  // freeFilters + rowWords / columns, rowWords 800, freeFilters 8, <= 64.
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 56), 22);  // 8 + 800/56 = 8 + 14
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 14), 65);  // 8 + 57
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 112), 0);  // wider than 64
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 1), 808);  // 8 + 800
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 7), 122);  // 8 + 114
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 25), 40);  // 8 + 32
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 49), 24);  // 8 + 16
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 64), 20);  // 8 + 12, the widest
  EXPECT_EQ(maxFiltersPerNp(kCnp1Budget, 65), 0);
}

TEST(NpBudgetTest, Cnp2) {
  // rowWords 1400, freeFilters 28, <= 128 columns.
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 112), 40);  // 28 + 12
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 56), 53);   // 28 + 25
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 14), 128);  // 28 + 100
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 128), 38);  // 28 + 10, the widest
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 129), 0);
  EXPECT_EQ(maxFiltersPerNp(kCnp2Budget, 224), 0);
}

TEST(NpBudgetTest, CustomBudget) {
  constexpr CnpBudget b{100, 0, 10};
  EXPECT_EQ(maxFiltersPerNp(b, 3), 33);
  EXPECT_EQ(maxFiltersPerNp(b, 10), 10);
  EXPECT_EQ(maxFiltersPerNp(b, 11), 0);
}

TEST(NpBudgetTest, NonPositiveColumnsAreRejected) {
  std::string msg =
      invalidArgumentMessage([] { maxFiltersPerNp(kCnp1Budget, 0); });
  EXPECT_NE(msg.find("columns must be >= 1, got 0"), std::string::npos)
      << msg;
  invalidArgumentMessage([] { maxFiltersPerNp(kCnp2Budget, -4); });
}

TEST(NpBudgetTest, Fnp3WeightBytes) { EXPECT_EQ(kFnp3WeightBytes, 524288); }
