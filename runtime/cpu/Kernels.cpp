//===- Kernels.cpp - Picking the kernel table of an instruction set -------===//

#include "runtime/cpu/Kernels.h"

#include <stdexcept>

namespace akida::cpu {

const KernelTable &kernels(Isa isa) {
  if (!isaSupported(isa))
    throw std::invalid_argument(std::string("instruction set '") +
                                isaName(isa) +
                                "' is not supported by this processor");
  switch (isa) {
  case Isa::Avx512Vnni:
    return avx512Kernels();
  case Isa::Avx2:
    return avx2Kernels();
  case Isa::Portable:
    break;
  }
  return portableKernels();
}

} // namespace akida::cpu
