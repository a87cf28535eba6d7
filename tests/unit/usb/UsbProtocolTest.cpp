// Framing and payload encoding of the USB protocol: round trips, and every
// malformed frame or payload rejected with a message saying what is wrong.
#include "device/usb/Protocol.h"

#include <gtest/gtest.h>

#include <random>

using namespace akida;
using namespace akida::usb;

namespace {

std::string framingError(const std::vector<uint8_t> &bytes) {
  try {
    decodeFrame(bytes);
  } catch (const FramingError &e) {
    return e.what();
  }
  return "";
}

Frame sample() {
  Frame f;
  f.opcode = static_cast<uint8_t>(Opcode::WriteReg);
  f.sequence = 0x1234;
  f.payload = {0x10, 0, 0, 0, 0xe0, 0x93, 0x04, 0};
  return f;
}

ref::Activations activations(std::array<int64_t, 3> shape, int64_t batch,
                             int bits, bool isSigned, double density,
                             uint32_t seed) {
  ref::Activations a;
  a.type.shape = shape;
  a.type.bits = bits;
  a.type.isSigned = isSigned;
  a.batch = batch;
  std::mt19937 rng(seed);
  std::bernoulli_distribution on(density);
  const int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1
                              : (int64_t(1) << bits) - 1;
  const int64_t lo = isSigned ? -hi - 1 : 1;
  std::uniform_int_distribution<int64_t> value(lo, hi);
  a.ints.resize(static_cast<size_t>(batch * a.sampleSize()));
  for (int64_t &v : a.ints)
    v = on(rng) ? value(rng) : 0;
  return a;
}

ref::Activations roundTrip(const ref::Activations &a, size_t *bytes = nullptr) {
  Writer w;
  writeActivations(w, a);
  if (bytes)
    *bytes = w.data().size();
  Reader r(w.data());
  ref::Activations back = readActivations(r);
  r.end();
  return back;
}

} // namespace

TEST(UsbProtocol, FrameLayoutIsTheDocumentedOne) {
  std::vector<uint8_t> bytes = encodeFrame(sample());
  ASSERT_EQ(bytes.size(), kHeaderSize + 8);
  // "AKDA", version 1, opcode, sequence LE, length LE, then the CRC.
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 12),
            (std::vector<uint8_t>{'A', 'K', 'D', 'A', 1, 0x04, 0x34, 0x12, 8,
                                  0, 0, 0}));
  Frame back = decodeFrame(bytes);
  EXPECT_EQ(back.opcode, sample().opcode);
  EXPECT_EQ(back.sequence, sample().sequence);
  EXPECT_EQ(back.payload, sample().payload);
}

TEST(UsbProtocol, MalformedFramesAreNamed) {
  const std::vector<uint8_t> good = encodeFrame(sample());
  EXPECT_EQ(framingError({1, 2, 3}),
            "frame of 3 bytes is shorter than the 16-byte header");
  std::vector<uint8_t> b = good;
  b[0] = 'X';
  EXPECT_EQ(framingError(b), "frame does not start with the magic \"AKDA\"");
  b = good;
  b[4] = 9;
  EXPECT_EQ(framingError(b),
            "frame has protocol version 9; this host speaks 1");
  b = good;
  b.pop_back();
  EXPECT_EQ(framingError(b),
            "frame header announces 8 payload bytes but 7 arrived");
  b = good;
  b.back() ^= 1;
  EXPECT_EQ(framingError(b), "frame payload fails its CRC-32");
  Frame big;
  big.payload.resize(kMaxPayload + 1);
  EXPECT_THROW(encodeFrame(big), FramingError);
}

TEST(UsbProtocol, ReaderStopsAtTheEnd) {
  Writer w;
  w.u8(1).u16(2).u32(3).u64(4).f64(0.5).str("akd").i32(-5).i64(-6);
  Reader r(w.data());
  EXPECT_EQ(r.u8(), 1);
  EXPECT_EQ(r.u16(), 2);
  EXPECT_EQ(r.u32(), 3u);
  EXPECT_EQ(r.u64(), 4u);
  EXPECT_EQ(r.f64(), 0.5);
  EXPECT_EQ(r.str(), "akd");
  EXPECT_EQ(r.i32(), -5);
  EXPECT_EQ(r.i64(), -6);
  EXPECT_NO_THROW(r.end());
  EXPECT_THROW(r.u8(), FramingError);
  Reader extra(w.data());
  extra.u8();
  EXPECT_THROW(extra.end(), FramingError);
}

TEST(UsbProtocol, ActivationsRoundTripDenseAndAsEvents) {
  uint32_t seed = 1;
  for (int bits : {1, 2, 4, 8})
    for (bool isSigned : {false, true})
      for (double density : {0.0, 0.05, 0.5, 1.0}) {
        if (isSigned && bits < 2)
          continue;
        ref::Activations a =
            activations({7, 5, 3}, 3, bits, isSigned, density, ++seed);
        ref::Activations back = roundTrip(a);
        EXPECT_EQ(back.type, a.type);
        EXPECT_EQ(back.batch, a.batch);
        EXPECT_EQ(back.ints, a.ints) << bits << " " << density;
      }
  // Wide values (a potential of an earlier sequence).
  ref::Activations wide = activations({2, 2, 2}, 1, 8, true, 1, 3);
  wide.ints[0] = -70000;
  wide.ints[1] = int64_t(1) << 40;
  EXPECT_EQ(roundTrip(wide).ints, wide.ints);
}

