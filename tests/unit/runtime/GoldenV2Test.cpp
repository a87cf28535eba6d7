//===- GoldenV2Test.cpp - Akida 2.0 weighted layers on hand-worked cases --===//
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

constexpr int64_t kNone = 0, kReLU = 1, kLUT = 2;
constexpr int64_t kValid = 0, kSame = 1;

/// Dense1D on one input channel of value 1 (or `x`): unit f accumulates
/// w[f] * x. Output 32-bit, no activation unless changed.
LayerDesc dense(std::vector<int64_t> w, int64_t inputs = 1) {
  int64_t units = static_cast<int64_t>(w.size()) / inputs;
  LayerDesc l = makeLayer(LayerType::Dense1D, {{"units", units},
                                               {"activation", kNone},
                                               {"output_bits", 32},
                                               {"buffer_bits", 32}});
  setInts(l, "weights", DType::Int8, {inputs, units}, w);
  return l;
}

Activations scalarInput(std::vector<int64_t> x, int bits = 8,
                        bool isSigned = false) {
  int64_t c = static_cast<int64_t>(x.size());
  return acts(actType(1, 1, c, bits, isSigned), 1, std::move(x));
}

TEST(GoldenV2, InputShiftAndBufferSaturation) {
  // x = [3, 5], input_shift = [2, 0]: x' = [12, 5]; w = [1, 1]: acc = 17.
  LayerDesc l = dense({1, 1}, 2);
  setInts(l, "input_shift", DType::UInt8, {2}, {2, 0});
  Activations in = scalarInput({3, 5});
  Activations out = run(l, in);
  EXPECT_EQ(out.type, actType(1, 1, 1, 32, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{17}));
  // buffer_bits 4: the accumulator saturates to [-8, 7].
  l.params["buffer_bits"] = 4;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{7}));
  // w = [-1, -1]: -17 -> -8.
  setInts(l, "weights", DType::Int8, {2, 1}, {-1, -1});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-8}));
}

TEST(GoldenV2, BiasIsShiftedAndSaturated) {
  // acc = 17 (as above), bias 3 << bias_shift 2 = 12: 29.
  LayerDesc l = dense({1, 1}, 2);
  setInts(l, "input_shift", DType::UInt8, {2}, {2, 0});
  setInts(l, "bias", DType::Int8, {1}, {3});
  setInts(l, "bias_shift", DType::UInt8, {1}, {2});
  Activations in = scalarInput({3, 5});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{29}));
  // buffer_bits 5 ([-16, 15]): sat(17) = 15, 15 + 12 = 27 -> 15.
  l.params["buffer_bits"] = 5;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{15}));
  // A huge bias shift (200) saturates like the exact value: 15 + 3 * 2^200
  // -> 15; a negative bias -1 << 200 -> -16.
  setInts(l, "bias_shift", DType::UInt8, {1}, {200});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{15}));
  setInts(l, "bias", DType::Int8, {1}, {-1});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-16}));
  // The accumulator saturates before the bias: sat(17) = 15, then
  // 15 + (-3 << 2) = 3 (adding first would give 17 - 12 = 5).
  setInts(l, "bias", DType::Int8, {1}, {-3});
  setInts(l, "bias_shift", DType::UInt8, {1}, {2});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{3}));
}

TEST(GoldenV2, ReLUAndMaxValueClip) {
  // Units accumulate [17, -4, 9] (x = 1).
  LayerDesc l = dense({17, -4, 9});
  l.params["activation"] = kReLU;
  Activations in = scalarInput({1});
  Activations out = run(l, in);
  EXPECT_EQ(out.type, actType(1, 1, 3, 32, false));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{17, 0, 9}));
  // max_value (1) = 5 << max_value_shift (1) = 1: clip at 10 for all units.
  setInts(l, "max_value", DType::UInt8, {1}, {5});
  setInts(l, "max_value_shift", DType::UInt8, {1}, {1});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{10, 0, 9}));
  // Per channel: [20, 1, 2] << [0, 0, 2] = [20, 1, 8]: min -> [17, 0, 8].
  setInts(l, "max_value", DType::UInt8, {3}, {20, 1, 2});
  setInts(l, "max_value_shift", DType::UInt8, {3}, {0, 0, 2});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{17, 0, 8}));
  // max_value without shift: [4, 4, 4].
  l.variables.erase("max_value_shift");
  setInts(l, "max_value", DType::UInt8, {1}, {4});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{4, 0, 4}));
}

