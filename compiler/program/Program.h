//===- Program.h - Akida device programs ---------------------------*- C++ -*-===//
//
// A program is the binary written to the device for one hardware sequence of
// a mapped model: two size-prefixed FlatBuffers (compiler/program/program.fbs)
//
//   [u32 size][ProgramInfo "AKPI"][u32 size][ProgramData "AKPD"]
//
// ProgramInfo is what the host needs (versions, input/output dims and types,
// pass spans, DMA descriptor counts, de-quantization); ProgramData holds, per
// pass, one configuration record per unit of the mesh (the HRC, each NP, each
// skip-DMA channel of a merge layer) with the layer's parameters, the unit's
// slice of the weights (packed at their bit width) and variables, and the DMA
// descriptors that route its output. docs/program-format.md describes the
// layout, the packing and the versioning.
//
// Writing is deterministic: the same inputs always give the same bytes.
// Reading never trusts its input: any truncated, damaged or forged program
// gives a ProgramError with a one-line message, never a crash.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_PROGRAM_PROGRAM_H
#define AKIDA_COMPILER_PROGRAM_PROGRAM_H

#include "compiler/fbz/ModelDesc.h"
#include "compiler/mapping/Allocator.h"
#include "device/Device.h"
#include "runtime/reference/Shapes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida {

/// Every failure to build, write or read a program. The message is one line:
/// "cannot emit program: ...", "cannot write program: ..." or
/// "invalid program: ...".
class ProgramError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace program {
/// The format version this code writes and the only one it reads.
inline constexpr uint32_t kFormatVersion = 1;
/// FlatBuffers file identifiers of the three buffers.
inline constexpr char kInfoIdentifier[] = "AKPI";
inline constexpr char kDataIdentifier[] = "AKPD";
inline constexpr char kPassIdentifier[] = "AKPS";
/// Largest program written or read (1 GiB, below the FlatBuffers limit).
inline constexpr uint64_t kMaxProgramBytes = uint64_t(1) << 30;
/// Largest rank of a tensor and largest element count.
inline constexpr size_t kMaxRank = 8;
inline constexpr int64_t kMaxElements = int64_t(1) << 31;
} // namespace program

/// How data enters or leaves a unit or the program.
enum class DataFormat : uint8_t { Events = 0, Dense = 1 };
const char *dataFormatName(DataFormat format);

/// Dims (rows, columns, channels) and element type of a tensor.
struct IoDesc {
  std::array<int64_t, 3> dims{};
  int bits = 8;
  bool isSigned = false;
  DataFormat format = DataFormat::Dense;
  bool operator==(const IoDesc &o) const {
    return dims == o.dims && bits == o.bits && isSigned == o.isSigned &&
           format == o.format;
  }
  bool operator!=(const IoDesc &o) const { return !(*this == o); }
};

/// What sends or receives the data of a DMA descriptor.
enum class EndpointKind : uint8_t {
  Np = 0,       ///< an NP of the mesh
  Hrc = 1,      ///< the input-convolution block
  EventDma = 2, ///< the event DMA (mesh.dmaEvent): program input and output
  SkipDma = 3,  ///< a skip-DMA endpoint (v2 merge layers)
};
const char *endpointKindName(EndpointKind kind);

struct Endpoint {
  EndpointKind kind = EndpointKind::Np;
  NpIdent ident;
  bool operator==(const Endpoint &o) const {
    return kind == o.kind && ident == o.ident;
  }
};

/// One DMA descriptor: channels [firstChannel, firstChannel + channelCount)
/// of the output of layer `sourceLayer` go from `source` to `dest`, where they
/// are input number `destInput` of layer `destLayer`. sourceLayer is -1 for
/// the model input (input-convolution layers); destLayer is -1 for the
/// program output (or a consumer in a later pass or sequence, which reads it
/// back through the event DMA).
struct DmaDescriptor {
  Endpoint source;
  Endpoint dest;
  int sourceLayer = -1;
  int destLayer = -1;
  int destInput = 0;
  int64_t firstChannel = 0;
  int64_t channelCount = 0;
  bool operator==(const DmaDescriptor &o) const {
    return source == o.source && dest == o.dest &&
           sourceLayer == o.sourceLayer && destLayer == o.destLayer &&
           destInput == o.destInput && firstChannel == o.firstChannel &&
           channelCount == o.channelCount;
  }
};

