//===- VnniPeak.h - The measured VNNI peak of one core ----------*- C++ -*-===//
#ifndef AKIDA_BENCH_VNNIPEAK_H
#define AKIDA_BENCH_VNNIPEAK_H

namespace akida::bench {

/// Multiply-adds per second (in GMAC/s) that one core of this processor
/// reaches with vpdpbusd on zmm registers: 16 independent sums, no memory
/// operands, the best of `tries` timings of about 50 ms each. 0 when the
/// processor lacks AVX-512 VNNI.
double vnniPeakGmacs(int tries);

} // namespace akida::bench

#endif // AKIDA_BENCH_VNNIPEAK_H
