//===- KernelsAvx512.cpp - The kernels for AVX-512 VNNI -------------------===//
#include "runtime/cpu/Kernels.h"
namespace akida::cpu {
const KernelTable &avx512Kernels() { return portableKernels(); }
} // namespace akida::cpu
