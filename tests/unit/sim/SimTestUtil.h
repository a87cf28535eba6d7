//===- SimTestUtil.h - Mapping zoo models for the simulator tests -*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_SIM_SIMTESTUTIL_H
#define AKIDA_TESTS_UNIT_SIM_SIMTESTUTIL_H

#include "compiler/mapping/Allocator.h"
#include "compiler/program/Program.h"
#include "device/sim/SequenceRunner.h"
#include "runtime/model/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace akida::simtest {

/// A model mapped on a device by planMapping and emitted by emitProgram, as
/// Model::map does, without the MLIR pipeline.
struct Mapped {
  MappingPlan plan;
  /// One program per hardware sequence, in order.
  std::vector<std::vector<uint8_t>> programs;
  /// Number of passes of each hardware sequence.
  std::vector<size_t> passes;
  /// Index of the last layer the hardware sequences compute.
  int lastHardwareLayer = -1;
};

/// Constraint check (checkLayer) as akida-check-constraints does, then
/// planMapping and emitProgram for every hardware sequence.
Mapped mapModel(const Model &model, const Device &device, MapMode mode);

/// The zoo model `name` (seed 0) and its AllNps mapping on AKD1000, built
/// once per process (AkidaNet 0.5/224 takes seconds to map).
struct ZooMapping {
  Model model;
  Mapped mapped;
};
const ZooMapping &akd1000AllNps(const std::string &name);

/// `model` without its layers after `last` (the software tail).
Model truncated(const Model &model, int last);

/// `n` random input samples of the model's input shape and element type;
/// each value is non-zero with probability `density`.
Array randomInputs(const Model &model, int n, uint32_t seed,
                   double density = 1.0);

/// The array as activations of `type` (batch = first dim).
ref::Activations toActivations(const Array &a, const ActType &type);

/// The reference output (Model::forward) as int64 values.
std::vector<int64_t> referenceOutput(Model &model, const Array &inputs);

/// Every layer's reference activations for `inputs` (ref::runLayer layer by
/// layer, as Model::forward computes them).
std::vector<ref::Activations> referenceActivations(const Model &model,
                                                   const Array &inputs);

/// Runs every program of `mapped` alone on a fresh `device`, each on the
/// reference activations of the layer it reads, and returns for each the
/// number of values that differ from the reference output of its output
/// layer (-1 when the sizes differ). `clk` (if set) receives the inference
/// clocks of each program.
std::vector<int64_t> programMismatches(const Mapped &mapped,
                                       const Device &device,
                                       const std::vector<ref::Activations> &acts,
                                       const ref::Activations &modelInput,
                                       std::vector<int64_t> *clk = nullptr);

} // namespace akida::simtest

#endif // AKIDA_TESTS_UNIT_SIM_SIMTESTUTIL_H
