//===- GoldenMergeTest.cpp - InputData and unweighted layers --------------===//
//
// Every expected value below is worked out by hand in the comments.
//
//===----------------------------------------------------------------------===//

#include "RefTestUtil.h"

#include <string>

using namespace akida;
using namespace akida::ref;
using namespace akida::ref::test;

namespace {

TEST(GoldenMerge, InputDataPassesValuesInRange) {
  LayerDesc l = makeLayer(LayerType::InputData, {{"input_bits", 4}}, "input");
  Activations out = run(l, acts(actType(1, 2, 2, 8), 1, {0, 15, 7, 3}));
  EXPECT_EQ(out.type, actType(1, 2, 2, 4, false));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{0, 15, 7, 3}));
  // Signed: si4 is [-8, 7].
  l.params["input_signed"] = 1;
  out = run(l, acts(actType(1, 2, 2, 8, true), 1, {-8, 7, 0, -1}));
  EXPECT_EQ(out.type, actType(1, 2, 2, 4, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{-8, 7, 0, -1}));
}

TEST(GoldenMerge, InputDataRangeErrors) {
  LayerDesc l = makeLayer(LayerType::InputData, {{"input_bits", 4}}, "input");
  std::string e = errorOf([&] {
    run(l, acts(actType(1, 2, 2, 8), 1, {0, 15, 16, 3}));
  });
  EXPECT_NE(e.find("'input'"), std::string::npos) << e;
  EXPECT_NE(e.find("value 16"), std::string::npos) << e;
  EXPECT_NE(e.find("flat index 2"), std::string::npos) << e;
  EXPECT_NE(e.find("[0, 15]"), std::string::npos) << e;
  // Negative values are outside an unsigned input.
  e = errorOf([&] {
    run(l, acts(actType(1, 2, 2, 8, true), 1, {0, -1, 0, 0}));
  });
  EXPECT_NE(e.find("value -1"), std::string::npos) << e;
  // Signed 4-bit: -9 is outside [-8, 7].
  l.params["input_signed"] = 1;
  e = errorOf([&] {
    run(l, acts(actType(1, 2, 2, 8, true), 2, {0, 0, 0, 0, 0, 0, 0, -9}));
  });
  EXPECT_NE(e.find("value -9"), std::string::npos) << e;
  EXPECT_NE(e.find("flat index 7"), std::string::npos) << e;
  EXPECT_NE(e.find("[-8, 7]"), std::string::npos) << e;
}

LayerDesc addLayer(std::vector<int64_t> aShift, std::vector<int64_t> bShift,
                   std::vector<int64_t> outShift) {
  LayerDesc l =
      makeLayer(LayerType::Add,
                {{"output_bits", 8}, {"buffer_bits", 32}, {"activation", 0}});
  int64_t c = static_cast<int64_t>(aShift.size());
  setInts(l, "a_shift", DType::Int8, {c}, aShift);
  setInts(l, "b_shift", DType::Int8, {c}, bShift);
  setInts(l, "output_shift", DType::Int8, {c}, outShift);
  return l;
}

TEST(GoldenMerge, AddShifts) {
  // a_shift [1, -1], b_shift [0, 2], output_shift [0, -1]:
  //   ch0: a = 3, b = -10: 6 - 10 = -4 -> -4
  //   ch1: a = 5, b = 3: roundShift(5, -1) = 3, 3 << 2 = 12: 15;
  //        roundShift(15, -1) = floor(16 / 2) = 8
  LayerDesc l = addLayer({1, -1}, {0, 2}, {0, -1});
  Activations a = acts(actType(1, 1, 2, 8, true), 1, {3, 5});
  Activations b = acts(actType(1, 1, 2, 8, true), 1, {-10, 3});
  Activations out = runLayer(l, {&a, &b});
  EXPECT_EQ(out.type, actType(1, 1, 2, 8, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{-4, 8}));
  // activation: max(s, 0) and an unsigned output: 0, 8.
  l.params["activation"] = 1;
  out = runLayer(l, {&a, &b});
  EXPECT_EQ(out.type, actType(1, 1, 2, 8, false));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{0, 8}));
  // buffer_bits 4 ([-8, 7]): ch1 15 -> 7, roundShift(7, -1) = 4.
  l.params["activation"] = 0;
  l.params["buffer_bits"] = 4;
  EXPECT_EQ(runLayer(l, {&a, &b}).ints, (std::vector<int64_t>{-4, 4}));
  // output_bits 3 (si3 [-4, 3]) with buffer 32: -4, 8 -> 3.
  l.params["buffer_bits"] = 32;
  l.params["output_bits"] = 3;
  EXPECT_EQ(runLayer(l, {&a, &b}).ints, (std::vector<int64_t>{-4, 3}));
  // post_op_buffer_bits 3 ([-4, 3]) before the output shift: ch1 15 -> 3,
  // roundShift(3, -1) = 2.
  l.params["output_bits"] = 8;
  l.params["post_op_buffer_bits"] = 3;
  EXPECT_EQ(runLayer(l, {&a, &b}).ints, (std::vector<int64_t>{-4, 2}));
}

