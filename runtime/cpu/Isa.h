//===- Isa.h - Which instruction set the CPU kernels use --------*- C++ -*-===//
//
// The CPU backend has three kernel sets: AVX-512 VNNI (vpdpbusd/vpdpwssd),
// AVX2 (vpmaddubsw/vpmaddwd) and portable C++. They are compiled into every
// binary (per-function target attributes) and one is chosen at run time:
// the best the processor supports, or the one named by the environment
// variable AKIDA_CPU_ISA (portable, avx2, avx512vnni), or the one a program
// forces with setIsa (tests run every supported set).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_ISA_H
#define AKIDA_RUNTIME_CPU_ISA_H

#include <optional>
#include <string>
#include <vector>

namespace akida::cpu {

enum class Isa { Portable, Avx2, Avx512Vnni };

/// "portable", "avx2" or "avx512vnni".
const char *isaName(Isa isa);
/// Parses isaName's spelling; throws std::invalid_argument naming the
/// allowed values otherwise.
Isa parseIsa(const std::string &name);

/// Whether this processor can run `isa` (portable always can).
bool isaSupported(Isa isa);
/// The supported sets, portable first.
std::vector<Isa> supportedIsas();
/// The best set this processor supports.
Isa bestIsa();

/// The set the kernels use now: the one forced with setIsa, else
/// AKIDA_CPU_ISA, else bestIsa(). Throws std::invalid_argument when
/// AKIDA_CPU_ISA names an unknown or unsupported set.
Isa activeIsa();
/// Forces `isa` (nullopt: back to the default). Throws std::invalid_argument
/// when the processor does not support it.
void setIsa(std::optional<Isa> isa);

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_ISA_H
