// The encodings on an edge: spike events (sparse, raster order) and dense
// tiles (packed at the value width), the per-frame choice between them from
// the measured density, and the counters. Expected events are written out
// by hand from the tensors, not produced by the encoder.
#include "actors/EdgeCodec.h"

#include <gtest/gtest.h>

#include <random>

using namespace akida;
using namespace akida::actors;

namespace {

ref::Activations acts(std::array<int64_t, 3> shape, int bits, bool isSigned,
                      int64_t batch, std::vector<int64_t> values) {
  ref::Activations a;
  a.type.shape = shape;
  a.type.bits = bits;
  a.type.isSigned = isSigned;
  a.batch = batch;
  a.ints = std::move(values);
  return a;
}

ref::Activations randomActs(std::array<int64_t, 3> shape, int bits,
                            bool isSigned, int64_t batch, double density,
                            uint32_t seed) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution fire(density);
  const int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 1;
  const int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1
                              : (int64_t(1) << bits) - 1;
  std::uniform_int_distribution<int64_t> value(lo, hi);
  std::vector<int64_t> v(batch * shape[0] * shape[1] * shape[2]);
  for (int64_t &x : v)
    x = fire(rng) ? value(rng) : 0;
  return acts(shape, bits, isSigned, batch, v);
}

