//===- Sources.cpp - Where the frames of a stream come from ---------------===//

#include "actors/Sources.h"

#include "actors/SpikeBatch.h"
#include "runtime/io/Image.h"
#include "runtime/io/Npy.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace akida::actors {

namespace {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + ")";
}

int64_t dtypeBytes(DType t) {
  switch (t) {
  case DType::UInt8:
  case DType::Int8:
    return 1;
  case DType::UInt16:
  case DType::Int16:
    return 2;
  default:
    return 4;
  }
}

/// Samples [begin, begin + count) of an array with a leading batch axis.
/// Samples [begin, begin + count) of `a`, read as `shape`.
Array samples(const Array &a, const std::vector<int64_t> &shape, int64_t begin,
              int64_t count) {
  Array out;
  out.dtype = a.dtype;
  out.shape = shape;
  out.shape[0] = count;
  int64_t per = dtypeBytes(a.dtype);
  for (size_t i = 1; i < shape.size(); ++i)
    per *= shape[i];
  out.bytes.assign(a.bytes.begin() + begin * per,
                   a.bytes.begin() + (begin + count) * per);
  return out;
}

class ArraySource final : public FrameSource {
public:
  ArraySource(std::shared_ptr<const Array> a, int64_t per, std::string name)
      : a_(std::move(a)), shape_(a_->shape), name_(std::move(name)) {
    if (shape_.size() == 3)
      shape_.insert(shape_.begin(), 1);
    total_ = shape_.empty() ? 0 : shape_[0];
    per_ = per > 0 ? per : std::max<int64_t>(total_, 1);
  }
  std::optional<Array> next() override {
    if (shape_.size() != 4)
      throw std::invalid_argument(name_ + ": shape " + shapeText(shape_) +
                                  " (expected (N, rows, cols, channels))");
    if (pos_ >= total_)
      return std::nullopt;
    const int64_t n = std::min(per_, total_ - pos_);
    Array out = samples(*a_, shape_, pos_, n);
    pos_ += n;
    return out;
  }
  std::string describe() const override { return name_; }
  /// Makes the frames learning frames with `labels` (one per sample, or
  /// none).
  void learnWith(std::vector<int64_t> labels) {
    if (!labels.empty() && static_cast<int64_t>(labels.size()) != total_)
      throw std::invalid_argument(
          name_ + ": " + std::to_string(labels.size()) + " labels for " +
          std::to_string(total_) + " samples; give one per sample, or none");
    labels_ = std::move(labels);
    learn_ = true;
  }
  std::optional<std::vector<int64_t>> labels() const override {
    if (!learn_)
      return std::nullopt;
    if (labels_.empty())
      return std::vector<int64_t>{};
    // The samples next() returned last: [pos_ - n, pos_).
    const int64_t n = std::min(per_, pos_);
    return std::vector<int64_t>(labels_.begin() + (pos_ - n),
                                labels_.begin() + pos_);
  }

private:
  std::shared_ptr<const Array> a_;
  std::vector<int64_t> shape_; ///< a_'s, rank 4
  std::string name_;
  int64_t total_ = 0, per_ = 1, pos_ = 0;
  bool learn_ = false;
  std::vector<int64_t> labels_;
};

class FileSource final : public FrameSource {
public:
  explicit FileSource(const std::string &path) : path_(path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
      for (const auto &e : fs::directory_iterator(path))
        if (e.is_regular_file() && (e.path().extension() == ".npy" ||
                                    isImagePath(e.path().string())))
          files_.push_back(e.path().string());
      std::sort(files_.begin(), files_.end());
      if (files_.empty())
        throw std::invalid_argument(
            path + ": no .npy or image (.png, .pgm, .ppm) files in the "
                   "directory");
    } else if (fs::exists(path)) {
      files_.push_back(path);
    } else {
      throw std::invalid_argument(path + ": no such file or directory");
    }
  }
  std::optional<Array> next() override {
    while (!current_ || !(frame_ = current_->next())) {
      if (file_ >= files_.size())
        return std::nullopt;
      const std::string &f = files_[file_];
      current_ = std::make_unique<ArraySource>(
          std::make_shared<const Array>(isImagePath(f) ? readImage(f)
                                                       : readNpy(f)),
          1, f);
      ++file_;
    }
    return frame_;
  }
  std::string describe() const override { return path_; }

private:
  std::string path_;
  std::vector<std::string> files_;
  size_t file_ = 0;
  std::unique_ptr<ArraySource> current_;
  std::optional<Array> frame_;
};

class GeneratorSource final : public FrameSource {
public:
  GeneratorSource(std::function<std::optional<Array>(uint64_t)> g,
                  std::string name)
      : g_(std::move(g)), name_(std::move(name)) {}
  std::optional<Array> next() override {
    std::optional<Array> a = g_(index_++);
    if (a && a->shape.size() == 3)
      a->shape.insert(a->shape.begin(), 1);
    return a;
  }
  std::string describe() const override { return name_; }

private:
  std::function<std::optional<Array>(uint64_t)> g_;
  std::string name_;
  uint64_t index_ = 0;
};

} // namespace

std::unique_ptr<FrameSource> fileSource(const std::string &path) {
  return std::make_unique<FileSource>(path);
}

std::unique_ptr<FrameSource>
generatorSource(std::function<std::optional<Array>(uint64_t)> generate,
                std::string name) {
  return std::make_unique<GeneratorSource>(std::move(generate),
                                           std::move(name));
}

std::unique_ptr<FrameSource>
callbackSource(std::function<std::optional<Array>()> read, std::string name) {
  return generatorSource(
      [read = std::move(read)](uint64_t) { return read(); }, std::move(name));
}

std::unique_ptr<FrameSource> arraySource(Array inputs,
                                         int64_t samplesPerFrame) {
  return arraySource(std::make_shared<const Array>(std::move(inputs)),
                     samplesPerFrame);
}

std::unique_ptr<FrameSource>
learningSource(std::shared_ptr<const Array> inputs,
               std::vector<int64_t> labels) {
  auto s = std::make_unique<ArraySource>(std::move(inputs), 1, "inputs");
  s->learnWith(std::move(labels));
  return s;
}

std::unique_ptr<FrameSource> arraySource(std::shared_ptr<const Array> inputs,
                                         int64_t samplesPerFrame) {
  return std::make_unique<ArraySource>(std::move(inputs), samplesPerFrame,
                                       "inputs");
}

void checkInputFrame(const Array &frame, const ActType &type,
                     const std::string &what) {
  const DType want = type.isSigned ? DType::Int8 : DType::UInt8;
  if (frame.dtype != want)
    throw std::invalid_argument(
        what + ": dtype " + dtypeName(frame.dtype) + " but the model takes " +
        dtypeName(want));
  if (frame.shape.size() != 4 || frame.shape[1] != type.shape[0] ||
      frame.shape[2] != type.shape[1] || frame.shape[3] != type.shape[2])
    throw std::invalid_argument(
        what + ": shape " + shapeText(frame.shape) +
        " but the model takes (N," + std::to_string(type.shape[0]) + "," +
        std::to_string(type.shape[1]) + "," + std::to_string(type.shape[2]) +
        ")");
}

} // namespace akida::actors
