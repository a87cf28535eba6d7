//===- KernelsAvx2.cpp - The kernels for AVX2 -----------------------------===//
#include "runtime/cpu/Kernels.h"
namespace akida::cpu {
const KernelTable &avx2Kernels() { return portableKernels(); }
} // namespace akida::cpu
