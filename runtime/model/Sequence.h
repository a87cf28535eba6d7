//===- Sequence.h - A sequence of a mapped model ------------------*- C++ -*-===//
//
// What a mapping hands to the execution side (DESIGN.md: the program
// bundle): consecutive layers on one backend, a hardware sequence with its
// passes and program. Types only, so the actor pipeline (actors/, which
// Model runs mapped models through) reads them without linking the Model.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_MODEL_SEQUENCE_H
#define AKIDA_RUNTIME_MODEL_SEQUENCE_H

#include <cstdint>
#include <string>
#include <vector>

namespace akida {

/// A sequence of a mapped model (akida.Sequence): consecutive layers on one
/// backend; a hardware sequence has passes and a program.
struct Sequence {
  std::string name; ///< "HW/<first>-<last>" or "SW/<first>-<last>"
  bool hardware = false;
  std::vector<int> layers;
  std::vector<std::vector<int>> passes; ///< layer indices per pass
  std::vector<uint8_t> program;         ///< hardware sequences only
};

} // namespace akida

#endif // AKIDA_RUNTIME_MODEL_SEQUENCE_H
