// Akida 2.0 constraints: one test per row of the tables (docs/constraints.md),
// each with layers that pass and layers that fail, checking the rule id and
// that the message names the layer, the value and what is allowed.

#include "ConstraintsTestUtil.h"

using namespace akida;
using namespace akida::test;

namespace {

ActType image(int64_t rows, int64_t columns, int64_t channels) {
  return act(rows, columns, channels, 8);
}

LayerDesc inputConv(int64_t filters = 16, int64_t kernel = 3,
                    int64_t stride = 1) {
  return v2Conv(LayerType::InputConv2D, "conv_0", filters, kernel, stride);
}
LayerDesc conv(int64_t kernel = 3, int64_t stride = 1, int64_t filters = 32) {
  return v2Conv(LayerType::Conv2D, "conv_1", filters, kernel, stride);
}
LayerDesc dw(int64_t kernel = 3, int64_t stride = 1) {
  return v2Conv(LayerType::DepthwiseConv2D, "dw_1", 0, kernel, stride);
}
LayerDesc withParam(LayerDesc l, const std::string &name, int64_t v) {
  l.params[name] = v;
  return l;
}

const LayerDesc kConvNext = v2Conv(LayerType::Conv2D, "next", 8, 1, 1);
const LayerDesc kDwNext = v2Conv(LayerType::DepthwiseConv2D, "dw_next", 0, 3, 1);

//===----------------------------------------------------------------------===//
// InputConv2D (HRC)
//===----------------------------------------------------------------------===//

TEST(V2InputConv, InputDims) {
  EXPECT_PASSES(check(inputConv(), image(5, 384, 3), nullptr, v2Facts()));
  EXPECT_PASSES(check(inputConv(), image(2000, 5, 1), nullptr, v2Facts()));
  expectOne(check(inputConv(), image(5, 385, 3), nullptr, v2Facts()),
            "input_dims", "conv_0", "5x385", "rows >= 5, columns 5..384");
  expectOne(check(inputConv(), image(4, 10, 3), nullptr, v2Facts()),
            "input_dims", "conv_0", "4x10", "rows >= 5, columns 5..384");
}

TEST(V2InputConv, InputChannels) {
  EXPECT_PASSES(check(inputConv(), image(32, 32, 1), nullptr, v2Facts()));
  expectOne(check(inputConv(), image(32, 32, 2), nullptr, v2Facts()),
            "input_channels", "conv_0", "input_channels 2", "1, 3");
}

TEST(V2InputConv, KernelSize) {
  for (int64_t k : {3, 4, 5, 7})
    EXPECT_PASSES(check(inputConv(16, k), image(64, 64, 3), nullptr, v2Facts()));
  expectOne(check(inputConv(16, 6), image(64, 64, 3), nullptr, v2Facts()),
            "kernel_size", "conv_0", "kernel_size 6x6", "3x3, 4x4, 5x5, 7x7");
  expectOne(check(inputConv(16, 1), image(64, 64, 3), nullptr, v2Facts()),
            "kernel_size", "conv_0", "kernel_size 1x1", "3x3, 4x4, 5x5, 7x7");
}

TEST(V2InputConv, StridePerKernel) {
  struct Row {
    int64_t kernel, maxStride;
  };
  for (Row r : {Row{3, 3}, Row{4, 4}, Row{5, 5}, Row{7, 6}}) {
    SCOPED_TRACE("kernel " + std::to_string(r.kernel));
    for (int64_t s = 1; s <= r.maxStride; ++s)
      EXPECT_PASSES(check(inputConv(16, r.kernel, s), image(64, 64, 3),
                          nullptr, v2Facts()));
    expectOne(check(inputConv(16, r.kernel, r.maxStride + 1),
                    image(64, 64, 3), nullptr, v2Facts()),
              "stride", "conv_0",
              "kernel_stride " + std::to_string(r.maxStride + 1),
              "1.." + std::to_string(r.maxStride) + " with " +
                  std::to_string(r.kernel) + "x" + std::to_string(r.kernel));
  }
}

TEST(V2InputConv, Padding) {
  EXPECT_PASSES(check(withParam(inputConv(), "padding",
                                static_cast<int64_t>(Padding::Valid)),
                      image(32, 32, 3), nullptr, v2Facts()));
  expectOne(check(withParam(inputConv(16, 3, 2), "padding",
                            static_cast<int64_t>(Padding::SameUpper)),
                  image(32, 32, 3), nullptr, v2Facts()),
            "padding", "conv_0", "padding SameUpper", "Same, Valid");
}

TEST(V2InputConv, Filters) {
  EXPECT_PASSES(check(inputConv(512), image(32, 32, 3), nullptr, v2Facts()));
  expectOne(check(inputConv(513), image(32, 32, 3), nullptr, v2Facts()),
            "filters", "conv_0", "filters 513", "at most 512");
}

TEST(V2InputConv, Pooling) {
  EXPECT_PASSES(check(v2MaxPool(inputConv(), 2, 2), image(32, 32, 3), nullptr,
                      v2Facts()));
  EXPECT_PASSES(check(v2MaxPool(inputConv(), 3, 2), image(32, 32, 3), nullptr,
                      v2Facts()));
  expectOne(check(v2MaxPool(inputConv(), 2, 1), image(32, 32, 3), nullptr,
                  v2Facts()),
            "pooling", "conv_0", "pool_size 2 with pool_stride 1",
            "(2, 2), (3, 2)");
  expectOne(check(v2MaxPool(inputConv(), 3, 3), image(32, 32, 3), nullptr,
                  v2Facts()),
            "pooling", "conv_0", "pool_size 3 with pool_stride 3",
            "(2, 2), (3, 2)");
  expectOne(check(withGap(inputConv()), image(32, 32, 3), nullptr, v2Facts()),
            "pooling", "conv_0", "global average pooling", "no pooling");
}

TEST(V2InputConv, Bits) {
  EXPECT_PASSES(check(withParam(inputConv(), "output_bits", 4),
                      image(32, 32, 3), nullptr, v2Facts()));
  expectOne(check(withParam(inputConv(), "weights_bits", 4), image(32, 32, 3),
                  nullptr, v2Facts()),
            "bits", "conv_0", "weights_bits 4", "8 bits");
  expectOne(check(withParam(inputConv(), "output_bits", 2), image(32, 32, 3),
                  nullptr, v2Facts()),
            "bits", "conv_0", "output_bits 2", "4, 8 bits");
}

TEST(V2InputConv, NeedsHrc) {
  HardwareFacts f = v2Facts();
  f.hasHrc = false;
  expectOne(check(inputConv(), image(32, 32, 3), nullptr, f), "layer_type",
            "conv_0", "(HRC)", "devices with an HRC");
}

//===----------------------------------------------------------------------===//
// Conv2D and DepthwiseConv2D
//===----------------------------------------------------------------------===//

TEST(V2Conv, InputDims) {
  EXPECT_PASSES(check(conv(1), act(4096, 4096, 2048, 8), nullptr, v2Facts()));
  expectOne(check(conv(1), act(4097, 8, 8, 8), nullptr, v2Facts()),
            "input_dims", "conv_1", "4097", "rows and columns <= 4096");
  expectOne(check(dw(), act(8, 8, 2049, 8), nullptr, v2Facts()),
            "input_channels", "dw_1", "input_channels 2049", "at most 2048");
}

TEST(V2Conv, KernelSize) {
  for (int64_t k : {1, 3, 5, 7})
    EXPECT_PASSES(check(conv(k), act(16, 16, 8, 8), nullptr, v2Facts()));
  for (int64_t k : {3, 5, 7})
    EXPECT_PASSES(check(dw(k), act(16, 16, 8, 8), nullptr, v2Facts()));
  expectOne(check(conv(4), act(16, 16, 8, 8), nullptr, v2Facts()),
            "kernel_size", "conv_1", "kernel_size 4x4", "1x1, 3x3, 5x5, 7x7");
  expectOne(check(dw(1), act(16, 16, 8, 8), nullptr, v2Facts()), "kernel_size",
            "dw_1", "kernel_size 1x1", "3x3, 5x5, 7x7");
}

TEST(V2Conv, Stride) {
  EXPECT_PASSES(check(conv(3, 2), act(16, 16, 8, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(dw(3, 2), act(16, 16, 8, 8), nullptr, v2Facts()));
  expectOne(check(conv(1, 2), act(16, 16, 8, 8), nullptr, v2Facts()), "stride",
            "conv_1", "not 1x1", "stride 1 or 2 with 3x3");
  expectOne(check(dw(5, 2), act(16, 16, 8, 8), nullptr, v2Facts()), "stride",
            "dw_1", "not 5x5", "stride 1 or 2 with 3x3");
  expectOne(check(conv(3, 3), act(16, 16, 8, 8), nullptr, v2Facts()), "stride",
            "conv_1", "kernel_stride 3", "1, 2");
}

TEST(V2Conv, Padding) {
  expectOne(check(withParam(conv(), "padding",
                            static_cast<int64_t>(Padding::Valid)),
                  act(16, 16, 8, 8), nullptr, v2Facts()),
            "padding", "conv_1", "padding Valid", "Same");
}

TEST(V2Conv, MaxPooling) {
  EXPECT_PASSES(check(v2MaxPool(conv(), 2, 2), act(16, 16, 8, 8), &kConvNext,
                      v2Facts()));
  EXPECT_PASSES(check(v2MaxPool(dw(), 2, 1), act(16, 16, 8, 8), &kDwNext,
                      v2Facts()));
  expectOne(check(v2MaxPool(conv(), 3, 2), act(16, 16, 8, 8), &kConvNext,
                  v2Facts()),
            "pooling", "conv_1", "pool_size 3 with pool_stride 2",
            "pool_size 2 with pool_stride 1 or 2");
  LayerDesc dense = layer(LayerType::Dense1D, "dense", {{"units", 10}});
  expectOne(check(v2MaxPool(conv(), 2, 2), act(16, 16, 8, 8), &dense,
                  v2Facts()),
            "pooling", "conv_1", "next is 'dense' (Dense1D)",
            "Conv2D, DepthwiseConv2D");
  expectOne(check(v2MaxPool(conv(), 2, 2), act(16, 16, 8, 8), nullptr,
                  v2Facts()),
            "pooling", "conv_1", "model output", "Conv2D, DepthwiseConv2D");
}

TEST(V2Conv, GlobalAveragePooling) {
  EXPECT_PASSES(check(withGap(conv()), act(11, 13, 8, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(withGap(conv()), act(1, 64, 8, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(withGap(dw()), act(7, 7, 8, 8), nullptr, v2Facts()));
  expectOne(check(withGap(conv()), act(12, 12, 8, 8), nullptr, v2Facts()),
            "pooling", "conv_1", "12x12 (144 positions)",
            "rows x columns < 144");
  expectOne(check(withGap(dw()), act(2, 65, 8, 8), nullptr, v2Facts()),
            "pooling", "dw_1", "2x65", "pooled width (columns) 1..64");
}

TEST(V2Conv, Bits) {
  for (int64_t b : {4, 8}) {
    EXPECT_PASSES(check(conv(), act(8, 8, 8, b), nullptr, v2Facts()));
    EXPECT_PASSES(check(withParam(conv(), "weights_bits", b), act(8, 8, 8, 8),
                        nullptr, v2Facts()));
    EXPECT_PASSES(check(withParam(dw(), "output_bits", b), act(8, 8, 8, 8),
                        &kConvNext, v2Facts()));
  }
  expectOne(check(conv(), act(8, 8, 8, 2), nullptr, v2Facts()), "bits",
            "conv_1", "input bits 2", "4, 8 bits");
  expectOne(check(withParam(conv(), "weights_bits", 2), act(8, 8, 8, 8),
                  nullptr, v2Facts()),
            "bits", "conv_1", "weights_bits 2", "4, 8 bits");
  expectOne(check(withParam(conv(), "output_bits", 2), act(8, 8, 8, 8),
                  nullptr, v2Facts()),
            "bits", "conv_1", "output_bits 2", "4, 8 bits");
  // A raw (no activation) wide output only where it leaves the hardware.
  LayerDesc raw = withActivation(withParam(conv(), "output_bits", 32),
                                 Activation::NoActivation);
  EXPECT_PASSES(check(raw, act(8, 8, 8, 8), nullptr, v2Facts()));
  LayerDesc dq = layer(LayerType::Dequantizer, "dequantizer", {});
  EXPECT_PASSES(check(raw, act(8, 8, 8, 8), &dq, v2Facts()));
  expectOne(check(raw, act(8, 8, 8, 8), &kConvNext, v2Facts()), "bits",
            "conv_1", "output_bits 32", "4, 8 bits");
  expectOne(check(withParam(conv(), "output_bits", 32), act(8, 8, 8, 8),
                  nullptr, v2Facts()),
            "bits", "conv_1", "output_bits 32", "4, 8 bits");
}

//===----------------------------------------------------------------------===//
// LUT activations
//===----------------------------------------------------------------------===//

TEST(V2Lut, WhereAllowed) {
  LayerDesc lutConv = withActivation(conv(), Activation::LUT);
  EXPECT_PASSES(check(lutConv, act(8, 8, 8, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(withGap(lutConv), act(8, 8, 8, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(withActivation(inputConv(), Activation::LUT),
                      image(32, 32, 3), nullptr, v2Facts()));
  LayerDesc lutT = withActivation(
      layer(LayerType::DepthwiseConv2DTranspose, "dwt", {{"kernel_size", 3}}),
      Activation::LUT);
  EXPECT_PASSES(check(lutT, act(8, 8, 8, 8), nullptr, v2Facts()));

  HardwareFacts noLut = v2Facts();
  noLut.hasLut = false;
  expectOne(check(lutConv, act(8, 8, 8, 8), nullptr, noLut), "activation",
            "conv_1", "activation LUT needs NPs with a LUT",
            "ReLU or no activation");
  expectOne(check(v2MaxPool(lutConv, 2, 2), act(8, 8, 8, 8), &kConvNext,
                  v2Facts()),
            "activation", "conv_1", "cannot be combined with max pooling",
            "max pooling with ReLU");
  expectOne(check(withActivation(layer(LayerType::Dense1D, "dense",
                                       {{"units", 10}}),
                                 Activation::LUT),
                  act(1, 1, 64, 8), nullptr, v2Facts()),
            "activation", "dense", "activation LUT", "LUT only on InputConv2D");
}

//===----------------------------------------------------------------------===//
// Transposed convolutions, Dense1D, temporal convolutions, merges
//===----------------------------------------------------------------------===//

TEST(V2Transpose, KernelAndBits) {
  for (LayerType t :
       {LayerType::Conv2DTranspose, LayerType::DepthwiseConv2DTranspose}) {
    SCOPED_TRACE(layerTypeName(t));
    auto make = [&](int64_t k) {
      LayerDesc l = layer(t, "up", {{"kernel_size", k}});
      if (t == LayerType::Conv2DTranspose)
        l.params["filters"] = 8;
      return l;
    };
    EXPECT_PASSES(check(make(3), act(8, 8, 8, 8), nullptr, v2Facts()));
    EXPECT_PASSES(check(make(4), act(8, 8, 8, 8), nullptr, v2Facts()));
    expectOne(check(make(5), act(8, 8, 8, 8), nullptr, v2Facts()),
              "kernel_size", "up", "kernel_size 5x5", "3x3, 4x4");
    expectOne(check(make(3), act(8, 8, 8, 4), nullptr, v2Facts()), "bits",
              "up", "input bits 4", "8 bits");
    expectOne(check(withParam(make(3), "weights_bits", 4), act(8, 8, 8, 8),
                    nullptr, v2Facts()),
              "bits", "up", "weights_bits 4", "8 bits");
    expectOne(check(withParam(make(3), "output_bits", 4), act(8, 8, 8, 8),
                    nullptr, v2Facts()),
              "bits", "up", "output_bits 4", "8 bits");
    expectOne(check(make(3), act(8, 4097, 8, 8), nullptr, v2Facts()),
              "input_dims", "up", "4097", "rows and columns <= 4096");
  }
}

TEST(V2Dense, FanInAndBits) {
  LayerDesc d = layer(LayerType::Dense1D, "dense", {{"units", 10}});
  EXPECT_PASSES(check(d, act(1, 1, 2048, 8), nullptr, v2Facts()));
  EXPECT_PASSES(check(d, act(4, 4, 128, 4), nullptr, v2Facts()));
  expectOne(check(d, act(1, 1, 2049, 8), nullptr, v2Facts()), "fan_in",
            "dense", "fan-in 2049", "at most 2048");
  expectOne(check(d, act(4, 4, 129, 8), nullptr, v2Facts()), "fan_in", "dense",
            "fan-in 2064", "at most 2048");
  expectOne(check(withParam(d, "weights_bits", 2), act(1, 1, 64, 8), nullptr,
                  v2Facts()),
            "bits", "dense", "weights_bits 2", "4, 8 bits");
}

TEST(V2TempConv, FifoFiltersTnpBits) {
  auto btc = [](int64_t fifo, int64_t filters = 16) {
    return layer(LayerType::BufferTempConv, "btc",
                 {{"fifo_size", fifo}, {"filters", filters}});
  };
  for (int64_t f = 2; f <= 10; ++f)
    EXPECT_PASSES(check(btc(f), act(8, 8, 8, 8), nullptr, v2Facts()));
  expectOne(check(btc(1), act(8, 8, 8, 8), nullptr, v2Facts()), "fifo_size",
            "btc", "fifo_size 1", "2..10");
  expectOne(check(btc(11), act(8, 8, 8, 8), nullptr, v2Facts()), "fifo_size",
            "btc", "fifo_size 11", "2..10");
  EXPECT_PASSES(check(btc(4, 2048), act(8, 8, 8, 8), nullptr, v2Facts()));
  expectOne(check(btc(4, 2049), act(8, 8, 8, 8), nullptr, v2Facts()),
            "filters", "btc", "filters 2049", "at most 2048");
  LayerDesc dbtc =
      layer(LayerType::DepthwiseBufferTempConv, "dbtc", {{"fifo_size", 12}});
  expectOne(check(dbtc, act(8, 8, 8, 8), nullptr, v2Facts()), "fifo_size",
            "dbtc", "fifo_size 12", "2..10");
  HardwareFacts noTnp = v2Facts();
  noTnp.hasTnp = false;
  expectOne(check(btc(4), act(8, 8, 8, 8), nullptr, noTnp), "layer_type",
            "btc", "TNP_B", "devices with TNP_B NPs");
  expectOne(check(btc(4), act(8, 8, 8, 4), nullptr, v2Facts()), "bits", "btc",
            "input bits 4", "8 bits");
  expectOne(check(withActivation(btc(4), Activation::LUT), act(8, 8, 8, 8),
                  nullptr, v2Facts()),
            "activation", "btc", "activation LUT", "ReLU or no activation");
}

TEST(V2Merge, SkipDma) {
  LayerDesc add = layer(LayerType::Add, "add", {});
  add.inbounds = {0, 1};
  LayerDesc cat = layer(LayerType::Concatenate, "cat", {});
  cat.inbounds = {0, 1};
  std::vector<ActType> two{act(4, 4, 8, 8), act(4, 4, 8, 8)};
  EXPECT_PASSES(check(add, two, nullptr, v2Facts()));
  EXPECT_PASSES(check(cat, two, nullptr, v2Facts()));
  HardwareFacts noSkip = v2Facts();
  noSkip.skipDmaChannels = 0;
  expectOne(check(add, two, nullptr, noSkip), "topology", "add",
            "the device has 0", "devices with skip-DMA channels");
  expectOne(check(cat, two, nullptr, noSkip), "topology", "cat",
            "skip-DMA channel", "devices with skip-DMA channels");
}

TEST(V2LayerType, OtherFamilyAndSoftware) {
  expectOne(check(v1Conv(LayerType::Convolutional, "c1", 8, 3, 1, 4, 4),
                  act(8, 8, 8, 4), nullptr, v2Facts()),
            "layer_type", "c1", "is an Akida 1.0 layer",
            "Akida 2.0 layer types");
  LayerDesc tok = layer(LayerType::ExtractToken, "token", {});
  expectOne(check(tok, act(1, 5, 8, 8), nullptr, v2Facts()), "layer_type",
            "token", "always runs in software", "Akida 2.0");
  LayerDesc in = layer(LayerType::InputData, "input", {{"input_bits", 8}});
  EXPECT_PASSES(check(in, act(8, 8, 3, 8), &kConvNext, v2Facts()));
}

//===----------------------------------------------------------------------===//
// Zoo architectures (v2 DS-CNN and AkidaNet 0.5/224, 8-bit)
//===----------------------------------------------------------------------===//

LayerDesc classifier(const std::string &name, int64_t units) {
  return withParam(layer(LayerType::Dense1D, name, {{"units", units}}),
                   "output_bits", 32);
}

TEST(V2Zoo, DsCnnKws) {
  std::vector<LayerDesc> m;
  m.push_back(v2Conv(LayerType::InputConv2D, "conv_0", 64, 5, 2));
  for (int i = 1; i <= 4; ++i) {
    m.push_back(v2Conv(LayerType::DepthwiseConv2D,
                       "dw_separable_" + std::to_string(i), 0, 3, 1));
    m.push_back(v2Conv(LayerType::Conv2D, "pw_separable_" + std::to_string(i),
                       64, 1, 1));
  }
  m.back() = withGap(m.back());
  m.push_back(classifier("dense_5", 33));
  m.push_back(layer(LayerType::Dequantizer, "dequantizer", {}));
  EXPECT_PASSES(checkChain(m, image(49, 10, 1), v2Facts()));
}

TEST(V2Zoo, AkidaNet05_224) {
  std::vector<LayerDesc> m;
  m.push_back(v2Conv(LayerType::InputConv2D, "conv_0", 16, 3, 2));
  m.push_back(v2Conv(LayerType::Conv2D, "conv_1", 32, 3, 1));
  m.push_back(v2Conv(LayerType::Conv2D, "conv_2", 64, 3, 2));
  m.push_back(v2Conv(LayerType::Conv2D, "conv_3", 64, 3, 1));
  const int filters[10] = {128, 128, 256, 256, 256, 256, 256, 256, 512, 512};
  const int strides[10] = {2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  for (int i = 0; i < 10; ++i) {
    std::string n = std::to_string(i + 4);
    m.push_back(
        v2Conv(LayerType::DepthwiseConv2D, "dw_separable_" + n, 0, 3, strides[i]));
    m.push_back(v2Conv(LayerType::Conv2D, "pw_separable_" + n, filters[i], 1, 1));
  }
  m.back() = withGap(m.back());
  m.push_back(classifier("classifier", 1000));
  m.push_back(layer(LayerType::Dequantizer, "dequantizer", {}));
  EXPECT_PASSES(checkChain(m, image(224, 224, 3), v2Facts()));
}

} // namespace
