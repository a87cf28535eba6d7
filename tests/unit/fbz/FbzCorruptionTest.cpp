// Damaged and foreign inputs: every one must give an FbzError with a one-line
// message (or, for damage that cancels out, the original model), never a
// crash, a hang, another exception or a different model.

#include "FbzTestUtil.h"

#include "compiler/fbz/Version.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace akida;
using namespace akida::test;

namespace {

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.rfind(prefix, 0) == 0;
}

void expectOneLine(const std::string &message) {
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_TRUE(startsWith(message, "<buffer>: ")) << message;
}

/// Decodes `bytes`: an error, or exactly `original`.
void expectErrorOrOriginal(const std::vector<uint8_t> &bytes,
                           const ModelDesc &original, int &errors) {
  ModelDesc decoded;
  if (std::optional<std::string> err = decodeError(bytes, &decoded)) {
    expectOneLine(*err);
    ++errors;
  } else {
    EXPECT_EQ(decoded, original) << "damaged file decoded to another model";
  }
}

std::string errorOf(const std::vector<uint8_t> &bytes) {
  std::optional<std::string> err = decodeError(bytes);
  EXPECT_TRUE(err.has_value()) << "decoded without error";
  return err.value_or("");
}

std::vector<uint8_t> bytesOf(const std::string &s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

} // namespace

TEST(FbzCorruption, EveryTruncationFails) {
  const ModelDesc m = smallModel();
  const std::vector<uint8_t> file = encodeFbz(m);
  ASSERT_LT(file.size(), 2000u) << "small model grew; keep this test fast";
  for (size_t n = 0; n < file.size(); ++n) {
    std::vector<uint8_t> cut(file.begin(), file.begin() + n);
    std::string err = errorOf(cut);
    expectOneLine(err);
    if (n == 0)
      EXPECT_EQ(err, "<buffer>: empty file (an Akida model file, starting "
                     "with a 56-byte header)");
    else if (n < fbz::kHeaderSize)
      EXPECT_EQ(err, "<buffer>: truncated (" + std::to_string(n) +
                         " bytes, the header alone is 56)");
    else
      EXPECT_EQ(err, "<buffer>: truncated (header says " +
                         std::to_string(file.size() - 56) +
                         " payload bytes, file has " + std::to_string(n - 56) +
                         ")");
  }
  // The whole file decodes; one byte more is trailing data.
  EXPECT_EQ(decodeFbz(file), m);
  std::vector<uint8_t> longer = file;
  longer.push_back(0);
  EXPECT_EQ(errorOf(longer),
            "<buffer>: 1 byte of trailing data (header says " +
                std::to_string(file.size() - 56) + " payload bytes, file has " +
                std::to_string(file.size() - 55) + ")");
}

TEST(FbzCorruption, EverySingleBitFlipIsDetected) {
  const ModelDesc m = smallModel();
  const std::vector<uint8_t> file = encodeFbz(m);
  int errors = 0;
  for (size_t i = 0; i < file.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> bad = file;
      bad[i] ^= uint8_t(1u << bit);
      expectErrorOrOriginal(bad, m, errors);
    }
  // Magic, versions, sizes and both CRCs cover every byte.
  EXPECT_EQ(errors, int(file.size() * 8));
}

TEST(FbzCorruption, RandomFlipsAndOverwrites) {
  Rng rng(20240601);
  for (const ModelDesc &m : {smallModel(), v2Model()}) {
    const std::vector<uint8_t> file = encodeFbz(m);
    int errors = 0, trials = 0;
    for (int t = 0; t < 3000; ++t) {
      std::vector<uint8_t> bad = file;
      int kind = int(rng.range(0, 2));
      int count = int(rng.range(1, 16));
      for (int k = 0; k < count; ++k) {
        size_t at = size_t(rng.range(0, int64_t(bad.size()) - 1));
        // Bias toward the header, where the parsing decisions are.
        if (rng.range(0, 3) == 0)
          at = size_t(rng.range(0, fbz::kHeaderSize - 1));
        if (kind == 0)
          bad[at] ^= uint8_t(1u << rng.range(0, 7));
        else if (kind == 1)
          bad[at] = uint8_t(rng.gen());
        else
          bad[at] ^= 0xff;
      }
      ++trials;
      expectErrorOrOriginal(bad, m, errors);
    }
    // Unchanged bytes (an overwrite with the same value) may decode; almost
    // everything else must be refused.
    EXPECT_GT(errors, trials * 9 / 10);
  }
}