TEST(GoldenV2, LookUpTable) {
  // lut_values has 8 entries: N = 4, entry idx + 4 for idx in [-4, 3]:
  // [-40, -30, -20, -10, 0, 10, 20, 30] (value 10 * idx).
  // idx = roundShift(acc * 3, -1) = floor((3 acc + 1) / 2), clamped:
  //   acc  5: 15 -> 8 -> clamp 3  -> 30
  //   acc  1:  3 -> 2             -> 20
  //   acc -1: -3 -> floor(-2/2) = -1 -> -10
  //   acc -5: -15 -> -7 -> clamp -4 -> -40
  //   acc  0:  0 -> 0             -> 0
  LayerDesc l = dense({5, 1, -1, -5, 0});
  l.params["activation"] = kLUT;
  l.params["output_bits"] = 8;
  setInts(l, "lut_values", DType::Int32, {8},
          {-40, -30, -20, -10, 0, 10, 20, 30});
  setInts(l, "activation_scales", DType::UInt8, {1}, {3});
  setInts(l, "activation_shift", DType::Int8, {1}, {-1});
  Activations out = run(l, scalarInput({1}));
  EXPECT_EQ(out.type, actType(1, 1, 5, 8, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{30, 20, -10, -40, 0}));
  // Without scales/shift: idx = acc: 5 -> 3 (30), 1 (10), -1 (-10),
  // -5 -> -4 (-40), 0.
  l.variables.erase("activation_scales");
  l.variables.erase("activation_shift");
  EXPECT_EQ(run(l, scalarInput({1})).ints,
            (std::vector<int64_t>{30, 10, -10, -40, 0}));
  // LUT needs its table.
  l.variables.erase("lut_values");
  EXPECT_NE(errorOf([&] { run(l, scalarInput({1})); }).find("lut_values"),
            std::string::npos);
}

TEST(GoldenV2, OutputScaleAndRoundHalfUpShift) {
  // Units accumulate [17, -10, 30, -30, 10]; output_scales 3 (and 1 for the
  // last three), output_shift -2:
  //   17 * 3 = 51 -> floor(53 / 4) = 13
  //   -10 * 3 = -30 -> floor(-28 / 4) = -7   (-7.5 rounds up to -7)
  //   30 -> floor(32 / 4) = 8                (7.5 -> 8)
  //   -30 -> -7
  //   10 -> floor(12 / 4) = 3                (2.5 -> 3)
  LayerDesc l = dense({17, -10, 30, -30, 10});
  setInts(l, "output_scales", DType::UInt8, {5}, {3, 3, 1, 1, 1});
  setInts(l, "output_shift", DType::Int8, {5}, {-2, -2, -2, -2, -2});
  EXPECT_EQ(run(l, scalarInput({1})).ints,
            (std::vector<int64_t>{13, -7, 8, -7, 3}));
  // Positive shift: 17 * 3 << 1 = 102.
  setInts(l, "output_shift", DType::Int8, {5}, {1, 0, 0, 0, 0});
  EXPECT_EQ(run(l, scalarInput({1})).ints[0], 102);
}

TEST(GoldenV2, PostOpBufferAndOutputSaturation) {
  // Units [17, -10]. No activation, output_bits 4 (si4 [-8, 7]): 7, -8.
  LayerDesc l = dense({17, -10});
  l.params["output_bits"] = 4;
  Activations out = run(l, scalarInput({1}));
  EXPECT_EQ(out.type, actType(1, 1, 2, 4, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{7, -8}));
  // ReLU, output_bits 4 (ui4 [0, 15]): 15, 0.
  l.params["activation"] = kReLU;
  out = run(l, scalarInput({1}));
  EXPECT_EQ(out.type, actType(1, 1, 2, 4, false));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{15, 0}));
  // post_op_buffer_bits 4 holds 17 as 7 before the scale 2: 14.
  l.params["output_bits"] = 8;
  l.params["post_op_buffer_bits"] = 4;
  setInts(l, "output_scales", DType::UInt8, {2}, {2, 2});
  EXPECT_EQ(run(l, scalarInput({1})).ints, (std::vector<int64_t>{14, 0}));
}

