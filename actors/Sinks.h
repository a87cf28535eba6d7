//===- Sinks.h - Where the outputs of a stream go -----------------*- C++ -*-===//
//
// A sink receives each frame's output in sequence order, as forward would
// return it (uint8/int8 activations, int32 potentials, float32 after a
// Dequantizer), with the frame's sequence number and source timestamp: a
// user callback, a .npy file written at the end of the stream (the outputs
// of every frame along the first axis), or a vector in memory.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SINKS_H
#define AKIDA_ACTORS_SINKS_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Reference.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace akida::actors {

struct Output {
  uint64_t seq = 0;
  int64_t timestampNs = 0;
  Array value;
};

class FrameSink {
public:
  virtual ~FrameSink() = default;
  virtual void consume(Output output) = 0;
  /// The end of the stream (not called after a failure).
  virtual void finish() {}
};

std::unique_ptr<FrameSink> callbackSink(std::function<void(Output)> consume);
/// Writes every output to `path` at the end (one .npy, frames along the
/// first axis).
std::unique_ptr<FrameSink> npyFileSink(const std::string &path);
/// Appends to `outputs` (which must outlive the stream).
std::unique_ptr<FrameSink> vectorSink(std::vector<Output> &outputs);

/// The Array Model::forward returns for `batch` samples of the output type
/// `type`: float32 after a Dequantizer, (u)int8 up to 8 bits, int32 wider
/// (unsigned values beyond int32 saturate). Model's one conversion too.
Array outputArray(const ActType &type, int64_t batch,
                  std::vector<int64_t> ints, const std::vector<float> &floats);
/// The same for activations.
Array outputArray(const ref::Activations &acts);

/// Outputs concatenated along the first axis (an empty array for none).
Array concatOutputs(const std::vector<Output> &outputs);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SINKS_H
