// Hand-made models, plans and devices shared by the program tests.

#include "ProgramTestUtil.h"

#include "compiler/program/program_generated.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

namespace akida::test {

namespace {

Array randomInts(DType dtype, std::vector<int64_t> shape, Rng &rng,
                 int64_t lo, int64_t hi) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<int64_t> values(static_cast<size_t>(n));
  for (int64_t &v : values)
    v = rng.range(lo, hi);
  return Array::fromInts(dtype, std::move(shape), values);
}

Array randomFloats(std::vector<int64_t> shape, Rng &rng) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<float> values(static_cast<size_t>(n));
  for (float &v : values)
    v = float(rng.range(1, 1000)) / 64.0f;
  return Array::fromFloats(std::move(shape), values);
}

Variable var(Array a, int bits) { return Variable{std::move(a), bits}; }

Variable weights(std::vector<int64_t> shape, int bits, Rng &rng) {
  return var(randomInts(DType::Int8, std::move(shape), rng, weightMin(bits),
                        weightMax(bits)),
             bits);
}

Device meshDevice(IpVersion ip) {
  Device d;
  d.name = ip == IpVersion::v1 ? "TestMeshV1" : "TestMeshV2";
  d.version = ip == IpVersion::v1 ? hw::TwoNodesIP_v1 : hw::FPGA_v2;
  d.desc = "hand-made test mesh";
  d.mesh.ipVersion = ip;
  d.mesh.dmaEvent = {1, 1, 0};
  d.mesh.dmaConf = {1, 1, 1};
  d.mesh.hrc = NpIdent{1, 1, 2};
  for (int col = 1; col <= 3; ++col)
    for (int row = 2; row <= 3; ++row)
      for (int id = 0; id < 4; ++id) {
        NpInfo np;
        np.ident = {col, row, id};
        np.types = {NpType::CNP1, NpType::CNP2};
        if (ip == IpVersion::v2) {
          np.types.insert(NpType::TNP_B);
          np.hasLut = true;
        }
        if (id == 0)
          np.types.insert(NpType::FNP3);
        if (ip == IpVersion::v1 && col == 3 && row == 3)
          np.types.insert(NpType::FNP2);
        d.mesh.nps.push_back(np);
      }
  if (ip == IpVersion::v2)
    d.mesh.skipDmas = {{{2, 1, 3}, 1}, {{1, 1, 3}, 2}};
  d.mesh.sramSize = ip == IpVersion::v1 ? SramSize_v1 : SramSize_v2;
  return d;
}

NpMapping np(int col, int row, int id, NpType type, int64_t filters) {
  NpMapping m;
  m.ident = {col, row, id};
  m.type = type;
  m.filters = filters;
  return m;
}

std::vector<NpMapping> v1SeparableNps() {
  return {np(2, 2, 1, NpType::CNP1, 3), np(2, 2, 2, NpType::CNP1, 2),
          np(2, 2, 3, NpType::CNP1, 2), np(2, 3, 1, NpType::CNP1, 3),
          np(2, 3, 2, NpType::CNP1, 2), np(2, 3, 3, NpType::CNP1, 2)};
}

} // namespace

int64_t weightMin(int bits) { return bits == 1 ? 0 : -(int64_t(1) << (bits - 1)); }
int64_t weightMax(int bits) {
  return bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
}

Device v1Device() { return meshDevice(IpVersion::v1); }
Device v2Device() { return meshDevice(IpVersion::v2); }

ModelDesc v1Model(int bits, bool fcActivation) {
  Rng rng(1000 + bits);
  ModelDesc m;
  m.name = "v1_program_model";
  m.ipVersion = IpVersion::v1;
  m.inputShape = {6, 7, 3};

  LayerDesc conv;
  conv.name = "conv_0";
  conv.type = LayerType::InputConvolutional;
  conv.params = {{"filters", 5},        {"kernel_size_x", 3},
                 {"kernel_size_y", 3},  {"padding", 1},
                 {"weights_bits", bits}, {"act_bits", 4},
                 {"activation", 1}};
  conv.variables["weights"] = weights({3, 3, 3, 5}, bits, rng);
  conv.variables["threshold"] =
      var(randomInts(DType::Int32, {5}, rng, -1000, 1000), 32);
  conv.variables["act_step"] = var(randomFloats({5}, rng), 32);

  LayerDesc sep;
  sep.name = "separable_1";
  sep.type = LayerType::SeparableConvolutional;
  sep.inbounds = {0};
  sep.params = {{"filters", 7},         {"kernel_size_x", 3},
                {"kernel_size_y", 3},   {"weights_bits", bits},
                {"act_bits", 2}};
  sep.variables["weights"] = weights({3, 3, 5, 1}, bits, rng);
  sep.variables["weights_pw"] = weights({1, 1, 5, 7}, bits, rng);
  sep.variables["threshold"] =
      var(randomInts(DType::Int32, {7}, rng, -500, 500), 32);
  sep.variables["act_step"] = var(randomFloats({7}, rng), 32);

  LayerDesc fc;
  fc.name = "dense_2";
  fc.type = LayerType::FullyConnected;
  fc.inbounds = {1};
  fc.params = {{"units", 3},
               {"weights_bits", bits},
               {"activation", fcActivation ? 1 : 0},
               {"act_bits", 1}};
  fc.variables["weights"] = weights({1, 1, 6 * 7 * 7, 3}, bits, rng);
  fc.variables["threshold"] =
      var(randomInts(DType::Int32, {3}, rng, -500, 500), 32);
  fc.variables["act_step"] = var(randomFloats({3}, rng), 32);

  m.layers = {conv, sep, fc};
  return m;
}

