//===- VnniPeak.cpp - The measured VNNI peak of one core ------------------===//
//
// The ceiling against which run-bench.py reports "% of peak": what this core
// does with nothing but independent vpdpbusd (64 multiply-adds each) on
// registers. Written in assembly so that the compiler can neither merge the
// sixteen identical chains nor shorten them.
//
//===----------------------------------------------------------------------===//

#include "bench/VnniPeak.h"

#include "runtime/cpu/Isa.h"

#include <algorithm>
#include <chrono>

namespace akida::bench {

namespace {

constexpr int kChains = 16;

#if defined(__x86_64__)
/// `blocks` times 16 vpdpbusd into zmm0 .. zmm15 (sources zmm16, zmm17).
void chains(long blocks) {
  for (long n = 0; n < blocks; ++n)
    asm volatile(
#define AKIDA_DP(i) "vpdpbusd %%zmm16, %%zmm17, %%zmm" #i "\n\t"
        AKIDA_DP(0) AKIDA_DP(1) AKIDA_DP(2) AKIDA_DP(3) AKIDA_DP(4)
        AKIDA_DP(5) AKIDA_DP(6) AKIDA_DP(7) AKIDA_DP(8) AKIDA_DP(9)
        AKIDA_DP(10) AKIDA_DP(11) AKIDA_DP(12) AKIDA_DP(13) AKIDA_DP(14)
        AKIDA_DP(15)
#undef AKIDA_DP
        ::
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
              "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
              "xmm14", "xmm15");
}
#endif

} // namespace

double vnniPeakGmacs(int tries) {
#if defined(__x86_64__)
  if (cpu::bestIsa() != cpu::Isa::Avx512Vnni)
    return 0;
  using Clock = std::chrono::steady_clock;
  // About 50 ms a try at a few hundred GMAC/s.
  constexpr long kBlocks = 10'000'000;
  chains(kBlocks / 10); // warm-up: clocks up, registers in use
  double best = 0;
  for (int t = 0; t < std::max(tries, 1); ++t) {
    const auto t0 = Clock::now();
    chains(kBlocks);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, double(kBlocks) * kChains * 64 / s / 1e9);
  }
  return best;
#else
  (void)tries;
  return 0;
#endif
}

} // namespace akida::bench
