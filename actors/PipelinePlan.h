//===- PipelinePlan.h - A mapped model as a chain of actors ------*- C++ -*-===//
//
// How a model's sequences become a chain of actors: one stage per sequence,
// in order. For each stage, the layer activations it reads from the frame
// that arrives (kModelInputEdge for the model input) and the ones its frame
// carries on: everything a later stage still reads. The last stage carries
// only the model output, relabelled kModelInputEdge (the input of whatever
// follows: another model, or the sink).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_PIPELINEPLAN_H
#define AKIDA_ACTORS_PIPELINEPLAN_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/model/Sequence.h"

#include <string>
#include <vector>

namespace akida::actors {

struct StagePlan {
  std::string name;        ///< the sequence name ("HW/0-5", "SW/6-7")
  bool hardware = false;
  size_t sequence = 0;     ///< index in the sequences
  std::vector<int> layers; ///< layers it computes, in order
  std::vector<int> reads;  ///< layers read from the incoming frame
  std::vector<int> carries; ///< layers the outgoing frame carries on
  bool last = false;       ///< carries the model output as kModelInputEdge
};

struct PipelinePlan {
  std::vector<StagePlan> stages;
  int outputLayer = -1;
};

/// The plan for `model` run as `sequences` (ModelMapping::sequences, or
/// Model::sequences() for an unmapped model). Throws std::invalid_argument
/// when a sequence reads a layer no earlier sequence computes, or the last
/// layer is computed by none.
PipelinePlan planPipeline(const ModelDesc &model,
                          const std::vector<Sequence> &sequences);

/// The layer a hardware sequence's program reads, as the direct path
/// (Model::forward) picks it: the model input (kModelInputEdge) when its
/// first layer is, or reads, the input layer; else its first layer's first
/// inbound.
int hardwareInputLayer(const ModelDesc &model, const Sequence &sequence);

} // namespace akida::actors

#endif // AKIDA_ACTORS_PIPELINEPLAN_H