TEST(UsbProtocol, SparseSamplesTravelAsEvents) {
  size_t dense = 0, sparse = 0;
  roundTrip(activations({32, 32, 8}, 1, 4, false, 1.0, 5), &dense);
  roundTrip(activations({32, 32, 8}, 1, 4, false, 0.05, 5), &sparse);
  // 8192 values: one byte each dense; 5 bytes per event at 5 %.
  EXPECT_GT(dense, 8192u);
  EXPECT_LT(sparse, dense / 3);
}

TEST(UsbProtocol, FloatActivationsAreRefused) {
  ref::Activations f;
  f.type.isFloat = true;
  f.type.shape = {1, 1, 1};
  f.batch = 1;
  f.floats = {1.5f};
  Writer w;
  EXPECT_THROW(writeActivations(w, f), std::invalid_argument);
}

TEST(UsbProtocol, MalformedActivationsAreNamed) {
  ref::Activations a = activations({4, 4, 2}, 2, 8, false, 0.1, 9);
  Writer w;
  writeActivations(w, a);
  std::vector<uint8_t> good = w.take();
  auto error = [](std::vector<uint8_t> bytes) -> std::string {
    try {
      Reader r(bytes);
      readActivations(r);
    } catch (const FramingError &e) {
      return e.what();
    }
    return "";
  };
  // Layout: 3 x u32 shape, bits, signed, u32 batch, width, then samples.
  std::vector<uint8_t> b = good;
  b[18] = 3;
  EXPECT_EQ(error(b), "activations have value width 3; allowed: 1, 2, 4, 8");
  b = good;
  b[19] = 7;
  EXPECT_EQ(error(b), "sample encoding 7; allowed: 0 (dense), 1 (events)");
  b = good;
  b[14] = 0xff; // batch of ~4 G samples
  b[15] = 0xff;
  EXPECT_EQ(error(b),
            "activations header announces more values than the payload holds");
  b = good;
  ASSERT_EQ(b[19], 1); // events
  b[24] = 200;         // first event index
  EXPECT_EQ(error(b), "event index 200 is outside the 32-value sample");
  b = good;
  b.resize(b.size() - 1);
  EXPECT_FALSE(error(b).empty());
}

TEST(UsbProtocol, RunResultRoundTrip) {
  RunResult r;
  r.output = activations({1, 1, 10}, 4, 8, true, 1, 1);
  r.exported[3] = activations({5, 5, 16}, 4, 4, false, 0.3, 2);
  r.exported[7] = r.output;
  r.powerEvents = {{1.0, 3300000, 280.5, 925.6}, {2.0, 3300000, 300.0, 990.0}};
  RunResult back = decodeRunResult(encodeRunResult(r));
  EXPECT_EQ(back.output.ints, r.output.ints);
  ASSERT_EQ(back.exported.size(), 2u);
  EXPECT_EQ(back.exported[3].ints, r.exported[3].ints);
  EXPECT_EQ(back.exported[3].type, r.exported[3].type);
  ASSERT_EQ(back.powerEvents.size(), 2u);
  EXPECT_EQ(back.powerEvents[1].power, 990.0);
  EXPECT_EQ(back.powerEvents[0].voltage, 3300000);
  std::vector<uint8_t> bytes = encodeRunResult(r);
  bytes.push_back(0);
  EXPECT_THROW(decodeRunResult(bytes), FramingError);
}

TEST(UsbProtocol, LearnMemAndLabelsRoundTrip) {
  learning::LearnMem m;
  std::vector<int64_t> w(13 * 3);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = (i * 7 % 5) == 0;
  m.weights = Array::fromInts(DType::Int8, {1, 1, 13, 3}, w);
  m.threshold_learning = Array::fromInts(DType::Int32, {3}, {0, 9, -1});
  m.plasticity = Array::fromFloats({3}, {1.0f, 0.25f, 0.1f});
  std::vector<uint8_t> bytes = encodeLearnMem(m);
  // rows, units, 39 bits in 5 bytes, then 3 x (threshold, plasticity).
  EXPECT_EQ(bytes.size(), 8u + 5u + 3u * 8u);
  EXPECT_EQ(decodeLearnMem(bytes), m);
  bytes.push_back(0);
  EXPECT_THROW(decodeLearnMem(bytes), FramingError);

  const std::vector<int64_t> labels = {3, -1, 0};
  std::vector<uint8_t> l = encodeLabels(labels);
  Reader r(l);
  EXPECT_EQ(decodeLabels(r), labels);
  r.end();
  Writer liar;
  liar.u32(1000).i64(1);
  std::vector<uint8_t> lie = liar.take();
  Reader lr(lie);
  EXPECT_THROW(decodeLabels(lr), FramingError);
}
