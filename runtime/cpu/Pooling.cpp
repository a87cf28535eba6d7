//===- Pooling.cpp - Max pooling on a layer's outputs ---------------------===//

#include "runtime/cpu/Pooling.h"

#include <algorithm>

namespace akida::cpu {

namespace {

template <typename T>
void maxPoolT(const T *in, T *out, const PoolGeometry &g, int64_t rowBegin,
              int64_t rowEnd) {
  for (int64_t py = rowBegin; py < rowEnd; ++py)
    for (int64_t px = 0; px < g.ow; ++px) {
      T *o = out + (py * g.ow + px) * g.c;
      bool any = false;
      for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t y = py * g.sh - g.pt + i;
        if (y < 0 || y >= g.h)
          continue;
        for (int64_t j = 0; j < g.kw; ++j) {
          const int64_t x = px * g.sw - g.pl + j;
          if (x < 0 || x >= g.w)
            continue;
          const T *v = in + (y * g.w + x) * g.c;
          if (!any)
            std::copy(v, v + g.c, o);
          else
            for (int64_t ch = 0; ch < g.c; ++ch)
              o[ch] = std::max(o[ch], v[ch]);
          any = true;
        }
      }
    }
}

} // namespace

void maxPool(const uint8_t *in, uint8_t *out, ElemKind kind,
             const PoolGeometry &g, int64_t rowBegin, int64_t rowEnd) {
  switch (kind) {
  case ElemKind::U8:
    return maxPoolT(in, out, g, rowBegin, rowEnd);
  case ElemKind::S8:
    return maxPoolT(reinterpret_cast<const int8_t *>(in),
                    reinterpret_cast<int8_t *>(out), g, rowBegin, rowEnd);
  case ElemKind::I16:
    return maxPoolT(reinterpret_cast<const int16_t *>(in),
                    reinterpret_cast<int16_t *>(out), g, rowBegin, rowEnd);
  case ElemKind::I32:
    return maxPoolT(reinterpret_cast<const int32_t *>(in),
                    reinterpret_cast<int32_t *>(out), g, rowBegin, rowEnd);
  case ElemKind::I64:
    return maxPoolT(reinterpret_cast<const int64_t *>(in),
                    reinterpret_cast<int64_t *>(out), g, rowBegin, rowEnd);
  case ElemKind::F32:
    return maxPoolT(reinterpret_cast<const float *>(in),
                    reinterpret_cast<float *>(out), g, rowBegin, rowEnd);
  }
}

} // namespace akida::cpu
