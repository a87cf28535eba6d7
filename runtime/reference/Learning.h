//===- Learning.h - Akida 1.0 edge learning (AkidaUnsupervised) ---*- C++ -*-===//
//
// The learning rule of Model::compile / fit / add_classes
// (docs/runtime/learning.md): the last layer, a FullyConnected with 1-bit
// weights reading 1-bit inputs, keeps `num_weights` binary connections per
// neuron. For each sample the winning neuron (highest potential within the
// label's group of neurons, or among all without a label) moves some of its
// connections from inputs that did not spike to inputs that spiked but were
// not connected; its plasticity sets how many and decays after each step.
// The state lives in the layer itself (params num_weights, num_classes;
// variables threshold_learning, plasticity, learning_parameters), so a
// saved model resumes learning where it stopped.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_LEARNING_H
#define AKIDA_RUNTIME_REFERENCE_LEARNING_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Reference.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace akida {

/// akida.AkidaUnsupervised: the edge-learning optimizer.
struct AkidaUnsupervised {
  /// Connections (non-zero binary weights) each neuron keeps; required.
  int64_t num_weights = 0;
  /// > 1: labelled mode, the neurons split into this many equal groups.
  int64_t num_classes = 1;
  float initial_plasticity = 1.0f;   ///< in [0, 1]; 0: no learning
  float learning_competition = 0.0f; ///< in [0, 1]
  float min_plasticity = 0.1f;       ///< in [0, 1], the floor of the decay
  float plasticity_decay = 0.25f;    ///< in [0, 1], per step, x initial
};

namespace learning {

/// Checks that `layer` (the model's last layer, reading `in`) can learn with
/// `optimizer` and gives it a fresh learning state: `num_weights` random
/// connections per neuron (seeded by `seed`), no learned threshold, the
/// initial plasticity. std::invalid_argument naming what is not allowed.
void compile(LayerDesc &layer, const ActType &in,
             const AkidaUnsupervised &optimizer, uint32_t seed);

/// The optimizer of a compiled layer, or nullopt before compile.
std::optional<AkidaUnsupervised> optimizerOf(const LayerDesc &layer);

/// The layer's input features for sample `s` of `in`, in the order of its
/// weights' rows (FullyConnected's channel-major flatten).
std::vector<int64_t> features(const ref::Activations &in, int64_t s);

/// One learning step on one sample's features. `label` < 0: unsupervised;
/// a label outside [0, num_classes) in labelled mode learns nothing.
/// Returns the neuron that learned, or -1.
int64_t learn(LayerDesc &layer, const std::vector<int64_t> &features,
              int64_t label);

/// What a device keeps of a learning layer as it learns (the SDK's
/// learn_mem): the binary weights, the learned thresholds and the
/// plasticities. The rest of the state (num_weights, num_classes,
/// learning_parameters) does not change while learning.
struct LearnMem {
  Array weights;            ///< int8 (1, 1, rows, units), 0 or 1
  Array threshold_learning; ///< int32 (units)
  Array plasticity;         ///< float32 (units)
  bool operator==(const LearnMem &o) const {
    return weights == o.weights &&
           threshold_learning == o.threshold_learning &&
           plasticity == o.plasticity;
  }
};

/// The learn_mem of a compiled layer.
LearnMem learnMemOf(const LayerDesc &layer);
/// Writes `mem` into a compiled layer; std::invalid_argument naming the
/// layer and the variable when a shape or dtype differs from the layer's.
void setLearnMem(LayerDesc &layer, const LearnMem &mem);

/// Grows a compiled layer by `count` classes of neurons (as many per class
/// as it has): existing neurons are kept, new ones start fresh (seeded by
/// `seed`).
void addClasses(LayerDesc &layer, int64_t count, uint32_t seed);

} // namespace learning

} // namespace akida

#endif // AKIDA_RUNTIME_REFERENCE_LEARNING_H
