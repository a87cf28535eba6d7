// A QLinearConv with input, weight and output zero points
// (tests/onnx/qlinear_conv_zp.onnx: 3x3, 6x6x1 uint8 input, 2 filters,
// uint8 weights around 128) against ONNX's formula computed here, by a
// second implementation independent of the importer:
//   y = saturate(round_half_even(s_x s_w / s_y * sum (x - z_x)(w - z_w)) + z_y)
// The input zero point folds into the bias exactly (no padding); Akida's
// 8-bit output multiplier approximates s_x s_w / s_y, so ±1 LSB.
#include "compiler/onnx/Legalize.h"
#include "runtime/model/Model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

using namespace akida;

TEST(OnnxZeroPoints, QLinearConvMatchesTheOnnxFormula) {
  const onnx::Graph graph =
      onnx::readOnnxFile(AKIDA_SOURCE_DIR "/tests/onnx/qlinear_conv_zp.onnx");
  const onnx::Tensor &w = *graph.constant("w");
  const double sx = graph.constant("x_scale")->values[0],
               zx = graph.constant("x_zero_point")->values[0],
               sw = graph.constant("w_scale")->values[0],
               zw = graph.constant("w_zero_point")->values[0],
               sy = graph.constant("y_scale")->values[0],
               zy = graph.constant("y_zero_point")->values[0];
  Model model(onnx::importGraph(graph, IpVersion::v2).desc);

  std::mt19937 rng(3);
  std::uniform_int_distribution<int> pixel(0, 255);
  const int64_t n = 8, side = 6, out = 4, filters = 2;
  std::vector<int64_t> x(static_cast<size_t>(n * side * side));
  for (int64_t &v : x)
    v = pixel(rng);
  // One channel: NCHW and NHWC hold the same bytes.
  const Array y = model.forward(
      Array::fromInts(DType::UInt8, {n, side, side, 1}, x));
  ASSERT_EQ(y.shape, (std::vector<int64_t>{n, out, out, filters}));

  int64_t exact = 0, off = 0;
  double signedSum = 0;
  for (int64_t s = 0; s < n; ++s)
    for (int64_t r = 0; r < out; ++r)
      for (int64_t c = 0; c < out; ++c)
        for (int64_t f = 0; f < filters; ++f) {
          double acc = 0;
          for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 3; ++j)
              acc += (static_cast<double>(
                          x[static_cast<size_t>((s * side + r + i) * side + c +
                                                j)]) -
                      zx) *
                     (w.values[static_cast<size_t>(f * 9 + i * 3 + j)] - zw);
          const double expected = std::clamp(
              std::nearbyint(acc * sx * sw / sy) + zy, 0.0, 255.0);
          const double ours = static_cast<double>(
              y.intAt(((s * out + r) * out + c) * filters + f));
          EXPECT_LE(std::abs(ours - expected), 1)
              << "sample " << s << " (" << r << "," << c << ") filter " << f;
          (ours == expected ? exact : off)++;
          signedSum += ours - expected;
        }
  // The 8-bit multiplier and the 8-significant-bit bias (which carries
  // z_y / M = 25,000 here, so a constant error per channel of up to ~0.2
  // LSB) move outputs by a fraction of an LSB: about a third flip
  // (measured: 168 exact, 88 off by 1, mean difference -0.16).
  std::cout << exact << " exact, " << off << " off by 1, mean difference "
            << signedSum / static_cast<double>(exact + off) << "\n";
  EXPECT_GT(exact, off);
}
