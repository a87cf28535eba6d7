//===- Mapping.h - What Model::map decided ------------------------*- C++ -*-===//
#ifndef AKIDA_RUNTIME_MODEL_MAPPING_H
#define AKIDA_RUNTIME_MODEL_MAPPING_H

#include "compiler/mapping/Allocator.h"
#include "runtime/model/Sequence.h"

namespace akida {

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
