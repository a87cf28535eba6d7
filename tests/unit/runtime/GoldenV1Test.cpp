//===- GoldenV1Test.cpp - Akida 1.0 layers on hand-worked cases -----------===//
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

constexpr int64_t kValid = 0, kSame = 1, kSameUpper = 2;

/// A v1 conv-like layer with activation off (raw si32 potentials).
LayerDesc v1Conv(LayerType type, int64_t filters, int64_t kx, int64_t ky,
                 int64_t padding, std::vector<int64_t> weights, int64_t c = 1) {
  LayerDesc l = makeLayer(type, {{"filters", filters},
                                 {"kernel_size_x", kx},
                                 {"kernel_size_y", ky},
                                 {"padding", padding},
                                 {"weights_bits", 8},
                                 {"activation", 0}});
  setInts(l, "weights", DType::Int8, {kx, ky, c, filters}, weights);
  setV1Act(l, std::vector<int64_t>(filters, 0),
           std::vector<float>(filters, 1.0f));
  return l;
}

// x = [[1,2,3],[4,5,6],[7,8,9]], kernel w = [[1,2],[3,4]] (w[i][j], i = row).
const std::vector<int64_t> kX3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
const std::vector<int64_t> kW2 = {1, 2, 3, 4};

TEST(GoldenV1, InputConvolutionalIsCrossCorrelation) {
  // out[0,0] = 1*1 + 2*2 + 3*4 + 4*5 = 37
  // out[0,1] = 1*2 + 2*3 + 3*5 + 4*6 = 47
  // out[1,0] = 1*4 + 2*5 + 3*7 + 4*8 = 67
  // out[1,1] = 1*5 + 2*6 + 3*8 + 4*9 = 77
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 2, 2, kValid, kW2);
  Activations out = run(l, acts(actType(3, 3, 1, 8), 1, kX3));
  EXPECT_EQ(out.type, actType(2, 2, 1, 32, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{37, 47, 67, 77}));
}

TEST(GoldenV1, ConvolutionalIsTrueConvolution) {
  // The kernel is flipped: w'[i][j] = w[1-i][1-j] = [[4,3],[2,1]].
  // out[0,0] = 4*1 + 3*2 + 2*4 + 1*5 = 23
  // out[0,1] = 4*2 + 3*3 + 2*5 + 1*6 = 33
  // out[1,0] = 4*4 + 3*5 + 2*7 + 1*8 = 53
  // out[1,1] = 4*5 + 3*6 + 2*8 + 1*9 = 63
  LayerDesc l = v1Conv(LayerType::Convolutional, 1, 2, 2, kValid, kW2);
  Activations out = run(l, acts(actType(3, 3, 1, 4), 1, kX3));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{23, 33, 53, 63}));
}

TEST(GoldenV1, KernelPairIsRowsThenColumns) {
  // kernel_size = (1 row, 2 columns), w = [1, 10], x = [[1,2,3],[4,5,6]]:
  // out[r][c] = x[r][c] + 10 * x[r][c+1] -> [[21, 32], [54, 65]].
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 1, 2, kValid, {1, 10});
  Activations out = run(l, acts(actType(2, 3, 1, 8), 1, {1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{2, 2, 1}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{21, 32, 54, 65}));
}

