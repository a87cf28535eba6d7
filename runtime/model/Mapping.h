//===- Mapping.h - What Model::map decided ------------------------*- C++ -*-===//
#ifndef AKIDA_RUNTIME_MODEL_MAPPING_H
#define AKIDA_RUNTIME_MODEL_MAPPING_H

#include "compiler/mapping/Allocator.h"

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

/// The result of Model::map.
struct ModelMapping {
  std::string device;
  MapMode mode = MapMode::AllNps;
  bool hwOnly = false;
  std::vector<Sequence> sequences;
  /// NPs of each hardware layer (empty for the HRC and InputData).
  std::map<int, std::vector<NpMapping>> nps;
  int64_t npCount() const;
};

/// Maps `model` on `device` by running the akida-map pipeline on its MLIR
/// form. Throws std::invalid_argument with the pipeline's first error
/// (e.g. why hw_only failed).
ModelMapping mapModel(const ModelDesc &model, const Device &device,
                      MapMode mode, bool hwOnly);

} // namespace akida

#endif // AKIDA_RUNTIME_MODEL_MAPPING_H