TEST(FbzCorruption, DamageBehindValidChecksums) {
  // Re-sealed damage: the CRCs are recomputed after damaging the compressed
  // stream, so zlib itself must notice (its Adler-32, its structure).
  const ModelDesc m = v2Model();
  const std::vector<uint8_t> file = encodeFbz(m);
  Rng rng(77);
  int errors = 0;
  for (int t = 0; t < 1500; ++t) {
    std::vector<uint8_t> bad = file;
    int count = int(rng.range(1, 4));
    for (int k = 0; k < count; ++k) {
      size_t at = size_t(rng.range(fbz::kHeaderSize, int64_t(bad.size()) - 1));
      bad[at] ^= uint8_t(1u << rng.range(0, 7));
    }
    fixCrcs(bad);
    expectErrorOrOriginal(bad, m, errors);
  }
  // Only damage zlib ignores (the padding bits of the last deflate byte) may
  // decode, and then to the original model.
  EXPECT_GE(errors, 1495);
}

TEST(FbzCorruption, DamagedFlatBufferBehindValidContainer) {
  // Damage to the uncompressed FlatBuffer, re-compressed and re-sealed: only
  // the Verifier and the content checks stand between it and the model. A
  // change can be a valid different model (a flipped parameter value), so
  // the check is: an FbzError, or a model that passes the encoder's rules
  // and round-trips.
  Rng rng(4242);
  ModelDesc v2 = v2Model(); // with fewer weights, to keep this fast
  v2.layers[5].variables["weights"].array =
      Array::fromInts(DType::Int8, {4, 10}, std::vector<int64_t>(40, 3));
  for (const ModelDesc &m : {smallModel(), v2}) {
    const std::vector<uint8_t> payload = payloadOf(encodeFbz(m));
    int errors = 0, decoded = 0;
    for (int t = 0; t < 1500; ++t) {
      std::vector<uint8_t> bad = payload;
      int kind = int(rng.range(0, 3));
      int count = int(rng.range(1, 6));
      if (kind == 3) {
        bad.resize(size_t(rng.range(0, int64_t(bad.size()) - 1)));
      } else {
        for (int k = 0; k < count; ++k) {
          size_t at = size_t(rng.range(0, int64_t(bad.size()) - 1));
          // Most of a model's bytes are weights; aim at the structure too.
          if (rng.range(0, 1) == 0)
            at = size_t(rng.range(0, std::min<int64_t>(int64_t(bad.size()), 600) - 1));
          if (kind == 0)
            bad[at] ^= uint8_t(1u << rng.range(0, 7));
          else if (kind == 1)
            bad[at] = uint8_t(rng.gen());
          else
            bad[at] = uint8_t(rng.range(0, 1) ? 0xff : 0x7f);
        }
      }
      ModelDesc out;
      std::optional<std::string> err = decodeError(wrapPayload(bad), &out);
      if (err) {
        expectOneLine(*err);
        ++errors;
        continue;
      }
      ++decoded;
      std::vector<uint8_t> again;
      ASSERT_NO_THROW(again = encodeFbz(out))
          << "decoded a model the encoder refuses";
      EXPECT_EQ(decodeFbz(again), out);
    }
    EXPECT_GT(errors, 0);
    SCOPED_TRACE(std::to_string(decoded) + " damaged payloads decoded");
  }
}

TEST(FbzForeign, EmptyAndShortInputs) {
  EXPECT_EQ(errorOf({}), "<buffer>: empty file (an Akida model file, starting "
                         "with a 56-byte header)");
  EXPECT_NO_THROW({
    try {
      decodeFbz(nullptr, 0);
    } catch (const FbzError &) {
    }
  });
  EXPECT_EQ(errorOf({'a', 'b', 'c'}),
            "<buffer>: not an Akida model file (bad magic; this looks like text)");
  EXPECT_EQ(errorOf({0x01, 0x02, 0x03}),
            "<buffer>: not an Akida model file (bad magic)");
  // The start of our magic, cut short.
  EXPECT_EQ(errorOf({0x89, 'A', 'K'}),
            "<buffer>: truncated (3 bytes, the header alone is 56)");
}

TEST(FbzForeign, RandomBytesOfManySizes) {
  Rng rng(5);
  for (size_t size : {1, 2, 7, 8, 9, 55, 56, 57, 100, 1000, 4096, 65536, 1 << 20}) {
    for (int t = 0; t < 20; ++t) {
      std::vector<uint8_t> junk = rng.bytes(size);
      std::string err = errorOf(junk);
      expectOneLine(err);
      EXPECT_TRUE(startsWith(err, "<buffer>: not an Akida model file (bad magic"))
          << err;
    }
    // Junk behind our magic gets past the first check only.
    std::vector<uint8_t> junk = rng.bytes(size);
    std::memcpy(junk.data(), fbz::kMagic, std::min(size, sizeof fbz::kMagic));
    std::string err = errorOf(junk);
    expectOneLine(err);
    EXPECT_EQ(err.find("bad magic"), std::string::npos) << err;
  }
}

