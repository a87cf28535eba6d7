//===- ProgramRead.cpp - From a program's bytes to its structs ------------===//
//
// readProgram: never trusts its input. Sizes, checksums and versions are
// checked, the FlatBuffers Verifier runs on every buffer before a field is
// read, the conversion is charged against the buffer size, and the result
// obeys the same content rules as the writer's input (ProgramRules.cpp).
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"
#include "compiler/program/ProgramInternal.h"

#include "compiler/fbz/Version.h"
#include "compiler/program/program_generated.h"

#include <cstdio>
#include <cstring>

namespace akida {

using namespace program::detail;

namespace {

uint32_t read32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// Converts verified FlatBuffers into plain structs. The Verifier accepts
/// offsets that point to the same object more than once, so a small buffer
/// could expand into a huge program; every object converted is charged
/// against the buffer size at no more than the bytes it must occupy on its
/// own, which no writer's output exceeds.
class Reader {
public:
  explicit Reader(size_t limit) : budget(limit) {}

  std::string toString(const flatbuffers::String *s) {
    charge(sizeof(flatbuffers::uoffset_t) + s->size() + 1);
    return std::string(s->data(), s->size());
  }

  /// Scalar vector elements, copied byte-wise (the Verifier only checks the
  /// alignment of the length).
  template <typename T, typename U = T>
  std::vector<U> toVector(const flatbuffers::Vector<T> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()) * sizeof(T));
    std::vector<U> out(v->size());
    const uint8_t *p = v->Data();
    for (size_t i = 0; i < out.size(); ++i) {
      T x;
      std::memcpy(&x, p + i * sizeof(T), sizeof(T));
      out[i] = static_cast<U>(flatbuffers::EndianScalar(x));
    }
    return out;
  }

  IoDesc io(const pfb::IoType &t) {
    IoDesc d;
    d.dims = {t.rows(), t.cols(), t.channels()};
    d.bits = t.bits();
    d.isSigned = t.is_signed();
    d.format = static_cast<DataFormat>(t.format());
    return d;
  }

  Endpoint endpoint(const pfb::Endpoint &e) {
    Endpoint out;
    out.kind = static_cast<EndpointKind>(e.kind());
    out.ident = {e.col(), e.row(), e.id()};
    return out;
  }

  std::vector<DmaDescriptor>
  routes(const flatbuffers::Vector<const pfb::Route *> *v) {
    charge(sizeof(flatbuffers::uoffset_t) + size_t(v->size()) * sizeof(pfb::Route));
    std::vector<DmaDescriptor> out;
    out.reserve(v->size());
    for (const pfb::Route *r : *v)
      out.push_back({endpoint(r->src()), endpoint(r->dst()), r->src_layer(),
                     r->dst_layer(), r->dst_input(), r->first_channel(),
                     r->channel_count()});
    return out;
  }

