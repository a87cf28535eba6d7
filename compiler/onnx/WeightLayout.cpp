//===- WeightLayout.cpp - ONNX weight tensors in Akida layouts ------------===//

#include "compiler/onnx/WeightLayout.h"

#include <algorithm>

namespace akida::onnx {

int weightBits(const std::vector<int64_t> &q) {
  int64_t m = 0;
  for (int64_t v : q)
    m = std::max(m, v < 0 ? -v - 1 : v);
  for (int bits : {2, 4})
    if (m < (int64_t(1) << (bits - 1)))
      return bits;
  return 8;
}

std::vector<int64_t> convKernel(const std::vector<int64_t> &q, int64_t filters,
                                int64_t channels, int64_t k, bool depthwise,
                                bool flip) {
  std::vector<int64_t> w(static_cast<size_t>(k * k * channels * filters), 0);
  for (int64_t f = 0; f < filters; ++f)
    for (int64_t c = 0; c < channels; ++c) {
      if (depthwise && c != f)
        continue;
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < k; ++j) {
          const int64_t src = depthwise ? (f * k + i) * k + j
                                        : ((f * channels + c) * k + i) * k + j;
          const int64_t ii = flip ? k - 1 - i : i, jj = flip ? k - 1 - j : j;
          w[((ii * k + jj) * channels + c) * filters + f] = q[src];
        }
    }
  return w;
}

std::vector<int64_t> depthwiseKernel(const std::vector<int64_t> &q,
                                     int64_t channels, int64_t k) {
  std::vector<int64_t> w(static_cast<size_t>(k * k * channels));
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j)
        w[(i * k + j) * channels + c] = q[(c * k + i) * k + j];
  return w;
}

std::vector<int64_t> denseMatrix(const std::vector<int64_t> &q, bool transB,
                                 int64_t H, int64_t W, int64_t C, int64_t units,
                                 IpVersion target) {
  const int64_t features = H * W * C;
  std::vector<int64_t> w(static_cast<size_t>(features * units));
  for (int64_t h = 0; h < H; ++h)
    for (int64_t x = 0; x < W; ++x)
      for (int64_t c = 0; c < C; ++c) {
        const int64_t onnxIndex = (c * H + h) * W + x;
        const int64_t akida = target == IpVersion::v1 ? c * H * W + x * H + h
                                                      : (h * W + x) * C + c;
        for (int64_t u = 0; u < units; ++u)
          w[akida * units + u] =
              q[transB ? u * features + onnxIndex : onnxIndex * units + u];
      }
  return w;
}

} // namespace akida::onnx