ModelDesc v2Model(int bits) {
  Rng rng(2000 + bits);
  ModelDesc m;
  m.name = "v2_program_model";
  m.ipVersion = IpVersion::v2;
  m.inputShape = {6, 6, 4};

  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params = {{"input_bits", 8}, {"input_signed", 0}};

  LayerDesc conv;
  conv.name = "conv_1";
  conv.type = LayerType::Conv2D;
  conv.inbounds = {0};
  conv.params = {{"filters", 6}, {"kernel_size", 3}, {"weights_bits", bits}};
  conv.variables["weights"] = weights({3, 3, 4, 6}, bits, rng);
  conv.variables["bias"] = var(randomInts(DType::Int8, {6}, rng, -128, 127), 8);
  conv.variables["bias_shift"] =
      var(randomInts(DType::UInt8, {6}, rng, 0, 7), 8);
  conv.variables["input_shift"] =
      var(randomInts(DType::UInt8, {4}, rng, 0, 3), 8);
  conv.variables["output_scales"] =
      var(randomInts(DType::UInt8, {6}, rng, 1, 255), 8);
  conv.variables["output_shift"] =
      var(randomInts(DType::Int8, {6}, rng, -8, 0), 8);
  conv.variables["max_value"] = var(randomInts(DType::UInt8, {1}, rng, 1, 255), 8);
  conv.variables["max_value_shift"] =
      var(randomInts(DType::UInt8, {1}, rng, 0, 4), 8);

  LayerDesc dw;
  dw.name = "dw_2";
  dw.type = LayerType::DepthwiseConv2D;
  dw.inbounds = {1};
  dw.params = {{"kernel_size", 3}, {"weights_bits", bits}, {"activation", 2}};
  dw.variables["weights"] = weights({3, 3, 6}, bits, rng);
  dw.variables["input_shift"] = var(randomInts(DType::UInt8, {6}, rng, 0, 3), 8);
  dw.variables["bias"] = var(randomInts(DType::Int8, {6}, rng, -128, 127), 8);
  dw.variables["activation_scales"] =
      var(randomInts(DType::UInt8, {6}, rng, 1, 255), 8);
  dw.variables["activation_shift"] =
      var(randomInts(DType::Int8, {6}, rng, -8, 8), 8);
  dw.variables["lut_values"] =
      var(randomInts(DType::Int32, {16}, rng, -100000, 100000), 32);
  dw.variables["output_scales"] =
      var(randomInts(DType::UInt8, {6}, rng, 1, 255), 8);
  dw.variables["output_shift"] =
      var(randomInts(DType::Int8, {6}, rng, -8, 0), 8);

  LayerDesc add;
  add.name = "add_3";
  add.type = LayerType::Add;
  add.inbounds = {1, 2};
  add.variables["a_shift"] = var(randomInts(DType::Int8, {6}, rng, -2, 2), 8);
  add.variables["b_shift"] = var(randomInts(DType::Int8, {6}, rng, -2, 2), 8);
  add.variables["output_shift"] =
      var(randomInts(DType::Int8, {6}, rng, -2, 2), 8);

  LayerDesc dense;
  dense.name = "dense_4";
  dense.type = LayerType::Dense1D;
  dense.inbounds = {3};
  dense.params = {{"units", 5}, {"weights_bits", bits}, {"activation", 0}};
  dense.variables["weights"] = weights({6 * 6 * 6, 5}, bits, rng);
  dense.variables["bias"] = var(randomInts(DType::Int8, {5}, rng, -128, 127), 8);
  dense.variables["output_scales"] =
      var(randomInts(DType::UInt8, {5}, rng, 1, 255), 8);
  dense.variables["output_shift"] =
      var(randomInts(DType::Int8, {5}, rng, -8, 0), 8);

  m.layers = {in, conv, dw, add, dense};
  return m;
}

