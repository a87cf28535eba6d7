//===- Kernels.h - Internals shared by the reference kernels ----*- C++ -*-===//
//
// Not a public header: the pieces the per-family kernel files share (layer
// errors, variable access, exact accumulation loops, pooling) and the entry
// point of each family, called by runLayer once it has checked the layer, its
// inputs and its variables (Reference.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_REFERENCE_KERNELS_H
#define AKIDA_RUNTIME_REFERENCE_KERNELS_H

#include "runtime/reference/ExactSums.h"
#include "runtime/reference/Reference.h"

#include <string>
#include <vector>

namespace akida::ref::detail {

/// Throws std::invalid_argument "layer 'NAME' (Type): WHAT".
[[noreturn]] void fail(const LayerDesc &layer, const std::string &what);

/// Whether `layer` stores variable `name`.
bool hasVariable(const LayerDesc &layer, const std::string &name);

/// A bit-width parameter that must lie in [1, 32].
int bitsParam(const LayerDesc &layer, const char *name);
/// The values of integer variable `name`, widened; empty when absent.
std::vector<int64_t> intVariable(const LayerDesc &layer,
                                 const std::string &name);
/// A per-channel integer variable expanded to `count` values: a (count)
/// variable as stored, a (1) variable repeated, `neutral` when absent.
std::vector<int64_t> channelVariable(const LayerDesc &layer,
                                     const std::string &name, int64_t count,
                                     int64_t neutral);

/// An output of `type` for `batch` samples, values zeroed.
Activations makeOutput(const ActType &type, int64_t batch);

//===----------------------------------------------------------------------===//
// Exact accumulation. Each loop computes exact sums of products (in int64
// when a bound on |x| * |w| * terms shows it cannot overflow, in 128 bits
// otherwise) and clamps each sum to [lo, hi] (the rule of ExactSums.h).
//===----------------------------------------------------------------------===//

/// A 2-D cross-correlation over NHWC input `x` with weights (kh, kw, c, f),
/// or (kh, kw, c) when depthwise (then f == c and output channel c reads only
/// input channel c). Output (n, oh, ow, f); output (oy, ox) reads input rows
/// oy * sh - pt + i and columns ox * sw - pl + j. Positions outside the input
/// read `padValue`.
struct ConvGeometry {
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
  int64_t oh = 0, ow = 0, f = 0;
  bool depthwise = false;
  int64_t padValue = 0;
};
std::vector<int64_t> crossCorrelate(const ConvGeometry &g,
                                    const std::vector<int64_t> &x,
                                    const std::vector<int64_t> &w, int64_t lo,
                                    int64_t hi);

/// Rows of `x` (rows x k) times weights (k, f): output (rows, f).
std::vector<int64_t> matmul(const std::vector<int64_t> &x, int64_t rows,
                            int64_t k, const std::vector<int64_t> &w, int64_t f,
                            int64_t lo, int64_t hi);

/// The stride-2 "same" transposed convolution: input (n, h, w, c), weights
/// (k, k, c, f) or (k, k, c) when depthwise; output (n, 2h, 2w, f) where
/// input (iy, ix) contributes to output (2 iy + ky - pad, 2 ix + kx - pad),
/// pad = max(k - 2, 0) / 2, contributions outside the output dropped.
std::vector<int64_t> transposedConv(const std::vector<int64_t> &x, int64_t n,
                                    int64_t h, int64_t w, int64_t c,
                                    const std::vector<int64_t> &weights,
                                    int64_t k, int64_t f, bool depthwise,
                                    int64_t lo, int64_t hi);

//===----------------------------------------------------------------------===//
// Pooling (on potentials/accumulators, before the activation)
//===----------------------------------------------------------------------===//

/// Max pooling of (n, h, w, c) with window (kh, kw), stride (sh, sw) and
/// padding before (pt, pl); output (n, oh, ow, c). Window positions outside
/// the input are ignored.
std::vector<int64_t> maxPool(const std::vector<int64_t> &in, int64_t n,
                             int64_t h, int64_t w, int64_t c, int64_t kh,
                             int64_t kw, int64_t sh, int64_t sw, int64_t pt,
                             int64_t pl, int64_t oh, int64_t ow);
/// The sum over all (h, w) positions per sample and channel, clamped to
/// [lo, hi]: output (n, 1, 1, c).
std::vector<int64_t> globalSum(const std::vector<int64_t> &in, int64_t n,
                               int64_t h, int64_t w, int64_t c, int64_t lo,
                               int64_t hi);

/// Convolution output (oh, ow) and padding before (pt, pl) of `window` on an
/// h x w input, and the pooling applied to it.
struct SpatialPlan {
  ConvGeometry conv;
  PoolType pool = PoolType::NoPooling;
  int64_t poolKh = 0, poolKw = 0, poolSh = 0, poolSw = 0;
  int64_t poolPt = 0, poolPl = 0, poolOh = 0, poolOw = 0;
};
SpatialPlan planSpatial(const Window &window, int64_t n, int64_t h, int64_t w,
                        int64_t c, int64_t f, bool depthwise);
/// Applies the plan's pooling to conv output `acc` (n, conv.oh, conv.ow, f);
/// a global sum is clamped to [lo, hi].
std::vector<int64_t> applyPooling(const SpatialPlan &plan,
                                  const std::vector<int64_t> &acc, int64_t lo,
                                  int64_t hi);

//===----------------------------------------------------------------------===//
// Layer families (inputs already checked; `out` is inferLayerOutput's type)
//===----------------------------------------------------------------------===//

Activations runInputData(const LayerDesc &layer, const Activations &in,
                         const ActType &out);
/// InputConvolutional, Convolutional, SeparableConvolutional, FullyConnected.
Activations runV1(const LayerDesc &layer, const Activations &in,
                  const ActType &out);
/// InputConv2D, Conv2D, DepthwiseConv2D, Dense1D, Conv2DTranspose,
/// DepthwiseConv2DTranspose, BufferTempConv, DepthwiseBufferTempConv.
Activations runV2(const LayerDesc &layer, const Activations &in,
                  const ActType &out, TemporalState *state);
Activations runAdd(const LayerDesc &layer, const Activations &a,
                   const Activations &b, const ActType &out);
Activations runConcatenate(const std::vector<const Activations *> &inputs,
                           const ActType &out);
Activations runDequantizer(const LayerDesc &layer, const Activations &in,
                           const ActType &out);
Activations runExtractToken(const LayerDesc &layer, const Activations &in,
                            const ActType &out);
/// OnnxGraph: the layer's ONNX graph run by runtime/graph, per sample.
Activations runOnnxGraph(const LayerDesc &layer, const Activations &in,
                         const ActType &out);

} // namespace akida::ref::detail

#endif // AKIDA_RUNTIME_REFERENCE_KERNELS_H
