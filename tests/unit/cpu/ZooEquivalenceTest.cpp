// Every zoo model: Model::forward (the CPU plan) equals the reference kernels
// (Model::forward_reference) bit for bit, with every instruction set this
// processor supports, every zoo layer runs a fast kernel, and hidden layers
// requantize in the fused output loop.

#include "CpuTestUtil.h"

#include "runtime/zoo/Zoo.h"

using namespace akida;

namespace {

std::vector<std::string> zooNames() {
  std::vector<std::string> names;
  for (const ZooEntry &e : zooModels())
    names.push_back(e.name);
  return names;
}

std::string testName(const ::testing::TestParamInfo<std::string> &info) {
  std::string s = info.param;
  for (char &c : s)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return s;
}

class ZooEquivalence : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooEquivalence, ForwardEqualsReference) {
  Model m = buildZooModel(GetParam(), 7);
  // Two frames; a fresh draw (not the calibration inputs).
  Array in = cputest::randomInputs(m, 2, 99);
  Array expected = m.forward_reference(in);
  for (cpu::Isa isa : cpu::supportedIsas()) {
    cputest::ForEachIsa use(isa);
    std::vector<std::string> kernels = m.cpu_kernels();
    // Hidden layers requantize in the fused output loop (the classifiers'
    // raw potentials and the global sums finish per channel).
    for (size_t i = 0; i + 1 < kernels.size(); ++i) {
      const LayerType t = m.desc().layers[i].type;
      if (t == LayerType::InputData || t == LayerType::Dequantizer ||
          kernels[i].find("globalsum") != std::string::npos ||
          m.get_layer(static_cast<int>(i)).output_bits() > 8)
        continue;
      EXPECT_NE(kernels[i].find("fused-requant"), std::string::npos)
          << m.desc().layers[i].name << ": " << kernels[i];
    }
    for (size_t i = 0; i < kernels.size(); ++i)
      EXPECT_EQ(kernels[i].rfind("reference", 0), std::string::npos)
          << cpu::isaName(isa) << " layer " << m.desc().layers[i].name << ": "
          << kernels[i];
    Array got = m.forward(in);
    EXPECT_EQ(got.dtype, expected.dtype);
    EXPECT_EQ(got.shape, expected.shape);
    EXPECT_TRUE(got.bytes == expected.bytes) << cpu::isaName(isa);
    // One frame at a time gives the same frames.
    Array one = m.forward(in, 1);
    EXPECT_TRUE(one.bytes == expected.bytes) << cpu::isaName(isa);
  }
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooEquivalence, ::testing::ValuesIn(zooNames()),
                         testName);

} // namespace
