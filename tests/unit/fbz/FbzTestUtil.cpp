// Models and byte-level helpers shared by the .fbz tests.

#include "FbzTestUtil.h"

#include "compiler/fbz/Version.h"

#include <zlib.h>

#include <cstring>
#include <stdexcept>

namespace akida::test {

namespace {

Array ints(DType dtype, std::vector<int64_t> shape, Rng &rng, int64_t lo,
           int64_t hi) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<int64_t> values(n);
  for (int64_t &v : values)
    v = rng.range(lo, hi);
  return Array::fromInts(dtype, std::move(shape), values);
}

Array floats(std::vector<int64_t> shape, Rng &rng) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<float> values(n);
  for (float &v : values)
    v = float(rng.range(1, 1000)) / 64.0f;
  return Array::fromFloats(std::move(shape), values);
}

Variable var(Array a, int bits) { return Variable{std::move(a), bits}; }

} // namespace

ModelDesc v1Model(int scale) {
  Rng rng(1234);
  const int64_t f1 = 8 * scale, f2 = 16 * scale, units = 10;
  ModelDesc m;
  m.name = "ds_cnn_v1";
  m.ipVersion = IpVersion::v1;
  m.inputShape = {28, 28, 1};

  LayerDesc in;
  in.name = "conv_0";
  in.type = LayerType::InputConvolutional;
  in.params = {{"filters", f1},       {"kernel_size_x", 3},
               {"kernel_size_y", 3},  {"padding", 1},
               {"kernel_stride_x", 2}, {"kernel_stride_y", 2},
               {"weights_bits", 4},   {"act_bits", 4},
               {"activation", 1},     {"padding_value", 0}};
  in.variables["weights"] = var(ints(DType::Int8, {3, 3, 1, f1}, rng, -8, 7), 4);
  in.variables["threshold"] =
      var(ints(DType::Int32, {f1}, rng, -100000, 100000), 32);
  in.variables["act_step"] = var(floats({f1}, rng), 32);

  LayerDesc sep;
  sep.name = "separable_1";
  sep.type = LayerType::SeparableConvolutional;
  sep.inbounds = {0};
  sep.params = {{"filters", f2},     {"kernel_size_x", 3}, {"kernel_size_y", 3},
                {"weights_bits", 4}, {"pool_type", 1},     {"pool_size_x", 2},
                {"pool_size_y", 2},  {"act_bits", 4}};
  sep.variables["weights"] = var(ints(DType::Int8, {3, 3, f1, 1}, rng, -8, 7), 4);
  sep.variables["weights_pw"] =
      var(ints(DType::Int8, {1, 1, f1, f2}, rng, -8, 7), 4);
  sep.variables["threshold"] = var(ints(DType::Int32, {f2}, rng, -5000, 5000), 32);
  sep.variables["act_step"] = var(floats({f2}, rng), 32);

  LayerDesc fc;
  fc.name = "dense_2";
  fc.type = LayerType::FullyConnected;
  fc.inbounds = {1};
  fc.params = {{"units", units}, {"weights_bits", 4}, {"activation", 0}};
  fc.variables["weights"] =
      var(ints(DType::Int8, {1, 1, 7 * 7 * f2, units}, rng, -8, 7), 4);
  fc.variables["threshold"] = var(ints(DType::Int32, {units}, rng, -9, 9), 32);
  fc.variables["act_step"] = var(floats({units}, rng), 32);

  m.layers = {in, sep, fc};
  return m;
}

