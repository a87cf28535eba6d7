//===- ElementwiseOps.cpp - The layers without weights --------------------===//
//
// InputData (range check and copy of the model input), Add, Concatenate,
// Dequantizer and ExtractToken, in plain loops: they touch each value once.
// Add computes with the exact helpers of the reference (Arithmetic.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/LayerOp.h"
#include "runtime/reference/Arithmetic.h"

#include <algorithm>
#include <cstring>

namespace akida::cpu {

void initOp(LayerOp &op, const OpContext &ctx) {
  op.layer = ctx.index;
  op.inputs = ctx.inputs;
  op.inTypes = ctx.inTypes;
  op.outType = ctx.outType;
}

void unsupported(const LayerDesc &layer, const std::string &what) {
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + "): " + what);
}

namespace {

int64_t elems(const ActType &t) { return t.shape[0] * t.shape[1] * t.shape[2]; }

class InputDataOp final : public LayerOp {
public:
  explicit InputDataOp(const OpContext &ctx) : desc_(ctx.layer) {
    initOp(*this, ctx);
    const ActType &in = ctx.inTypes[0];
    if (in.isFloat || in.bits > 8)
      unsupported(ctx.layer, "a model input wider than 8 bits");
    lo_ = ref::intMin(outType.bits, outType.isSigned);
    hi_ = ref::intMax(outType.bits, outType.isSigned);
    kind_ = elemKind(outType);
  }
  void run(const Frame &frame) const override {
    const uint8_t *x = in(frame);
    uint8_t *o = out(frame);
    const int64_t n = elems(outType);
    const bool isSigned = inTypes[0].isSigned;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t v = isSigned ? int64_t(static_cast<int8_t>(x[i])) : x[i];
      if (v < lo_ || v > hi_)
        fail(v, frame.index * n + i);
      storeInt(o, kind_, i, v);
    }
  }
  void checkInput(const uint8_t *input, int64_t frames,
                  int64_t frameBytes) const override {
    const bool isSigned = inTypes[0].isSigned;
    for (int64_t i = 0; i < frames * frameBytes; ++i) {
      const int64_t v =
          isSigned ? int64_t(static_cast<int8_t>(input[i])) : input[i];
      if (v < lo_ || v > hi_)
        fail(v, i);
    }
  }
  std::string kernelName() const override { return "input copy"; }

private:
  [[noreturn]] void fail(int64_t v, int64_t index) const {
    unsupported(desc_, "input value " + std::to_string(v) + " at flat index " +
                           std::to_string(index) + " is outside the range [" +
                           std::to_string(lo_) + ", " + std::to_string(hi_) +
                           "] of " +
                           (outType.isSigned ? "signed" : "unsigned") + " " +
                           std::to_string(outType.bits) +
                           "-bit input (input_bits = " +
                           std::to_string(outType.bits) + ", input_signed = " +
                           (outType.isSigned ? "1" : "0") + ")");
  }
  LayerDesc desc_;
  int64_t lo_ = 0, hi_ = 0;
  ElemKind kind_;
};

/// Per-channel values of an optional variable, as the reference reads them.
std::vector<int64_t> perChannel(const LayerDesc &layer, const char *name,
                                int64_t count) {
  auto it = layer.variables.find(name);
  if (it == layer.variables.end())
    return std::vector<int64_t>(count, 0);
  std::vector<int64_t> v = it->second.array.ints();
  if (static_cast<int64_t>(v.size()) == count)
    return v;
  if (v.size() == 1)
    return std::vector<int64_t>(count, v[0]);
  unsupported(layer, std::string("variable '") + name + "' of odd size");
}

int bitsParam(const LayerDesc &layer, const char *name) {
  const int64_t b = param(layer, name);
  if (b < 1 || b > 32)
    unsupported(layer, std::string("'") + name + "' outside 1..32");
  return static_cast<int>(b);
}

class AddOp final : public LayerOp {
public:
  explicit AddOp(const OpContext &ctx) {
    initOp(*this, ctx);
    const LayerDesc &layer = ctx.layer;
    for (const ActType &t : inTypes)
      if (t.isFloat)
        unsupported(layer, "float inputs");
    bufferBits_ = bitsParam(layer, "buffer_bits");
    postBits_ = bitsParam(layer, "post_op_buffer_bits");
    activation_ = param(layer, "activation");
    if (activation_ != 0 && activation_ != 1)
      unsupported(layer, "an activation other than 0 or 1");
    const int64_t c = inTypes[0].shape[2];
    aShift_ = perChannel(layer, "a_shift", c);
    bShift_ = perChannel(layer, "b_shift", c);
    outShift_ = perChannel(layer, "output_shift", c);
  }
  void run(const Frame &frame) const override {
    const uint8_t *a = in(frame, 0), *b = in(frame, 1);
    const ElemKind ka = elemKind(inTypes[0]), kb = elemKind(inTypes[1]),
                   ko = elemKind(outType);
    uint8_t *o = out(frame);
    const int64_t n = elems(outType), c = outType.shape[2];
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ch = i % c;
      int64_t s = ref::saturate(
          ref::addRoundShifted(loadInt(a, ka, i), aShift_[ch],
                               loadInt(b, kb, i), bShift_[ch]),
          bufferBits_, true);
      if (activation_)
        s = std::max<int64_t>(s, 0);
      const int64_t v = ref::saturate(s, postBits_, true);
      storeInt(o, ko, i,
               ref::saturate(ref::roundShift(v, outShift_[ch]), outType.bits,
                             outType.isSigned));
    }
  }
  std::string kernelName() const override { return "add exact"; }

