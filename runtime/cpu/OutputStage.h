//===- OutputStage.h - From exact sums to a layer's outputs -----*- C++ -*-===//
//
// What a weighted layer does after its sums of products, per output channel:
//   v1: the threshold/act_step activation, or the potential saturated to
//       si32 when the activation is off;
//   v2: saturation to buffer_bits, bias << bias_shift, saturation, then
//       ReLU (with max_value clip), LUT or nothing, post-op saturation,
//       output_scales/output_shift and the output saturation.
// `finish` is that computation written exactly as the reference does it
// (docs/runtime/semantics.md), on the exact sum. The kernels run a faster
// form fused in their output loop: every monotone stage with an output of
// at most 8 bits is a non-decreasing step function of the sum, so it is
//   out = ((min(max(acc, lo), hi) - lo) * mul + add) >> shift) + offset
// for per-channel integers found at build time from the stage's exact
// thresholds (where `finish` steps up) and proved equal to `finish` at every
// threshold, hence everywhere. A stage without such a form (a LUT, a wide
// output, steps too irregular) runs `finish` per value.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_OUTPUTSTAGE_H
#define AKIDA_RUNTIME_CPU_OUTPUTSTAGE_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Shapes.h"

#include <cstdint>
#include <vector>

namespace akida::cpu {

/// How a fast stage computes q from t (OutputStage below):
///  * Int32: (t * mul + add) >> shift with t * mul + add below 2^31;
///  * Float: floor(fma(float(t), fa, fb)) in float32 (t below 2^24; the
///    fused multiply-add rounds once), for steps too large for Int32;
///  * Int64: (t * mul64 + add64) >> shift64 below 2^63, mul64 below 2^32.
enum class StageForm : uint8_t { Int32, Float, Int64 };

/// The fixed-point form of a stage, one entry per channel (padded with
/// neutral entries to a multiple of 16 channels). Every channel of a layer
/// uses the same form.
struct FastStage {
  StageForm form = StageForm::Int32;
  std::vector<int32_t> lo, hi, mul, add, shift, top, offset;
  /// Shortcuts the kernels may take (every channel agrees): the top clamp
  /// never binds (q(hi - lo) <= top); every offset is 0; and, Int32 form,
  /// acc * mul + addAtZero stays within int32 for acc in [lo, hi], so
  /// (clamp(acc) * mul + addAtZero) >> shift needs no "- lo"
  /// (addAtZero = add - lo * mul).
  bool noTop = false, noOffset = false, folded = false;
  std::vector<int32_t> addAtZero;
  std::vector<float> fa, fb;
  std::vector<int64_t> mul64, add64, shift64;
  /// The saturating float form (SaturatingFloat below) of every channel,
  /// when all have one: kernels that pack their outputs into bytes with
  /// saturation take it (three operations per 16 sums instead of six).
  bool saturating = false;
  std::vector<float> sa, sb;
  std::vector<uint8_t> top8; ///< padded with 64 zeros more
};

class OutputStage {
public:
  /// The stage of an Akida 1.0 layer (activation on or off). Throws
  /// std::invalid_argument for parameters the reference refuses.
  static OutputStage v1(const LayerDesc &layer, const ActType &out);
  /// The stage of an Akida 2.0 weighted layer.
  static OutputStage v2(const LayerDesc &layer, const ActType &out);

  int64_t channels() const { return channels_; }

  /// The output value of channel `ch` for the exact sum `acc` (no pooling).
  int64_t finish(int64_t acc, int64_t ch) const;
  /// Global average pooling: what one position adds to the channel's sum
  /// (v1: the potential; v2: the biased, buffer-saturated accumulator).
  int64_t poolTerm(int64_t acc, int64_t ch) const;
  /// Whether poolTerm(acc) is acc (Akida 1.0 pools raw potentials).
  bool poolTermIsIdentity() const { return isV1_; }
  /// The output of a channel from the sum of its poolTerms.
  int64_t finishSum(int64_t sum, int64_t ch) const;

  /// Whether finish is non-decreasing in acc for every channel (max
  /// pooling may then run on the outputs instead of the sums).
  bool monotone() const { return monotone_; }
  /// The fixed-point form, or null when some channel has none.
  const FastStage *fast() const { return hasFast_ ? &fast_ : nullptr; }

private:
  OutputStage() = default;
  int64_t core(int64_t v, int64_t ch) const; ///< v2 steps 5 to 8
  void buildFast();

  bool isV1_ = true;
  int64_t channels_ = 0;
  int outBits_ = 8;
  bool outSigned_ = false;
  // v1
  bool v1Active_ = false;
  std::vector<int64_t> threshold_;
  std::vector<float> step_;
  // v2
  int bufferBits_ = 32, postBits_ = 32;
  int64_t bufMin_ = 0, bufMax_ = 0;
  Activation activation_ = Activation::ReLU;
  bool hasBias_ = false, hasClip_ = false;
  std::vector<int64_t> bias_, clip_, actScale_, actShift_, lut_, outScale_,
      outShift_;
  int64_t lutHalf_ = 0;

  bool monotone_ = true;
  bool hasFast_ = false;
  FastStage fast_;
};

/// The fixed point form of one channel of a non-decreasing step function g
/// on int32 with gmin = g(INT32_MIN): `thresholds[k]` is the largest p with
/// g(p) <= gmin + k (k = 0 .. levels - 1). Returns false when no form with
/// 32-bit intermediates exists. Exposed for tests.
struct FixedPoint {
  int32_t lo = 0, hi = 0, top = 0, offset = 0;
  int64_t mul = 0, add = 0, shift = 0;
  float fa = 0, fb = 0;
  StageForm form = StageForm::Int32;
  int64_t apply(int64_t acc) const;
};
bool fitFixedPoint(const std::vector<int64_t> &thresholds, int64_t gmin,
                   StageForm form, FixedPoint &out);

/// A stage whose outputs start at 0 (gmin = 0), on the sum itself without
/// clamping it first: out = min(max(floor(fma(float(acc), a, b)), 0), top).
/// Every step is monotone, so equal to the stage at both sides of each
/// threshold and at the ends means equal on all of int32 (the builder
/// checks that); |a| 2^31 + |b| stays below 2^31, so the float never
/// leaves int32 on its way back.
struct SaturatingFloat {
  float a = 0, b = 0;
  int32_t top = 0;
  int64_t apply(int64_t acc) const;
};
/// Fits `out` to the thresholds (as fitFixedPoint's, gmin = 0); false
/// where no such form exists (thresholds beyond float's exact integers,
/// more than 255 levels, fma results that could leave int32).
bool fitSaturatingFloat(const std::vector<int64_t> &thresholds,
                        SaturatingFloat &out);

/// The saturating form of channel `ch` of `s` (s.saturating) on one sum,
/// as the vector kernels compute it.
inline int64_t saturatingOutput(const FastStage &s, int64_t ch, int32_t acc) {
  SaturatingFloat f;
  f.a = s.sa[ch];
  f.b = s.sb[ch];
  f.top = s.top8[ch];
  return f.apply(acc);
}

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_OUTPUTSTAGE_H
