// The residual sums kernel of every instruction set against a plain loop:
// random sparse (channel, value) lists per pixel, values over the whole
// int16 range, int8 weights over their whole range, output widths from one
// 32-output group to several passes of the AVX-512 kernel.

#include "CpuTestUtil.h"

#include "runtime/cpu/Isa.h"
#include "runtime/cpu/Kernels.h"

#include <gtest/gtest.h>

#include <vector>

using namespace akida;

namespace {

TEST(ResidualSums, EveryIsaEqualsAPlainLoop) {
  cputest::Uniform uni(5);
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t pixels = uni(1, 40), c = uni(1, 300);
    const int64_t wStride = 32 * uni(1, 20);
    const int64_t outStride = wStride + 16 * uni(0, 2);
    std::vector<int8_t> w(c * wStride);
    for (int8_t &x : w)
      x = static_cast<int8_t>(uni(-128, 127));
    std::vector<int32_t> rowStart{0}, chan, val;
    for (int64_t p = 0; p < pixels; ++p) {
      const int64_t n = uni(0, 3) == 0 ? 0 : uni(1, 12);
      for (int64_t e = 0; e < n; ++e) {
        chan.push_back(static_cast<int32_t>(uni(0, c - 1)));
        val.push_back(static_cast<int32_t>(uni(-32767, 32767)));
      }
      rowStart.push_back(static_cast<int32_t>(chan.size()));
    }
    std::vector<int32_t> expected(pixels * outStride, -7);
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t o = 0; o < wStride; ++o) {
        int64_t sum = 0;
        for (int32_t e = rowStart[p]; e < rowStart[p + 1]; ++e)
          sum += int64_t(val[e]) * w[chan[e] * wStride + o];
        expected[p * outStride + o] = static_cast<int32_t>(sum);
      }
    for (cpu::Isa isa : cpu::supportedIsas()) {
      std::vector<int32_t> got(pixels * outStride, -7);
      cpu::ResidualSums rs;
      rs.pixels = pixels;
      rs.rowStart = rowStart.data();
      rs.chan = chan.data();
      rs.val = val.data();
      rs.weights = w.data();
      rs.wStride = wStride;
      rs.out = got.data();
      rs.outStride = outStride;
      cpu::kernels(isa).residualSums(rs);
      ASSERT_EQ(got, expected) << cpu::isaName(isa) << " trial " << trial
                               << " pixels " << pixels << " wStride "
                               << wStride;
    }
  }
}

} // namespace
