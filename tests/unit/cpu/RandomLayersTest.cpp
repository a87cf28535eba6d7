// Randomized layers against the reference kernels, for every instruction set
// this processor supports: random shapes (odd sizes, 1x1 edges, channel
// counts off the vector widths), kernels, strides, paddings, max/global
// pooling, weight and activation bit widths, signed and unsigned inputs, and
// output-stage values that saturate (v1 thresholds/steps, v2 buffers, bias,
// clip, LUT, scale/shift). Each model is InputData (or an input convolution)
// followed by one to three layers of a family; forward must equal
// forward_reference byte for byte, and most layers must run fast kernels.

#include "CpuTestUtil.h"

#include "compiler/fbz/LayerSchema.h"

#include <cmath>
#include <map>

using namespace akida;

namespace {

class Gen {
public:
  explicit Gen(uint32_t seed) : rng(seed) {}
  int64_t uni(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  }
  double real(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
  bool coin(double p = 0.5) { return real(0, 1) < p; }
  template <typename T> T pick(std::initializer_list<T> xs) {
    return *(xs.begin() + uni(0, static_cast<int64_t>(xs.size()) - 1));
  }
  std::vector<int64_t> ints(int64_t n, int64_t lo, int64_t hi) {
    std::vector<int64_t> v(n);
    for (int64_t &x : v)
      x = uni(lo, hi);
    return v;
  }
  std::mt19937 rng;
};

Variable var(DType dtype, std::vector<int64_t> shape,
             const std::vector<int64_t> &values, int bits = 0) {
  return {Array::fromInts(dtype, std::move(shape), values),
          bits ? bits : static_cast<int>(dtypeSize(dtype) * 8)};
}

/// Random weights of `bits` (1-bit weights are 0/1).
Variable weights(Gen &g, std::vector<int64_t> shape, int bits) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  const int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
  const int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
  return var(DType::Int8, shape, g.ints(n, lo, hi), bits);
}

/// Window parameters of a v1 (pairs) or v2 (scalars) spatial layer.
void window(Gen &g, LayerDesc &l, bool v1, int64_t inH, int64_t inW) {
  const int64_t padding = g.uni(0, 2);
  auto kernel = [&](int64_t in) {
    int64_t k = g.pick<int64_t>({1, 1, 2, 3, 3, 3, 5});
    return padding == 0 ? std::min(k, in) : k;
  };
  const int64_t kx = kernel(inH), ky = v1 ? kernel(inW) : kx;
  const int64_t sx = g.pick<int64_t>({1, 1, 2, 3}), sy = v1 ? g.pick<int64_t>({1, 2}) : sx;
  l.params["padding"] = padding;
  if (v1) {
    l.params["kernel_size_x"] = kx;
    l.params["kernel_size_y"] = padding == 0 ? std::min(ky, inW) : ky;
    l.params["kernel_stride_x"] = sx;
    l.params["kernel_stride_y"] = sy;
  } else {
    l.params["kernel_size"] = padding == 0 ? std::min({kx, inH, inW}) : kx;
    l.params["kernel_stride"] = sx;
  }
  const int64_t pool = g.pick<int64_t>({0, 0, 1, 2});
  l.params["pool_type"] = pool;
  if (pool == 1) {
    const int64_t ps = g.pick<int64_t>({1, 2, 2, 3});
    const int64_t pst = g.pick<int64_t>({1, 2, 3});
    if (v1) {
      l.params["pool_size_x"] = ps;
      l.params["pool_size_y"] = g.pick<int64_t>({1, 2});
      l.params["pool_stride_x"] = pst;
      l.params["pool_stride_y"] = pst;
    } else {
      l.params["pool_size"] = ps;
      l.params["pool_stride"] = pst;
    }
  }
}

/// v1 output stage: thresholds around the potentials' scale, steps of
/// every kind (tiny, awkward floats, huge).
void v1Stage(Gen &g, LayerDesc &l, int64_t units, double scale) {
  const int64_t act = g.coin(0.85) ? 1 : 0;
  l.params["activation"] = act;
  l.params["act_bits"] = g.pick<int64_t>({1, 2, 4, 4});
  std::vector<int64_t> t(units);
  std::vector<float> s(units);
  for (int64_t i = 0; i < units; ++i) {
    t[i] = static_cast<int64_t>(g.real(-scale, scale));
    const int kind = static_cast<int>(g.uni(0, 5));
    s[i] = kind == 0   ? 0.7f
           : kind == 1 ? 1.0f / 3.0f
           : kind == 2 ? static_cast<float>(g.real(0.01, 2.0))
           : kind == 3 ? static_cast<float>(std::ldexp(1.0, int(g.uni(-3, 12))))
                       : static_cast<float>(g.real(0.5, scale / 4 + 1));
  }
  l.variables["threshold"] = var(DType::Int32, {units}, t);
  l.variables["act_step"] = {Array::fromFloats({units}, s), 32};
}

/// v2 output stage, including saturating buffers and LUTs.
void v2Stage(Gen &g, LayerDesc &l, int64_t units, double scale,
             bool allowLut = true) {
  const int64_t act = allowLut && g.coin(0.1) ? 2 : g.coin(0.75) ? 1 : 0;
  l.params["activation"] = act;
  l.params["output_bits"] =
      g.coin(0.8) ? g.pick<int64_t>({8, 8, 4, 2, 1}) : g.pick<int64_t>({12, 16, 32});
  l.params["buffer_bits"] = g.coin(0.7) ? 32 : g.uni(10, 31);
  l.params["post_op_buffer_bits"] = g.coin(0.7) ? 32 : g.uni(8, 31);
  const int64_t topShift = std::max<int64_t>(0, std::ilogb(scale + 1) - 7);
  if (g.coin(0.8)) {
    l.variables["bias"] = var(DType::Int8, {units}, g.ints(units, -128, 127));
    l.variables["bias_shift"] =
        var(DType::UInt8, {units}, g.ints(units, 0, topShift + 2));
  }
  if (act == 1 && g.coin(0.3)) {
    l.variables["max_value"] = var(DType::UInt8, {units}, g.ints(units, 0, 255));
    l.variables["max_value_shift"] =
        var(DType::UInt8, {units}, g.ints(units, 0, topShift + 1));
  }
  if (act == 2) {
    const int64_t n = g.pick<int64_t>({2, 16, 64});
    l.variables["lut_values"] = var(DType::Int32, {n}, g.ints(n, -300, 300));
    l.variables["activation_scales"] =
        var(DType::UInt8, {units}, g.ints(units, 0, 255));
    l.variables["activation_shift"] =
        var(DType::Int8, {units}, g.ints(units, -20, 0));
  }
  l.variables["output_scales"] = var(DType::UInt8, {units}, g.ints(units, 0, 255));
  l.variables["output_shift"] = var(
      DType::Int8, {units}, g.ints(units, -(topShift + 10), g.coin(0.1) ? 3 : 0));
}

int64_t maxMagnitudeOf(const ActType &t);

/// A random layer of `type` reading `in` (possibly invalid: the caller
/// skips draws the Model refuses).
LayerDesc randomLayer(Gen &g, LayerType type, const ActType &in) {
  LayerDesc l;
  l.type = type;
  const int64_t h = in.shape[0], w = in.shape[1], c = in.shape[2];
  const int64_t f = g.pick<int64_t>({1, 3, 8, 16, 17, 33, 64, 70});
  const int wb = static_cast<int>(g.pick<int64_t>({1, 2, 4, 4, 8}));
  const double xMax = double(maxMagnitudeOf(in));
  auto fanScale = [&](double terms, int bits) {
    return std::sqrt(terms) * xMax * std::ldexp(1.0, bits - 1) / 2 + 1;
  };
  switch (type) {
  case LayerType::InputConvolutional:
  case LayerType::Convolutional: {
    window(g, l, true, h, w);
    l.params["filters"] = f;
    l.params["weights_bits"] = type == LayerType::InputConvolutional ? 8 : wb;
    if (type == LayerType::InputConvolutional)
      l.params["padding_value"] = g.coin() ? 0 : g.uni(0, 255);
    const int bits = static_cast<int>(l.params["weights_bits"]);
    l.variables["weights"] = weights(
        g, {l.params["kernel_size_x"], l.params["kernel_size_y"], c, f}, bits);
    v1Stage(g, l, f,
            fanScale(double(l.params["kernel_size_x"] * l.params["kernel_size_y"] * c), bits));
    break;
  }
  case LayerType::SeparableConvolutional: {
    window(g, l, true, h, w);
    l.params["filters"] = f;
    l.params["weights_bits"] = wb;
    l.variables["weights"] = weights(
        g, {l.params["kernel_size_x"], l.params["kernel_size_y"], c, 1}, wb);
    l.variables["weights_pw"] = weights(g, {1, 1, c, f}, wb);
    v1Stage(g, l, f, fanScale(double(c) * 9, wb) * std::ldexp(1.0, wb - 1));
    break;
  }
  case LayerType::FullyConnected: {
    l.params["units"] = f;
    l.params["weights_bits"] = wb;
    l.variables["weights"] = weights(g, {1, 1, h * w * c, f}, wb);
    v1Stage(g, l, f, fanScale(double(h * w * c), wb));
    break;
  }
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
  case LayerType::DepthwiseConv2D: {
    window(g, l, false, h, w);
    const bool dw = type == LayerType::DepthwiseConv2D;
    if (!dw)
      l.params["filters"] = f;
    const int64_t k = l.params["kernel_size"];
    l.variables["weights"] =
        dw ? weights(g, {k, k, c}, 8) : weights(g, {k, k, c, f}, 8);
    v2Stage(g, l, dw ? c : f, fanScale(double(k * k * (dw ? 1 : c)), 8),
            l.params["pool_type"] != 1 || g.coin(0.3));
    break;
  }
  case LayerType::Dense1D: {
    l.params["units"] = f;
    l.variables["weights"] = weights(g, {h * w * c, f}, 8);
    v2Stage(g, l, f, fanScale(double(h * w * c), 8));
    break;
  }
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose: {
    const bool dw = type == LayerType::DepthwiseConv2DTranspose;
    const int64_t k = g.pick<int64_t>({1, 2, 3, 4, 5});
    l.params["kernel_size"] = k;
    if (!dw)
      l.params["filters"] = f;
    l.variables["weights"] =
        dw ? weights(g, {k, k, c}, 8) : weights(g, {k, k, c, f}, 8);
    v2Stage(g, l, dw ? c : f, fanScale(double(k * k * (dw ? 1 : c)) / 4, 8));
    break;
  }
  default:
    break;
  }
  const bool v2 = type != LayerType::InputConvolutional &&
                  type != LayerType::Convolutional &&
                  type != LayerType::SeparableConvolutional &&
                  type != LayerType::FullyConnected;
  if (v2 && g.coin(0.05))
    l.variables["input_shift"] = var(DType::UInt8, {c}, g.ints(c, 0, 2));
  return l;
}

int64_t maxMagnitudeOf(const ActType &t) {
  if (t.bits >= 32)
    return int64_t(1) << 31;
  return t.isSigned ? int64_t(1) << (t.bits - 1) : (int64_t(1) << t.bits) - 1;
}

struct Family {
  const char *name;
  IpVersion ip;
  std::vector<LayerType> types;
  bool inputConv; ///< the first layer is an input convolution
};

class RandomLayers : public ::testing::TestWithParam<int> {};

const std::vector<Family> &families() {
  static const std::vector<Family> f = {
      {"v1-conv", IpVersion::v1, {LayerType::Convolutional}, false},
      {"v1-input-conv", IpVersion::v1, {LayerType::InputConvolutional}, true},
      {"v1-separable", IpVersion::v1, {LayerType::SeparableConvolutional}, false},
      {"v1-fc", IpVersion::v1, {LayerType::FullyConnected}, false},
      {"v2-conv", IpVersion::v2, {LayerType::Conv2D}, false},
      {"v2-input-conv", IpVersion::v2, {LayerType::InputConv2D}, true},
      {"v2-depthwise", IpVersion::v2, {LayerType::DepthwiseConv2D}, false},
      {"v2-dense", IpVersion::v2, {LayerType::Dense1D}, false},
      {"v2-transposed", IpVersion::v2,
       {LayerType::Conv2DTranspose, LayerType::DepthwiseConv2DTranspose},
       false},
      {"v1-chain", IpVersion::v1,
       {LayerType::Convolutional, LayerType::SeparableConvolutional,
        LayerType::FullyConnected},
       false},
      {"v2-chain", IpVersion::v2,
       {LayerType::Conv2D, LayerType::DepthwiseConv2D, LayerType::Dense1D,
        LayerType::Conv2DTranspose},
       false},
  };
  return f;
}

/// A random model of the family, or nullopt when the draw is invalid.
std::optional<Model> randomModel(Gen &g, const Family &fam) {
  Model m;
  try {
    std::array<int64_t, 3> shape = {g.uni(1, 13), g.uni(1, 13),
                                    g.pick<int64_t>({1, 2, 3, 4, 5, 8, 16, 20, 32, 37, 64})};
    if (fam.inputConv) {
      LayerDesc first = randomLayer(g, fam.types[0], ActType{shape, 8, false});
      first.name = "first";
      m.add_input(first, shape);
    } else {
      LayerDesc in;
      in.type = LayerType::InputData;
      in.name = "input";
      in.params["input_bits"] = g.pick<int64_t>({1, 2, 4, 8, 8});
      in.params["input_signed"] = fam.ip == IpVersion::v2 && g.coin() ? 1 : 0;
      m.add_input(in, shape);
    }
    const int extra = fam.types.size() > 1 ? static_cast<int>(g.uni(1, 3)) : 1;
    for (int i = 0; i < (fam.inputConv ? extra - 1 : extra); ++i) {
      const LayerType t = fam.types[g.uni(0, fam.types.size() - 1)];
      if (fam.ip == IpVersion::v1 && m.get_layer_count() > 0 &&
          m.get_layer(m.get_layer_count() - 1).output_bits() > 8)
        break; // raw potentials cannot feed a v1 layer
      LayerDesc l = randomLayer(
          g, t, m.get_layer(m.get_layer_count() - 1).output_type());
      l.name = "layer" + std::to_string(i);
      m.add(l);
      if (m.get_layer(m.get_layer_count() - 1).output_bits() > 8 ||
          m.get_layer(m.get_layer_count() - 1).output_type().shape[0] == 1)
        break;
    }
  } catch (const std::invalid_argument &) {
    return std::nullopt;
  }
  return m;
}

/// Inputs with a share of zeros (the event path) or over the full range.
Array inputsFor(Gen &g, const Model &m, int n) {
  Array in = cputest::randomInputs(m, n, static_cast<uint32_t>(g.uni(0, 1 << 30)));
  if (g.coin(0.3))
    for (uint8_t &b : in.bytes)
      if (g.coin(0.8))
        b = 0;
  return in;
}

TEST_P(RandomLayers, ForwardEqualsReference) {
  const Family &fam = families()[GetParam()];
  Gen g(1000 + GetParam());
  int models = 0, layers = 0, fast = 0;
  std::map<std::string, int> kernelsSeen;
  for (int attempt = 0; attempt < 2000 && models < 120; ++attempt) {
    std::optional<Model> m = randomModel(g, fam);
    if (!m || m->get_layer_count() < 2 - (fam.inputConv ? 1 : 0))
      continue;
    Array in = inputsFor(g, *m, static_cast<int>(g.uni(1, 3)));
    Array expected;
    try {
      expected = m->forward_reference(in);
    } catch (const std::invalid_argument &e) {
      // The reference refuses the layer: forward must refuse it the same way.
      EXPECT_THROW(m->forward(in), std::invalid_argument);
      continue;
    }
    ++models;
    for (cpu::Isa isa : cpu::supportedIsas()) {
      cputest::ForEachIsa use(isa);
      Array got = m->forward(in);
      ASSERT_EQ(got.shape, expected.shape);
      ASSERT_TRUE(got.bytes == expected.bytes)
          << fam.name << " model " << models << " " << cpu::isaName(isa)
          << "\n" << m->summary();
      if (isa == cpu::bestIsa()) {
        std::vector<std::string> k = m->cpu_kernels();
        for (int i = 0; i < m->get_layer_count(); ++i) {
          if (m->desc().layers[i].type == LayerType::InputData)
            continue;
          ++layers;
          fast += k[i].rfind("reference", 0) != 0;
          // The kernel without its geometry ("conv 3x3/2 ..." -> "conv ...").
          std::string name = k[i];
          const size_t sp = name.find(' ');
          if (sp != std::string::npos && sp + 1 < name.size() &&
              isdigit(static_cast<unsigned char>(name[sp + 1])))
            name.erase(sp, name.find(' ', sp + 1) - sp);
          ++kernelsSeen[name.substr(0, 60)];
        }
      }
    }
  }
  EXPECT_GE(models, 60) << fam.name;
  // Inputs shifted left, LUTs under max pooling and sums beyond 32 bits run
  // on the reference; everything else must be fast.
  EXPECT_GE(fast, layers * 8 / 10) << fam.name;
  std::string seen;
  for (auto &[k, n] : kernelsSeen)
    seen += "  " + k + ": " + std::to_string(n) + "\n";
  std::cout << fam.name << ": " << models << " models, " << fast << "/"
            << layers << " layers on fast kernels\n"
            << seen;
}

INSTANTIATE_TEST_SUITE_P(
    Families, RandomLayers,
    ::testing::Range(0, static_cast<int>(families().size())),
    [](const ::testing::TestParamInfo<int> &info) {
      std::string s = families()[info.param].name;
      for (char &c : s)
        if (c == '-')
          c = '_';
      return s;
    });

} // namespace