TEST(GoldenV1, PaddingValueFillsTheBorder) {
  // x = [[1,2],[3,4]], 3x3 kernel w = [[1,2,3],[4,5,6],[7,8,9]], same,
  // stride 1: total padding (2-1)*1 + 3 - 2 = 2, one row/column before.
  // out[0,0]: kernel (i,j) reads x(i-1, j-1): inside (1,1)=1*5 (1,2)=2*6
  //   (2,1)=3*8 (2,2)=4*9 -> 77; outside weights 1+2+3+4+7 = 17.
  // out[0,1]: x(i-1, j): 1*4 + 2*5 + 3*7 + 4*8 = 67; outside 1+2+3+6+9 = 21.
  // out[1,0]: x(i, j-1): 1*2 + 2*3 + 3*5 + 4*6 = 47; outside 1+4+7+8+9 = 29.
  // out[1,1]: x(i, j): 1*1 + 2*2 + 3*4 + 4*5 = 37; outside 3+6+7+8+9 = 33.
  std::vector<int64_t> w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 3, 3, kSame, w);
  Activations in = acts(actType(2, 2, 1, 8), 1, {1, 2, 3, 4});
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{77, 67, 47, 37}));
  // padding_value = 10: 77 + 170, 67 + 210, 47 + 290, 37 + 330.
  l.params["padding_value"] = 10;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{247, 277, 337, 367}));
  // Convolutional layers read 0 outside (no padding_value); the flipped
  // kernel at out[1,1] reads x(i, j) with w'[i][j] = w[2-i][2-j]:
  // 1*9 + 2*8 + 3*6 + 4*5 = 63.
  LayerDesc conv = v1Conv(LayerType::Convolutional, 1, 3, 3, kSame, w);
  EXPECT_EQ(run(conv, acts(actType(2, 2, 1, 4), 1, {1, 2, 3, 4})).ints[3], 63);
}

TEST(GoldenV1, SameSameUpperAndValid) {
  // x = [[1,2],[3,4]], 2x2 kernel w = [[1,2],[3,4]], stride 1: total padding
  // 1. same puts it after (pt = pl = 0), same_upper before (pt = pl = 1).
  Activations in = acts(actType(2, 2, 1, 8), 1, {1, 2, 3, 4});
  // same: out[0,0] = 1+4+9+16 = 30; out[0,1] = 2*1 + 4*3 = 14;
  //       out[1,0] = 3*1 + 4*2 = 11; out[1,1] = 4*1 = 4.
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 2, 2, kSame, kW2);
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{30, 14, 11, 4}));
  // same_upper: out[0,0] = w[1][1]*x(0,0) = 4; out[0,1] = 1*3 + 2*4 = 11;
  //             out[1,0] = 1*2 + 3*4 = 14; out[1,1] = 30.
  l.params["padding"] = kSameUpper;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{4, 11, 14, 30}));
  // valid: a single position, 30.
  l.params["padding"] = kValid;
  Activations out = run(l, in);
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{30}));
}

TEST(GoldenV1, StridesAreRowsThenColumns) {
  // x(r, c) = 5r + c on 5x5, 1x1 kernel of weight 1, stride (2 rows, 3
  // columns), same: rows ceil(5/2) = 3, columns ceil(5/3) = 2, no padding
  // before; out[oy][ox] = x(2 oy, 3 ox) = [[0,3],[10,13],[20,23]].
  std::vector<int64_t> x(25);
  for (int i = 0; i < 25; ++i)
    x[i] = i;
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 1, 1, kSame, {1});
  l.params["kernel_stride_x"] = 2;
  l.params["kernel_stride_y"] = 3;
  Activations out = run(l, acts(actType(5, 5, 1, 8), 1, x));
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{3, 2, 1}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{0, 3, 10, 13, 20, 23}));
}

TEST(GoldenV1, MaxPoolingIgnoresOutsidePositions) {
  // 1x1 kernel of weight -1: potentials p = -x on
  // x = [[1,5,2],[7,3,9],[4,8,6]] -> [[-1,-5,-2],[-7,-3,-9],[-4,-8,-6]].
  // Pool 2x2 stride 2 on the 3x3 output: 2x2 windows, total padding 1.
  Activations in = acts(actType(3, 3, 1, 4), 1, {1, 5, 2, 7, 3, 9, 4, 8, 6});
  LayerDesc l = v1Conv(LayerType::Convolutional, 1, 1, 1, kSame, {-1});
  l.params["pool_type"] = 1;
  l.params["pool_size_x"] = 2;
  l.params["pool_size_y"] = 2;
  // same (padding after): windows start at 0 and 2:
  //   (0,0) max(-1,-5,-7,-3) = -1; (0,1) max(-2,-9) = -2 (not 0);
  //   (1,0) max(-4,-8) = -4; (1,1) -6.
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-1, -2, -4, -6}));
  // same_upper (one before): windows start at -1 and 1:
  //   (0,0) -1; (0,1) max(-5,-2) = -2; (1,0) max(-7,-4) = -4;
  //   (1,1) max(-3,-9,-8,-6) = -3.
  l.params["padding"] = kSameUpper;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-1, -2, -4, -3}));
  // valid: (3 - 2) / 2 + 1 = 1 window, max(-1,-5,-7,-3) = -1.
  l.params["padding"] = kValid;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-1}));
  // pool_stride 1 (valid): 2x2 windows at (0,0) (0,1) (1,0) (1,1):
  //   -1, max(-5,-2,-3,-9) = -2, max(-7,-3,-4,-8) = -3, max(-3,-9,-8,-6) = -3.
  l.params["pool_stride_x"] = 1;
  l.params["pool_stride_y"] = 1;
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{-1, -2, -3, -3}));
}

