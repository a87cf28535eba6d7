// The graph interpreter (runtime/graph) that runs the software part of an
// imported model, against ONNX's own conformance cases: every case in
// Debian's libonnx-testdata whose nodes are all ops the interpreter runs is
// run on test_data_set_0 and must match the expected outputs (float within
// 1e-5 + 1e-4 |expected|, integers exactly). Cases it cannot read (float16,
// strings, sequences) or whose attributes it refuses are counted and named,
// never silently passed; a minimum of cases must run.
#include "runtime/graph/GraphInterpreter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>

using namespace akida;
namespace fs = std::filesystem;

namespace {

const std::string kData = "/usr/share/libonnx-testdata/data/node/";

struct Outcome {
  std::vector<std::string> passed, failed, unread, refused;
};

/// Runs one case; appends its name to the outcome it has.
void runCase(const fs::path &dir, Outcome &o) {
  const std::string name = dir.filename().string();
  onnx::Graph g;
  std::vector<onnx::Tensor> inputs, expected;
  try {
    g = onnx::readOnnxFile((dir / "model.onnx").string());
    for (const onnx::Node &n : g.nodes)
      if (!n.domain.empty() || !graph::supportsOp(n.opType))
        return; // not an op the interpreter runs: not its case
    const fs::path data = dir / "test_data_set_0";
    for (size_t i = 0; i < g.inputs.size(); ++i)
      inputs.push_back(onnx::readTensorFile(
          (data / ("input_" + std::to_string(i) + ".pb")).string()));
    for (size_t i = 0; i < g.outputs.size(); ++i)
      expected.push_back(onnx::readTensorFile(
          (data / ("output_" + std::to_string(i) + ".pb")).string()));
  } catch (const onnx::ImportError &e) {
    o.unread.push_back(name + " (" + e.what() + ")");
    return;
  }
  std::vector<onnx::Tensor> got;
  try {
    got = graph::GraphInterpreter(g).run(inputs);
  } catch (const std::invalid_argument &e) {
    o.refused.push_back(name + " (" + e.what() + ")");
    return;
  }
  std::string why;
  for (size_t i = 0; i < expected.size() && why.empty(); ++i) {
    const onnx::Tensor &want = expected[i], &have = got.at(i);
    if (have.dims != want.dims) {
      why = "output " + std::to_string(i) + " has another shape";
      break;
    }
    for (size_t k = 0; k < want.values.size(); ++k) {
      const double a = have.values[k], b = want.values[k];
      const bool ok =
          (std::isnan(a) && std::isnan(b)) || a == b ||
          (!want.isInteger() && std::abs(a - b) <= 1e-5 + 1e-4 * std::abs(b));
      if (!ok) {
        why = "output " + std::to_string(i) + " element " +
              std::to_string(k) + " is " + std::to_string(a) + ", expected " +
              std::to_string(b);
        break;
      }
    }
  }
  (why.empty() ? o.passed : o.failed).push_back(name + (why.empty() ? "" : ": " + why));
}

TEST(GraphInterpreterConformance, SupportedOpCasesMatchTheExpectedOutputs) {
  ASSERT_TRUE(fs::is_directory(kData))
      << kData << " is missing: scripts/install-ml-deps.sh installs "
      << "libonnx-testdata";
  std::vector<fs::path> cases;
  for (const fs::directory_entry &e : fs::directory_iterator(kData))
    if (fs::exists(e.path() / "model.onnx"))
      cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  Outcome o;
  for (const fs::path &c : cases)
    runCase(c, o);
  std::cout << o.passed.size() << " cases passed, " << o.failed.size()
            << " failed, " << o.refused.size() << " refused, "
            << o.unread.size() << " not readable\n";
  for (const std::string &s : o.refused)
    std::cout << "  refused: " << s << "\n";
  for (const std::string &s : o.unread)
    std::cout << "  not readable: " << s << "\n";
  for (const std::string &s : o.failed)
    ADD_FAILURE() << s;
  EXPECT_GE(o.passed.size(), 300u);
}

TEST(GraphInterpreter, RefusesAnOpItDoesNotRun) {
  onnx::Graph g;
  g.opsetVersion = 13;
  g.inputs.push_back({"x", onnx::ElemType::Float, {1, 4}});
  g.outputs.push_back({"y", onnx::ElemType::Float, {1, 4}});
  onnx::Node n;
  n.name = "lrn";
  n.opType = "LRN";
  n.inputs = {"x"};
  n.outputs = {"y"};
  g.nodes.push_back(n);
  try {
    graph::GraphInterpreter interp(g);
    FAIL() << "LRN was accepted";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("node 'lrn' (LRN)"), std::string::npos)
        << e.what();
  }
}

TEST(GraphInterpreter, FloatOpsRefuseIntegerTensors) {
  onnx::Graph g;
  g.opsetVersion = 13;
  g.inputs.push_back({"x", onnx::ElemType::UInt8, {1, 2}});
  g.outputs.push_back({"y", onnx::ElemType::Float, {1, 2}});
  onnx::Node n;
  n.name = "sig";
  n.opType = "Sigmoid";
  n.inputs = {"x"};
  n.outputs = {"y"};
  g.nodes.push_back(n);
  onnx::Tensor x{"x", onnx::ElemType::UInt8, {1, 2}, {3, 4}};
  try {
    graph::GraphInterpreter(g).run({x});
    FAIL() << "Sigmoid of uint8 was run";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("not uint8"), std::string::npos)
        << e.what();
  }
}

TEST(GraphInterpreter, NhwcAndOnnxLayoutsRoundTrip) {
  const std::vector<int64_t> dims = {1, 3, 2, 2};
  EXPECT_EQ(graph::akidaShape(dims), (std::array<int64_t, 3>{2, 2, 3}));
  EXPECT_EQ(graph::akidaShape({1, 10}), (std::array<int64_t, 3>{1, 1, 10}));
  EXPECT_EQ(graph::akidaShape({7}), (std::array<int64_t, 3>{1, 1, 7}));
  std::vector<double> nhwc(12);
  for (size_t i = 0; i < nhwc.size(); ++i)
    nhwc[i] = static_cast<double>(i);
  onnx::Tensor t{"t", onnx::ElemType::Float, dims, graph::fromNhwc(nhwc, dims)};
  // NHWC (y=0, x=1, c=2) is element 5; NCHW index (c=2, y=0, x=1) = 9.
  EXPECT_EQ(t.values[9], 5.0);
  EXPECT_EQ(graph::toNhwc(t), nhwc);
}

} // namespace

namespace {

TEST(GraphInterpreter, TheDocsListEveryOp) {
  std::ifstream f(AKIDA_SOURCE_DIR "/docs/onnx-import.md");
  std::string doc((std::istreambuf_iterator<char>(f)),
                  std::istreambuf_iterator<char>());
  const size_t from = doc.find("Its ops:");
  ASSERT_NE(from, std::string::npos);
  const size_t begin = from + std::string("Its ops:").size();
  std::istringstream list(doc.substr(begin, doc.find('(', begin) - begin));
  std::vector<std::string> listed;
  for (std::string op; std::getline(list, op, ',');) {
    op.erase(0, op.find_first_not_of(" \n"));
    op.erase(op.find_last_not_of(" \n") + 1);
    listed.push_back(op);
  }
  EXPECT_EQ(listed, graph::supportedOps());
}

} // namespace
