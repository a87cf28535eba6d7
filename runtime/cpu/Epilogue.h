//===- Epilogue.h - Finishing tiles of sums into outputs --------*- C++ -*-===//
//
// The output loop of the weighted ops: a tile of exact int32 sums (plus a
// per-channel correction for signed inputs read with an offset) goes
// through the layer's OutputStage, by the fused fixed-point requantization
// kernel when the stage has a fast form and the output is 8-bit, by the
// exact per-value stage otherwise; or, under global average pooling, into
// per-channel sums finished once at the end.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_EPILOGUE_H
#define AKIDA_RUNTIME_CPU_EPILOGUE_H

#include "runtime/cpu/Kernels.h"
#include "runtime/cpu/OutputStage.h"
#include "runtime/cpu/Tensor.h"

#include <vector>

namespace akida::cpu {

class Epilogue {
public:
  Epilogue(OutputStage stage, ElemKind outKind, const KernelTable &k,
           std::vector<int32_t> accBias = {});

  /// Writes rows x [ch0, ch0 + nch) outputs: row r at out + r * rowStride
  /// (bytes), channel ch at element ch of that row.
  void write(const int32_t *acc, int accStride, int rows, int64_t ch0,
             int nch, uint8_t *out, int64_t rowStride) const;
  /// The fused requantization of rows x [ch0, ch0 + nch) into out (as
  /// write()), when the stage has a fast form; false otherwise.
  bool requantTile(int rows, int64_t ch0, int nch, uint8_t *out,
                   int64_t rowStride, RequantTile &t) const {
    if (!fast_)
      return false;
    t.acc = nullptr;
    t.accStride = 0;
    t.rows = rows;
    t.channels = nch;
    t.accBias = accBias_.empty() ? nullptr : accBias_.data() + ch0;
    t.stage = fast_;
    t.ch0 = static_cast<int>(ch0);
    t.out = out + ch0;
    t.outStride = rowStride;
    return true;
  }
  /// Adds the signed-input correction of `rows` raw sums to sums[ch] (the
  /// pooling term of Akida 1.0 stages is the raw sum).
  void addBias(int rows, int64_t ch0, int nch, int64_t *sums) const {
    if (!accBias_.empty())
      for (int j = 0; j < nch; ++j)
        sums[ch0 + j] += int64_t(rows) * accBias_[ch0 + j];
  }
  /// Adds rows x [ch0, ch0 + nch) pooling terms into sums[ch].
  void accumulate(const int32_t *acc, int accStride, int rows, int64_t ch0,
                  int nch, int64_t *sums) const;
  /// Writes the outputs of global sums (one row of channels()).
  void writeSums(const int64_t *sums, uint8_t *out) const;

  const OutputStage &stage() const { return stage_; }
  bool fast() const { return fast_ != nullptr; }
  /// " fused-requant" (-sat for the saturating float form, -f32, -i64 for
  /// those forms) or " exact-stage", for kernel names.
  const char *describe() const {
    return !fast_                            ? " exact-stage"
           : fast_->saturating               ? " fused-requant-sat"
           : fast_->form == StageForm::Int64 ? " fused-requant-i64"
           : fast_->form == StageForm::Float ? " fused-requant-f32"
                                             : " fused-requant";
  }
  int64_t channels() const { return stage_.channels(); }

private:
  OutputStage stage_;
  ElemKind kind_;
  const KernelTable &k_;
  std::vector<int32_t> accBias_;
  const FastStage *fast_ = nullptr;
};

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_EPILOGUE_H
