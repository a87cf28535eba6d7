// Weight packing: the documented bit layout, round trips at every bit width
// and count, and the errors of packWeights / unpackWeights.

#include "ProgramTestUtil.h"

#include <gtest/gtest.h>

namespace akida::test {
namespace {

std::vector<int64_t> widen(const std::vector<int8_t> &v) {
  return std::vector<int64_t>(v.begin(), v.end());
}

TEST(Packing, KnownLayouts) {
  // 1 bit, unsigned: value i is bit i (little-endian bit order).
  EXPECT_EQ(packWeights({1, 0, 1, 1, 0, 0, 0, 0, 1}, 1),
            (std::vector<uint8_t>{0x0D, 0x01}));
  // 2 bits, two's complement: 01, 11, 00, 10 from the low bits up.
  EXPECT_EQ(packWeights({1, -1, 0, -2}, 2), (std::vector<uint8_t>{0x8D}));
  // 4 bits: low nibble first; the unused high nibble of the last byte is 0.
  EXPECT_EQ(packWeights({-8, 7, 3}, 4), (std::vector<uint8_t>{0x78, 0x03}));
  // 8 bits: the int8 bytes.
  EXPECT_EQ(packWeights({-128, 127, -1, 0}, 8),
            (std::vector<uint8_t>{0x80, 0x7F, 0xFF, 0x00}));
  EXPECT_TRUE(packWeights({}, 4).empty());
}

TEST(Packing, RoundTripsEveryWidthAndCount) {
  Rng rng(7);
  for (int bits : {1, 2, 4, 8}) {
    for (int64_t count = 0; count <= 41; ++count) {
      std::vector<int64_t> values(static_cast<size_t>(count));
      for (int64_t &v : values)
        v = rng.range(weightMin(bits), weightMax(bits));
      if (count > 1) { // the extremes always appear
        values[0] = weightMin(bits);
        values[size_t(count) - 1] = weightMax(bits);
      }
      std::vector<uint8_t> packed = packWeights(values, bits);
      ASSERT_EQ(packed.size(), size_t((count * bits + 7) / 8))
          << bits << " bits, " << count << " values";
      EXPECT_EQ(widen(unpackWeights(packed, bits, count)), values)
          << bits << " bits, " << count << " values";
    }
  }
}

TEST(Packing, RejectsValuesThatDoNotFit) {
  const std::vector<std::pair<int, std::vector<int64_t>>> bad = {
      {1, {-1}}, {1, {2}}, {2, {2}}, {2, {-3}}, {4, {8}},
      {4, {-9}}, {8, {128}}, {8, {-129}}};
  for (const auto &[bits, values] : bad) {
    try {
      packWeights({0, values[0]}, bits);
      ADD_FAILURE() << values[0] << " packed at " << bits << " bits";
    } catch (const ProgramError &e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("value " + std::to_string(values[0]) +
                         " at flat index 1"),
                std::string::npos)
          << msg;
    }
  }
  EXPECT_THROW(packWeights({0}, 3), ProgramError);
  EXPECT_THROW(packWeights({0}, 16), ProgramError);
}

TEST(Packing, UnpackRejectsMalformedData) {
  std::vector<uint8_t> packed = packWeights({1, 2, 3}, 4); // 2 bytes
  EXPECT_THROW(unpackWeights(packed, 4, 5), ProgramError); // needs 3 bytes
  EXPECT_THROW(unpackWeights(packed, 4, 2), ProgramError); // needs 1 byte
  EXPECT_THROW(unpackWeights(packed, 5, 3), ProgramError);
  EXPECT_THROW(unpackWeights(packed, 4, -1), ProgramError);
  packed[1] |= 0x10; // an unused bit of the last byte
  EXPECT_THROW(unpackWeights(packed, 4, 3), ProgramError);
  EXPECT_THROW(unpackWeights(nullptr, 1, 8, 1), ProgramError);
  EXPECT_TRUE(unpackWeights(nullptr, 0, 8, 0).empty());
}

} // namespace
} // namespace akida::test