TEST(GoldenV2, Dense1DFlattensRowMajor) {
  // x (2, 2, 2) in NHWC order is 1..8, and so is the row-major flatten
  // i = (row * W + col) * C + c. unit 0: w = 1..8: 1 + 4 + ... + 64 = 204;
  // unit 1 one-hot at i = 1: x_flat[1] = 2 (channel-major would give 5).
  std::vector<int64_t> w;
  for (int i = 0; i < 8; ++i) {
    w.push_back(i + 1);
    w.push_back(i == 1);
  }
  LayerDesc l = dense(w, 8);
  Activations out =
      run(l, acts(actType(2, 2, 2, 8), 1, {1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{1, 1, 2}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{204, 2}));
}

LayerDesc conv2d(LayerType type, int64_t filters, int64_t k, int64_t padding,
                 std::vector<int64_t> shape, std::vector<int64_t> w) {
  LayerDesc l = makeLayer(type, {{"kernel_size", k},
                                 {"padding", padding},
                                 {"activation", kNone},
                                 {"output_bits", 32}});
  if (type != LayerType::DepthwiseConv2D)
    l.params["filters"] = filters;
  setInts(l, "weights", DType::Int8, shape, w);
  return l;
}

TEST(GoldenV2, ConvolutionsAreCrossCorrelations) {
  // Same numbers as the v1 InputConvolutional case: x = 1..9 (3x3),
  // w = [[1,2],[3,4]], valid: [37, 47, 67, 77] for InputConv2D and Conv2D.
  Activations in = acts(actType(3, 3, 1, 8), 1, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  for (LayerType t : {LayerType::InputConv2D, LayerType::Conv2D}) {
    LayerDesc l = conv2d(t, 1, 2, kValid, {2, 2, 1, 1}, {1, 2, 3, 4});
    EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{37, 47, 67, 77}));
    // same (total padding 1, after): the last row/column read 0 outside:
    //   row 0: 37, 47, x(0,2)*1 + x(1,2)*3 = 3 + 18 = 21
    //   row 1: 67, 77, 6 + 27 = 33
    //   row 2: x(2,0) + 2 x(2,1) = 7 + 16 = 23, 8 + 18 = 26, 9
    l.params["padding"] = kSame;
    EXPECT_EQ(run(l, in).ints,
              (std::vector<int64_t>{37, 47, 21, 67, 77, 33, 23, 26, 9}));
  }
  // A signed 8-bit input for InputConv2D: x = -1..-9 negates everything.
  LayerDesc l =
      conv2d(LayerType::InputConv2D, 1, 2, kValid, {2, 2, 1, 1}, {1, 2, 3, 4});
  Activations neg =
      acts(actType(3, 3, 1, 8, true), 1, {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  EXPECT_EQ(run(l, neg).ints, (std::vector<int64_t>{-37, -47, -67, -77}));
}

TEST(GoldenV2, StridedConvolution) {
  // x(r, c) = 5r + c on 5x5, 1x1 weight 1, stride 2, same: 3x3 output
  // x(2 oy, 2 ox) = [0, 2, 4, 10, 12, 14, 20, 22, 24].
  std::vector<int64_t> x(25);
  for (int i = 0; i < 25; ++i)
    x[i] = i;
  LayerDesc l = conv2d(LayerType::Conv2D, 1, 1, kSame, {1, 1, 1, 1}, {1});
  l.params["kernel_stride"] = 2;
  EXPECT_EQ(run(l, acts(actType(5, 5, 1, 8), 1, x)).ints,
            (std::vector<int64_t>{0, 2, 4, 10, 12, 14, 20, 22, 24}));
}

TEST(GoldenV2, DepthwiseConv2D) {
  // c0 = [[1,2],[3,4]], c1 = [[5,6],[7,8]], 2x2 valid; w[i][j][0] = identity
  // [[1,0],[0,1]] -> 1 + 4 = 5; w[i][j][1] = [[0,1],[1,0]] -> 6 + 7 = 13.
  LayerDesc l = conv2d(LayerType::DepthwiseConv2D, 2, 2, kValid, {2, 2, 2},
                       {1, 0, 0, 1, 0, 1, 1, 0});
  Activations out =
      run(l, acts(actType(2, 2, 2, 8), 1, {1, 5, 2, 6, 3, 7, 4, 8}));
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{1, 1, 2}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{5, 13}));
}

