//===- WeightLayout.h - ONNX weight tensors in Akida layouts ------*- C++ -*-===//
//
// The integer weights of an ONNX Conv/Gemm/MatMul rearranged the way an
// Akida layer stores them (docs/runtime/semantics.md): NCHW kernels become
// (k, k, C, F), flipped for a v1 NP's true convolution; a depthwise kernel
// becomes (k, k, C) on v2 and a diagonal (k, k, C, C) kernel on v1; dense
// weights follow Akida's flatten order.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_ONNX_WEIGHTLAYOUT_H
#define AKIDA_COMPILER_ONNX_WEIGHTLAYOUT_H

#include "compiler/fbz/ModelDesc.h"

#include <cstdint>
#include <vector>

namespace akida::onnx {

/// The smallest of 2, 4, 8 signed bits that holds every value.
int weightBits(const std::vector<int64_t> &q);

/// Conv weights [F, C, k, k] (depthwise: [C, 1, k, k], then F = C) as
/// (k, k, C, F); `flip` reverses the kernel (v1 Convolutional), and a
/// depthwise kernel is laid on the diagonal (zeros elsewhere).
std::vector<int64_t> convKernel(const std::vector<int64_t> &q, int64_t filters,
                                int64_t channels, int64_t k, bool depthwise,
                                bool flip);

/// Depthwise weights [C, 1, k, k] as (k, k, C) (v2 DepthwiseConv2D).
std::vector<int64_t> depthwiseKernel(const std::vector<int64_t> &q,
                                     int64_t channels, int64_t k);

/// Gemm/MatMul weights ([units, features] when `transB`, else [features,
/// units]) reading an (H, W, C) input that ONNX flattened NCHW
/// (c·H·W + h·W + w), as (features, units) in the target's flatten order:
/// v1 c·H·W + w·H + h, v2 (h·W + w)·C + c.
std::vector<int64_t> denseMatrix(const std::vector<int64_t> &q, bool transB,
                                 int64_t H, int64_t W, int64_t C, int64_t units,
                                 IpVersion target);

} // namespace akida::onnx

#endif // AKIDA_COMPILER_ONNX_WEIGHTLAYOUT_H