TEST(FbzForeign, KnownFileTypesAreNamed) {
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                              0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  png.resize(200, 0);
  EXPECT_EQ(errorOf(png), "<buffer>: not an Akida model file (bad magic; this "
                          "looks like a PNG image)");

  std::vector<uint8_t> npy = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0};
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  npy.insert(npy.end(), dict.begin(), dict.end());
  npy.resize(npy.size() + 12, 0);
  EXPECT_EQ(errorOf(npy), "<buffer>: not an Akida model file (bad magic; this "
                          "looks like a NumPy .npy array)");

  EXPECT_EQ(errorOf(bytesOf("module {\n  func.func @model() {\n  }\n}\n")),
            "<buffer>: not an Akida model file (bad magic; this looks like text)");
  EXPECT_EQ(errorOf(bytesOf("PK\x03\x04rest of a zip archive")),
            "<buffer>: not an Akida model file (bad magic; this looks like a "
            "ZIP archive (.npz, .keras, ...))");

  // Our file after a text-mode copy turned CR LF into LF.
  std::vector<uint8_t> file = encodeFbz(smallModel());
  file.erase(file.begin() + 6);
  EXPECT_EQ(errorOf(file), "<buffer>: not an Akida model file (bad magic; line "
                           "endings were converted, the file was copied in "
                           "text mode)");
}

TEST(FbzForeign, ForgedSizesAreRefusedBeforeAllocating) {
  const std::vector<uint8_t> file = encodeFbz(smallModel());
  const uint64_t payload = get64(file, fbz::kOffPayloadSize);
  const uint64_t compressed = get64(file, fbz::kOffCompressedSize);

  // Huge uncompressed size, header CRC fixed so the forgery is consistent.
  for (uint64_t huge : {uint64_t(1) << 62, ~uint64_t(0), (uint64_t(1) << 30) + 1}) {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffPayloadSize, huge);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: header says " + std::to_string(huge) +
                                " uncompressed payload bytes (at most 1073741824)");
  }
  // Within the limit but more than deflate can expand to.
  {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffPayloadSize, 1 << 29);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: header says 536870912 uncompressed bytes from " +
                                std::to_string(compressed) +
                                " compressed bytes (zlib expands at most 1032-fold)");
  }
  // Huge compressed size: truncated.
  {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffCompressedSize, uint64_t(1) << 40);
    fixHeaderCrc(bad);
    std::string err = errorOf(bad);
    EXPECT_TRUE(startsWith(err, "<buffer>: ")) << err;
    EXPECT_NE(err.find("compressed bytes for"), std::string::npos) << err;
  }
  {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffCompressedSize, compressed + 5);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: truncated (header says " +
                                std::to_string(compressed + 5) +
                                " payload bytes, file has " +
                                std::to_string(compressed) + ")");
  }
  // Uncompressed size wrong (CRCs consistent): the output is bounded by the
  // header's size, not by what the stream would produce.
  {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffPayloadSize, payload / 2);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: payload decompresses to more than " +
                                std::to_string(payload / 2) +
                                " bytes (header says " +
                                std::to_string(payload / 2) + ")");
    put64(bad, fbz::kOffPayloadSize, payload - 1);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: payload decompresses to " +
                                std::to_string(payload) + " bytes (header says " +
                                std::to_string(payload - 1) + ")");
    put64(bad, fbz::kOffPayloadSize, payload + 1);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: payload decompresses to " +
                                std::to_string(payload) + " bytes (header says " +
                                std::to_string(payload + 1) + ")");
    put64(bad, fbz::kOffPayloadSize, 0);
    fixHeaderCrc(bad);
    EXPECT_EQ(errorOf(bad), "<buffer>: header says 0 uncompressed payload "
                            "bytes (a model takes at least 8)");
  }
  // A compressed size no deflate stream of that payload can have.
  {
    std::vector<uint8_t> bad = file;
    put64(bad, fbz::kOffCompressedSize, payload * 2);
    fixHeaderCrc(bad);
    std::string err = errorOf(bad);
    EXPECT_TRUE(startsWith(err, "<buffer>: header says " +
                                    std::to_string(payload * 2) +
                                    " compressed bytes for " +
                                    std::to_string(payload) +
                                    " uncompressed ones (at most "))
        << err;
  }
  // A payload that is not zlib at all, sealed with valid CRCs.
  {
    std::vector<uint8_t> bad = file;
    std::fill(bad.begin() + fbz::kHeaderSize, bad.end(), 0xAB);
    fixCrcs(bad);
    std::string err = errorOf(bad);
    EXPECT_TRUE(startsWith(err, "<buffer>: payload does not decompress")) << err;
  }
}

