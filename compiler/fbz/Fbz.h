//===- Fbz.h - Reading and writing .fbz model files ---------------*- C++ -*-===//
//
// A `.fbz` file is a fixed 56-byte little-endian header followed by a
// zlib-compressed FlatBuffer (compiler/fbz/model.fbs) holding a ModelDesc.
// docs/fbz-format.md describes the layout, the versioning rules and what is
// validated on load.
//
// Encoding is deterministic: the same ModelDesc always gives the same bytes.
// Decoding never trusts its input: any damaged, truncated, foreign or forged
// input gives an FbzError whose message is one line,
//   "<source>: <what is wrong> (<what was expected>)".
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_FBZ_FBZ_H
#define AKIDA_FBZ_FBZ_H

#include "compiler/fbz/ModelDesc.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida {

/// Every failure to encode, decode, save or load a `.fbz` file.
class FbzError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The file layout (docs/fbz-format.md). All integers are little-endian.
namespace fbz {
/// "\x89AKIDA\r\n": a non-ASCII first byte, the name, and a CR LF pair that
/// a text-mode transfer would damage.
inline constexpr uint8_t kMagic[8] = {0x89, 'A', 'K', 'I', 'D', 'A', '\r', '\n'};
/// The format version this code writes and the newest it reads.
inline constexpr uint32_t kFormatVersion = 1;
/// Header flag: the payload is a zlib stream (always set in version 1).
inline constexpr uint32_t kFlagZlib = 1u << 0;
/// zlib level used by the writer (fixed, for deterministic output).
inline constexpr int kZlibLevel = 6;

// Byte offsets of the header fields.
inline constexpr size_t kOffMagic = 0;            ///< 8 bytes
inline constexpr size_t kOffFormatVersion = 8;    ///< uint32
inline constexpr size_t kOffFlags = 12;           ///< uint32
inline constexpr size_t kOffSdkVersion = 16;      ///< 16 bytes, NUL-padded ASCII
inline constexpr size_t kSdkVersionBytes = 16;
inline constexpr size_t kOffPayloadSize = 32;     ///< uint64, uncompressed
inline constexpr size_t kOffCompressedSize = 40;  ///< uint64
inline constexpr size_t kOffPayloadCrc = 48;      ///< uint32, CRC-32 of the compressed payload
inline constexpr size_t kOffHeaderCrc = 52;       ///< uint32, CRC-32 of bytes [0, 52)
inline constexpr size_t kHeaderSize = 56;

/// Largest uncompressed payload accepted or written (1 GiB).
inline constexpr uint64_t kMaxPayloadBytes = uint64_t(1) << 30;
/// Largest number of elements of one array or of the input shape.
inline constexpr int64_t kMaxElements = int64_t(1) << 31;
/// Largest rank of a variable or of the input shape.
inline constexpr size_t kMaxRank = 8;
} // namespace fbz

/// The `.fbz` bytes of `model`. Throws FbzError ("cannot encode model
/// '<name>': ...") when the model breaks a rule the decoder enforces (unknown
/// layer type, inbound not an earlier layer, variable bytes not matching its
/// shape, bit width outside 1..32, ...), so what is saved can be loaded.
std::vector<uint8_t> encodeFbz(const ModelDesc &model);

/// The model in the `.fbz` bytes [data, data + size). `source` names the
/// input in error messages (a path, "<buffer>").
ModelDesc decodeFbz(const uint8_t *data, size_t size,
                    const std::string &source = "<buffer>");
inline ModelDesc decodeFbz(const std::vector<uint8_t> &bytes,
                           const std::string &source = "<buffer>") {
  return decodeFbz(bytes.data(), bytes.size(), source);
}

/// Writes encodeFbz(model) to `path` (through a temporary file renamed into
/// place, so a failed save leaves no partial file). Throws FbzError.
void saveFbz(const ModelDesc &model, const std::string &path);

/// Reads and decodes `path`. Throws FbzError, e.g. "cannot open 'x.fbz': No
/// such file or directory", or a decode error whose source is the path.
ModelDesc loadFbz(const std::string &path);

} // namespace akida

#endif // AKIDA_FBZ_FBZ_H