TEST(GoldenV1, GlobalAverageIsTheSumThenActivation) {
  // 1x1 kernel, identity on 2 channels; c0 = [1,2,3,4], c1 = [5,6,7,8]:
  // sums 10 and 26 (the converter folds 1/(H*W) into threshold and step).
  LayerDesc l =
      v1Conv(LayerType::Convolutional, 2, 1, 1, kSame, {1, 0, 0, 1}, 2);
  l.params["pool_type"] = 2;
  Activations in = acts(actType(2, 2, 2, 4), 1, {1, 5, 2, 6, 3, 7, 4, 8});
  Activations out = run(l, in);
  EXPECT_EQ(out.type.shape, (std::array<int64_t, 3>{1, 1, 2}));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{10, 26}));
  // With activation (act_bits 4): T = [4, 20], step = [2, 0.5]:
  // ceil((10 - 4) / 2) = 3, ceil((26 - 20) / 0.5) = 12.
  l.params["activation"] = 1;
  l.params["act_bits"] = 4;
  setV1Act(l, {4, 20}, {2.0f, 0.5f});
  out = run(l, in);
  EXPECT_EQ(out.type, actType(1, 1, 2, 4));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{3, 12}));
}

TEST(GoldenV1, SeparableIsDepthwiseTrueConvolutionThenPointwise) {
  // x0 = [[1,2,3],[4,5,6],[7,8,9]], x1 = [[9,8,7],[6,5,4],[3,2,1]], 2x2
  // valid. Depthwise w0 has w0[0][0] = 1, w1 has w1[1][1] = 1; flipped, c0
  // reads x0(oy+1, ox+1) and c1 reads x1(oy, ox):
  //   d0 = [[5,6],[8,9]], d1 = [[9,8],[6,5]].
  // Pointwise: f0 = d0 + 2 d1 = [[23,22],[20,19]],
  //            f1 = 3 d0 - d1 = [[6,10],[18,22]].
  LayerDesc l =
      makeLayer(LayerType::SeparableConvolutional, {{"filters", 2},
                                                    {"kernel_size_x", 2},
                                                    {"kernel_size_y", 2},
                                                    {"padding", kValid},
                                                    {"weights_bits", 4},
                                                    {"activation", 0}});
  // weights (2, 2, C=2, 1): [i][j][c].
  setInts(l, "weights", DType::Int8, {2, 2, 2, 1}, {1, 0, 0, 0, 0, 0, 0, 1});
  // weights_pw (1, 1, 2, 2): [c][f] = [[1, 3], [2, -1]].
  setInts(l, "weights_pw", DType::Int8, {1, 1, 2, 2}, {1, 3, 2, -1});
  setV1Act(l, {0, 0}, {1.0f, 1.0f});
  std::vector<int64_t> x;
  for (int i = 0; i < 9; ++i) {
    x.push_back(i + 1);
    x.push_back(9 - i);
  }
  Activations out = run(l, acts(actType(3, 3, 2, 4), 1, x));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{23, 6, 22, 10, 20, 18, 19, 22}));
}

