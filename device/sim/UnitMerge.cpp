//===- UnitMerge.cpp - Merge units on skip-DMA channels, kernel taps ------===//
//
// Add (v2: both inputs round-shifted and summed exactly, buffer and post-op
// saturation, optional ReLU, output shift and saturation) and Concatenate
// (channels joined in inbound order), each run whole by the skip-DMA
// channel its record names; and the tap tables the NPs scatter with.
//
//===----------------------------------------------------------------------===//
#include "device/sim/Kernels.h"
#include "runtime/reference/Arithmetic.h"

namespace akida::sim {

namespace detail {

std::vector<std::vector<Tap>> inputTaps(int64_t in, int64_t kernel,
                                        int64_t stride, int64_t pad,
                                        int64_t lo, int64_t hi) {
  std::vector<std::vector<Tap>> taps(static_cast<size_t>(in));
  for (int64_t i = 0; i < in; ++i)
    for (int64_t k = 0; k < kernel; ++k) {
      const int64_t t = i + pad - k; // = o * stride
      if (t < 0 || t % stride != 0)
        continue;
      const int64_t o = t / stride;
      if (o >= lo && o < hi)
        taps[static_cast<size_t>(i)].push_back({k, o});
    }
  return taps;
}

} // namespace detail

void Unit::runMerge() {
  const auto &od = rec_.output.dims;
  startOutput(od[0], od[1], 0);
  const int64_t positions = od[0] * od[1];
  if (kernel_ == Kernel::Concatenate) {
    int64_t offset = 0;
    for (size_t i = 0; i < ports_.size(); ++i) {
      const Port &p = port(static_cast<int>(i));
      const int64_t c = p.dims[2];
      if (p.dims[0] != od[0] || p.dims[1] != od[1] || offset + c > od[2])
        fail("input " + std::to_string(i) + " " +
             formatDims({p.dims.begin(), p.dims.end()}) +
             " does not fit the concatenated output " +
             formatDims({od.begin(), od.end()}));
      for (int64_t q = 0; q < positions; ++q)
        for (int64_t ch = 0; ch < c; ++ch) {
          const int64_t v = p.values[size_t(q * c + ch)];
          out_.values[size_t(q * od[2] + offset + ch)] = v;
          act_.eventsIn += v != 0;
        }
      offset += c;
    }
    if (offset != od[2])
      fail("the inputs give " + std::to_string(offset) + " channels, not " +
           std::to_string(od[2]));
    return;
  }
  if (ports_.size() != 2)
    fail("Add needs 2 inputs, " + std::to_string(ports_.size()) +
         " received DMA transfers");
  const Port &a = port(0), &b = port(1);
  if (a.dims != od || b.dims != od)
    fail("the inputs must both be " + formatDims({od.begin(), od.end()}));
  const int64_t C = od[2];
  for (size_t i = 0; i < a.values.size(); ++i) {
    const size_t ch = i % static_cast<size_t>(C);
    act_.eventsIn += (a.values[i] != 0) + (b.values[i] != 0);
    int64_t s = ref::saturate(ref::addRoundShifted(a.values[i], aShift_[ch],
                                                   b.values[i], bShift_[ch]),
                              bufferBits_, true);
    if (v2Act_ == Activation::ReLU)
      s = std::max<int64_t>(s, 0);
    const int64_t v = ref::saturate(s, postBits_, true);
    const int64_t y = ref::roundShift(v, addOutShift_[ch]);
    out_.values[i] = ref::saturate(y, rec_.output.bits, rec_.output.isSigned);
  }
  act_.synapticOps += static_cast<int64_t>(a.values.size());
}

} // namespace akida::sim
