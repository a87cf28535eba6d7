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

std::vector<int8_t> pairedDepthwiseWeights(const int16_t *weights, int taps,
                                           int64_t c, int64_t cPad) {
  const int pairs = (taps + 1) / 2;
  const int64_t blocks = (c + 63) / 64;
  std::vector<int8_t> out(blocks * pairs * 128, 0);
  auto w = [&](int t, int64_t ch) -> int8_t {
    return t < taps && ch < c ? static_cast<int8_t>(weights[t * cPad + ch]) : 0;
  };
  for (int64_t b = 0; b < blocks; ++b)
    for (int k = 0; k < pairs; ++k) {
      int8_t *lo = out.data() + (b * pairs + k) * 128, *hi = lo + 64;
      // unpacklo/hi_epi8 interleave bytes 0-7 / 8-15 of each 16-byte lane.
      for (int lane = 0; lane < 4; ++lane)
        for (int j = 0; j < 8; ++j) {
          const int64_t ch = b * 64 + lane * 16 + j;
          lo[lane * 16 + 2 * j] = w(2 * k, ch);
          lo[lane * 16 + 2 * j + 1] = w(2 * k + 1, ch);
          hi[lane * 16 + 2 * j] = w(2 * k, ch + 8);
          hi[lane * 16 + 2 * j + 1] = w(2 * k + 1, ch + 8);
        }
    }
  return out;
}

bool depthwiseRowByRow(const DepthwiseRow &d,
                       void (*one)(const DepthwiseRow &)) {
  if (d.rows <= 1)
    return false;
  DepthwiseRow r = d;
  r.rows = 1;
  for (int64_t i = 0; i < d.rows; ++i) {
    r.oy = d.oy + i;
    r.out16 = d.out16 + i * d.ow * d.out16Stride;
    one(r);
  }
  return true;
}

} // namespace akida::cpu