  UnitRecord unit(const pfb::Unit &u, const std::string &what) {
    charge(8 + 3 * 4 + 3 + 2 * sizeof(pfb::IoType)); // slot, vtable, fields
    UnitRecord r;
    r.type = static_cast<NpType>(u.type());
    r.ident = {u.ident()->col(), u.ident()->row(), u.ident()->id()};
    r.dmaChannel = u.dma_channel();
    r.layer = u.layer();
    r.layerType = static_cast<LayerType>(u.layer_type());
    r.input = io(*u.input());
    r.output = io(*u.output());
    r.firstFilter = u.first_filter();
    r.filterCount = u.filter_count();
    r.totalFilters = u.total_filters();
    r.columnBlock = u.column_block();
    r.columnBlocks = u.column_blocks();
    r.firstColumn = u.first_column();
    r.columnCount = u.column_count();
    charge(sizeof(flatbuffers::uoffset_t));
    const std::string *previous = nullptr;
    for (const pfb::Param *p : *u.params()) {
      charge(12); // slot, vtable offset, key offset
      std::string key = toString(p->key());
      if (previous && !(*previous < key))
        fail(kRead, what + ": parameter " + quoted(key) + " after " +
                        quoted(*previous) + " (sorted by name, no duplicates)");
      previous = &r.params.emplace(std::move(key), p->value()).first->first;
    }
    charge(sizeof(flatbuffers::uoffset_t));
    for (const pfb::Tensor *t : *u.tensors()) {
      charge(20); // slot, vtable offset, name, shape and data offsets
      ProgramTensor pt;
      pt.name = toString(t->name());
      pt.dtype = static_cast<DType>(t->dtype());
      pt.bits = t->bits();
      pt.packed = t->packed();
      pt.perFilter = t->per_filter();
      if (t->shape()->size() > program::kMaxRank)
        fail(kRead, what + " tensor " + quoted(pt.name) + ": rank " +
                        str(t->shape()->size()) + " (at most " +
                        str(int64_t(program::kMaxRank)) + ")");
      pt.shape = toVector<int32_t, int64_t>(t->shape());
      charge(sizeof(flatbuffers::uoffset_t) + t->data()->size());
      pt.data.assign(t->data()->data(), t->data()->data() + t->data()->size());
      r.tensors.push_back(std::move(pt));
    }
    r.routes = routes(u.routes());
    return r;
  }

private:
  size_t budget;

  void charge(size_t bytes) {
    if (bytes > budget)
      fail(kRead, "the data refers to the same object more than once (each "
                  "string, vector and table stored once)");
    budget -= bytes;
  }
};

/// A copy of [p, p + n) in memory aligned for any scalar, as the Verifier
/// and the accessors need.
std::vector<uint8_t> aligned(const uint8_t *p, size_t n) {
  return std::vector<uint8_t>(p, p + n); // operator new: max_align_t
}

flatbuffers::Verifier::Options verifierOptions() {
  flatbuffers::Verifier::Options o;
  o.max_depth = 16;
  o.max_tables = 1u << 22;
  return o;
}

/// "the ProgramInfo" etc. with the number of bytes, for truncation messages.
std::string bytesStr(uint64_t n) {
  return str(int64_t(n)) + (n == 1 ? " byte" : " bytes");
}

} // namespace

