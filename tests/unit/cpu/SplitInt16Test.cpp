// The int16 split kernel of every instruction set against a plain loop:
// values mostly near their channel's centre, some anywhere in int16,
// centres anywhere in int16 (so that d - o leaves int16 too), channel
// counts that do and do not fill whole vectors, and a capacity too small.

#include "CpuTestUtil.h"

#include "runtime/cpu/Isa.h"
#include "runtime/cpu/Kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace akida;

namespace {

struct Split {
  std::vector<uint8_t> d8;
  std::vector<int32_t> rowStart, chan, val;
};

Split expectedSplit(const std::vector<int16_t> &d, int64_t pixels, int64_t c,
                    int64_t dStride, const std::vector<int16_t> &center,
                    int64_t d8Stride) {
  Split s;
  s.d8.assign(pixels * d8Stride, 0);
  for (int64_t p = 0; p < pixels; ++p) {
    s.rowStart.push_back(static_cast<int32_t>(s.chan.size()));
    for (int64_t ch = 0; ch < c; ++ch) {
      const int32_t v = int32_t(d[p * dStride + ch]) - center[ch];
      const int32_t sat = std::clamp(v, -128, 127);
      s.d8[p * d8Stride + ch] = static_cast<uint8_t>(sat + 128);
      if (v != sat) {
        s.chan.push_back(static_cast<int32_t>(ch));
        s.val.push_back(v - sat);
      }
    }
  }
  s.rowStart.push_back(static_cast<int32_t>(s.chan.size()));
  return s;
}

TEST(SplitInt16, EveryIsaEqualsAPlainLoop) {
  cputest::Uniform uni(11);
  for (int trial = 0; trial < 80; ++trial) {
    const int64_t pixels = uni(1, 30), c = uni(1, 300);
    const int64_t dStride = (c + 1) / 2 * 2 + 2 * uni(0, 3);
    const int64_t d8Stride = (c + 3) / 4 * 4;
    const int64_t cPad = (c + 31) / 32 * 32;
    const int wide = static_cast<int>(uni(0, 60)); // percent of wild values
    std::vector<int16_t> center(cPad, 0), d(pixels * dStride + 64, 0);
    for (int64_t ch = 0; ch < c; ++ch)
      center[ch] = static_cast<int16_t>(uni(0, 9) == 0 ? uni(-32768, 32767)
                                                       : uni(-3000, 3000));
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t ch = 0; ch < c; ++ch)
        d[p * dStride + ch] = static_cast<int16_t>(
            uni(0, 99) < wide ? uni(-32768, 32767)
                              : std::clamp<int64_t>(center[ch] + uni(-140, 140),
                                                    -32768, 32767));
    const Split want = expectedSplit(d, pixels, c, dStride, center, d8Stride);
    const int64_t residuals = want.rowStart.back();
    // Room for all of them (and the one pixel's reserve), or too little.
    const bool roomy = uni(0, 3) != 0;
    const int64_t capacity =
        roomy ? residuals + c
              : std::max<int64_t>(0, residuals + c - 1 - uni(0, residuals));
    const bool fits = [&] {
      for (int64_t p = 0; p < pixels; ++p)
        if (want.rowStart[p] + c > capacity)
          return false;
      return true;
    }();
    for (cpu::Isa isa : cpu::supportedIsas()) {
      std::vector<uint8_t> d8(pixels * d8Stride + 64, 0xAB);
      std::vector<int32_t> rowStart(pixels + 1, -1);
      std::vector<int32_t> chan(capacity + 64, -1), val(capacity + 64, -1);
      cpu::SplitInt16 sp;
      sp.d = d.data();
      sp.pixels = pixels;
      sp.c = c;
      sp.dStride = dStride;
      sp.center = center.data();
      sp.d8 = d8.data();
      sp.d8Stride = d8Stride;
      sp.rowStart = rowStart.data();
      sp.chan = chan.data();
      sp.val = val.data();
      sp.capacity = capacity;
      const bool ok = cpu::kernels(isa).splitInt16(sp);
      ASSERT_EQ(ok, fits) << cpu::isaName(isa) << " trial " << trial;
      if (!ok)
        continue;
      d8.resize(pixels * d8Stride);
      chan.resize(residuals);
      val.resize(residuals);
      EXPECT_EQ(d8, want.d8) << cpu::isaName(isa) << " trial " << trial;
      EXPECT_EQ(rowStart, want.rowStart)
          << cpu::isaName(isa) << " trial " << trial;
      EXPECT_EQ(chan, want.chan) << cpu::isaName(isa) << " trial " << trial;
      EXPECT_EQ(val, want.val) << cpu::isaName(isa) << " trial " << trial;
    }
  }
}

} // namespace