namespace {

// The draws above stop at 64 channels. Separable layers of 64 to 192 input
// channels reach the byte-pair depthwise rows (whole 64-channel vectors)
// and the hybrid pointwise form with its residual sums (AVX-512 VNNI).
TEST(RandomWideSeparable, ForwardEqualsReference) {
  Gen g(4242);
  int models = 0, pairs = 0, hybrid = 0;
  for (int attempt = 0; attempt < 600 && models < 80; ++attempt) {
    const std::array<int64_t, 3> shape = {
        g.uni(1, 12), g.uni(1, 12), g.pick<int64_t>({64, 128, 192})};
    LayerDesc in;
    in.type = LayerType::InputData;
    in.name = "input";
    in.params["input_bits"] = g.pick<int64_t>({1, 2, 4, 4, 8});
    Model m;
    Array x, expected;
    try {
      m.add_input(in, shape);
      LayerDesc l = randomLayer(g, LayerType::SeparableConvolutional,
                                m.get_layer(0).output_type());
      l.name = "separable";
      m.add(l);
      x = inputsFor(g, m, 2);
      expected = m.forward_reference(x);
    } catch (const std::invalid_argument &) {
      continue;
    }
    ++models;
    for (cpu::Isa isa : cpu::supportedIsas()) {
      cputest::ForEachIsa use(isa);
      ASSERT_TRUE(m.forward(x).bytes == expected.bytes)
          << cpu::isaName(isa) << " model " << models << "\n" << m.summary();
    }
    const std::string kernel = m.cpu_kernels()[1];
    pairs += kernel.find("u8pairs") != std::string::npos;
    hybrid += kernel.find("u8+residual") != std::string::npos;
  }
  EXPECT_GE(models, 60);
  if (cpu::bestIsa() == cpu::Isa::Avx512Vnni) { // the AVX-512 forms
    EXPECT_GE(pairs, 8);
    EXPECT_GE(hybrid, 8);
  }
  std::cout << models << " models, " << pairs << " byte-pair depthwise, "
            << hybrid << " hybrid pointwise\n";
}

} // namespace