DecodedProgram readProgram(const uint8_t *data, size_t size) {
  const std::string &P = kRead;
  if (!data && size != 0)
    fail(P, "no data (a buffer)");
  if (size == 0)
    fail(P, "empty (a program starts with the 4-byte size of its ProgramInfo)");
  if (size > program::kMaxProgramBytes)
    fail(P, bytesStr(size) + " (at most " +
                bytesStr(program::kMaxProgramBytes) + ")");
  if (size >= 12 && std::memcmp(data + 8, program::kInfoIdentifier, 4) != 0)
    fail(P, "not an Akida program (no ProgramInfo identifier '" +
                std::string(program::kInfoIdentifier) + "' at byte 8)");
  if (size < 4)
    fail(P, "truncated: " + bytesStr(size) +
                " (a program starts with the 4-byte size of its ProgramInfo)");
  const uint64_t infoSize = read32(data);
  if (infoSize < 12)
    fail(P, "ProgramInfo size " + str(int64_t(infoSize)) +
                " (a ProgramInfo FlatBuffer has at least 12 bytes)");
  if (4 + infoSize > size)
    fail(P, "truncated: the ProgramInfo takes " + bytesStr(infoSize) +
                " but " + bytesStr(size - 4) + " follow its size");
  if (8 + infoSize > size)
    fail(P, "truncated: " + bytesStr(size - 4 - infoSize) +
                " after the ProgramInfo (the 4-byte size of the program "
                "data)");
  const uint8_t *dataPrefix = data + 4 + infoSize;
  const uint64_t dataSize = read32(dataPrefix);
  const uint64_t total = 8 + infoSize + dataSize;
  if (total > size)
    fail(P, "truncated: the program data takes " + bytesStr(dataSize) +
                " but " + bytesStr(size - 8 - infoSize) + " follow its size");
  if (total < size)
    fail(P, bytesStr(size - total) + " of trailing data after the program "
                "data (program of " + bytesStr(total) + ")");

  // ProgramInfo: verified, then its checksum and versions.
  std::vector<uint8_t> infoBuf = aligned(data, size_t(4 + infoSize));
  {
    flatbuffers::Verifier v(infoBuf.data(), infoBuf.size(), verifierOptions());
    if (!v.VerifySizePrefixedBuffer<pfb::ProgramInfo>(program::kInfoIdentifier))
      fail(P, "the ProgramInfo is not a valid FlatBuffer of "
              "compiler/program/program.fbs");
  }
  const auto *info =
      flatbuffers::GetSizePrefixedRoot<pfb::ProgramInfo>(infoBuf.data());
  const uint8_t *crcField = reinterpret_cast<const flatbuffers::Table *>(info)
                                ->GetAddressOf(pfb::ProgramInfo::VT_INFO_CRC32);
  if (!crcField)
    fail(P, "the ProgramInfo has no checksum (info_crc32)");
  {
    std::vector<uint8_t> zeroed(infoBuf.begin() + 4, infoBuf.end());
    size_t at = size_t(crcField - infoBuf.data()) - 4;
    std::memset(zeroed.data() + at, 0, 4);
    uint32_t crc = crc32Of(zeroed.data(), zeroed.size());
    // Another format version may checksum differently: say both.
    if (crc != info->info_crc32() &&
        info->format_version() != program::kFormatVersion)
      fail(P, "format version " + str(info->format_version()) +
                  " (this Akida " + kVersionString + " reads format version " +
                  str(program::kFormatVersion) + "), or a corrupted program "
                  "(ProgramInfo checksum mismatch)");
    if (crc != info->info_crc32())
      fail(P, "ProgramInfo checksum mismatch, the program is corrupted "
              "(CRC-32 " + hex32(crc) + ", stored " +
              hex32(info->info_crc32()) + ")");
  }
  Reader reader(infoBuf.size());
  const std::string writer = reader.toString(info->sdk_version());
  if (info->format_version() != program::kFormatVersion)
    fail(P, "format version " + str(info->format_version()) + " (written by " +
                "Akida " + quoted(writer) + ") but this Akida " +
                kVersionString + " reads format version " +
                str(program::kFormatVersion));
  if (writer != kVersionString)
    fail(P, "written by Akida " + quoted(writer) + "; this is Akida " +
                kVersionString + " and programs must match it exactly");
  if (info->data_size() != dataSize)
    fail(P, "the ProgramInfo says " + bytesStr(info->data_size()) +
                " of program data but the program has " + bytesStr(dataSize));

  // ProgramData: checksum, then verified, then the pass spans.
  const uint8_t *dataStartIn = dataPrefix + 4;
  uint32_t dataCrc = crc32Of(dataStartIn, size_t(dataSize));
  if (dataCrc != info->data_crc32())
    fail(P, "program data checksum mismatch, the program is corrupted "
            "(CRC-32 " + hex32(dataCrc) + ", ProgramInfo says " +
            hex32(info->data_crc32()) + ")");
  std::vector<uint8_t> dataBuf = aligned(dataPrefix, size_t(4 + dataSize));
  {
    flatbuffers::Verifier v(dataBuf.data(), dataBuf.size(), verifierOptions());
    if (!v.VerifySizePrefixedBuffer<pfb::ProgramData>(program::kDataIdentifier))
      fail(P, "the program data is not a valid FlatBuffer of "
              "compiler/program/program.fbs");
  }
  const auto *pd =
      flatbuffers::GetSizePrefixedRoot<pfb::ProgramData>(dataBuf.data());
  const uint8_t *dataStart = dataBuf.data() + 4;
  const auto *spans = info->passes();
  if (spans->size() != pd->passes()->size())
    fail(P, "the ProgramInfo lists " + str(spans->size()) +
                " passes but the program data holds " +
                str(pd->passes()->size()));

  DecodedProgram prog;
  prog.formatVersion = info->format_version();
  prog.sdkVersion = writer;
  prog.deviceName = reader.toString(info->device_name());
  const pfb::HwVersion *hw = info->device_version();
  prog.deviceVersion = {hw->vendor_id(), hw->product_id(), hw->major_rev(),
                        hw->minor_rev()};
  prog.ipVersion = static_cast<IpVersion>(info->ip_version());
  prog.input = reader.io(*info->input());
  prog.output = reader.io(*info->output());
  prog.outputActivation = info->output_activation();
  prog.denseWindowRows = info->dense_window_rows();
  prog.denseWindowCols = info->dense_window_cols();
  prog.maxNumDescriptors = info->max_num_desc();
  prog.dequantShifts = reader.toVector(info->dequant_shifts());
  prog.dequantScales = reader.toVector(info->dequant_scales());

  uint64_t end = 0;
  for (flatbuffers::uoffset_t i = 0; i < spans->size(); ++i) {
    const pfb::PassSpan &span = *spans->Get(i);
    const std::string what = "pass " + str(i);
    const auto *blob = pd->passes()->Get(i)->data();
    const uint64_t offset = uint64_t(blob->Data() - dataStart);
    if (span.data_offset() != offset || span.data_size() != blob->size())
      fail(P, what + ": the ProgramInfo spans bytes [" +
                  str(span.data_offset()) + ", +" + str(span.data_size()) +
                  ") of the program data but the pass is at [" +
                  str(int64_t(offset)) + ", +" + str(blob->size()) + ")");
    if (offset < end)
      fail(P, what + ": its bytes overlap the previous pass's (passes "
                  "stored one after the other)");
    end = offset + blob->size();

    PassProgram pass;
    pass.layers = reader.toVector(span.layers());
    for (const flatbuffers::String *s : *span.layer_names())
      pass.layerNames.push_back(reader.toString(s));
    pass.dataOffset = span.data_offset();
    pass.dataSize = span.data_size();
    pass.numDescriptors = span.num_desc();

    std::vector<uint8_t> passBuf = aligned(blob->Data(), blob->size());
    flatbuffers::Verifier v(passBuf.data(), passBuf.size(), verifierOptions());
    if (!v.VerifyBuffer<pfb::PassData>(program::kPassIdentifier))
      fail(P, what + " is not a valid PassData FlatBuffer of "
                     "compiler/program/program.fbs");
    const auto *pdata = flatbuffers::GetRoot<pfb::PassData>(passBuf.data());
    Reader passReader(passBuf.size());
    if (pdata->hrc())
      pass.hrc = passReader.unit(*pdata->hrc(), what + " HRC record");
    for (flatbuffers::uoffset_t k = 0; k < pdata->nps()->size(); ++k)
      pass.nps.push_back(passReader.unit(*pdata->nps()->Get(k),
                                         what + " NP record " + str(k)));
    for (flatbuffers::uoffset_t k = 0; k < pdata->merges()->size(); ++k)
      pass.merges.push_back(passReader.unit(
          *pdata->merges()->Get(k), what + " merge record " + str(k)));
    pass.inputs = passReader.routes(pdata->inputs());
    if (span.num_records() != pass.numRecords())
      fail(P, what + ": the ProgramInfo counts " + str(span.num_records()) +
                  " records but the pass holds " +
                  str(int64_t(pass.numRecords())));
    prog.passes.push_back(std::move(pass));
  }

  validateProgram(prog, P);
  prog.infoBytes = size_t(infoSize);
  prog.dataBytes = size_t(dataSize);
  prog.totalBytes = size;
  return prog;
}

} // namespace akida