ModelDesc v2Model() {
  Rng rng(99);
  ModelDesc m;
  m.name = "akidanet_v2";
  m.ipVersion = IpVersion::v2;
  m.inputShape = {32, 32, 3};

  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params = {{"input_bits", 8}, {"input_signed", 0}};

  LayerDesc c1;
  c1.name = "conv_1";
  c1.type = LayerType::Conv2D;
  c1.inbounds = {0};
  c1.params = {{"filters", 16}, {"kernel_size", 3}, {"kernel_stride", 2},
               {"activation", 1}, {"output_bits", 8}, {"weights_bits", 8}};
  c1.variables["weights"] = var(ints(DType::Int8, {3, 3, 3, 16}, rng, -128, 127), 8);
  c1.variables["bias"] = var(ints(DType::Int8, {16}, rng, -128, 127), 8);
  c1.variables["output_shift"] = var(ints(DType::Int8, {16}, rng, -4, 4), 8);
  c1.variables["output_scales"] = var(ints(DType::UInt8, {16}, rng, 0, 255), 8);

  LayerDesc c2;
  c2.name = "conv_2";
  c2.type = LayerType::Conv2D;
  c2.inbounds = {1};
  c2.params = {{"filters", 16}, {"kernel_size", 1}, {"weights_bits", 4}};
  c2.variables["weights"] = var(ints(DType::Int8, {1, 1, 16, 16}, rng, -8, 7), 4);
  c2.variables["input_shift"] = var(ints(DType::UInt8, {16}, rng, 0, 3), 8);

  LayerDesc add;
  add.name = "add_3";
  add.type = LayerType::Add;
  add.inbounds = {1, 2};
  add.params = {{"output_bits", 8}, {"buffer_bits", 32}};
  add.variables["a_shift"] = var(ints(DType::Int8, {16}, rng, -2, 2), 8);
  add.variables["b_shift"] = var(ints(DType::Int8, {16}, rng, -2, 2), 8);

  LayerDesc cat;
  cat.name = "concat_4";
  cat.type = LayerType::Concatenate;
  cat.inbounds = {3, 1, 2};

  LayerDesc dense;
  dense.name = "dense_5";
  dense.type = LayerType::Dense1D;
  dense.inbounds = {4};
  dense.params = {{"units", 10}, {"output_bits", 32}, {"buffer_bits", 32}};
  dense.variables["weights"] =
      var(ints(DType::Int8, {48 * 16 * 16, 10}, rng, -128, 127), 8);
  dense.variables["lut_values"] = var(ints(DType::Int32, {4}, rng, -1000, 1000), 32);
  dense.variables["bias_shift"] = var(ints(DType::UInt8, {10}, rng, 0, 7), 8);
  dense.variables["max_value"] = var(ints(DType::UInt16, {10}, rng, 0, 65535), 16);
  dense.variables["activation_scales"] = var(ints(DType::Int16, {10}, rng, -300, 300), 16);

  LayerDesc deq;
  deq.name = "dequantizer_6";
  deq.type = LayerType::Dequantizer;
  deq.inbounds = {5};
  deq.variables["scales"] = var(floats({10}, rng), 32);

  m.layers = {in, c1, c2, add, cat, dense, deq};
  LearningDesc learning;
  learning.numWeights = 40;
  learning.numClasses = 10;
  learning.initialPlasticity = 0.75f;
  learning.learningCompetition = 0.1f;
  learning.minPlasticity = 0.05f;
  learning.plasticityDecay = 0.125f;
  m.learning = learning;
  return m;
}

ModelDesc smallModel() {
  ModelDesc m;
  m.name = "tiny";
  m.inputShape = {4, 4, 1};
  LayerDesc in;
  in.name = "in";
  in.type = LayerType::InputConvolutional;
  in.params = {{"filters", 2}, {"kernel_size_x", 1}, {"kernel_size_y", 1},
               {"weights_bits", 4}};
  in.variables["weights"] =
      Variable{Array::fromInts(DType::Int8, {1, 1, 1, 2}, {-3, 7}), 4};
  in.variables["threshold"] =
      Variable{Array::fromInts(DType::Int32, {2}, {100, -2}), 32};
  in.variables["act_step"] = Variable{Array::fromFloats({2}, {0.5f, 2.f}), 32};
  LayerDesc fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.inbounds = {0};
  fc.params = {{"units", 2}};
  fc.variables["weights"] =
      Variable{Array::fromInts(DType::Int8, {1, 1, 32, 2}, std::vector<int64_t>(64, 1)), 1};
  m.layers = {in, fc};
  return m;
}

