//===- Checksum.h - CRC-32 of byte ranges -------------------------*- C++ -*-===//
//
// Shared by the codecs that seal what they write: the .fbz codec (Fbz.cpp)
// and the device program codec (compiler/program).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_FBZ_CHECKSUM_H
#define AKIDA_COMPILER_FBZ_CHECKSUM_H

#include <cstddef>
#include <cstdint>

namespace akida::fbz {

/// zlib's CRC-32 of `size` bytes at `data`.
uint32_t crc32Of(const uint8_t *data, size_t size);

} // namespace akida::fbz

#endif // AKIDA_COMPILER_FBZ_CHECKSUM_H
