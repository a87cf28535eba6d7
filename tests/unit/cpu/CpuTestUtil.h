//===- CpuTestUtil.h - Helpers of the CPU backend tests ---------*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_CPU_CPUTESTUTIL_H
#define AKIDA_TESTS_UNIT_CPU_CPUTESTUTIL_H

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Isa.h"
#include "runtime/model/Model.h"

#include <gtest/gtest.h>

#include <random>

namespace akida::cputest {

/// Random inputs for `m`: values over the full range of its input type.
inline Array randomInputs(const Model &m, int n, uint32_t seed) {
  const std::array<int64_t, 3> s = m.input_shape();
  const ActType t = modelInputType(m.desc());
  std::mt19937 rng(seed);
  const int bits = std::min(t.bits, 8);
  const int64_t lo = t.isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  const int64_t hi = t.isSigned ? (int64_t(1) << (bits - 1)) - 1
                                : (int64_t(1) << bits) - 1;
  int64_t inBits = 8;
  const LayerDesc &first = m.desc().layers.front();
  if (first.type == LayerType::InputData)
    inBits = param(first, "input_bits");
  std::uniform_int_distribution<int64_t> dist(
      std::max(lo, t.isSigned ? -(int64_t(1) << (inBits - 1)) : 0),
      std::min(hi, t.isSigned ? (int64_t(1) << (inBits - 1)) - 1
                              : (int64_t(1) << inBits) - 1));
  std::vector<int64_t> v(n * s[0] * s[1] * s[2]);
  for (int64_t &x : v)
    x = dist(rng);
  return Array::fromInts(t.isSigned ? DType::Int8 : DType::UInt8,
                         {n, s[0], s[1], s[2]}, v);
}

/// Uniform integers in [lo, hi] from a seeded generator, for the
/// randomized kernel tests.
class Uniform {
public:
  explicit Uniform(uint32_t seed) : rng_(seed) {}
  int64_t operator()(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

private:
  std::mt19937 rng_;
};

/// Runs the test body once per instruction set this processor supports,
/// restoring the default afterwards.
class ForEachIsa {
public:
  explicit ForEachIsa(cpu::Isa isa) { cpu::setIsa(isa); }
  ~ForEachIsa() { cpu::setIsa(std::nullopt); }
};

} // namespace akida::cputest

#endif // AKIDA_TESTS_UNIT_CPU_CPUTESTUTIL_H
