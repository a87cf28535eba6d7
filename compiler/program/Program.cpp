//===- Program.cpp - Akida device programs --------------------------------===//
//
// Layout, packing, versioning and validation rules: docs/program-format.md.
//
// Three steps, one file each:
//   - buildProgram (ProgramBuild.cpp) turns a SequencePlan into a
//     DecodedProgram: one record per unit (HRC, NP, skip-DMA channel) with
//     the unit's slice of the layer's weights and variables
//     (ProgramTensors.cpp, weights packed by Packing.cpp), and the DMA
//     descriptors between units;
//   - writeProgram (ProgramWrite.cpp) serializes it (two size-prefixed
//     FlatBuffers, one nested PassData buffer per pass, CRC-32 checksums);
//   - readProgram (ProgramRead.cpp) checks sizes, checksums and versions,
//     runs the FlatBuffers Verifier on every buffer before reading a field,
//     converts, and applies the same content rules as the writer
//     (validateProgram, ProgramRules.cpp).
//
// This file: the names of the program's enums, the record accessors and
// emitProgram, which chains the first two steps.
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"

namespace akida {

const char *dataFormatName(DataFormat format) {
  switch (format) {
  case DataFormat::Events:
    return "events";
  case DataFormat::Dense:
    return "dense";
  }
  return "unknown";
}

const char *endpointKindName(EndpointKind kind) {
  switch (kind) {
  case EndpointKind::Np:
    return "NP";
  case EndpointKind::Hrc:
    return "HRC";
  case EndpointKind::EventDma:
    return "event DMA";
  case EndpointKind::SkipDma:
    return "skip DMA";
  }
  return "unknown";
}

const ProgramTensor *UnitRecord::tensor(const std::string &name) const {
  for (const ProgramTensor &t : tensors)
    if (t.name == name)
      return &t;
  return nullptr;
}

std::vector<uint8_t> emitProgram(const ModelDesc &model,
                                 const std::vector<ActType> &outputTypes,
                                 const SequencePlan &sequence,
                                 const Device &device) {
  return writeProgram(buildProgram(model, outputTypes, sequence, device));
}

} // namespace akida
