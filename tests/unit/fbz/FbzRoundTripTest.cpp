// .fbz round trips: exact equality, byte determinism, the header fields, and
// saving/loading through files.

#include "FbzTestUtil.h"

#include "compiler/fbz/Version.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unistd.h>

using namespace akida;
using namespace akida::test;
namespace fs = std::filesystem;

namespace {

/// A fresh path in the test's temporary directory, removed at scope exit.
struct TempPath {
  fs::path path;
  explicit TempPath(const std::string &name) {
    path = fs::path(::testing::TempDir()) /
           ("akida-fbz-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(path);
  }
  ~TempPath() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

void expectRoundTrip(const ModelDesc &m) {
  std::vector<uint8_t> bytes = encodeFbz(m);
  ModelDesc back = decodeFbz(bytes);
  EXPECT_EQ(back, m);
  EXPECT_EQ(encodeFbz(back), bytes) << "re-encoding is not byte-identical";
}

} // namespace

TEST(FbzRoundTrip, V1ModelIsExact) {
  ModelDesc m = v1Model();
  ModelDesc back = decodeFbz(encodeFbz(m));
  EXPECT_EQ(back, m);
  // Spot checks, so the test does not rest on operator== alone.
  ASSERT_EQ(back.layers.size(), 3u);
  EXPECT_EQ(back.name, "ds_cnn_v1");
  EXPECT_EQ(back.ipVersion, IpVersion::v1);
  EXPECT_EQ(back.inputShape, (std::vector<int64_t>{28, 28, 1}));
  const LayerDesc &sep = back.layers[1];
  EXPECT_EQ(sep.type, LayerType::SeparableConvolutional);
  EXPECT_EQ(sep.inbounds, std::vector<int>{0});
  EXPECT_EQ(sep.params.at("pool_size_y"), 2);
  const Variable &w = sep.variables.at("weights_pw");
  EXPECT_EQ(w.bitwidth, 4);
  EXPECT_EQ(w.array.dtype, DType::Int8);
  EXPECT_EQ(w.array.shape, (std::vector<int64_t>{1, 1, 8, 16}));
  EXPECT_EQ(w.array.ints(), m.layers[1].variables.at("weights_pw").array.ints());
  EXPECT_EQ(back.layers[2].variables.at("act_step").array.floats(),
            m.layers[2].variables.at("act_step").array.floats());
  EXPECT_EQ(back.layers[0].variables.at("threshold").array.dtype, DType::Int32);
  EXPECT_FALSE(back.learning.has_value());
}

TEST(FbzRoundTrip, V2ModelWithLearningIsExact) {
  ModelDesc m = v2Model();
  ModelDesc back = decodeFbz(encodeFbz(m));
  EXPECT_EQ(back, m);
  ASSERT_EQ(back.layers.size(), 7u);
  EXPECT_EQ(back.layers[4].inbounds, (std::vector<int>{3, 1, 2}));
  EXPECT_TRUE(back.layers[4].params.empty());
  EXPECT_TRUE(back.layers[4].variables.empty());
  EXPECT_EQ(back.layers[5].variables.at("max_value").array.dtype, DType::UInt16);
  EXPECT_EQ(back.layers[5].variables.at("activation_scales").array.dtype,
            DType::Int16);
  ASSERT_TRUE(back.learning.has_value());
  EXPECT_EQ(back.learning->numClasses, 10);
  EXPECT_EQ(back.learning->plasticityDecay, 0.125f);
  expectRoundTrip(m);
}

TEST(FbzRoundTrip, EdgeValues) {
  // An empty model.
  expectRoundTrip(ModelDesc{});

  ModelDesc m = smallModel();
  m.name = "";
  m.inputShape = {};
  LayerDesc &l = m.layers[0];
  const char rawName[] = "odd\nname \xc3\xa9\0x"; // embedded NUL
  l.name = std::string(rawName, sizeof rawName - 1);
  l.params["a_min"] = std::numeric_limits<int64_t>::min();
  l.params["z_max"] = std::numeric_limits<int64_t>::max();
  l.params[""] = -1;
  l.params["\xff"] = 3; // sorts after ASCII
  // Empty, 0-D and zero-sized arrays, -0.0f and denormals.
  l.variables["empty"] = Variable{Array::fromInts(DType::UInt16, {0, 4}, {}), 16};
  l.variables["scalar"] = Variable{Array::fromInts(DType::Int32, {}, {-7}), 32};
  l.variables["zeros"] = Variable{
      Array::fromFloats({3}, {-0.0f, std::numeric_limits<float>::denorm_min(),
                              std::numeric_limits<float>::infinity()}),
      32};
  l.variables["bits1"] = Variable{Array::fromInts(DType::UInt8, {2}, {0, 1}), 1};
  LearningDesc learning;
  learning.numWeights = 0;
  learning.initialPlasticity = -0.0f;
  m.learning = learning;
  expectRoundTrip(m);
  ModelDesc back = decodeFbz(encodeFbz(m));
  EXPECT_TRUE(std::signbit(back.learning->initialPlasticity));
  EXPECT_TRUE(std::signbit(back.layers[0].variables.at("zeros").array.floatAt(0)));
  EXPECT_EQ(back.layers[0].name, l.name);
}

TEST(FbzRoundTrip, ConcatenateTakesManyInbounds) {
  ModelDesc m = v2Model();
  m.layers[4].inbounds = {0, 1, 2, 3, 3, 2, 1, 0};
  expectRoundTrip(m);
}

TEST(FbzDeterminism, SameModelSameBytes) {
  for (const ModelDesc &m : {v1Model(), v2Model(), smallModel()}) {
    std::vector<uint8_t> a = encodeFbz(m), b = encodeFbz(m);
    EXPECT_EQ(a, b);
    EXPECT_EQ(encodeFbz(decodeFbz(a)), a);
  }
  // Equal models built independently and in another insertion order.
  ModelDesc m1 = v1Model(), m2 = v1Model();
  std::map<std::string, int64_t> reversed;
  for (auto it = m2.layers[0].params.rbegin(); it != m2.layers[0].params.rend(); ++it)
    reversed.insert(*it);
  m2.layers[0].params = reversed;
  EXPECT_EQ(encodeFbz(m1), encodeFbz(m2));
}

TEST(FbzDeterminism, DifferentModelsDifferentBytes) {
  ModelDesc a = smallModel(), b = smallModel();
  b.layers[1].params["units"] = 3;
  EXPECT_NE(encodeFbz(a), encodeFbz(b));
  b = smallModel();
  b.layers[0].variables.at("weights").bitwidth = 3;
  EXPECT_NE(encodeFbz(a), encodeFbz(b));
}

TEST(FbzHeader, FieldsAreAsDocumented) {
  std::vector<uint8_t> f = encodeFbz(v2Model());
  ASSERT_GE(f.size(), fbz::kHeaderSize);
  const uint8_t magic[8] = {0x89, 'A', 'K', 'I', 'D', 'A', '\r', '\n'};
  EXPECT_EQ(std::vector<uint8_t>(f.begin(), f.begin() + 8),
            std::vector<uint8_t>(magic, magic + 8));
  EXPECT_EQ(get32(f, 8), 1u);  // format version
  EXPECT_EQ(get32(f, 12), 1u); // flags: zlib
  std::string sdk(reinterpret_cast<const char *>(f.data() + 16));
  EXPECT_EQ(sdk, kVersionString);
  EXPECT_EQ(sdk, std::to_string(kVersionMajor) + "." +
                     std::to_string(kVersionMinor) + "." +
                     std::to_string(kVersionPatch));
  for (size_t i = 16 + sdk.size(); i < 32; ++i)
    EXPECT_EQ(f[i], 0) << "SDK version padding at " << i;
  EXPECT_EQ(get64(f, 40), f.size() - 56); // compressed size
  std::vector<uint8_t> payload = payloadOf(f);
  EXPECT_EQ(get64(f, 32), payload.size());
  EXPECT_EQ(get32(f, 48), crc32Of(f.data() + 56, f.size() - 56));
  EXPECT_EQ(get32(f, 52), crc32Of(f.data(), 52));
  // The FlatBuffer carries its own identifier at bytes 4..7.
  EXPECT_EQ(std::string(payload.begin() + 4, payload.begin() + 8), "AKMD");
  // The test helper wraps payloads exactly like the writer.
  EXPECT_EQ(wrapPayload(payload), f);
  // It is compressed: random int8 weights of 4 bits shrink.
  std::vector<uint8_t> v1 = encodeFbz(v1Model(4));
  EXPECT_LT(get64(v1, 40), get64(v1, 32));
}

TEST(FbzFiles, SaveAndLoad) {
  TempPath path("model.fbz");
  ModelDesc m = v2Model();
  saveFbz(m, path.str());
  EXPECT_EQ(loadFbz(path.str()), m);
  EXPECT_FALSE(fs::exists(path.str() + ".tmp"));
  // The file holds exactly the encoded bytes.
  std::ifstream in(path.str(), std::ios::binary);
  std::vector<uint8_t> onDisk((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  EXPECT_EQ(onDisk, encodeFbz(m));
  // Saving again replaces the file.
  saveFbz(smallModel(), path.str());
  EXPECT_EQ(loadFbz(path.str()), smallModel());
}

TEST(FbzFiles, LoadErrorsNameThePath) {
  TempPath dir("dir");
  fs::create_directories(dir.path);
  std::string missing = (dir.path / "missing.fbz").string();
  try {
    loadFbz(missing);
    FAIL() << "loaded a missing file";
  } catch (const FbzError &e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot open '" + missing + "': No such file or directory");
  }
  try {
    loadFbz(dir.str());
    FAIL() << "loaded a directory";
  } catch (const FbzError &e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot open '" + dir.str() + "': Is a directory");
  }
  // A damaged file: the message starts with its path.
  std::string bad = (dir.path / "bad.fbz").string();
  std::ofstream(bad, std::ios::binary) << "hello";
  try {
    loadFbz(bad);
    FAIL() << "loaded a text file";
  } catch (const FbzError &e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad + ": not an Akida model file", 0), 0u)
        << e.what();
  }
  // Saving into a missing directory fails cleanly.
  std::string nowhere = (dir.path / "no" / "such" / "m.fbz").string();
  try {
    saveFbz(smallModel(), nowhere);
    FAIL() << "saved into a missing directory";
  } catch (const FbzError &e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write '" + nowhere + "': No such file or directory");
  }
}

TEST(FbzFiles, LargerModelRoundTrips) {
  // About 2 MB of weights.
  ModelDesc m = v1Model(1);
  Rng rng(7);
  std::vector<int64_t> w(1 << 21);
  for (int64_t &v : w)
    v = rng.range(-8, 7);
  m.layers[2].variables["weights"].array =
      Array::fromInts(DType::Int8, {1, 1, int64_t(w.size()) / 8, 8}, w);
  TempPath path("large.fbz");
  saveFbz(m, path.str());
  EXPECT_EQ(loadFbz(path.str()), m);
  EXPECT_LT(fs::file_size(path.path), w.size()); // 4-bit values compress
}