TEST(GoldenMerge, AddDefaultsAndRounding) {
  // No shift variables: a + b. a = -5 with a_shift -1: floor(-4 / 2) = -2.
  LayerDesc plain = makeLayer(LayerType::Add, {});
  Activations a = acts(actType(1, 1, 1, 8, true), 1, {-5});
  Activations b = acts(actType(1, 1, 1, 8, true), 1, {2});
  EXPECT_EQ(runLayer(plain, {&a, &b}).ints, (std::vector<int64_t>{-3}));
  LayerDesc l = addLayer({-1}, {0}, {0});
  EXPECT_EQ(runLayer(l, {&a, &b}).ints, (std::vector<int64_t>{0}));
  // Shifts far beyond 64 bits cancel exactly: 1 << 100 + (-1) << 100 = 0,
  // and 1 << 100 + (-1) << 99 = 2^99 saturates to 127.
  Activations one = acts(actType(1, 1, 1, 8, true), 1, {1});
  Activations minusOne = acts(actType(1, 1, 1, 8, true), 1, {-1});
  l = addLayer({100}, {100}, {0});
  EXPECT_EQ(runLayer(l, {&one, &minusOne}).ints, (std::vector<int64_t>{0}));
  l = addLayer({100}, {99}, {0});
  EXPECT_EQ(runLayer(l, {&one, &minusOne}).ints, (std::vector<int64_t>{127}));
}

TEST(GoldenMerge, AddChecksItsInputs) {
  LayerDesc l = addLayer({0, 0}, {0, 0}, {0, 0});
  Activations a = acts(actType(1, 1, 2, 8, true), 1, {3, 5});
  Activations b3 = acts(actType(1, 1, 3, 8, true), 1, {1, 2, 3});
  EXPECT_NE(errorOf([&] {
              runLayer(l, {&a, &b3});
            }).find("same shape"),
            std::string::npos);
  Activations b2 = acts(actType(1, 1, 2, 8, true), 2, {1, 2, 3, 4});
  EXPECT_NE(errorOf([&] {
              runLayer(l, {&a, &b2});
            }).find("batch"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { runLayer(l, {&a}); }).find("inputs"),
            std::string::npos);
}

TEST(GoldenMerge, ConcatenateJoinsChannels) {
  // Two positions; a = [[1,2],[3,4]], b = [[5],[6]] -> [[1,2,5],[3,4,6]].
  LayerDesc l = makeLayer(LayerType::Concatenate);
  Activations a = acts(actType(1, 2, 2, 8), 1, {1, 2, 3, 4});
  Activations b = acts(actType(1, 2, 1, 8), 1, {5, 6});
  Activations out = runLayer(l, {&a, &b});
  EXPECT_EQ(out.type, actType(1, 2, 3, 8));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{1, 2, 5, 3, 4, 6}));
  // Three inputs, batch 2.
  Activations c = acts(actType(1, 1, 1, 8), 2, {7, 8});
  Activations d = acts(actType(1, 1, 2, 8), 2, {1, 2, 3, 4});
  out = runLayer(l, {&c, &d, &c});
  EXPECT_EQ(out.ints, (std::vector<int64_t>{7, 1, 2, 7, 8, 3, 4, 8}));
  // Element types must match.
  Activations e = acts(actType(1, 2, 1, 4), 1, {5, 6});
  EXPECT_NE(errorOf([&] {
              runLayer(l, {&a, &e});
            }).find("bit width"),
            std::string::npos);
}

TEST(GoldenMerge, DequantizerMultipliesInFloat) {
  // float(3) * 0.5 = 1.5; float(-4) * 0.1f (float multiply).
  LayerDesc l = makeLayer(LayerType::Dequantizer);
  setFloats(l, "scales", {2}, {0.5f, 0.1f});
  Activations out = run(l, acts(actType(1, 1, 2, 32, true), 1, {3, -4}));
  EXPECT_TRUE(out.type.isFloat);
  EXPECT_TRUE(out.ints.empty());
  ASSERT_EQ(out.floats.size(), 2u);
  EXPECT_EQ(out.floats[0], 1.5f);
  EXPECT_EQ(out.floats[1], -4.0f * 0.1f);
  // scales must be float32, one per channel.
  setFloats(l, "scales", {1}, {0.5f});
  EXPECT_NE(errorOf([&] {
              run(l, acts(actType(1, 1, 2, 32, true), 1, {3, -4}));
            }).find("'scales'"),
            std::string::npos);
}

TEST(GoldenMerge, ExtractTokenTakesRowMajorPositions) {
  // 2x2 positions with two channels: tokens (row-major) t0 = [1,2],
  // t1 = [3,4], t2 = [5,6], t3 = [7,8]. [1, 3) -> t1, t2 as one row.
  LayerDesc l = makeLayer(LayerType::ExtractToken, {{"begin", 1}, {"end", 3}});
  Activations in =
      acts(actType(2, 2, 2, 8), 2,
           {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18});
  Activations out = run(l, in);
  EXPECT_EQ(out.type, actType(1, 2, 2, 8));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{3, 4, 5, 6, 13, 14, 15, 16}));
  // Without end: tokens [begin, 4).
  l.params.erase("end");
  l.params["begin"] = 3;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{7, 8, 17, 18}));
  l.params["begin"] = 4;
  EXPECT_NE(errorOf([&] { run(l, in); }).find("token range"),
            std::string::npos);
}

} // namespace