TEST(GoldenV1, FullyConnectedFlattensChannelMajor) {
  // x (2 rows, 2 columns, 2 channels) in NHWC order is 1..8:
  // x[r][c][ch] = 4r + 2c + ch + 1. Flat index i = ch*4 + col*2 + row:
  //   ch0: (0,0)=1 (1,0)=5 (0,1)=3 (1,1)=7; ch1: 2, 6, 4, 8
  //   flat = [1,5,3,7,2,6,4,8].
  // unit 0, w = 1..8: 1+10+9+28+10+36+28+64 = 186.
  // unit 1, one-hot at i = 1: flat[1] = 5 (row-major order would give 2).
  LayerDesc l =
      makeLayer(LayerType::FullyConnected,
                {{"units", 2}, {"weights_bits", 8}, {"activation", 0}});
  std::vector<int64_t> w;
  for (int i = 0; i < 8; ++i) {
    w.push_back(i + 1);
    w.push_back(i == 1);
  }
  setInts(l, "weights", DType::Int8, {1, 1, 8, 2}, w);
  setV1Act(l, {0, 0}, {1.0f, 1.0f});
  Activations out =
      run(l, acts(actType(2, 2, 2, 4), 1, {1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(out.type, actType(1, 1, 2, 32, true));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{186, 5}));
}

/// A FullyConnected on one input value x = 1: unit f's potential is w[f].
LayerDesc potentialsLayer(std::vector<int64_t> w, int64_t actBits,
                          std::vector<int64_t> threshold,
                          std::vector<float> steps) {
  int64_t units = static_cast<int64_t>(w.size());
  LayerDesc l = makeLayer(LayerType::FullyConnected, {{"units", units},
                                                      {"weights_bits", 8},
                                                      {"activation", 1},
                                                      {"act_bits", actBits}});
  setInts(l, "weights", DType::Int8, {1, 1, 1, units}, w);
  setV1Act(l, threshold, steps);
  return l;
}

TEST(GoldenV1, ThresholdAndStepActivation) {
  Activations one = acts(actType(1, 1, 1, 1), 1, {1});
  // act_bits 1, T = 2: p > 2 -> [0, 0, 1] for p = 1, 2, 3.
  Activations out =
      run(potentialsLayer({1, 2, 3}, 1, {2, 2, 2}, {100, 100, 100}), one);
  EXPECT_EQ(out.type, actType(1, 1, 3, 1));
  EXPECT_EQ(out.ints, (std::vector<int64_t>{0, 0, 1}));
  // act_bits 2, stored step 0.25 -> s_eff = 0.25 * 4 = 1, T = 0:
  // p = 0, 1, 2, 3, 4, -1 -> 0, 1, 2, 3, 3 (clamp), 0.
  std::vector<float> q(6, 0.25f);
  out =
      run(potentialsLayer({0, 1, 2, 3, 4, -1}, 2, {0, 0, 0, 0, 0, 0}, q), one);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{0, 1, 2, 3, 3, 0}));
  // act_bits 2, stored step 0.5 -> s_eff = 2: p = 1..5, 7 ->
  // ceil(p/2) = 1, 1, 2, 2, 3, 3 (7/2 = 3.5 -> 4 -> clamp 3). Without the
  // 2^(4 - act_bits) scaling p = 2 would give 4 -> 3.
  std::vector<float> h(6, 0.5f);
  out = run(potentialsLayer({1, 2, 3, 4, 5, 7}, 2, {0, 0, 0, 0, 0, 0}, h), one);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{1, 1, 2, 2, 3, 3}));
  // act_bits 4 (s_eff = step): T = -5, step 2, p = 0 -> ceil(5/2) = 3;
  // T = 3, step 0.7f, p = 10 -> d = 7, 7 / 0.69999998808 = 10.0000002 -> 11;
  // T = 0, step 1/3f = 0.33333334, p = 1, 5, 6 -> 3, 15, 15 (18 clamped).
  const float third = 1.0f / 3.0f;
  out = run(potentialsLayer({0, 10, 1, 5, 6}, 4, {-5, 3, 0, 0, 0},
                            {2.0f, 0.7f, third, third, third}),
            one);
  EXPECT_EQ(out.type.bits, 4);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{3, 11, 3, 15, 15}));
  // 0.1f (slightly above 0.1): p = 1 -> 9.99999985 -> 10.
  out = run(potentialsLayer({1}, 4, {0}, {0.1f}), one);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{10}));
}

