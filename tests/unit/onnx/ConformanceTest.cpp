// ONNX's own conformance cases (Debian's libonnx-testdata: model.onnx and
// test_data_set_0/{input,output}_N.pb written by the ONNX authors) through
// our importer and runtime. Input 0 is the model input; every other input
// (weights, scales, zero points) is bound as a constant, as
// `akida convert --constant NAME=FILE` does. The outputs must equal the
// expected ones within the case's tolerance: 0 where the integer maths is
// exact, 1 LSB where Akida's integer scale/shift must approximate a float
// requantization scale (docs/onnx-import.md, "Conformance"). The cases the
// importer refuses must be refused with the reason an Akida user is owed
// (a float-only graph, weights per batch, ...), not a crash.
#include "compiler/onnx/Legalize.h"
#include "runtime/model/Model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>

using namespace akida;

namespace {

const std::string kData = "/usr/share/libonnx-testdata/data/node/";

struct Case {
  std::string name;
  /// Largest |ours - expected| allowed (LSBs; absolute for float outputs).
  double tolerance = 0;
  /// Non-empty: the import must fail with a message containing this.
  std::string refusal;
};

void PrintTo(const Case &c, std::ostream *os) { *os << c.name; }

std::string casePath(const Case &c, const std::string &file) {
  return kData + c.name + "/" + file;
}

/// An ONNX tensor as the Akida layout: NCHW -> NHWC; (N, F) and (F) as
/// N (or 1) samples of 1x1xF.
std::vector<int64_t> akidaShape(const std::vector<int64_t> &dims) {
  if (dims.size() == 4)
    return {dims[0], dims[2], dims[3], dims[1]};
  if (dims.size() == 2)
    return {dims[0], 1, 1, dims[1]};
  if (dims.size() == 1)
    return {1, 1, 1, dims[0]};
  ADD_FAILURE() << "unexpected rank " << dims.size();
  return {};
}

/// Element (of the ONNX layout) at each position of the Akida layout.
std::vector<double> toAkidaOrder(const onnx::Tensor &t) {
  if (t.dims.size() != 4)
    return t.values;
  const int64_t n = t.dims[0], c = t.dims[1], h = t.dims[2], w = t.dims[3];
  std::vector<double> out(t.values.size());
  for (int64_t s = 0; s < n; ++s)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int64_t k = 0; k < c; ++k)
          out[((s * h + y) * w + x) * c + k] =
              t.values[((s * c + k) * h + y) * w + x];
  return out;
}

class OnnxConformance : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxConformance, ImportAndRunMatchTheExpectedOutput) {
  const Case &c = GetParam();
  ASSERT_TRUE(std::filesystem::exists(casePath(c, "model.onnx")))
      << casePath(c, "model.onnx")
      << " is missing: scripts/install-ml-deps.sh installs libonnx-testdata";
  onnx::Graph graph = onnx::readOnnxFile(casePath(c, "model.onnx"));
  std::map<std::string, onnx::Tensor> constants;
  for (size_t i = 1; i < graph.inputs.size(); ++i)
    constants[graph.inputs[i].name] = onnx::readTensorFile(casePath(
        c, "test_data_set_0/input_" + std::to_string(i) + ".pb"));
  onnx::bindInputs(graph, constants);

  if (!c.refusal.empty()) {
    try {
      onnx::importGraph(graph, IpVersion::v2);
      FAIL() << "the import should have been refused";
    } catch (const onnx::ImportError &e) {
      EXPECT_NE(std::string(e.what()).find(c.refusal), std::string::npos)
          << e.what();
    }
    return;
  }

  const onnx::Imported imp = onnx::importGraph(graph, IpVersion::v2);
  Model model(imp.desc);
  const onnx::Tensor x =
      onnx::readTensorFile(casePath(c, "test_data_set_0/input_0.pb"));
  ASSERT_TRUE(x.type == onnx::ElemType::UInt8) << "input 0 is not uint8";
  std::vector<int64_t> ints;
  for (double v : toAkidaOrder(x))
    ints.push_back(static_cast<int64_t>(v));
  const Array out =
      model.forward(Array::fromInts(DType::UInt8, akidaShape(x.dims), ints));

  const onnx::Tensor y =
      onnx::readTensorFile(casePath(c, "test_data_set_0/output_0.pb"));
  ASSERT_EQ(out.shape, akidaShape(y.dims));
  const std::vector<double> expected = toAkidaOrder(y);
  ASSERT_EQ(out.size(), static_cast<int64_t>(expected.size()));
  double worst = 0;
  for (int64_t i = 0; i < out.size(); ++i) {
    const double ours = out.dtype == DType::Float32
                            ? static_cast<double>(out.floatAt(i))
                            : static_cast<double>(out.intAt(i));
    worst = std::max(worst, std::abs(ours - expected[static_cast<size_t>(i)]));
  }
  std::cout << c.name << ": largest difference " << worst << "\n";
  EXPECT_LE(worst, c.tolerance) << "largest difference " << worst;
}

INSTANTIATE_TEST_SUITE_P(
    LibonnxTestdata, OnnxConformance,
    ::testing::Values(
        // QLinearConv 1x1, uint8 weights with zero point 255 (weight -255:
        // 255 x the int8 weight -1, exact), input and output zero points:
        // the output requantization is an integer scale/shift, 1 LSB.
        Case{"test_qlinearconv", 1},
        Case{"test_qlinearmatmul_2D", 1},
        // Integer accumulators, exact.
        Case{"test_convinteger_without_padding", 0},
        Case{"test_basic_convinteger", 0},
        Case{"test_matmulinteger", 0},
        Case{"test_maxpool_2d_uint8", 0},
        // float = scale x (q - zero point): exact in float32.
        Case{"test_dequantizelinear", 0},
        Case{"test_dequantizelinear_axis", 0},
        // What Akida cannot take, refused with the reason.
        Case{"test_convinteger_with_padding", 0,
             "are neither 'valid' nor 'same'"},
        Case{"test_qlinearmatmul_3D", 0, "got rank 3"},
        Case{"test_quantizelinear", 0, "there is no layer to convert"},
        Case{"test_quantizelinear_axis", 0,
             "activations must be quantized per tensor"},
        Case{"test_maxpool_2d_default", 0,
             "neither a de-quantized activation"},
        Case{"test_globalaveragepool", 0,
             "neither a de-quantized activation"}));

} // namespace