TEST(GoldenV2, PoolingRunsOnTheAccumulator) {
  // Max: 1x1 weight -1 on x = [[1,5,2],[7,3,9],[4,8,6]], pool 2 (stride 2),
  // same: [-1, -2, -4, -6] (outside positions ignored, not 0).
  LayerDesc l = conv2d(LayerType::Conv2D, 1, 1, kSame, {1, 1, 1, 1}, {-1});
  l.params["pool_type"] = 1;
  l.params["pool_size"] = 2;
  Activations in = acts(actType(3, 3, 1, 8), 1, {1, 5, 2, 7, 3, 9, 4, 8, 6});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-1, -2, -4, -6}));
  // The bias comes before pooling and ReLU after: bias 3 -> accumulators
  // 3 - x: [[2,-2,1],[-4,0,-6],[-1,-5,-3]]; max windows: 2, 1, -1, -3;
  // ReLU: 2, 1, 0, 0.
  l.params["activation"] = kReLU;
  setInts(l, "bias", DType::Int8, {1}, {3});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{2, 1, 0, 0}));
  // Global average: the sum of the accumulators, saturated to buffer_bits.
  // 1x1 weight 1 on four pixels of 100: 400; buffer_bits 9 ([-256, 255])
  // -> 255.
  LayerDesc g = conv2d(LayerType::Conv2D, 1, 1, kSame, {1, 1, 1, 1}, {1});
  g.params["pool_type"] = 2;
  Activations hundred = acts(actType(2, 2, 1, 8), 1, {100, 100, 100, 100});
  Activations out = run(g, hundred);
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{400}));
  g.params["buffer_bits"] = 9;
  EXPECT_EQ(run(g, hundred).ints, (std::vector<int64_t>{255}));
  // The bias is added at every position before the sum: 4 * (100 + 5) = 420
  // (adding it to the sum would give 405).
  g.params["buffer_bits"] = 28;
  setInts(g, "bias", DType::Int8, {1}, {5});
  EXPECT_EQ(run(g, hundred).ints, (std::vector<int64_t>{420}));
}

TEST(GoldenV2, Conv2DTransposeKernel3) {
  // x = [[1,2],[3,4]], w[ky][kx] = [[1,2,3],[4,5,6],[7,8,9]], pad = 0:
  // x(iy, ix) adds x * w[ky][kx] at (2 iy + ky, 2 ix + kx), row/col 4 dropped.
  //   row 0: 1, 2, 3 + 2*1 = 5, 2*2 = 4
  //   row 1: 4, 5, 6 + 2*4 = 14, 2*5 = 10
  //   row 2: 7 + 3*1 = 10, 8 + 3*2 = 14, 9 + 2*7 + 3*3 + 4*1 = 36, 2*8 + 4*2 =
  //   24 row 3: 3*4 = 12, 3*5 = 15, 3*6 + 4*4 = 34, 4*5 = 20
  LayerDesc l = makeLayer(LayerType::Conv2DTranspose, {{"filters", 1},
                                                       {"kernel_size", 3},
                                                       {"activation", kNone},
                                                       {"output_bits", 32}});
  setInts(l, "weights", DType::Int8, {3, 3, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Activations out = run(l, acts(actType(2, 2, 1, 8), 1, {1, 2, 3, 4}));
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{4, 4, 1}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{1, 2, 5, 4, 4, 5, 14, 10, 10, 14,
                                            36, 24, 12, 15, 34, 20}));
}

