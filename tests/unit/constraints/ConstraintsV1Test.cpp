// Akida 1.0 constraints: one test per row of the tables (docs/constraints.md),
// each with layers that pass and layers that fail, checking the rule id and
// that the message names the layer, the value and what is allowed.

#include "ConstraintsTestUtil.h"

using namespace akida;
using namespace akida::test;

namespace {

const LayerDesc kConvNext = v1Conv(LayerType::Convolutional, "next", 8, 3, 1, 4, 4);

LayerDesc inputConv(int64_t filters = 16, int64_t kernel = 3,
                    int64_t stride = 1) {
  return v1Conv(LayerType::InputConvolutional, "conv_0", filters, kernel,
                stride, 8, 4);
}

ActType image(int64_t rows, int64_t columns, int64_t channels) {
  return act(rows, columns, channels, 8);
}

//===----------------------------------------------------------------------===//
// InputConvolutional (HRC)
//===----------------------------------------------------------------------===//

TEST(V1InputConv, InputDims) {
  EXPECT_PASSES(check(inputConv(), image(5, 5, 1), nullptr, v1Facts()));
  EXPECT_PASSES(check(inputConv(), image(1000, 256, 3), nullptr, v1Facts()));
  expectOne(check(inputConv(), image(4, 10, 1), nullptr, v1Facts()),
            "input_dims", "conv_0", "4x10", "rows >= 5, columns 5..256");
  expectOne(check(inputConv(), image(10, 257, 1), nullptr, v1Facts()),
            "input_dims", "conv_0", "10x257", "rows >= 5, columns 5..256");
  expectOne(check(inputConv(), image(10, 4, 1), nullptr, v1Facts()),
            "input_dims", "conv_0", "10x4", "columns 5..256");
}

TEST(V1InputConv, InputChannels) {
  EXPECT_PASSES(check(inputConv(), image(32, 32, 3), nullptr, v1Facts()));
  expectOne(check(inputConv(), image(32, 32, 2), nullptr, v1Facts()),
            "input_channels", "conv_0", "input_channels 2", "1, 3");
  expectOne(check(inputConv(), image(32, 32, 4), nullptr, v1Facts()),
            "input_channels", "conv_0", "input_channels 4", "1, 3");
}

TEST(V1InputConv, KernelSize) {
  for (int64_t k : {3, 5, 7})
    EXPECT_PASSES(check(inputConv(16, k), image(32, 32, 1), nullptr, v1Facts()));
  expectOne(check(inputConv(16, 9), image(32, 32, 1), nullptr, v1Facts()),
            "kernel_size", "conv_0", "kernel_size 9x9", "3x3, 5x5, 7x7");
  expectOne(check(inputConv(16, 1), image(32, 32, 1), nullptr, v1Facts()),
            "kernel_size", "conv_0", "kernel_size 1x1", "3x3, 5x5, 7x7");
  LayerDesc rect = inputConv();
  rect.params["kernel_size_y"] = 5;
  expectOne(check(rect, image(32, 32, 1), nullptr, v1Facts()), "kernel_size",
            "conv_0", "kernel_size 3x5", "3x3, 5x5, 7x7");
}

TEST(V1InputConv, Stride) {
  for (int64_t s : {1, 2, 3})
    EXPECT_PASSES(
        check(inputConv(16, 3, s), image(32, 32, 1), nullptr, v1Facts()));
  expectOne(check(inputConv(16, 3, 4), image(32, 32, 1), nullptr, v1Facts()),
            "stride", "conv_0", "kernel_stride 4", "1, 2, 3");
  LayerDesc mixed = inputConv();
  mixed.params["kernel_stride_y"] = 2;
  expectOne(check(mixed, image(32, 32, 1), nullptr, v1Facts()), "stride",
            "conv_0", "kernel_stride 1x2", "same on both axes");
}

TEST(V1InputConv, Padding) {
  LayerDesc valid = inputConv();
  valid.params["padding"] = static_cast<int64_t>(Padding::Valid);
  EXPECT_PASSES(check(valid, image(32, 32, 1), nullptr, v1Facts()));
  // SameUpper pads like Same when the total padding is even (k3 s1)...
  LayerDesc upper = inputConv();
  upper.params["padding"] = static_cast<int64_t>(Padding::SameUpper);
  EXPECT_PASSES(check(upper, image(32, 32, 1), nullptr, v1Facts()));
  // ... but not for k3 s2 on an even size (one unit of padding).
  LayerDesc odd = inputConv(16, 3, 2);
  odd.params["padding"] = static_cast<int64_t>(Padding::SameUpper);
  expectOne(check(odd, image(32, 32, 1), nullptr, v1Facts()), "padding",
            "conv_0", "padding SameUpper", "Same, Valid");
}

TEST(V1InputConv, Filters) {
  struct Cap {
    int64_t channels, kernel, max;
  };
  for (Cap c : {Cap{1, 3, 512}, Cap{1, 5, 192}, Cap{1, 7, 96}, Cap{3, 3, 192},
                Cap{3, 5, 64}, Cap{3, 7, 32}}) {
    SCOPED_TRACE(std::to_string(c.channels) + " channels, kernel " +
                 std::to_string(c.kernel));
    EXPECT_PASSES(check(inputConv(c.max, c.kernel),
                        image(32, 32, c.channels), nullptr, v1Facts()));
    expectOne(check(inputConv(c.max + 1, c.kernel), image(32, 32, c.channels),
                    nullptr, v1Facts()),
              "filters", "conv_0", "filters " + std::to_string(c.max + 1),
              "at most " + std::to_string(c.max));
  }
}

TEST(V1InputConv, Pooling) {
  for (auto [sx, sy] : {std::pair{1, 2}, std::pair{2, 1}, std::pair{2, 2}})
    EXPECT_PASSES(check(v1MaxPool(inputConv(), sx, sy, sx, sy),
                        image(32, 32, 1), nullptr, v1Facts()));
  expectOne(check(v1MaxPool(inputConv(), 2, 2, 1, 1), image(32, 32, 1),
                  nullptr, v1Facts()),
            "pooling", "conv_0", "pool_size 2x2 with pool_stride 1x1",
            "pool_stride = pool_size");
  expectOne(check(v1MaxPool(inputConv(), 3, 3, 3, 3), image(32, 32, 1),
                  nullptr, v1Facts()),
            "pooling", "conv_0", "pool_size 3x3", "1x2, 2x1, 2x2");
  expectOne(check(v1MaxPool(inputConv(), 1, 1, 1, 1), image(32, 32, 1),
                  nullptr, v1Facts()),
            "pooling", "conv_0", "pool_size 1x1", "1x2, 2x1, 2x2");
  expectOne(check(withGap(inputConv()), image(32, 32, 1), nullptr, v1Facts()),
            "pooling", "conv_0", "global average pooling", "no pooling");
}

TEST(V1InputConv, Bits) {
  expectOne(check(v1Conv(LayerType::InputConvolutional, "conv_0", 16, 3, 1, 4,
                         4),
                  image(32, 32, 1), nullptr, v1Facts()),
            "bits", "conv_0", "weights_bits 4", "8 bits");
  for (int64_t a : {1, 2, 4})
    EXPECT_PASSES(check(v1Conv(LayerType::InputConvolutional, "conv_0", 16, 3,
                               1, 8, a),
                        image(32, 32, 1), nullptr, v1Facts()));
  // The runtime rejects act_bits 8 and non-8-bit images itself; the checker
  // still reports them for layers built by hand.
  LayerDesc l = inputConv();
  fillDefaultParams(l);
  l.params["act_bits"] = 8;
  expectOne(checkLayer(l, {image(32, 32, 1)}, act(32, 32, 16, 8), nullptr,
                       v1Facts()),
            "bits", "conv_0", "act_bits 8", "1, 2, 4 bits");
  l.params["act_bits"] = 4;
  expectOne(checkLayer(l, {act(32, 32, 1, 4)}, act(32, 32, 16, 4), nullptr,
                       v1Facts()),
            "bits", "conv_0", "input bits 4", "8 bits");
}

TEST(V1InputConv, NeedsHrc) {
  HardwareFacts noHrc = v1Facts();
  noHrc.hasHrc = false;
  expectOne(check(inputConv(), image(32, 32, 1), nullptr, noHrc), "layer_type",
            "conv_0", "input convolution block (HRC)", "devices with an HRC");
}

//===----------------------------------------------------------------------===//
// Convolutional and SeparableConvolutional (CNP)
//===----------------------------------------------------------------------===//

LayerDesc conv(int64_t kernel = 3, int64_t stride = 1, int64_t filters = 32) {
  return v1Conv(LayerType::Convolutional, "conv_1", filters, kernel, stride, 4,
                4);
}
LayerDesc sep(int64_t kernel = 3, int64_t stride = 1, int64_t filters = 32) {
  return v1Conv(LayerType::SeparableConvolutional, "sep_1", filters, kernel,
                stride, 4, 4);
}

TEST(V1Conv, InputDims) {
  EXPECT_PASSES(check(conv(1), act(4096, 4096, 2048), nullptr, v1Facts()));
  expectOne(check(conv(1), act(4097, 8, 8), nullptr, v1Facts()), "input_dims",
            "conv_1", "4097", "rows and columns <= 4096");
  expectOne(check(sep(), act(8, 4097, 8), nullptr, v1Facts()), "input_dims",
            "sep_1", "4097", "rows and columns <= 4096");
  expectOne(check(conv(1), act(8, 8, 2049), nullptr, v1Facts()),
            "input_channels", "conv_1", "input_channels 2049", "at most 2048");
}

TEST(V1Conv, KernelSize) {
  for (int64_t k : {1, 3, 5, 7})
    EXPECT_PASSES(check(conv(k), act(16, 16, 8), nullptr, v1Facts()));
  for (int64_t k : {3, 5, 7})
    EXPECT_PASSES(check(sep(k), act(16, 16, 8), nullptr, v1Facts()));
  expectOne(check(conv(9), act(16, 16, 8), nullptr, v1Facts()), "kernel_size",
            "conv_1", "kernel_size 9x9", "1x1, 3x3, 5x5, 7x7");
  expectOne(check(sep(1), act(16, 16, 8), nullptr, v1Facts()), "kernel_size",
            "sep_1", "kernel_size 1x1", "3x3, 5x5, 7x7");
}

TEST(V1Conv, Stride) {
  EXPECT_PASSES(check(conv(3, 2), act(16, 16, 8), nullptr, v1Facts()));
  EXPECT_PASSES(check(sep(3, 2), act(16, 16, 8), nullptr, v1Facts()));
  EXPECT_PASSES(check(conv(5, 1), act(16, 16, 8), nullptr, v1Facts()));
  expectOne(check(conv(5, 2), act(16, 16, 8), nullptr, v1Facts()), "stride",
            "conv_1", "only supported with 3x3 kernels, not 5x5",
            "stride 1 or 2 with 3x3");
  expectOne(check(sep(7, 2), act(16, 16, 8), nullptr, v1Facts()), "stride",
            "sep_1", "not 7x7", "stride 1 or 2 with 3x3");
  expectOne(check(conv(3, 3), act(16, 16, 8), nullptr, v1Facts()), "stride",
            "conv_1", "kernel_stride 3", "1, 2");
}

TEST(V1Conv, Padding) {
  LayerDesc valid = conv();
  valid.params["padding"] = static_cast<int64_t>(Padding::Valid);
  expectOne(check(valid, act(16, 16, 8), nullptr, v1Facts()), "padding",
            "conv_1", "padding Valid", "Same");
  LayerDesc upper = sep(3, 2);
  upper.params["padding"] = static_cast<int64_t>(Padding::SameUpper);
  EXPECT_PASSES(check(upper, act(15, 15, 8), nullptr, v1Facts()));
  expectOne(check(upper, act(16, 16, 8), nullptr, v1Facts()), "padding",
            "sep_1", "padding SameUpper", "Same");
}

TEST(V1Conv, MaxPooling) {
  LayerDesc sepNext = sep();
  sepNext.name = "sep_next";
  EXPECT_PASSES(check(v1MaxPool(conv(), 2, 2, 2, 2), act(16, 16, 8),
                      &kConvNext, v1Facts()));
  EXPECT_PASSES(check(v1MaxPool(sep(), 2, 2, 1, 1), act(16, 16, 8), &sepNext,
                      v1Facts()));
  expectOne(check(v1MaxPool(conv(), 3, 3, 2, 2), act(16, 16, 8), &kConvNext,
                  v1Facts()),
            "pooling", "conv_1", "pool_size 3x3", "pool_size 2x2");
  expectOne(check(v1MaxPool(conv(), 1, 1, 1, 1), act(16, 16, 8), &kConvNext,
                  v1Facts()),
            "pooling", "conv_1", "pool_size 1x1", "pool_size 2x2");
  expectOne(check(v1MaxPool(conv(), 2, 2, 3, 3), act(16, 16, 8), &kConvNext,
                  v1Facts()),
            "pooling", "conv_1", "pool_stride 3x3", "pool_stride 1 or 2");
  // The next layer must be a convolution.
  LayerDesc dense = fc("dense", 10, 4, 4);
  expectOne(check(v1MaxPool(conv(), 2, 2, 2, 2), act(16, 16, 8), &dense,
                  v1Facts()),
            "pooling", "conv_1", "next is 'dense' (FullyConnected)",
            "Convolutional, SeparableConvolutional");
  expectOne(check(v1MaxPool(sep(), 2, 2, 2, 2), act(16, 16, 8), nullptr,
                  v1Facts()),
            "pooling", "sep_1", "model output",
            "Convolutional, SeparableConvolutional");
}

TEST(V1Conv, GlobalAveragePooling) {
  EXPECT_PASSES(check(withGap(conv()), act(3, 32, 8), nullptr, v1Facts()));
  EXPECT_PASSES(check(withGap(sep()), act(2, 2, 8), nullptr, v1Facts()));
  // Width (columns) of the pooled window at most 32.
  expectOne(check(withGap(conv()), act(8, 33, 8), nullptr, v1Facts()),
            "pooling", "conv_1", "8x33", "pooled width (columns) 1..32");
  // The stride-2 convolution output is what is pooled: 64 columns -> 32.
  EXPECT_PASSES(check(withGap(conv(3, 2)), act(8, 64, 8), nullptr, v1Facts()));
  // Convolutional: at least 3 rows of convolution output.
  expectOne(check(withGap(conv()), act(2, 8, 8), nullptr, v1Facts()),
            "pooling", "conv_1", "2x8", "convolution output rows >= 3");
  // SeparableConvolutional: not on a 1x1 input.
  expectOne(check(withGap(sep()), act(1, 1, 8), nullptr, v1Facts()), "pooling",
            "sep_1", "1x1 input", "larger than 1x1");
}

TEST(V1Conv, Bits) {
  for (int64_t b : {1, 2, 4}) {
    EXPECT_PASSES(check(conv(), act(8, 8, 8, b), nullptr, v1Facts()));
    EXPECT_PASSES(check(v1Conv(LayerType::Convolutional, "conv_1", 8, 3, 1, b, b),
                        act(8, 8, 8), nullptr, v1Facts()));
  }
  expectOne(check(conv(), act(8, 8, 8, 8), nullptr, v1Facts()), "bits",
            "conv_1", "input bits 8", "1, 2, 4 bits");
  expectOne(check(v1Conv(LayerType::Convolutional, "conv_1", 8, 3, 1, 8, 4),
                  act(8, 8, 8), nullptr, v1Facts()),
            "bits", "conv_1", "weights_bits 8", "1, 2, 4 bits");
  EXPECT_PASSES(check(v1Conv(LayerType::SeparableConvolutional, "sep_1", 8, 3,
                             1, 2, 4),
                      act(8, 8, 8), nullptr, v1Facts()));
  expectOne(check(v1Conv(LayerType::SeparableConvolutional, "sep_1", 8, 3, 1,
                         1, 4),
                  act(8, 8, 8), nullptr, v1Facts()),
            "bits", "sep_1", "weights_bits 1", "2, 4 bits");
}

//===----------------------------------------------------------------------===//
// FullyConnected
//===----------------------------------------------------------------------===//

TEST(V1FullyConnected, FanIn) {
  EXPECT_PASSES(check(fc("dense", 10, 4, 0), act(1, 1, 57334), nullptr,
                      v1Facts()));
  // The input is flattened: 7x7x1170 = 57330.
  EXPECT_PASSES(check(fc("dense", 10, 4, 0), act(7, 7, 1170), nullptr,
                      v1Facts()));
  expectOne(check(fc("dense", 10, 4, 0), act(1, 1, 57335), nullptr, v1Facts()),
            "fan_in", "dense", "fan-in 57335", "at most 57334");
  expectOne(check(fc("dense", 10, 4, 0), act(7, 7, 1171), nullptr, v1Facts()),
            "fan_in", "dense", "fan-in 57379", "at most 57334");
}

TEST(V1FullyConnected, Bits) {
  for (int64_t b : {1, 2, 4})
    EXPECT_PASSES(check(fc("dense", 10, b, b), act(1, 1, 64, b), nullptr,
                        v1Facts()));
  expectOne(check(fc("dense", 10, 8, 4), act(1, 1, 64), nullptr, v1Facts()),
            "bits", "dense", "weights_bits 8", "1, 2, 4 bits");
  expectOne(check(fc("dense", 10, 4, 4), act(1, 1, 64, 8), nullptr, v1Facts()),
            "bits", "dense", "input bits 8", "1, 2, 4 bits");
}

//===----------------------------------------------------------------------===//
// Topology
//===----------------------------------------------------------------------===//

TEST(V1Topology, BoundedActivations) {
  // No activation is fine on a model output or before a software layer...
  LayerDesc raw = fc("dense", 10, 4, 0);
  EXPECT_PASSES(check(raw, act(1, 1, 64), nullptr, v1Facts()));
  LayerDesc dq = layer(LayerType::Dequantizer, "dequantizer", {});
  EXPECT_PASSES(check(raw, act(1, 1, 64), &dq, v1Facts()));
  // ... but not before another hardware layer.
  LayerDesc dense2 = fc("dense_2", 10, 4, 0);
  expectOne(check(raw, act(1, 1, 64), &dense2, v1Facts()), "topology", "dense",
            "activation is off", "activation on");
  LayerDesc convRaw = conv();
  convRaw.params["activation"] = 0;
  expectOne(check(convRaw, act(8, 8, 8), &kConvNext, v1Facts()), "topology",
            "conv_1", "feeds hardware layer 'next' (Convolutional)",
            "activation on");
  LayerDesc inRaw = inputConv();
  inRaw.params["activation"] = 0;
  expectOne(check(inRaw, image(8, 8, 1), &kConvNext, v1Facts()), "topology",
            "conv_0", "activation is off", "activation on");
}

TEST(V1Topology, FirstLayer) {
  LayerDesc in = layer(LayerType::InputData, "input", {});
  EXPECT_PASSES(check(in, act(8, 8, 1, 8), &kConvNext, v1Facts()));
  LayerDesc first = conv();
  first.inbounds.clear();
  expectOne(check(first, act(8, 8, 8), nullptr, v1Facts()), "topology",
            "conv_1", "first layer", "InputData, InputConvolutional first");
}

TEST(V1Topology, NoBranches) {
  LayerDesc add = layer(LayerType::Add, "add", {});
  add.inbounds = {0, 1};
  expectOne(check(add, {act(4, 4, 8, 8), act(4, 4, 8, 8)}, nullptr, v1Facts()),
            "topology", "add", "strictly sequential", "sequential layers only");
  LayerDesc cat = layer(LayerType::Concatenate, "cat", {});
  cat.inbounds = {0, 1};
  expectOne(check(cat, {act(4, 4, 8, 8), act(4, 4, 8, 8)}, nullptr, v1Facts()),
            "topology", "cat", "merging branches", "sequential layers only");
}

TEST(V1LayerType, OtherFamilyAndSoftware) {
  expectOne(check(v2Conv(LayerType::Conv2D, "c2", 8, 3, 1), act(8, 8, 8, 8),
                  nullptr, v1Facts()),
            "layer_type", "c2", "is an Akida 2.0 layer", "Akida 1.0 layer types");
  LayerDesc dq = layer(LayerType::Dequantizer, "dequantizer", {});
  expectOne(check(dq, act(1, 1, 10, 32, true), nullptr, v1Facts()),
            "layer_type", "dequantizer", "always runs in software",
            "hardware layer types");
  LayerDesc unknown;
  unknown.name = "mystery";
  unknown.type = LayerType::Unknown;
  unknown.inbounds = {0};
  expectOne(checkLayer(unknown, {act(1, 1, 10)}, act(1, 1, 10), nullptr,
                       v1Facts()),
            "layer_type", "mystery", "not a hardware layer type",
            "Akida 1.0 layer types");
}

TEST(AlwaysSoftware, Types) {
  EXPECT_TRUE(alwaysSoftware(LayerType::Dequantizer));
  EXPECT_TRUE(alwaysSoftware(LayerType::ExtractToken));
  EXPECT_FALSE(alwaysSoftware(LayerType::InputData));
  EXPECT_FALSE(alwaysSoftware(LayerType::InputConvolutional));
  EXPECT_FALSE(alwaysSoftware(LayerType::FullyConnected));
  EXPECT_FALSE(alwaysSoftware(LayerType::Add));
  EXPECT_FALSE(alwaysSoftware(LayerType::BufferTempConv));
}

TEST(V1Violations, SeveralAtOnce) {
  // Every broken rule is reported, in table order.
  LayerDesc bad = v1Conv(LayerType::Convolutional, "bad", 8, 5, 2, 8, 4);
  bad.params["padding"] = static_cast<int64_t>(Padding::Valid);
  auto v = check(bad, act(16, 16, 8, 8), nullptr, v1Facts());
  std::vector<std::string> rules;
  for (const auto &x : v)
    rules.push_back(x.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"stride", "padding", "bits",
                                             "bits"}))
      << dump(v);
}

