//===- ReferenceOp.cpp - A layer run by the reference kernel --------------===//
//
// The fallback of the Plan: layers its fast ops do not cover (temporal
// layers, LUT activations under max pooling, sums that could leave 32 bits,
// nonzero input shifts, ...) run ref::runLayer on int64 copies of their
// inputs, one frame at a time. Invalid layers end up here too, so that the
// reference raises its own error at forward time.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/LayerOp.h"

#include <cstring>

namespace akida::cpu {

namespace {

class ReferenceOp final : public LayerOp {
public:
  ReferenceOp(const OpContext &ctx, std::string why)
      : desc_(ctx.layer), why_(std::move(why)) {
    initOp(*this, ctx);
    const LayerType t = ctx.layer.type;
    temporal_ = t == LayerType::BufferTempConv ||
                t == LayerType::DepthwiseBufferTempConv;
  }

  void run(const Frame &frame) const override {
    std::vector<ref::Activations> ins(inputs.size());
    std::vector<const ref::Activations *> ptrs;
    for (size_t k = 0; k < inputs.size(); ++k) {
      ref::Activations &a = ins[k];
      a.type = inTypes[k];
      a.batch = 1;
      const int64_t n = a.sampleSize();
      const uint8_t *x = in(frame, k);
      if (a.type.isFloat) {
        a.floats.resize(n);
        std::memcpy(a.floats.data(), x, n * 4);
      } else {
        // The model input is stored as the Array's bytes (8-bit).
        const ElemKind kind = inputs[k] < 0
                                  ? (a.type.isSigned ? ElemKind::S8
                                                     : ElemKind::U8)
                                  : elemKind(a.type);
        a.ints.resize(n);
        for (int64_t i = 0; i < n; ++i)
          a.ints[i] = loadInt(x, kind, i);
      }
      ptrs.push_back(&a);
    }
    ref::TemporalState local;
    ref::TemporalState *state =
        frame.states ? &(*frame.states)[layer] : &local;
    ref::Activations y = ref::runLayer(desc_, ptrs, state);
    uint8_t *o = out(frame);
    const ElemKind kind = elemKind(outType);
    if (outType.isFloat)
      std::memcpy(o, y.floats.data(), y.floats.size() * 4);
    else
      for (size_t i = 0; i < y.ints.size(); ++i)
        storeInt(o, kind, static_cast<int64_t>(i), y.ints[i]);
  }

  std::string kernelName() const override { return "reference (" + why_ + ")"; }
  bool sequential() const override { return temporal_; }

private:
  LayerDesc desc_;
  std::string why_;
  bool temporal_ = false;
};

} // namespace

std::unique_ptr<LayerOp> makeReferenceOp(const OpContext &ctx,
                                         const std::string &why) {
  return std::make_unique<ReferenceOp>(ctx, why);
}

} // namespace akida::cpu
