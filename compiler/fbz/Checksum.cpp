//===- Checksum.cpp - CRC-32 of byte ranges -------------------------------===//

#include "compiler/fbz/Checksum.h"

#include <zlib.h>

namespace akida::fbz {

uint32_t crc32Of(const uint8_t *data, size_t size) {
  return uint32_t(crc32_z(crc32(0L, Z_NULL, 0), data, size));
}

} // namespace akida::fbz
