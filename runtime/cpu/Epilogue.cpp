//===- Epilogue.cpp - Finishing tiles of sums into outputs ----------------===//

#include "runtime/cpu/Epilogue.h"

namespace akida::cpu {

Epilogue::Epilogue(OutputStage stage, ElemKind outKind, const KernelTable &k,
                   std::vector<int32_t> accBias)
    : stage_(std::move(stage)), kind_(outKind), k_(k),
      accBias_(std::move(accBias)) {
  if (!accBias_.empty())
    accBias_.resize((stage_.channels() + 15) / 16 * 16 + 64, 0);
  if ((kind_ == ElemKind::U8 || kind_ == ElemKind::S8) && stage_.fast())
    fast_ = stage_.fast();
}

void Epilogue::write(const int32_t *acc, int accStride, int rows, int64_t ch0,
                     int nch, uint8_t *out, int64_t rowStride) const {
  const int32_t *bias = accBias_.empty() ? nullptr : accBias_.data() + ch0;
  if (fast_) {
    RequantTile t;
    t.acc = acc;
    t.accStride = accStride;
    t.rows = rows;
    t.channels = nch;
    t.accBias = bias;
    t.stage = fast_;
    t.ch0 = static_cast<int>(ch0);
    t.out = out + ch0;
    t.outStride = rowStride;
    k_.requant(t);
    return;
  }
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < nch; ++j) {
      int64_t v = int64_t(acc[r * accStride + j]) + (bias ? bias[j] : 0);
      storeInt(out + r * rowStride, kind_, ch0 + j,
               stage_.finish(v, ch0 + j));
    }
}

void Epilogue::accumulate(const int32_t *acc, int accStride, int rows,
                          int64_t ch0, int nch, int64_t *sums) const {
  const int32_t *bias = accBias_.empty() ? nullptr : accBias_.data() + ch0;
  int64_t *sum = sums + ch0;
  if (stage_.poolTermIsIdentity()) {
    for (int r = 0; r < rows; ++r) {
      const int32_t *a = acc + r * accStride;
      for (int j = 0; j < nch; ++j)
        sum[j] += a[j];
    }
    if (bias)
      for (int j = 0; j < nch; ++j)
        sum[j] += int64_t(rows) * bias[j];
    return;
  }
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < nch; ++j) {
      int64_t v = int64_t(acc[r * accStride + j]) + (bias ? bias[j] : 0);
      sum[j] += stage_.poolTerm(v, ch0 + j);
    }
}

void Epilogue::writeSums(const int64_t *sums, uint8_t *out) const {
  for (int64_t ch = 0; ch < stage_.channels(); ++ch)
    storeInt(out, kind_, ch, stage_.finishSum(sums[ch], ch));
}

} // namespace akida::cpu