private:
  int bufferBits_ = 32, postBits_ = 32;
  int64_t activation_ = 0;
  std::vector<int64_t> aShift_, bShift_, outShift_;
};

class ConcatenateOp final : public LayerOp {
public:
  explicit ConcatenateOp(const OpContext &ctx) {
    initOp(*this, ctx);
    for (const ActType &t : inTypes)
      if (elemKind(t) != elemKind(outType))
        unsupported(ctx.layer, "inputs of different element types");
  }
  void run(const Frame &frame) const override {
    const int64_t es = elemSize(elemKind(outType));
    const int64_t positions = outType.shape[0] * outType.shape[1];
    const int64_t total = outType.shape[2] * es;
    uint8_t *o = out(frame);
    int64_t offset = 0;
    for (size_t k = 0; k < inputs.size(); ++k) {
      const uint8_t *x = in(frame, k);
      const int64_t c = inTypes[k].shape[2] * es;
      for (int64_t p = 0; p < positions; ++p)
        std::memcpy(o + p * total + offset, x + p * c, c);
      offset += c;
    }
  }
  std::string kernelName() const override { return "concatenate copy"; }
};

class DequantizerOp final : public LayerOp {
public:
  explicit DequantizerOp(const OpContext &ctx) {
    initOp(*this, ctx);
    if (inTypes[0].isFloat)
      unsupported(ctx.layer, "float inputs");
    scales_ = ctx.layer.variables.at("scales").array.floats();
    if (static_cast<int64_t>(scales_.size()) != inTypes[0].shape[2])
      unsupported(ctx.layer, "scales of an unexpected size");
    zeros_.assign(scales_.size(), 0);
    if (auto it = ctx.layer.variables.find("zero_points");
        it != ctx.layer.variables.end())
      zeros_ = it->second.array.ints();
    if (zeros_.size() != scales_.size())
      unsupported(ctx.layer, "zero_points of an unexpected size");
  }
  void run(const Frame &frame) const override {
    const uint8_t *x = in(frame);
    const ElemKind k = elemKind(inTypes[0]);
    float *o = reinterpret_cast<float *>(out(frame));
    const int64_t n = elems(outType), c = outType.shape[2];
    for (int64_t i = 0; i < n; ++i)
      o[i] = static_cast<float>(loadInt(x, k, i) - zeros_[i % c]) *
             scales_[i % c];
  }
  std::string kernelName() const override { return "dequantize"; }

private:
  std::vector<float> scales_;
  std::vector<int64_t> zeros_;
};

class ExtractTokenOp final : public LayerOp {
public:
  explicit ExtractTokenOp(const OpContext &ctx) {
    initOp(*this, ctx);
    begin_ = param(ctx.layer, "begin");
  }
  void run(const Frame &frame) const override {
    const int64_t es = elemSize(elemKind(outType));
    const int64_t c = inTypes[0].shape[2];
    std::memcpy(out(frame), in(frame) + begin_ * c * es,
                elems(outType) * es);
  }
  std::string kernelName() const override { return "extract copy"; }

private:
  int64_t begin_ = 0;
};

} // namespace

std::unique_ptr<LayerOp> makeInputDataOp(const OpContext &ctx) {
  return std::make_unique<InputDataOp>(ctx);
}
std::unique_ptr<LayerOp> makeAddOp(const OpContext &ctx) {
  return std::make_unique<AddOp>(ctx);
}
std::unique_ptr<LayerOp> makeConcatenateOp(const OpContext &ctx) {
  return std::make_unique<ConcatenateOp>(ctx);
}
std::unique_ptr<LayerOp> makeDequantizerOp(const OpContext &ctx) {
  return std::make_unique<DequantizerOp>(ctx);
}
std::unique_ptr<LayerOp> makeExtractTokenOp(const OpContext &ctx) {
  return std::make_unique<ExtractTokenOp>(ctx);
}

} // namespace akida::cpu