/// A weight array or a variable as one unit holds it.
struct ProgramTensor {
  std::string name;
  DType dtype = DType::Int8;
  /// Bit width of the values (weights_bits for weights, else the variable's).
  int bits = 8;
  /// `data` holds the values packed at `bits` bits each (packWeights);
  /// otherwise raw little-endian elements of `dtype` in C order.
  bool packed = false;
  /// The last axis is the filter axis, cut to the unit's filters.
  bool perFilter = false;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  /// Number of elements (product of the shape).
  int64_t size() const;
  /// The values as an Array of `dtype` (packed weights unpacked to int8).
  Array toArray() const;
  bool operator==(const ProgramTensor &o) const {
    return name == o.name && dtype == o.dtype && bits == o.bits &&
           packed == o.packed && perFilter == o.perFilter && shape == o.shape &&
           data == o.data;
  }
};

/// The configuration of one unit for one layer: an NP (CNP1/CNP2/FNP2/FNP3/
/// TNP_B), the HRC (type HRC) or a skip-DMA channel (type SKIP_DMA_LOAD, for
/// Add and Concatenate).
struct UnitRecord {
  NpType type = NpType::CNP1;
  NpIdent ident;
  int dmaChannel = 0; ///< skip-DMA channel of a merge unit, else 0
  int layer = 0;      ///< index into the model's layers
  LayerType layerType = LayerType::Unknown;
  /// The layer's parameters with the schema defaults filled in.
  std::map<std::string, int64_t> params;
  IoDesc input;  ///< the layer's first input
  IoDesc output; ///< the layer's output
  /// Filters (channels for depthwise layers) [firstFilter, firstFilter +
  /// filterCount) of totalFilters.
  int64_t firstFilter = 0;
  int64_t filterCount = 0;
  int64_t totalFilters = 0;
  /// Input column block `columnBlock` of `columnBlocks`: input columns
  /// [firstColumn, firstColumn + columnCount).
  int64_t columnBlock = 0;
  int64_t columnBlocks = 1;
  int64_t firstColumn = 0;
  int64_t columnCount = 0;
  /// Weights and variables, sorted by name.
  std::vector<ProgramTensor> tensors;
  /// Where the unit's output goes.
  std::vector<DmaDescriptor> routes;

  /// The tensor called `name`, or null.
  const ProgramTensor *tensor(const std::string &name) const;
  bool operator==(const UnitRecord &o) const {
    return type == o.type && ident == o.ident && dmaChannel == o.dmaChannel &&
           layer == o.layer && layerType == o.layerType &&
           params == o.params && input == o.input && output == o.output &&
           firstFilter == o.firstFilter && filterCount == o.filterCount &&
           totalFilters == o.totalFilters && columnBlock == o.columnBlock &&
           columnBlocks == o.columnBlocks && firstColumn == o.firstColumn &&
           columnCount == o.columnCount && tensors == o.tensors &&
           routes == o.routes;
  }
};

struct PassProgram {
  /// Model layer indices of the pass (PassPlan::layers) and their names.
  std::vector<int> layers;
  std::vector<std::string> layerNames;
  /// The pass's PassData buffer inside the ProgramData buffer (filled by
  /// writeProgram / readProgram; 0 in buildProgram's result).
  uint32_t dataOffset = 0;
  uint32_t dataSize = 0;
  /// DMA descriptors of the pass: every unit's routes plus `inputs`.
  uint32_t numDescriptors = 0;
  std::optional<UnitRecord> hrc;
  std::vector<UnitRecord> nps;
  std::vector<UnitRecord> merges;
  /// Descriptors that bring data into the pass from the event DMA.
  std::vector<DmaDescriptor> inputs;

