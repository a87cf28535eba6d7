//===- Zoo.cpp - The model zoo --------------------------------------------===//
//
// Architectures follow BrainChip's akida_models (layer names, filters,
// strides, bit widths); weights are seeded-random and calibrated
// (ZooBuilder.h). v1 quantization "8/4/4" means 8-bit first-layer weights,
// 4-bit other weights and 4-bit activations.
//
//===----------------------------------------------------------------------===//

#include "runtime/zoo/Zoo.h"

#include "runtime/zoo/ZooBuilder.h"

#include <cstdio>
#include <stdexcept>

namespace akida {

namespace {

Model dsCnnKws(uint32_t seed) {
  ZooBuilder b(IpVersion::v1, {49, 10, 1}, seed, 16);
  b.inputConvolutional("conv_0", 64, 5, 2, 8, 4);
  for (int i = 1; i <= 3; ++i)
    b.separable("separable_" + std::to_string(i), 64, 1, 4, 4);
  b.separable("separable_4", 64, 1, 4, 4, PoolType::Average);
  b.fullyConnected("dense_5", 33, 4, 0);
  return b.finish();
}

/// AkidaNet (v1): input conv, three convs, separable blocks, classifier.
Model akidaNet(double alpha, int resolution, int classes, uint32_t seed) {
  auto f = [&](int n) { return static_cast<int>(n * alpha); };
  ZooBuilder b(IpVersion::v1, {resolution, resolution, 3}, seed, 4);
  b.inputConvolutional("conv_0", f(32), 3, 2, 8, 4);
  b.convolutional("conv_1", f(64), 3, 1, 4, 4);
  b.convolutional("conv_2", f(128), 3, 2, 4, 4);
  b.convolutional("conv_3", f(128), 3, 1, 4, 4);
  b.separable("separable_4", f(256), 2, 4, 4);
  b.separable("separable_5", f(256), 1, 4, 4);
  b.separable("separable_6", f(512), 2, 4, 4);
  for (int i = 7; i <= 11; ++i)
    b.separable("separable_" + std::to_string(i), f(512), 1, 4, 4);
  b.separable("separable_12", f(1024), 2, 4, 4);
  b.separable("separable_13", f(1024), 1, 4, 4, PoolType::Average);
  b.fullyConnected("classifier", classes, 4, 0);
  return b.finish();
}

/// MobileNetV1 (v1): input conv then thirteen separable blocks.
Model mobileNet(double alpha, int resolution, uint32_t seed) {
  auto f = [&](int n) { return static_cast<int>(n * alpha); };
  ZooBuilder b(IpVersion::v1, {resolution, resolution, 3}, seed, 4);
  b.inputConvolutional("conv_0", f(32), 3, 2, 8, 4);
  const int filters[13] = {64, 128, 128, 256, 256, 512, 512,
                           512, 512, 512, 512, 1024, 1024};
  const int strides[13] = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  for (int i = 0; i < 13; ++i)
    b.separable("separable_" + std::to_string(i + 1), f(filters[i]),
                strides[i], 4, 4,
                i == 12 ? PoolType::Average : PoolType::NoPooling);
  b.fullyConnected("classifier", 1000, 4, 0);
  return b.finish();
}

/// GXNOR MNIST (v1, 2/2/1): binary inputs and activations.
Model gxnorMnist(uint32_t seed) {
  ZooBuilder b(IpVersion::v1, {28, 28, 1}, seed, 16);
  b.inputData("input", 1);
  b.convolutional("conv_1", 32, 5, 1, 2, 1, PoolType::Max);
  b.convolutional("conv_2", 64, 5, 1, 2, 1, PoolType::Max);
  b.fullyConnected("dense_1", 512, 2, 1);
  b.fullyConnected("dense_2", 10, 2, 0);
  return b.finish();
}

/// VGG-like age regression on UTKFace (v1, 8/2/2).
Model vggUtkFace(uint32_t seed) {
  ZooBuilder b(IpVersion::v1, {32, 32, 3}, seed, 16);
  b.inputConvolutional("conv_0", 32, 3, 1, 8, 2);
  b.convolutional("conv_1", 32, 3, 1, 2, 2, PoolType::Max);
  b.convolutional("conv_2", 64, 3, 1, 2, 2);
  b.convolutional("conv_3", 64, 3, 1, 2, 2, PoolType::Max);
  b.convolutional("conv_4", 84, 3, 1, 2, 2, PoolType::Average);
  b.fullyConnected("dense_5", 64, 2, 2);
  b.fullyConnected("dense_6", 1, 2, 0);
  return b.finish();
}

/// DS-CNN KWS for Akida 2.0 (8-bit): depthwise + pointwise pairs.
Model dsCnnKwsV2(uint32_t seed) {
  ZooBuilder b(IpVersion::v2, {49, 10, 1}, seed, 16);
  b.inputConv2D("conv_0", 64, 5, 2);
  for (int i = 1; i <= 4; ++i) {
    b.depthwiseConv2D("dw_separable_" + std::to_string(i), 3, 1);
    b.conv2D("pw_separable_" + std::to_string(i), 64, 1, 1,
             i == 4 ? PoolType::Average : PoolType::NoPooling);
  }
  b.dense1DClassifier("dense_5", 33);
  return b.finish();
}

/// AkidaNet for Akida 2.0 (8-bit).
Model akidaNetV2(double alpha, int resolution, uint32_t seed) {
  auto f = [&](int n) { return static_cast<int>(n * alpha); };
  ZooBuilder b(IpVersion::v2, {resolution, resolution, 3}, seed, 4);
  b.inputConv2D("conv_0", f(32), 3, 2);
  b.conv2D("conv_1", f(64), 3, 1);
  b.conv2D("conv_2", f(128), 3, 2);
  b.conv2D("conv_3", f(128), 3, 1);
  const int filters[10] = {256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
  const int strides[10] = {2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  for (int i = 0; i < 10; ++i) {
    std::string n = std::to_string(i + 4);
    b.depthwiseConv2D("dw_separable_" + n, 3, strides[i]);
    b.conv2D("pw_separable_" + n, f(filters[i]), 1, 1,
             i == 9 ? PoolType::Average : PoolType::NoPooling);
  }
  b.dense1DClassifier("classifier", 1000);
  return b.finish();
}

std::string alphaName(double alpha) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%g", alpha);
  return buf;
}

std::vector<ZooEntry> buildCatalogue() {
  std::vector<ZooEntry> zoo;
  zoo.push_back({"ds_cnn_kws", "DS-CNN keyword spotting, 49x10x1 MFCC, 33 "
                               "classes (Akida 1.0, 8/4/4)",
                 dsCnnKws});
  for (double alpha : {0.25, 0.5, 1.0})
    for (int res : {96, 160, 224})
      zoo.push_back({"akidanet_" + alphaName(alpha) + "_" + std::to_string(res),
                     "AkidaNet alpha " + alphaName(alpha) + ", " +
                         std::to_string(res) + "x" + std::to_string(res) +
                         "x3, ImageNet 1000 classes (Akida 1.0, 8/4/4)",
                     [alpha, res](uint32_t seed) {
                       return akidaNet(alpha, res, 1000, seed);
                     }});
  for (double alpha : {0.25, 0.5, 1.0})
    for (int res : {160, 224})
      zoo.push_back({"mobilenet_" + alphaName(alpha) + "_" + std::to_string(res),
                     "MobileNetV1 alpha " + alphaName(alpha) + ", " +
                         std::to_string(res) + "x" + std::to_string(res) +
                         "x3, ImageNet 1000 classes (Akida 1.0, 8/4/4)",
                     [alpha, res](uint32_t seed) {
                       return mobileNet(alpha, res, seed);
                     }});
  zoo.push_back({"akidanet_0.25_96_vww",
                 "AkidaNet alpha 0.25, 96x96x3, Visual Wake Words 2 classes "
                 "(Akida 1.0, 8/4/4)",
                 [](uint32_t seed) { return akidaNet(0.25, 96, 2, seed); }});
  zoo.push_back({"gxnor_mnist", "GXNOR MNIST, 28x28x1 binary input (Akida "
                                "1.0, 2/2/1)",
                 gxnorMnist});
  zoo.push_back({"vgg_utk_face", "VGG-like age regression, 32x32x3 UTKFace "
                                 "(Akida 1.0, 8/2/2)",
                 vggUtkFace});
  zoo.push_back({"ds_cnn_kws_v2", "DS-CNN keyword spotting, 49x10x1, 33 "
                                  "classes (Akida 2.0, 8-bit)",
                 dsCnnKwsV2});
  zoo.push_back({"akidanet_0.5_224_v2", "AkidaNet alpha 0.5, 224x224x3, "
                                        "ImageNet (Akida 2.0, 8-bit)",
                 [](uint32_t seed) { return akidaNetV2(0.5, 224, seed); }});
  return zoo;
}

} // namespace

const std::vector<ZooEntry> &zooModels() {
  static const std::vector<ZooEntry> zoo = buildCatalogue();
  return zoo;
}

Model buildZooModel(const std::string &name, uint32_t seed) {
  for (const ZooEntry &entry : zooModels())
    if (entry.name == name)
      return entry.build(seed);
  std::string names;
  for (const ZooEntry &entry : zooModels())
    names += (names.empty() ? "" : ", ") + entry.name;
  throw std::invalid_argument("unknown zoo model '" + name +
                              "'; known models: " + names);
}

} // namespace akida