TEST(GoldenV1, RawPotentialsSaturateToInt32) {
  // 70000 inputs of 255 times weights 127: 70000 * 32385 = 2266950000, above
  // 2^31 - 1 = 2147483647: the si32 output saturates.
  const int64_t k = 70000;
  LayerDesc l =
      makeLayer(LayerType::FullyConnected,
                {{"units", 1}, {"weights_bits", 8}, {"activation", 0}});
  setInts(l, "weights", DType::Int8, {1, 1, k, 1},
          std::vector<int64_t>(k, 127));
  setV1Act(l, {0}, {1.0f});
  Activations in = acts(actType(1, 1, k, 8), 1, std::vector<int64_t>(k, 255));
  EXPECT_EQ(run(l, in).ints, (std::vector<int64_t>{2147483647}));
}

TEST(GoldenV1, BatchSamplesAreIndependent) {
  // The cross-correlation case on two samples: the second is x + 1 on every
  // pixel, so each output grows by the weight sum 1+2+3+4 = 10.
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 2, 2, kValid, kW2);
  std::vector<int64_t> x = kX3;
  for (int64_t v : kX3)
    x.push_back(v + 1);
  Activations out = run(l, acts(actType(3, 3, 1, 8), 2, x));
  EXPECT_EQ(out.batch, 2);
  EXPECT_EQ(out.ints, (std::vector<int64_t>{37, 47, 67, 77, 47, 57, 77, 87}));
}

TEST(GoldenV1, ErrorsNameTheLayerAndTheProblem) {
  LayerDesc l = v1Conv(LayerType::InputConvolutional, 1, 2, 2, kValid, kW2);
  l.name = "conv_0";
  Activations in = acts(actType(3, 3, 1, 8), 1, kX3);
  // Input must be raw ui8.
  std::string e = errorOf([&] { run(l, acts(actType(3, 3, 1, 4), 1, kX3)); });
  EXPECT_NE(e.find("conv_0"), std::string::npos) << e;
  EXPECT_NE(e.find("ui8"), std::string::npos) << e;
  // Convolutional inputs must be unsigned.
  LayerDesc c = v1Conv(LayerType::Convolutional, 1, 2, 2, kValid, kW2);
  e = errorOf([&] { run(c, acts(actType(3, 3, 1, 8, true), 1, kX3)); });
  EXPECT_NE(e.find("unsigned"), std::string::npos) << e;
  // Values outside the input type.
  e = errorOf([&] {
    run(c, acts(actType(3, 3, 1, 2), 1, {0, 0, 0, 0, 4, 0, 0, 0, 0}));
  });
  EXPECT_NE(e.find("value 4 at flat index 4"), std::string::npos) << e;
  // Wrong weight shape.
  LayerDesc bad = l;
  setInts(bad, "weights", DType::Int8, {2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("'weights'"), std::string::npos) << e;
  EXPECT_NE(e.find("(2, 2, 1, 1)"), std::string::npos) << e;
  // Wrong dtype.
  bad = l;
  setInts(bad, "threshold", DType::Int8, {1}, {0});
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("'threshold'"), std::string::npos) << e;
  EXPECT_NE(e.find("int32"), std::string::npos) << e;
  // Missing and unknown variables.
  bad = l;
  bad.variables.erase("act_step");
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("'act_step' is missing"), std::string::npos) << e;
  bad = l;
  setInts(bad, "bias", DType::Int8, {1}, {0});
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("'bias'"), std::string::npos) << e;
  // Non-positive act_step with activation.
  bad = l;
  bad.params["activation"] = 1;
  setFloats(bad, "act_step", {1}, {0.0f});
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("act_step"), std::string::npos) << e;
  // Bad parameters are reported by the shape inference.
  bad = l;
  bad.params["act_bits"] = 3;
  bad.params["activation"] = 1;
  e = errorOf([&] { run(bad, in); });
  EXPECT_NE(e.find("act_bits"), std::string::npos) << e;
  // An input layer takes exactly the model input.
  e = errorOf([&] { runLayer(l, {&in, &in}); });
  EXPECT_NE(e.find("inputs"), std::string::npos) << e;
  // Inconsistent value count.
  Activations shortIn = in;
  shortIn.ints.pop_back();
  e = errorOf([&] { run(l, shortIn); });
  EXPECT_NE(e.find("values"), std::string::npos) << e;
}

} // namespace
