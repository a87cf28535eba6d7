//===- ProgramInternal.cpp - Helpers shared by the program library --------===//
//
// Message helpers and checksums used by buildProgram, writeProgram and
// readProgram (declared in ProgramInternal.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/program/ProgramInternal.h"


namespace akida::program::detail {

[[noreturn]] void fail(const std::string &prefix, const std::string &what) {
  throw ProgramError(prefix + what);
}

std::string identStr(const NpIdent &i) {
  return "(" + str(i.col) + ", " + str(i.row) + ", " + str(i.id) + ")";
}

const char *npTypeStr(NpType t) {
  switch (t) {
  case NpType::HRC:
    return "HRC";
  case NpType::CNP1:
    return "CNP1";
  case NpType::CNP2:
    return "CNP2";
  case NpType::FNP2:
    return "FNP2";
  case NpType::FNP3:
    return "FNP3";
  case NpType::TNP_B:
    return "TNP_B";
  case NpType::SKIP_DMA_STORE:
    return "SKIP_DMA_STORE";
  case NpType::SKIP_DMA_LOAD:
    return "SKIP_DMA_LOAD";
  }
  return "unknown";
}

std::string layerRef(const ModelDesc &m, int i) {
  const LayerDesc &l = m.layers[static_cast<size_t>(i)];
  return "layer " + str(i) + " " + quoted(l.name) + " (" +
         layerTypeName(l.type) + ")";
}

} // namespace akida::program::detail
