//===- DefaultModel.h - The model akida run uses by default -------*- C++ -*-===//
//
// Embedded at build time (tools/akida/CMakeLists.txt): the Fashion-MNIST CNN
// of models/fashion-mnist (4-bit QAT, QDQ ONNX) converted to Akida 1.0 by
// the project's importer, the first 8 images of the Fashion-MNIST test set
// (uint8 NHWC .npy) and their labels (uint8 .npy).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_TOOLS_AKIDA_DEFAULTMODEL_H
#define AKIDA_TOOLS_AKIDA_DEFAULTMODEL_H

#include <array>
#include <cstdint>
#include <vector>

namespace akida::cli::embedded {

const std::vector<uint8_t> &model();   ///< .fbz bytes
const std::vector<uint8_t> &samples(); ///< .npy bytes
const std::vector<uint8_t> &labels();  ///< .npy bytes

/// Fashion-MNIST's classes, by label.
inline constexpr std::array<const char *, 10> kClassNames = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

} // namespace akida::cli::embedded

#endif // AKIDA_TOOLS_AKIDA_DEFAULTMODEL_H
