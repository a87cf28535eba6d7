//===- Isa.cpp - Which instruction set the CPU kernels use ----------------===//

#include "runtime/cpu/Isa.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace akida::cpu {

namespace {

// -1: not forced; otherwise the forced Isa's value.
std::atomic<int> forced{-1};

} // namespace

const char *isaName(Isa isa) {
  switch (isa) {
  case Isa::Portable:
    return "portable";
  case Isa::Avx2:
    return "avx2";
  case Isa::Avx512Vnni:
    return "avx512vnni";
  }
  return "?";
}

Isa parseIsa(const std::string &name) {
  for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512Vnni})
    if (name == isaName(isa))
      return isa;
  throw std::invalid_argument("unknown CPU instruction set '" + name +
                              "'; allowed: portable, avx2, avx512vnni");
}

bool isaSupported(Isa isa) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  switch (isa) {
  case Isa::Portable:
    return true;
  case Isa::Avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case Isa::Avx512Vnni:
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vnni");
  }
  return false;
#else
  return isa == Isa::Portable;
#endif
}

std::vector<Isa> supportedIsas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512Vnni})
    if (isaSupported(isa))
      out.push_back(isa);
  return out;
}

Isa bestIsa() { return supportedIsas().back(); }

Isa activeIsa() {
  int f = forced.load(std::memory_order_relaxed);
  if (f >= 0)
    return static_cast<Isa>(f);
  // The environment is read once (getenv costs a scan per call).
  static const std::string env = [] {
    const char *v = std::getenv("AKIDA_CPU_ISA");
    return std::string(v ? v : "");
  }();
  if (!env.empty()) {
    Isa isa = parseIsa(env);
    if (!isaSupported(isa))
      throw std::invalid_argument("AKIDA_CPU_ISA is '" + env +
                                  "' but this processor does not support it");
    return isa;
  }
  static const Isa best = bestIsa();
  return best;
}

void setIsa(std::optional<Isa> isa) {
  if (isa && !isaSupported(*isa))
    throw std::invalid_argument(std::string("instruction set '") +
                                isaName(*isa) +
                                "' is not supported by this processor");
  forced.store(isa ? static_cast<int>(*isa) : -1, std::memory_order_relaxed);
}

} // namespace akida::cpu