//===----------------------------------------------------------------------===//
// Zoo architectures (docs: DS-CNN KWS and AkidaNet 0.5/224 map fully on
// AKD1000)
//===----------------------------------------------------------------------===//

TEST(V1Zoo, DsCnnKws) {
  std::vector<LayerDesc> m;
  m.push_back(v1Conv(LayerType::InputConvolutional, "conv_0", 64, 5, 2, 8, 4));
  for (int i = 1; i <= 4; ++i)
    m.push_back(v1Conv(LayerType::SeparableConvolutional,
                       "separable_" + std::to_string(i), 64, 3, 1, 4, 4));
  m.back() = withGap(m.back());
  m.push_back(fc("dense_5", 33, 4, 0));
  EXPECT_PASSES(checkChain(m, image(49, 10, 1), v1Facts()));
}

TEST(V1Zoo, AkidaNet05_224) {
  std::vector<LayerDesc> m;
  m.push_back(v1Conv(LayerType::InputConvolutional, "conv_0", 16, 3, 2, 8, 4));
  m.push_back(v1Conv(LayerType::Convolutional, "conv_1", 32, 3, 1, 4, 4));
  m.push_back(v1Conv(LayerType::Convolutional, "conv_2", 64, 3, 2, 4, 4));
  m.push_back(v1Conv(LayerType::Convolutional, "conv_3", 64, 3, 1, 4, 4));
  const int filters[10] = {128, 128, 256, 256, 256, 256, 256, 256, 512, 512};
  const int strides[10] = {2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  for (int i = 0; i < 10; ++i)
    m.push_back(v1Conv(LayerType::SeparableConvolutional,
                       "separable_" + std::to_string(i + 4), filters[i], 3,
                       strides[i], 4, 4));
  m.back() = withGap(m.back());
  m.push_back(fc("classifier", 1000, 4, 0));
  EXPECT_PASSES(checkChain(m, image(224, 224, 3), v1Facts()));

  // The GAP layer pools 7x7 and the classifier reads 1x1x512.
  ActType in = image(224, 224, 3);
  for (size_t i = 0; i + 1 < m.size(); ++i) {
    LayerDesc l = m[i];
    fillDefaultParams(l);
    ActType out = inferLayerOutput(l, {in});
    if (i + 2 == m.size()) {
      EXPECT_EQ(in.shape, (std::array<int64_t, 3>{7, 7, 512}));
      EXPECT_EQ(out.shape, (std::array<int64_t, 3>{1, 1, 512}));
    }
    in = out;
  }
}

} // namespace