TEST(FbzForeign, ChecksumAndFlagMessages) {
  std::vector<uint8_t> file = encodeFbz(smallModel());
  std::vector<uint8_t> bad = file;
  bad.back() ^= 1;
  std::string err = errorOf(bad);
  EXPECT_TRUE(startsWith(err, "<buffer>: checksum mismatch, file is corrupted ("))
      << err;
  bad = file;
  bad[fbz::kOffPayloadSize] ^= 1;
  err = errorOf(bad);
  EXPECT_TRUE(startsWith(err, "<buffer>: header checksum mismatch, file is corrupted ("))
      << err;
  bad = file;
  put32(bad, fbz::kOffFlags, 3);
  fixHeaderCrc(bad);
  EXPECT_EQ(errorOf(bad), "<buffer>: unsupported flags 0x00000003 (0x00000001: zlib payload)");
  put32(bad, fbz::kOffFlags, 0);
  fixHeaderCrc(bad);
  EXPECT_EQ(errorOf(bad), "<buffer>: unsupported flags 0x00000000 (0x00000001: zlib payload)");
  // The source names the input.
  bad.back() ^= 1;
  EXPECT_TRUE(startsWith(decodeError(bad, nullptr, "model.fbz").value_or(""),
                         "model.fbz: "));
}

TEST(FbzVersion, OtherMajorMinorIsRefused) {
  const std::vector<uint8_t> file = encodeFbz(smallModel());
  const std::string ours = kVersionString;
  const std::string others[] = {
      std::to_string(kVersionMajor + 1) + "." + std::to_string(kVersionMinor) + ".0",
      std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor + 1) + "." +
          std::to_string(kVersionPatch),
      "1.3.0", "2.18.2"};
  for (const std::string &other : others) {
    std::vector<uint8_t> bad = file;
    setSdkVersion(bad, other);
    EXPECT_EQ(decodeError(bad, nullptr, "model.fbz").value_or(""),
              "model.fbz: written by Akida " + other + "; this is Akida " + ours +
                  " and files must match major.minor");
  }
}

TEST(FbzVersion, OtherPatchIsAccepted) {
  const ModelDesc m = smallModel();
  std::vector<uint8_t> file = encodeFbz(m);
  setSdkVersion(file, std::to_string(kVersionMajor) + "." +
                          std::to_string(kVersionMinor) + "." +
                          std::to_string(kVersionPatch + 7));
  EXPECT_EQ(decodeFbz(file), m);
  setSdkVersion(file, std::to_string(kVersionMajor) + "." +
                          std::to_string(kVersionMinor) + ".0-dev+abc");
  EXPECT_EQ(decodeFbz(file), m);
}

TEST(FbzVersion, MalformedVersionStringIsRefused) {
  std::vector<uint8_t> file = encodeFbz(smallModel());
  for (const std::string &v : {std::string("abc"), std::string(""),
                               std::string("1."), std::string("0x1.2.3"),
                               std::string("1.2.3 beta"),
                               std::string(16, '1')}) {
    std::vector<uint8_t> bad = file;
    setSdkVersion(bad, v);
    std::string err = errorOf(bad);
    EXPECT_TRUE(startsWith(err, "<buffer>: bad writer version ")) << err;
    EXPECT_NE(err.find("(major.minor.patch)"), std::string::npos) << err;
  }
}

TEST(FbzVersion, NewerFormatIsRefused) {
  std::vector<uint8_t> file = encodeFbz(smallModel());
  put32(file, fbz::kOffFormatVersion, fbz::kFormatVersion + 1);
  fixHeaderCrc(file);
  EXPECT_EQ(decodeError(file, nullptr, "model.fbz").value_or(""),
            "model.fbz: format version 2 (written by Akida " +
                std::string(kVersionString) + ") is newer than this Akida " +
                kVersionString + " reads (format version 1 or older)");
  // Refused on the version alone, whatever the rest of the header holds.
  put32(file, fbz::kOffFormatVersion, 0xFFFFFFFFu);
  std::memset(file.data() + fbz::kOffSdkVersion, 0xEE, fbz::kSdkVersionBytes);
  EXPECT_EQ(errorOf(file), "<buffer>: format version 4294967295 is newer than "
                           "this Akida " + std::string(kVersionString) +
                               " reads (format version 1 or older)");
  put32(file, fbz::kOffFormatVersion, 0);
  EXPECT_EQ(errorOf(file), "<buffer>: invalid format version 0 (1 to 1)");
}
