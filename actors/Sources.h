//===- Sources.h - Where the frames of a stream come from ---------*- C++ -*-===//
//
// A source hands out samples, one frame at a time, until it is exhausted:
// a .npy file (each of its N samples a frame), an image file (PNG, PGM, PPM)
// or a directory of such files (in name order), a generator called with the
// frame index, a user callback standing for a live sensor, or an array in
// memory. The source actor asks
// for the next frame only when it holds a credit (back-pressure), unless the
// first stage drops the oldest frames, in which case it runs free.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_SOURCES_H
#define AKIDA_ACTORS_SOURCES_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Reference.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace akida::actors {

class FrameSource {
public:
  virtual ~FrameSource() = default;
  /// The next frame (leading dimension: its samples), or nullopt at the
  /// end. Throws with a one-line message on unreadable input.
  virtual std::optional<Array> next() = 0;
  /// What it reads, for messages ("inputs.npy", "generator").
  virtual std::string describe() const = 0;
  /// For a stream that learns (Model::fit): the labels of the frame next()
  /// last returned, one per sample (a negative one does not train; empty:
  /// unsupervised).
  /// nullopt (the default): the frames are run, not learned from.
  virtual std::optional<std::vector<int64_t>> labels() const {
    return std::nullopt;
  }
};

/// The samples of a .npy file of shape (N, rows, cols, channels), one per
/// frame, or an image (PNG, PGM, PPM: runtime/io/Image.h) as one frame; or
/// of every such file of a directory, in name order (a .npy file (N, r, c,
/// ch) or one sample (r, c, ch); an image file one sample). The file list is
/// read now (std::invalid_argument for a missing path or a directory
/// without any); the files as frames are asked for.
std::unique_ptr<FrameSource> fileSource(const std::string &path);

/// `generate(index)` for index 0, 1, ... until it returns nullopt.
std::unique_ptr<FrameSource>
generatorSource(std::function<std::optional<Array>(uint64_t)> generate,
                std::string name = "generator");

/// A live sensor: `read()` blocks until the sensor has a frame, nullopt
/// when it stops.
std::unique_ptr<FrameSource>
callbackSource(std::function<std::optional<Array>()> read,
               std::string name = "sensor");

/// `inputs` in frames of `samplesPerFrame` samples (0: all in one frame).
std::unique_ptr<FrameSource> arraySource(Array inputs,
                                         int64_t samplesPerFrame = 1);
/// The same without a copy: the source reads `inputs` where they are (a
/// caller that outlives the stream may lend them with a no-op deleter).
std::unique_ptr<FrameSource> arraySource(std::shared_ptr<const Array> inputs,
                                         int64_t samplesPerFrame = 1);
/// Frames to learn from (fit), one sample each, with `labels` (one per
/// sample, or empty: unsupervised); std::invalid_argument when the counts
/// differ.
std::unique_ptr<FrameSource>
learningSource(std::shared_ptr<const Array> inputs,
               std::vector<int64_t> labels);

/// Checks that `frame` is model input of `type` (its dtype and per-sample
/// shape); std::invalid_argument with `what` naming the frame otherwise.
void checkInputFrame(const Array &frame, const ActType &type,
                     const std::string &what);

} // namespace akida::actors

#endif // AKIDA_ACTORS_SOURCES_H
