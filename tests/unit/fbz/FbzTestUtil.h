// Models and byte-level helpers shared by the .fbz tests.
#ifndef AKIDA_TESTS_UNIT_FBZ_FBZTESTUTIL_H
#define AKIDA_TESTS_UNIT_FBZ_FBZTESTUTIL_H

#include "compiler/fbz/Fbz.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace akida::test {

/// Akida 1.0: InputConvolutional -> SeparableConvolutional -> FullyConnected,
/// 4-bit int8 weights, int32 thresholds, float32 act_steps. `scale` grows
/// the layers (1 gives a file of a few KB).
ModelDesc v1Model(int scale = 1);
/// Akida 2.0: InputData -> Conv2D -> Conv2D -> Add -> Concatenate -> Dense1D
/// -> Dequantizer, with optional variables and learning settings.
ModelDesc v2Model();
/// A tiny v1 model (file of a few hundred bytes) for exhaustive corruption.
ModelDesc smallModel();

/// Deterministic pseudo-random values (std::mt19937 is fully specified).
struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  /// Uniform in [lo, hi] (hi - lo small; modulo bias is irrelevant here).
  int64_t range(int64_t lo, int64_t hi) {
    return lo + int64_t(gen() % uint64_t(hi - lo + 1));
  }
  std::vector<uint8_t> bytes(size_t n) {
    std::vector<uint8_t> out(n);
    for (uint8_t &b : out)
      b = uint8_t(gen());
    return out;
  }
};

uint32_t crc32Of(const uint8_t *data, size_t size);
uint32_t get32(const std::vector<uint8_t> &file, size_t offset);
uint64_t get64(const std::vector<uint8_t> &file, size_t offset);
void put32(std::vector<uint8_t> &file, size_t offset, uint32_t v);
void put64(std::vector<uint8_t> &file, size_t offset, uint64_t v);
/// Recomputes the header CRC after a header field was patched.
void fixHeaderCrc(std::vector<uint8_t> &file);
/// Recomputes the payload CRC (and then the header CRC).
void fixCrcs(std::vector<uint8_t> &file);
/// Writes `version` into the SDK version field (NUL-padded), fixing the CRC.
void setSdkVersion(std::vector<uint8_t> &file, const std::string &version);

/// The uncompressed FlatBuffer of a well-formed file.
std::vector<uint8_t> payloadOf(const std::vector<uint8_t> &file);
/// A file with a valid header around `flatbuffer` (compressed like the
/// writer does), so that forged payload content reaches the validation.
std::vector<uint8_t> wrapPayload(const std::vector<uint8_t> &flatbuffer);

/// The FbzError message decoding `bytes` gives, or nullopt when it decodes
/// (then `*decoded` receives the model when given). Any other exception
/// escapes and fails the test.
std::optional<std::string> decodeError(const std::vector<uint8_t> &bytes,
                                       ModelDesc *decoded = nullptr,
                                       const std::string &source = "<buffer>");

} // namespace akida::test

#endif // AKIDA_TESTS_UNIT_FBZ_FBZTESTUTIL_H