uint32_t crc32Of(const uint8_t *data, size_t size) {
  return uint32_t(crc32_z(crc32(0L, Z_NULL, 0), data, size));
}

uint32_t get32(const std::vector<uint8_t> &f, size_t o) {
  return uint32_t(f.at(o)) | uint32_t(f.at(o + 1)) << 8 |
         uint32_t(f.at(o + 2)) << 16 | uint32_t(f.at(o + 3)) << 24;
}
uint64_t get64(const std::vector<uint8_t> &f, size_t o) {
  return uint64_t(get32(f, o)) | uint64_t(get32(f, o + 4)) << 32;
}
void put32(std::vector<uint8_t> &f, size_t o, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    f.at(o + i) = uint8_t(v >> (8 * i));
}
void put64(std::vector<uint8_t> &f, size_t o, uint64_t v) {
  put32(f, o, uint32_t(v));
  put32(f, o + 4, uint32_t(v >> 32));
}

void fixHeaderCrc(std::vector<uint8_t> &f) {
  put32(f, fbz::kOffHeaderCrc, crc32Of(f.data(), fbz::kOffHeaderCrc));
}

void fixCrcs(std::vector<uint8_t> &f) {
  put32(f, fbz::kOffPayloadCrc,
        crc32Of(f.data() + fbz::kHeaderSize, f.size() - fbz::kHeaderSize));
  fixHeaderCrc(f);
}

void setSdkVersion(std::vector<uint8_t> &f, const std::string &version) {
  if (version.size() > fbz::kSdkVersionBytes)
    throw std::invalid_argument("version too long");
  std::memset(f.data() + fbz::kOffSdkVersion, 0, fbz::kSdkVersionBytes);
  std::memcpy(f.data() + fbz::kOffSdkVersion, version.data(), version.size());
  fixHeaderCrc(f);
}

std::vector<uint8_t> payloadOf(const std::vector<uint8_t> &file) {
  std::vector<uint8_t> out(get64(file, fbz::kOffPayloadSize));
  uLongf outSize = out.size();
  int rc = uncompress(out.data(), &outSize, file.data() + fbz::kHeaderSize,
                      file.size() - fbz::kHeaderSize);
  if (rc != Z_OK || outSize != out.size())
    throw std::runtime_error("payloadOf: not a well-formed file");
  return out;
}

std::vector<uint8_t> wrapPayload(const std::vector<uint8_t> &flatbuffer) {
  uLongf size = compressBound(flatbuffer.size());
  std::vector<uint8_t> file(fbz::kHeaderSize + size);
  if (compress2(file.data() + fbz::kHeaderSize, &size, flatbuffer.data(),
                flatbuffer.size(), fbz::kZlibLevel) != Z_OK)
    throw std::runtime_error("wrapPayload: compress2 failed");
  file.resize(fbz::kHeaderSize + size);
  std::memcpy(file.data(), fbz::kMagic, sizeof fbz::kMagic);
  put32(file, fbz::kOffFormatVersion, fbz::kFormatVersion);
  put32(file, fbz::kOffFlags, fbz::kFlagZlib);
  put64(file, fbz::kOffPayloadSize, flatbuffer.size());
  put64(file, fbz::kOffCompressedSize, size);
  setSdkVersion(file, kVersionString);
  fixCrcs(file);
  return file;
}

std::optional<std::string> decodeError(const std::vector<uint8_t> &bytes,
                                       ModelDesc *decoded,
                                       const std::string &source) {
  try {
    ModelDesc m = decodeFbz(bytes.data(), bytes.size(), source);
    if (decoded)
      *decoded = std::move(m);
    return std::nullopt;
  } catch (const FbzError &e) {
    return std::string(e.what());
  }
}

} // namespace akida::test