  size_t numRecords() const {
    return (hrc ? 1 : 0) + nps.size() + merges.size();
  }
};

/// Everything a program holds, in plain structs.
struct DecodedProgram {
  uint32_t formatVersion = program::kFormatVersion;
  std::string sdkVersion; ///< the writer's SDK version ("0.1.0")
  std::string deviceName;
  HwVersion deviceVersion;
  IpVersion ipVersion = IpVersion::v1;
  IoDesc input;
  IoDesc output;
  bool outputActivation = false;
  /// Rows and columns of the dense input the HRC reads; 0 without HRC.
  int64_t denseWindowRows = 0;
  int64_t denseWindowCols = 0;
  uint32_t maxNumDescriptors = 0;
  std::vector<PassProgram> passes;
  /// float = (potential - shift) / scale per output channel when the output
  /// has no activation; both empty otherwise.
  std::vector<int32_t> dequantShifts;
  std::vector<float> dequantScales;

  /// Byte counts (filled by readProgram): the ProgramInfo and ProgramData
  /// buffers without their 4-byte size prefixes, and the whole program
  /// (totalBytes = 8 + infoBytes + dataBytes).
  size_t infoBytes = 0;
  size_t dataBytes = 0;
  size_t totalBytes = 0;
};

/// What `sequence` (a hardware sequence of `model` as the allocator planned
/// it on `device`) becomes on the device, before serialization. outputTypes[i]
/// is the output of layer i; the model input type is modelInputType(model).
/// Throws ProgramError ("cannot emit program: ...") for a software sequence,
/// a plan that does not match the model or the device, a software layer in a
/// pass, or weights that do not fit their bit width.
DecodedProgram buildProgram(const ModelDesc &model,
                            const std::vector<ActType> &outputTypes,
                            const SequencePlan &sequence, const Device &device);

/// The program bytes of `program`. Pass spans, byte counts and checksums are
/// computed here (the input's values are ignored); everything else must obey
/// the rules readProgram enforces, else ProgramError ("cannot write program:
/// ..."). Deterministic.
std::vector<uint8_t> writeProgram(const DecodedProgram &program);

/// writeProgram(buildProgram(...)): the program of one hardware sequence.
/// Its size is the byte count of the result.
std::vector<uint8_t> emitProgram(const ModelDesc &model,
                                 const std::vector<ActType> &outputTypes,
                                 const SequencePlan &sequence,
                                 const Device &device);

/// The program in [data, data + size): both FlatBuffers and every pass buffer
/// verified, sizes, spans and checksums checked, content validated. Throws
/// ProgramError ("invalid program: ...") on anything malformed, including a
/// format version or SDK version other than this build's.
DecodedProgram readProgram(const uint8_t *data, size_t size);
inline DecodedProgram readProgram(const std::vector<uint8_t> &bytes) {
  return readProgram(bytes.data(), bytes.size());
}

/// Packs weight values at `bits` bits each (1, 2, 4 or 8): value i occupies
/// bits [i*bits, (i+1)*bits) of the result, bit k being bit k%8 of byte k/8
/// (little-endian bit order), with unused bits of the last byte zero. 1-bit
/// weights are unsigned {0, 1}; 2-, 4- and 8-bit weights are two's
/// complement [-2^(bits-1), 2^(bits-1) - 1]. Throws ProgramError naming the
/// first value that does not fit.
std::vector<uint8_t> packWeights(const std::vector<int64_t> &values, int bits);
/// The inverse: `count` values from `size` bytes. Throws ProgramError when
/// `bits` is not 1, 2, 4 or 8, when `size` is not ceil(count*bits/8), or when
/// an unused bit of the last byte is set.
std::vector<int8_t> unpackWeights(const uint8_t *data, size_t size, int bits,
                                  int64_t count);
inline std::vector<int8_t> unpackWeights(const std::vector<uint8_t> &data,
                                         int bits, int64_t count) {
  return unpackWeights(data.data(), data.size(), bits, count);
}

} // namespace akida

#endif // AKIDA_COMPILER_PROGRAM_PROGRAM_H
