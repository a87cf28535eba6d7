//===- Zoo.h - The model zoo (the akida_models counterpart) -------*- C++ -*-===//
#ifndef AKIDA_RUNTIME_ZOO_ZOO_H
#define AKIDA_RUNTIME_ZOO_ZOO_H

#include "runtime/model/Model.h"

#include <functional>

namespace akida {

struct ZooEntry {
  std::string name;
  std::string description;
  std::function<Model(uint32_t seed)> build;
};

/// Every zoo model, in listing order.
const std::vector<ZooEntry> &zooModels();

/// Builds zoo model `name` with seeded-random weights; throws
/// std::invalid_argument listing the names for an unknown one.
Model buildZooModel(const std::string &name, uint32_t seed = 0);

} // namespace akida

#endif // AKIDA_RUNTIME_ZOO_ZOO_H