TEST(GoldenV2, Conv2DTransposeKernel4) {
  // k = 4: pad = (4 - 2) / 2 = 1; x(iy, ix) lands at (2 iy + ky - 1,
  // 2 ix + kx - 1). w[r][c] = 4r + c + 1. With x = [[1,2],[3,4]]:
  //   out[oy][ox] = w[oy+1][ox+1] + 2 w[oy+1][ox-1] + 3 w[oy-1][ox+1]
  //                 + 4 w[oy-1][ox-1]   (terms with indices outside 0..3 drop)
  //   row 0: 6, 7 + 2*5 = 17, 8 + 2*6 = 20, 2*7 = 14
  //   row 1: 10 + 3*2 = 16, 11 + 18 + 9 + 4 = 42, 12 + 20 + 12 + 8 = 52,
  //          22 + 12 = 34
  //   row 2: 14 + 18 = 32, 15 + 26 + 21 + 20 = 82, 16 + 28 + 24 + 24 = 92,
  //          30 + 28 = 58
  //   row 3: 30, 33 + 36 = 69, 36 + 40 = 76, 44
  std::vector<int64_t> w(16);
  for (int i = 0; i < 16; ++i)
    w[i] = i + 1;
  LayerDesc l = makeLayer(LayerType::Conv2DTranspose, {{"filters", 1},
                                                       {"kernel_size", 4},
                                                       {"activation", kNone},
                                                       {"output_bits", 32}});
  setInts(l, "weights", DType::Int8, {4, 4, 1, 1}, w);
  Activations out = run(l, acts(actType(2, 2, 1, 8), 1, {1, 2, 3, 4}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{6, 17, 20, 14, 16, 42, 52, 34, 32,
                                            82, 92, 58, 30, 69, 76, 44}));
}

TEST(GoldenV2, DepthwiseConv2DTranspose) {
  // Channel 0 repeats the k = 3 case; channel 1 has all weights 1 and x = 1,
  // so it counts contributions: along an axis outputs 0..3 receive 1, 1, 2, 1
  // taps, so out = a[oy] * a[ox] with a = [1, 1, 2, 1].
  LayerDesc l = makeLayer(
      LayerType::DepthwiseConv2DTranspose,
      {{"kernel_size", 3}, {"activation", kNone}, {"output_bits", 32}});
  std::vector<int64_t> w;
  for (int i = 0; i < 9; ++i) {
    w.push_back(i + 1);
    w.push_back(1);
  }
  setInts(l, "weights", DType::Int8, {3, 3, 2}, w);
  Activations out =
      run(l, acts(actType(2, 2, 2, 8), 1, {1, 1, 2, 1, 3, 1, 4, 1}));
  std::vector<int64_t> c0 = {1,  2,  5,  4,  4,  5,  14, 10,
                             10, 14, 36, 24, 12, 15, 34, 20};
  std::vector<int64_t> a = {1, 1, 2, 1};
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(out.ints[2 * i], c0[i]) << i;
    EXPECT_EQ(out.ints[2 * i + 1], a[i / 4] * a[i % 4]) << i;
  }
}

LayerDesc btc(std::vector<int64_t> w, int64_t fifo) {
  LayerDesc l = makeLayer(LayerType::BufferTempConv, {{"filters", 1},
                                                      {"fifo_size", fifo},
                                                      {"activation", kNone},
                                                      {"output_bits", 32}});
  setInts(l, "weights", DType::Int8, {fifo, 1, 1}, w);
  return l;
}

TEST(GoldenV2, BufferTempConvFifoAcrossCallsAndReset) {
  // fifo_size 3, w = [1, 10, 100] (t = 0 oldest, t = 2 current frame).
  // Frames 1, 2, 3, 4 in one batch:
  //   [0,0,1] -> 100; [0,1,2] -> 210; [1,2,3] -> 321; [2,3,4] -> 432.
  LayerDesc l = btc({1, 10, 100}, 3);
  TemporalState state;
  Activations out = run(l, acts(actType(1, 1, 1, 8), 4, {1, 2, 3, 4}), &state);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{100, 210, 321, 432}));
  EXPECT_EQ(state.frames, (std::vector<int64_t>{2, 3, 4}));
  // The next call continues the FIFO: [3,4,5] -> 3 + 40 + 500 = 543.
  Activations five = acts(actType(1, 1, 1, 8), 1, {5});
  EXPECT_EQ(run(l, five, &state).ints, (std::vector<int64_t>{543}));
  // reset() clears it: [0,0,5] -> 500.
  state.reset();
  EXPECT_EQ(run(l, five, &state).ints, (std::vector<int64_t>{500}));
  // A frame of another size starts from zeros: a 1x2 frame [7, 8] -> 700, 800.
  EXPECT_EQ(run(l, acts(actType(1, 2, 1, 8), 1, {7, 8}), &state).ints,
            (std::vector<int64_t>{700, 800}));
  // The FIFO holds the input-shifted frames: shift 1 stores 2 -> 200.
  setInts(l, "input_shift", DType::UInt8, {1}, {1});
  state.reset();
  Activations one = acts(actType(1, 1, 1, 8), 1, {1});
  EXPECT_EQ(run(l, one, &state).ints, (std::vector<int64_t>{200}));
  EXPECT_EQ(state.frames, (std::vector<int64_t>{0, 0, 2}));
  // A temporal layer needs a state.
  EXPECT_NE(errorOf([&] { run(l, one); }).find("TemporalState"),
            std::string::npos);
}

