//===- ProgramWrite.cpp - From a program's structs to its bytes -----------===//
//
// writeProgram: a DecodedProgram, checked against the content rules
// (ProgramRules.cpp), serialized as two size-prefixed FlatBuffers of
// program.fbs, ProgramInfo then ProgramData, with one nested PassData buffer
// per pass, the pass spans and the CRC-32 checksums. Deterministic.
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"
#include "compiler/program/ProgramInternal.h"

#include "compiler/program/program_generated.h"

namespace akida {

using namespace program::detail;

static_assert(program::kMaxProgramBytes < FLATBUFFERS_MAX_BUFFER_SIZE,
              "programs must stay below the FlatBuffers limit");

namespace {

void write32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

using FBB = flatbuffers::FlatBufferBuilder;

pfb::IoType toFb(const IoDesc &io) {
  return pfb::IoType(static_cast<int32_t>(io.dims[0]),
                     static_cast<int32_t>(io.dims[1]),
                     static_cast<int32_t>(io.dims[2]),
                     static_cast<uint8_t>(io.bits), io.isSigned,
                     static_cast<pfb::DataFormat>(io.format));
}

pfb::Endpoint toFb(const Endpoint &e) {
  return pfb::Endpoint(static_cast<pfb::EndpointKind>(e.kind),
                       static_cast<uint8_t>(e.ident.col),
                       static_cast<uint8_t>(e.ident.row),
                       static_cast<uint8_t>(e.ident.id));
}

pfb::Route toFb(const DmaDescriptor &r) {
  return pfb::Route(toFb(r.source), toFb(r.dest), r.sourceLayer, r.destLayer,
                    r.destInput, static_cast<int32_t>(r.firstChannel),
                    static_cast<int32_t>(r.channelCount));
}

flatbuffers::Offset<flatbuffers::Vector<const pfb::Route *>>
routesToFb(FBB &fbb, const std::vector<DmaDescriptor> &routes) {
  std::vector<pfb::Route> v;
  v.reserve(routes.size());
  for (const DmaDescriptor &r : routes)
    v.push_back(toFb(r));
  return fbb.CreateVectorOfStructs(v);
}

flatbuffers::Offset<pfb::Unit> unitToFb(FBB &fbb, const UnitRecord &u) {
  std::vector<flatbuffers::Offset<pfb::Param>> params;
  for (const auto &[key, value] : u.params) // std::map: sorted by key
    params.push_back(pfb::CreateParam(fbb, fbb.CreateString(key), value));
  std::vector<flatbuffers::Offset<pfb::Tensor>> tensors;
  for (const ProgramTensor &t : u.tensors) {
    auto name = fbb.CreateString(t.name);
    std::vector<int32_t> shape(t.shape.begin(), t.shape.end());
    auto shapeOff = fbb.CreateVector(shape);
    auto data = fbb.CreateVector(t.data);
    tensors.push_back(pfb::CreateTensor(
        fbb, name, static_cast<pfb::DType>(t.dtype),
        static_cast<uint8_t>(t.bits), t.packed, t.perFilter, shapeOff, data));
  }
  auto paramsOff = fbb.CreateVector(params);
  auto tensorsOff = fbb.CreateVector(tensors);
  auto routesOff = routesToFb(fbb, u.routes);
  pfb::Ident ident(static_cast<uint8_t>(u.ident.col),
                   static_cast<uint8_t>(u.ident.row),
                   static_cast<uint8_t>(u.ident.id));
  pfb::IoType input = toFb(u.input), output = toFb(u.output);
  return pfb::CreateUnit(
      fbb, static_cast<pfb::NpType>(u.type), &ident, u.dmaChannel, u.layer,
      static_cast<int32_t>(u.layerType), paramsOff, &input, &output,
      static_cast<int32_t>(u.firstFilter), static_cast<int32_t>(u.filterCount),
      static_cast<int32_t>(u.totalFilters),
      static_cast<int32_t>(u.columnBlock),
      static_cast<int32_t>(u.columnBlocks),
      static_cast<int32_t>(u.firstColumn), static_cast<int32_t>(u.columnCount),
      tensorsOff, routesOff);
}

/// A generous upper estimate of a pass buffer, to refuse what the builder
/// could not hold before building it.
uint64_t estimateUnit(const UnitRecord &u) {
  uint64_t n = 256 + 32 * u.routes.size();
  for (const auto &[key, value] : u.params)
    n += 48 + key.size();
  for (const ProgramTensor &t : u.tensors)
    n += 96 + t.name.size() + 4 * t.shape.size() + t.data.size();
  return n;
}

std::vector<uint8_t> passToFb(const PassProgram &pass) {
  FBB fbb(1024);
  fbb.ForceDefaults(true);
  flatbuffers::Offset<pfb::Unit> hrc;
  if (pass.hrc)
    hrc = unitToFb(fbb, *pass.hrc);
  std::vector<flatbuffers::Offset<pfb::Unit>> nps, merges;
  for (const UnitRecord &u : pass.nps)
    nps.push_back(unitToFb(fbb, u));
  for (const UnitRecord &u : pass.merges)
    merges.push_back(unitToFb(fbb, u));
  auto npsOff = fbb.CreateVector(nps);
  auto mergesOff = fbb.CreateVector(merges);
  auto inputsOff = routesToFb(fbb, pass.inputs);
  auto root = pfb::CreatePassData(fbb, hrc, npsOff, mergesOff, inputsOff);
  fbb.Finish(root, program::kPassIdentifier);
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

} // namespace

std::vector<uint8_t> writeProgram(const DecodedProgram &prog) {
  validateProgram(prog, kWrite);
  uint64_t estimate = 4096;
  for (const PassProgram &pass : prog.passes) {
    estimate += 512 + 32 * pass.inputs.size();
    for (const std::string &name : pass.layerNames)
      estimate += 16 + name.size();
    if (pass.hrc)
      estimate += estimateUnit(*pass.hrc);
    for (const UnitRecord &u : pass.nps)
      estimate += estimateUnit(u);
    for (const UnitRecord &u : pass.merges)
      estimate += estimateUnit(u);
    if (estimate > program::kMaxProgramBytes)
      fail(kWrite, "program too large (at most " +
                       str(int64_t(program::kMaxProgramBytes)) + " bytes)");
  }

  // ProgramData: one nested PassData buffer per pass. The blobs are created
  // last pass first so that, as FlatBuffers fills its buffer from the end,
  // pass 0 comes first and the spans increase with the pass index.
  std::vector<std::vector<uint8_t>> passBuffers;
  for (const PassProgram &pass : prog.passes)
    passBuffers.push_back(passToFb(pass));
  FBB dfb(1024);
  dfb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<pfb::PassBlob>> blobs(passBuffers.size());
  for (size_t i = passBuffers.size(); i-- > 0;)
    blobs[i] = pfb::CreatePassBlob(dfb, dfb.CreateVector(passBuffers[i]));
  auto passesOff = dfb.CreateVector(blobs);
  dfb.FinishSizePrefixed(pfb::CreateProgramData(dfb, passesOff),
                         program::kDataIdentifier);
  const uint8_t *dataBuf = dfb.GetBufferPointer();
  const size_t dataSize = dfb.GetSize() - 4;
  const auto *data = flatbuffers::GetSizePrefixedRoot<pfb::ProgramData>(dataBuf);
  const uint8_t *dataStart = dataBuf + 4;
  const uint32_t dataCrc = crc32Of(dataStart, dataSize);

  // ProgramInfo, with its own checksum patched in at the end.
  FBB ifb(1024);
  ifb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<pfb::PassSpan>> spans;
  for (size_t i = 0; i < prog.passes.size(); ++i) {
    const PassProgram &pass = prog.passes[i];
    const auto *blob = data->passes()->Get(static_cast<flatbuffers::uoffset_t>(i));
    auto layers = ifb.CreateVector(pass.layers);
    auto names = ifb.CreateVectorOfStrings(pass.layerNames);
    spans.push_back(pfb::CreatePassSpan(
        ifb, layers, names,
        static_cast<uint32_t>(blob->data()->Data() - dataStart),
        blob->data()->size(), static_cast<uint32_t>(pass.numRecords()),
        pass.numDescriptors));
  }
  auto sdk = ifb.CreateString(prog.sdkVersion);
  auto deviceName = ifb.CreateString(prog.deviceName);
  auto spansOff = ifb.CreateVector(spans);
  auto shifts = ifb.CreateVector(prog.dequantShifts);
  auto scales = ifb.CreateVector(prog.dequantScales);
  pfb::HwVersion hw(prog.deviceVersion.vendorId, prog.deviceVersion.productId,
                    prog.deviceVersion.majorRev, prog.deviceVersion.minorRev);
  pfb::IoType input = toFb(prog.input), output = toFb(prog.output);
  auto root = pfb::CreateProgramInfo(
      ifb, prog.formatVersion, /*info_crc32=*/0, dataCrc,
      static_cast<uint32_t>(dataSize), sdk, deviceName, &hw,
      static_cast<uint8_t>(prog.ipVersion), &input, &output,
      prog.outputActivation, static_cast<int32_t>(prog.denseWindowRows),
      static_cast<int32_t>(prog.denseWindowCols), prog.maxNumDescriptors,
      spansOff, shifts, scales);
  ifb.FinishSizePrefixed(root, program::kInfoIdentifier);

  std::vector<uint8_t> out(ifb.GetBufferPointer(),
                           ifb.GetBufferPointer() + ifb.GetSize());
  {
    const auto *info = flatbuffers::GetSizePrefixedRoot<pfb::ProgramInfo>(out.data());
    const uint8_t *field = reinterpret_cast<const flatbuffers::Table *>(info)
                               ->GetAddressOf(pfb::ProgramInfo::VT_INFO_CRC32);
    size_t at = static_cast<size_t>(field - out.data());
    write32(out.data() + at, crc32Of(out.data() + 4, out.size() - 4));
  }
  out.insert(out.end(), dataBuf, dataBuf + dfb.GetSize());
  if (out.size() > program::kMaxProgramBytes)
    fail(kWrite, "program too large (" + str(int64_t(out.size())) +
                     " bytes, at most " +
                     str(int64_t(program::kMaxProgramBytes)) + ")");
  return out;
}

} // namespace akida
