//===- ProgramInternal.h - Shared by the program library's files -*- C++ -*-===//
//
// Not part of the API (that is Program.h): what the files of the program
// library share. Message prefixes and helpers, checksums and the unit and
// layer classification (ProgramInternal.cpp), the content rules that
// buildProgram, writeProgram and readProgram all enforce (ProgramRules.cpp),
// and a unit's slice of a layer's tensors (ProgramTensors.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_PROGRAM_PROGRAMINTERNAL_H
#define AKIDA_COMPILER_PROGRAM_PROGRAMINTERNAL_H

#include "compiler/fbz/Checksum.h"
#include "compiler/fbz/Quoted.h"
#include "compiler/program/Program.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace akida::program::detail {

//===----------------------------------------------------------------------===//
// Messages
//===----------------------------------------------------------------------===//

/// Prefixes of the ProgramError messages of buildProgram, writeProgram and
/// readProgram.
inline const std::string kEmit = "cannot emit program: ";
inline const std::string kWrite = "cannot write program: ";
inline const std::string kRead = "invalid program: ";

inline constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

/// Throws ProgramError(prefix + what).
[[noreturn]] void fail(const std::string &prefix, const std::string &what);

/// `s` quoted for a one-line message (the .fbz codec's helper).
using fbz::crc32Of;
using fbz::quoted;

inline std::string str(int64_t v) { return std::to_string(v); }

/// "(col, row, id)".
std::string identStr(const NpIdent &i);

/// NpType names, as NP.Type prints them (kept here so that this library does
/// not need the device library's definitions).
const char *npTypeStr(NpType t);

inline std::string dimsStr(const std::array<int64_t, 3> &d) {
  return formatDims({d.begin(), d.end()});
}

/// "layer <i> '<name>' (<type>)".
std::string layerRef(const ModelDesc &m, int i);

//===----------------------------------------------------------------------===//
// Checksums
//===----------------------------------------------------------------------===//


//===----------------------------------------------------------------------===//
// Unit and layer classification
//===----------------------------------------------------------------------===//

inline constexpr int kMaxNpType = static_cast<int>(NpType::SKIP_DMA_LOAD);

/// The types an NP record can have.
inline bool isNpUnitType(NpType t) {
  return t == NpType::CNP1 || t == NpType::CNP2 || t == NpType::FNP2 ||
         t == NpType::FNP3 || t == NpType::TNP_B;
}

inline bool isHrcLayer(LayerType t) {
  return t == LayerType::InputConvolutional || t == LayerType::InputConv2D;
}
inline bool isMergeLayer(LayerType t) {
  return t == LayerType::Add || t == LayerType::Concatenate;
}
inline bool isSoftwareLayer(LayerType t) {
  return t == LayerType::Dequantizer || t == LayerType::ExtractToken ||
         t == LayerType::OnnxGraph || t == LayerType::Unknown;
}
/// Layers whose NPs split channels, each channel reading only its own input
/// channel.
inline bool isDepthwise(LayerType t) {
  return t == LayerType::DepthwiseConv2D ||
         t == LayerType::DepthwiseConv2DTranspose ||
         t == LayerType::DepthwiseBufferTempConv;
}

/// The bit widths weights are packed at (packWeights).
inline bool validWeightBits(int64_t bits) {
  return bits == 1 || bits == 2 || bits == 4 || bits == 8;
}

//===----------------------------------------------------------------------===//
// Content rules (ProgramRules.cpp)
//===----------------------------------------------------------------------===//

/// Checks `p` against the rules every program obeys: what buildProgram
/// produces, what writeProgram accepts and what readProgram returns. Throws
/// ProgramError with `P` (kEmit, kWrite or kRead) prepended.
void validateProgram(const DecodedProgram &p, const std::string &P);

//===----------------------------------------------------------------------===//
// A unit's tensors (ProgramTensors.cpp)
//===----------------------------------------------------------------------===//

/// The weights and variables, sorted by name, that a unit of layer `l` of
/// `model` (whose output has `filters` channels) holds for filters
/// [first, first + count): per-filter variables cut to those filters (none
/// for a merge unit, which holds them whole), weights packed at the layer's
/// weights_bits. Throws ProgramError ("cannot emit program: ...").
std::vector<ProgramTensor> unitTensors(const ModelDesc &model, int l,
                                       int64_t filters, int64_t first,
                                       int64_t count, bool merge);

} // namespace akida::program::detail

#endif // AKIDA_COMPILER_PROGRAM_PROGRAMINTERNAL_H