TEST(SpikeBatch, EventsInRasterOrderPerSample) {
  // 2 samples of 2x3x2 (rows, cols, channels), NHWC.
  //   sample 0: (y0,x1,c1)=5, (y1,x0,c0)=7
  //   sample 1: (y0,x0,c0)=1, (y1,x2,c1)=15
  std::vector<int64_t> v(24, 0);
  v[(0 * 3 + 1) * 2 + 1] = 5;
  v[(1 * 3 + 0) * 2 + 0] = 7;
  v[12 + 0] = 1;
  v[12 + (1 * 3 + 2) * 2 + 1] = 15;
  const SpikeBatch b = encodeSpikes(acts({2, 3, 2}, 4, false, 2, v));
  const std::vector<SpikeEvent> expected = {
      {1, 0, 1, 5}, {0, 1, 0, 7}, {0, 0, 0, 1}, {2, 1, 1, 15}};
  EXPECT_EQ(b.events, expected);
  EXPECT_EQ(b.sampleEnds, (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(b.batch, 2);
  EXPECT_EQ(decodeSpikes(b).ints, v);
}

TEST(SpikeBatch, RoundTripsSignedAndWideValues) {
  for (double density : {0.0, 0.05, 0.5, 1.0}) {
    const ref::Activations a = randomActs({7, 5, 9}, 8, true, 3, density, 1);
    EXPECT_EQ(decodeSpikes(encodeSpikes(a)).ints, a.ints) << density;
    EXPECT_EQ(static_cast<int64_t>(encodeSpikes(a).events.size()),
              countEvents(a));
  }
  const ref::Activations wide =
      acts({1, 1, 3}, 32, true, 1, {INT32_MIN, -1, INT32_MAX});
  EXPECT_EQ(decodeSpikes(encodeSpikes(wide)).ints, wide.ints);
}

TEST(SpikeBatch, RefusesWhatSpikesCannotCarry) {
  ref::Activations f;
  f.type.shape = {1, 1, 2};
  f.type.isFloat = true;
  f.batch = 1;
  f.floats = {0.5f, 0.0f};
  EXPECT_FALSE(spikeEncodable(f.type));
  EXPECT_THROW(encodeSpikes(f), std::invalid_argument);
  EXPECT_FALSE(spikeEncodable(acts({1, 1, 1}, 32, false, 1, {0}).type));
  EXPECT_TRUE(spikeEncodable(acts({1, 1, 1}, 31, false, 1, {0}).type));
  // Fewer values than the shape says.
  EXPECT_THROW(encodeSpikes(acts({2, 2, 1}, 8, false, 1, {1, 2})),
               std::invalid_argument);
}

TEST(SpikeBatch, DecodingRejectsMalformedBatches) {
  SpikeBatch b = encodeSpikes(acts({1, 4, 1}, 8, false, 1, {0, 3, 0, 4}));
  SpikeBatch unsorted = b;
  std::swap(unsorted.events[0], unsorted.events[1]);
  try {
    decodeSpikes(unsorted);
    FAIL();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("raster order"), std::string::npos)
        << e.what();
  }
  SpikeBatch outside = b;
  outside.events[1].x = 4;
  EXPECT_THROW(decodeSpikes(outside), std::invalid_argument);
  SpikeBatch ends = b;
  ends.sampleEnds = {3};
  EXPECT_THROW(decodeSpikes(ends), std::invalid_argument);
}

TEST(DenseTile, PacksAtTheValueWidth) {
  EXPECT_EQ(denseValueBytes(acts({1, 1, 1}, 4, false, 1, {0}).type), 1);
  EXPECT_EQ(denseValueBytes(acts({1, 1, 1}, 12, true, 1, {0}).type), 2);
  EXPECT_EQ(denseValueBytes(acts({1, 1, 1}, 20, false, 1, {0}).type), 4);
  const ref::Activations a = acts({1, 1, 4}, 16, true, 1, {-2, 300, 0, -32768});
  const DenseTile t = encodeDense(a);
  // Little-endian 16-bit: -2 = fe ff, 300 = 2c 01, 0, -32768 = 00 80.
  EXPECT_EQ(t.bytes, (std::vector<uint8_t>{0xfe, 0xff, 0x2c, 0x01, 0, 0, 0,
                                           0x80}));
  EXPECT_EQ(decodeDense(t).ints, a.ints);
  const ref::Activations u8 = randomActs({3, 3, 3}, 8, false, 2, 0.7, 3);
  EXPECT_EQ(decodeDense(encodeDense(u8)).ints, u8.ints);
  EXPECT_EQ(encodeDense(u8).bytes.size(), 54u);
}

TEST(DenseTile, CarriesFloatsAndRejectsShortTiles) {
  ref::Activations f;
  f.type.shape = {1, 1, 3};
  f.type.isFloat = true;
  f.batch = 1;
  f.floats = {0.25f, -1.5f, 0.0f};
  EXPECT_EQ(decodeDense(encodeDense(f)).floats, f.floats);
  DenseTile t = encodeDense(acts({1, 1, 2}, 8, false, 1, {1, 2}));
  t.bytes.pop_back();
  EXPECT_THROW(decodeDense(t), std::invalid_argument);
}

TEST(EdgeCodec, ChoosesTheCheaperEncodingPerFrame) {
  // 8-bit values: a dense tile costs 1 byte per value, an event 10 bytes,
  // so 100 values go sparse with 9 events and dense with 10.
  const ActType u8 = acts({10, 10, 1}, 8, false, 1, {}).type;
  EXPECT_EQ(cheaperEncoding(u8, 100, 9), EdgeEncoding::Sparse);
  EXPECT_EQ(cheaperEncoding(u8, 100, 10), EdgeEncoding::Dense);
  // 32-bit potentials: 4 bytes per value, sparse below 40%.
  const ActType s32 = acts({10, 10, 1}, 32, true, 1, {}).type;
  EXPECT_EQ(cheaperEncoding(s32, 100, 39), EdgeEncoding::Sparse);
  EXPECT_EQ(cheaperEncoding(s32, 100, 40), EdgeEncoding::Dense);

  EdgeCodec codec(3);
  std::vector<int64_t> sparse(100, 0), dense(100, 0);
  for (int i = 0; i < 5; ++i)
    sparse[i * 17] = i + 1;
  for (int i = 0; i < 60; ++i)
    dense[i] = 200;
  const EdgePayload p1 = codec.encode(acts({10, 10, 1}, 8, false, 1, sparse));
  const EdgePayload p2 = codec.encode(acts({10, 10, 1}, 8, false, 1, dense));
  EXPECT_EQ(p1.encoding, EdgeEncoding::Sparse);
  EXPECT_EQ(p2.encoding, EdgeEncoding::Dense);
  EXPECT_EQ(p1.layer, 3);
  EXPECT_EQ(p1.events, 5);
  EXPECT_EQ(decodePayload(p1).ints, sparse);
  EXPECT_EQ(decodePayload(p2).ints, dense);
  EXPECT_EQ(codec.stats().frames, 2);
  EXPECT_EQ(codec.stats().sparseFrames, 1);
  EXPECT_EQ(codec.stats().denseFrames, 1);
  EXPECT_EQ(codec.stats().events, 65);
  EXPECT_EQ(codec.stats().values, 200);
  EXPECT_EQ(codec.stats().bytes, 5 * 10 + 4 + 100);
  EXPECT_DOUBLE_EQ(codec.stats().density(), 65.0 / 200.0);
}

TEST(EdgeCodec, ForcedEncodingsRoundTrip) {
  EdgeCodec codec(0);
  const ref::Activations a = randomActs({4, 4, 8}, 4, false, 2, 0.5, 9);
  EXPECT_EQ(decodePayload(codec.encodeAs(a, EdgeEncoding::Sparse)).ints, a.ints);
  EXPECT_EQ(decodePayload(codec.encodeAs(a, EdgeEncoding::Dense)).ints, a.ints);
}

// A model input frame encoded from its bytes (no unpacking) carries what
// encoding its activations carries, counted the same.
TEST(EdgeCodec, InputFramesEncodeFromTheirBytes) {
  for (bool isSigned : {false, true})
    for (double density : {0.02, 0.9}) {
      const ref::Activations a =
          randomActs({6, 5, 3}, 8, isSigned, 3, density, 21);
      const Array frame = Array::fromInts(
          isSigned ? DType::Int8 : DType::UInt8, {3, 6, 5, 3}, a.ints);
      EdgeCodec fromActs(kModelInputEdge), fromBytes(kModelInputEdge);
      const EdgePayload want = fromActs.encode(a);
      const EdgePayload got = fromBytes.encode(frame, a.type);
      EXPECT_EQ(got.encoding, want.encoding);
      EXPECT_EQ(got.events, want.events);
      EXPECT_EQ(got.wireBytes(), want.wireBytes());
      EXPECT_EQ(decodePayload(got).ints, a.ints);
      EXPECT_EQ(fromBytes.stats().values, fromActs.stats().values);
      EXPECT_EQ(fromBytes.stats().bytes, fromActs.stats().bytes);
    }
}

} // namespace