TEST(GoldenV2, BufferTempConvMixesChannels) {
  // fifo 2, 2 channels, 2 filters; w[t][c][f]:
  //   f0 = 1*c0(t0) + 2*c1(t0) + 10*c0(t1) + 20*c1(t1)
  //   f1 = c1(t1) only.
  // Frames (c0, c1) = (1, 2), (3, 4):
  //   frame 0: t0 = (0,0), t1 = (1,2): f0 = 10 + 40 = 50, f1 = 2
  //   frame 1: t0 = (1,2), t1 = (3,4): f0 = 1 + 4 + 30 + 80 = 115, f1 = 4
  LayerDesc l = makeLayer(LayerType::BufferTempConv, {{"filters", 2},
                                                      {"fifo_size", 2},
                                                      {"activation", kNone},
                                                      {"output_bits", 32}});
  setInts(l, "weights", DType::Int8, {2, 2, 2}, {1, 0, 2, 0, 10, 0, 20, 1});
  TemporalState state;
  Activations out = run(l, acts(actType(1, 1, 2, 8), 2, {1, 2, 3, 4}), &state);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{50, 2, 115, 4}));
}

TEST(GoldenV2, DepthwiseBufferTempConv) {
  // fifo 3, w[t][c] = [[1,2],[10,20],[100,-50]]; frames (c0, c1) = (1,1),
  // (2,3):
  //   frame 0: c0 [0,0,1] -> 100, c1 [0,0,1] -> -50
  //   frame 1: c0 [0,1,2] -> 10 + 200 = 210, c1 [0,1,3] -> 20 - 150 = -130
  LayerDesc l =
      makeLayer(LayerType::DepthwiseBufferTempConv,
                {{"fifo_size", 3}, {"activation", kNone}, {"output_bits", 32}});
  setInts(l, "weights", DType::Int8, {3, 2}, {1, 2, 10, 20, 100, -50});
  TemporalState state;
  Activations out = run(l, acts(actType(1, 1, 2, 8), 2, {1, 1, 2, 3}), &state);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{100, -50, 210, -130}));
}

TEST(GoldenV2, VariableChecks) {
  LayerDesc l = dense({1, 1}, 2);
  Activations in = scalarInput({3, 5});
  // input_shift must have one value per input channel.
  setInts(l, "input_shift", DType::UInt8, {1}, {1});
  std::string e = errorOf([&] { run(l, in); });
  EXPECT_NE(e.find("'input_shift'"), std::string::npos) << e;
  // ...and be at most 31.
  setInts(l, "input_shift", DType::UInt8, {2}, {32, 0});
  e = errorOf([&] { run(l, in); });
  EXPECT_NE(e.find("at most 31"), std::string::npos) << e;
  l.variables.erase("input_shift");
  // output_shift is int8.
  setInts(l, "output_shift", DType::UInt8, {1}, {1});
  e = errorOf([&] { run(l, in); });
  EXPECT_NE(e.find("'output_shift'"), std::string::npos) << e;
  EXPECT_NE(e.find("int8"), std::string::npos) << e;
  l.variables.erase("output_shift");
  // buffer_bits within 1..32.
  l.params["buffer_bits"] = 33;
  e = errorOf([&] { run(l, in); });
  EXPECT_NE(e.find("buffer_bits"), std::string::npos) << e;
  l.params["buffer_bits"] = 32;
  // Float inputs are refused.
  Activations f = in;
  f.type.isFloat = true;
  e = errorOf([&] { run(l, f); });
  EXPECT_NE(e.find("float"), std::string::npos) << e;
}

} // namespace