std::vector<ActType> outputTypes(const ModelDesc &model) {
  std::vector<ActType> out;
  for (const LayerDesc &layer : model.layers) {
    std::vector<ActType> inputs;
    if (layer.inbounds.empty())
      inputs.push_back(modelInputType(model));
    for (int in : layer.inbounds)
      inputs.push_back(out[size_t(in)]);
    out.push_back(inferLayerOutput(layer, inputs));
  }
  return out;
}

SequencePlan v1Plan() {
  SequencePlan s;
  s.hardware = true;
  s.layers = {0, 1, 2};
  PassPlan p;
  p.layers = {0, 1, 2};
  p.nps[0] = {};
  p.nps[1] = v1SeparableNps();
  p.nps[2] = {np(1, 2, 0, NpType::FNP3, 3)};
  s.passes = {p};
  return s;
}

SequencePlan v1TwoPassPlan() {
  SequencePlan s;
  s.hardware = true;
  s.layers = {0, 1, 2};
  PassPlan a;
  a.layers = {0, 1};
  a.nps[0] = {};
  a.nps[1] = v1SeparableNps();
  PassPlan b;
  b.layers = {2};
  b.nps[2] = {np(1, 2, 0, NpType::FNP3, 3)};
  s.passes = {a, b};
  return s;
}

SequencePlan v2Plan() {
  SequencePlan s;
  s.hardware = true;
  s.layers = {0, 1, 2, 3, 4};
  PassPlan p;
  p.layers = {0, 1, 2, 3, 4};
  p.nps[0] = {};
  p.nps[1] = {np(1, 2, 1, NpType::CNP1, 4), np(1, 2, 2, NpType::CNP1, 2)};
  p.nps[2] = {np(1, 3, 1, NpType::CNP2, 2), np(1, 3, 2, NpType::CNP2, 2),
              np(1, 3, 3, NpType::CNP2, 2)};
  p.nps[3] = {};
  p.nps[4] = {np(1, 2, 0, NpType::FNP3, 5)};
  s.passes = {p};
  return s;
}

Array sliceLastAxis(const Array &a, int64_t first, int64_t count) {
  Array out;
  out.dtype = a.dtype;
  out.shape = a.shape;
  out.shape.back() = count;
  const int64_t last = a.shape.back();
  const size_t es = dtypeSize(a.dtype);
  for (int64_t i = 0; i < a.size(); ++i) {
    int64_t f = i % last;
    if (f >= first && f < first + count)
      out.bytes.insert(out.bytes.end(), a.bytes.begin() + long(i * es),
                       a.bytes.begin() + long((i + 1) * es));
  }
  return out;
}

std::optional<std::string> readError(const std::vector<uint8_t> &bytes) {
  try {
    readProgram(bytes);
  } catch (const ProgramError &e) {
    return std::string(e.what());
  } catch (const std::exception &e) {
    ADD_FAILURE() << "not a ProgramError: " << e.what();
    return std::string("other exception");
  }
  return std::nullopt;
}

namespace {

uint32_t get32(const std::vector<uint8_t> &b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 |
         uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}
void put32(std::vector<uint8_t> &b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + size_t(i)] = uint8_t(v >> (8 * i));
}
uint32_t crc(const uint8_t *p, size_t n) {
  return uint32_t(crc32_z(crc32(0L, Z_NULL, 0), p, n));
}

} // namespace

size_t infoFieldOffset(const std::vector<uint8_t> &program, uint16_t field,
                       int span) {
  const auto *info =
      flatbuffers::GetSizePrefixedRoot<pfb::ProgramInfo>(program.data());
  const flatbuffers::Table *table =
      span < 0 ? reinterpret_cast<const flatbuffers::Table *>(info)
               : reinterpret_cast<const flatbuffers::Table *>(
                     info->passes()->Get(flatbuffers::uoffset_t(span)));
  const uint8_t *p = table->GetAddressOf(field);
  if (!p)
    throw std::runtime_error("field not present");
  return size_t(p - program.data());
}

void reseal(std::vector<uint8_t> &program) {
  const size_t infoSize = get32(program, 0);
  const size_t dataSize = get32(program, 4 + infoSize);
  put32(program, infoFieldOffset(program, pfb::ProgramInfo::VT_DATA_SIZE),
        uint32_t(dataSize));
  put32(program, infoFieldOffset(program, pfb::ProgramInfo::VT_DATA_CRC32),
        crc(program.data() + 8 + infoSize, dataSize));
  const size_t at = infoFieldOffset(program, pfb::ProgramInfo::VT_INFO_CRC32);
  put32(program, at, 0);
  put32(program, at, crc(program.data() + 4, infoSize));
}

} // namespace akida::test
