//===- PackedWeights.cpp - Weights laid out for the GEMM kernels ----------===//

#include "runtime/cpu/PackedWeights.h"

#include <cstdlib>
#include <stdexcept>

namespace akida::cpu {

PackedWeights packWeights(const std::vector<int64_t> &w, int taps,
                          int64_t inputs, int64_t channels, DotKind kind,
                          const KernelTable &k) {
  if (static_cast<int64_t>(w.size()) != taps * inputs * channels)
    throw std::logic_error("packWeights: weight count does not match");
  PackedWeights p;
  p.kind = kind;
  p.taps = taps;
  p.inputs = inputs;
  p.channels = channels;
  const int per = groupElems(kind);
  p.groups = static_cast<int>((inputs + per - 1) / per);
  const int panels = static_cast<int>((channels + 15) / 16);
  p.panelsPerBlock = k.maxPanels;
  int64_t bytes = 0;
  for (int done = 0; done < panels;) {
    int nv = std::min(k.maxPanels, panels - done);
    p.blockPanels.push_back(nv);
    p.blockOffset.push_back(bytes);
    bytes += int64_t(taps) * p.groups * nv * 16 * 4;
    done += nv;
  }
  p.data.reserve(bytes + 64);
  p.channelSum.assign(channels, 0);
  for (int b = 0; b < p.blocks(); ++b) {
    const int cols = p.blockPanels[b] * 16;
    uint8_t *base = p.data.data() + p.blockOffset[b];
    for (int t = 0; t < taps; ++t)
      for (int64_t i = 0; i < inputs; ++i)
        for (int lane = 0; lane < cols; ++lane) {
          const int64_t o = p.firstChannel(b) + lane;
          if (o >= channels)
            break;
          const int64_t v = w[(t * inputs + i) * channels + o];
          p.maxAbs = std::max<int64_t>(p.maxAbs, std::llabs(v));
          p.channelSum[o] += static_cast<int32_t>(v);
          const int64_t g = i / per, e = i % per;
          uint8_t *at = base + ((int64_t(t) * p.groups + g) * cols + lane) * 4;
          if (kind == DotKind::S16S16) {
            const int16_t x = static_cast<int16_t>(v);
            std::memcpy(at + 2 * e, &x, 2);
          } else {
            at[e] = static_cast<uint8_t>(static_cast<int8_t>(v));
          }
        }
  }
  return p;
}

} // namespace akida::cpu
