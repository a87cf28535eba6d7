//===- Reference.h - Reference kernels: the definition of the maths -*- C++ -*-===//
//
// One reference kernel per Akida layer, written for clarity. Together with
// Arithmetic.h they are the project's definition of what each layer computes;
// fast kernels and the device simulator are tested bit-for-bit against them.
// Semantics: docs/runtime/semantics.md.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_REFERENCE_H
#define AKIDA_RUNTIME_REFERENCE_REFERENCE_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Shapes.h"

namespace akida::ref {

/// The activations on one edge for a batch: NHWC, values widened to int64
/// (or float32 after a Dequantizer), with the element type they carry.
struct Activations {
  ActType type;      ///< per-sample shape and element type
  int64_t batch = 0; ///< number of samples
  std::vector<int64_t> ints;  ///< batch*rows*cols*channels values when !type.isFloat
  std::vector<float> floats;  ///< the same when type.isFloat

  int64_t sampleSize() const {
    return type.shape[0] * type.shape[1] * type.shape[2];
  }
  int64_t index(int64_t n, int64_t y, int64_t x, int64_t c) const {
    return ((n * type.shape[0] + y) * type.shape[1] + x) * type.shape[2] + c;
  }
  /// Sample `n` alone, as a batch of one (integer activations).
  Activations sample(int64_t n) const {
    Activations one;
    one.type = type;
    one.batch = 1;
    one.ints.assign(ints.begin() + n * sampleSize(),
                    ints.begin() + (n + 1) * sampleSize());
    return one;
  }
};

/// State of a temporal layer (BufferTempConv, DepthwiseBufferTempConv): the
/// last fifo_size input frames of every pixel, oldest first. It persists
/// across calls until reset().
struct TemporalState {
  std::vector<int64_t> frames; ///< fifo_size * rows * cols * channels
  void reset() { frames.clear(); }
};

/// Runs `layer` on a batch. `inputs` holds one entry per inbound layer; an
/// input layer receives the model input (type from modelInputType). Temporal
/// layers need `state`, and consume the batch as successive frames. Throws
/// std::invalid_argument naming the layer on a bad layer or input.
Activations runLayer(const LayerDesc &layer,
                     const std::vector<const Activations *> &inputs,
                     TemporalState *state = nullptr);

} // namespace akida::ref

#endif // AKIDA_RUNTIME_REFERENCE_REFERENCE_H
