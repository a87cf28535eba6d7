//===- Sinks.cpp - Where the outputs of a stream go -----------------------===//

#include "actors/Sinks.h"

#include "runtime/io/Npy.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <stdexcept>

namespace akida::actors {

Array outputArray(const ActType &type, int64_t batch,
                  std::vector<int64_t> ints, const std::vector<float> &floats) {
  std::vector<int64_t> shape = {batch, type.shape[0], type.shape[1],
                                type.shape[2]};
  if (type.isFloat)
    return Array::fromFloats(shape, floats);
  if (type.bits <= 8)
    return Array::fromInts(type.isSigned ? DType::Int8 : DType::UInt8, shape,
                           ints);
  for (int64_t &v : ints) // wider unsigned outputs saturate into int32
    v = std::min<int64_t>(v, INT32_MAX);
  return Array::fromInts(DType::Int32, shape, ints);
}

Array outputArray(const ref::Activations &acts) {
  return outputArray(acts.type, acts.batch, acts.ints, acts.floats);
}

Array concatOutputs(const std::vector<Output> &outputs) {
  Array all;
  if (outputs.empty())
    return all;
  all = outputs.front().value;
  for (size_t i = 1; i < outputs.size(); ++i) {
    const Array &a = outputs[i].value;
    if (a.dtype != all.dtype ||
        !std::equal(a.shape.begin() + 1, a.shape.end(), all.shape.begin() + 1,
                    all.shape.end()))
      throw std::invalid_argument("outputs: frame " +
                                  std::to_string(outputs[i].seq) +
                                  " differs in dtype or shape from the first");
    all.shape[0] += a.shape[0];
    all.bytes.insert(all.bytes.end(), a.bytes.begin(), a.bytes.end());
  }
  return all;
}

namespace {

class CallbackSink final : public FrameSink {
public:
  explicit CallbackSink(std::function<void(Output)> f) : f_(std::move(f)) {}
  void consume(Output o) override { f_(std::move(o)); }

private:
  std::function<void(Output)> f_;
};

class VectorSink final : public FrameSink {
public:
  explicit VectorSink(std::vector<Output> &v) : v_(v) {}
  void consume(Output o) override { v_.push_back(std::move(o)); }

private:
  std::vector<Output> &v_;
};

class NpyFileSink final : public FrameSink {
public:
  explicit NpyFileSink(std::string path) : path_(std::move(path)) {}
  void consume(Output o) override { outputs_.push_back(std::move(o)); }
  void finish() override { writeNpy(path_, concatOutputs(outputs_)); }

private:
  std::string path_;
  std::vector<Output> outputs_;
};

} // namespace

std::unique_ptr<FrameSink> callbackSink(std::function<void(Output)> consume) {
  return std::make_unique<CallbackSink>(std::move(consume));
}
std::unique_ptr<FrameSink> npyFileSink(const std::string &path) {
  return std::make_unique<NpyFileSink>(path);
}
std::unique_ptr<FrameSink> vectorSink(std::vector<Output> &outputs) {
  return std::make_unique<VectorSink>(outputs);
}

} // namespace akida::actors
