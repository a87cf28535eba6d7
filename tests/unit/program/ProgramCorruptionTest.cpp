// Truncated, extended, bit-flipped, foreign and forged programs: readProgram
// always answers with a one-line ProgramError, never a crash.

#include "ProgramTestUtil.h"

#include "compiler/program/program_generated.h"

#include <gtest/gtest.h>

namespace akida::test {
namespace {

std::vector<uint8_t> v1Program(int bits = 4) {
  ModelDesc m = v1Model(bits);
  return emitProgram(m, outputTypes(m), v1TwoPassPlan(), v1Device());
}

std::vector<uint8_t> v2Program() {
  ModelDesc m = v2Model(4);
  return emitProgram(m, outputTypes(m), v2Plan(), v2Device());
}

void expectOneLineError(const std::optional<std::string> &msg,
                        const std::string &context) {
  ASSERT_TRUE(msg.has_value()) << context << ": read without error";
  EXPECT_EQ(msg->rfind("invalid program: ", 0), 0u) << context << ": " << *msg;
  EXPECT_EQ(msg->find('\n'), std::string::npos) << context << ": " << *msg;
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' lacks '" << (needle) << "'"

TEST(ProgramCorruption, TruncationAtEveryLength) {
  for (const std::vector<uint8_t> &program : {v1Program(), v2Program()}) {
    ASSERT_FALSE(readError(program));
    for (size_t len = 0; len < program.size(); ++len) {
      std::vector<uint8_t> cut(program.begin(), program.begin() + long(len));
      expectOneLineError(readError(cut), "length " + std::to_string(len));
    }
  }
  std::vector<uint8_t> program = v1Program();
  program.resize(program.size() - 1);
  EXPECT_CONTAINS(*readError(program), "truncated");
}

TEST(ProgramCorruption, TrailingBytes) {
  std::vector<uint8_t> program = v1Program();
  program.push_back(0);
  EXPECT_CONTAINS(*readError(program), "1 byte of trailing data");
}

TEST(ProgramCorruption, EverySingleBitFlip) {
  const std::vector<uint8_t> program = v1Program(1);
  for (size_t byte = 0; byte < program.size(); ++byte)
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> bad = program;
      bad[byte] ^= uint8_t(1u << bit);
      expectOneLineError(readError(bad), "byte " + std::to_string(byte) +
                                             " bit " + std::to_string(bit));
      if (HasFailure())
        return;
    }
}

TEST(ProgramCorruption, RandomMultiBitFlips) {
  Rng rng(99);
  const std::vector<uint8_t> program = v2Program();
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bad = program;
    int flips = int(rng.range(2, 12));
    for (int k = 0; k < flips; ++k)
      bad[size_t(rng.range(0, int64_t(bad.size()) - 1))] ^=
          uint8_t(1u << rng.range(0, 7));
    if (bad == program)
      continue;
    expectOneLineError(readError(bad), "iteration " + std::to_string(i));
    if (HasFailure())
      return;
  }
}

TEST(ProgramCorruption, ForeignInput) {
  EXPECT_CONTAINS(*readError({}), "empty");
  EXPECT_CONTAINS(*readError({1, 2, 3}), "truncated");
  std::vector<uint8_t> text(64, 'a');
  EXPECT_CONTAINS(*readError(text), "not an Akida program");
  // An .fbz model file header.
  std::vector<uint8_t> fbz = {0x89, 'A', 'K', 'I', 'D', 'A', '\r', '\n',
                              1,    0,   0,   0,   1,   0,   0,    0};
  EXPECT_CONTAINS(*readError(fbz), "not an Akida program");
  EXPECT_THROW(readProgram(nullptr, 5), ProgramError);
}

//===----------------------------------------------------------------------===//
// Forged programs: patched, then resealed with correct checksums, so that
// the checks behind the checksums are reached.
//===----------------------------------------------------------------------===//

void put32(std::vector<uint8_t> &b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + size_t(i)] = uint8_t(v >> (8 * i));
}

TEST(ProgramForgery, ResealKeepsAValidProgram) {
  std::vector<uint8_t> program = v1Program();
  std::vector<uint8_t> copy = program;
  reseal(copy);
  EXPECT_EQ(copy, program);
}

TEST(ProgramForgery, VersionsAreChecked) {
  std::vector<uint8_t> program = v1Program();
  put32(program, infoFieldOffset(program, pfb::ProgramInfo::VT_FORMAT_VERSION),
        2);
  std::vector<uint8_t> unsealed = program;
  reseal(program);
  EXPECT_CONTAINS(*readError(program), "format version 2 (written by Akida");
  // Without a valid checksum: another format, or a damaged one.
  EXPECT_CONTAINS(*readError(unsealed), "format version 2 (this Akida");
  EXPECT_CONTAINS(*readError(unsealed), "or a corrupted program");

  DecodedProgram other = readProgram(v1Program());
  other.sdkVersion = "9.9.9";
  EXPECT_CONTAINS(*readError(writeProgram(other)),
                  "written by Akida '9.9.9'; this is Akida");
}

TEST(ProgramForgery, SpansAndCountsAreChecked) {
  std::vector<uint8_t> program = v1Program();
  size_t at = infoFieldOffset(program, pfb::PassSpan::VT_DATA_OFFSET, 1);
  put32(program, at, program[at] + 4u);
  reseal(program);
  EXPECT_CONTAINS(*readError(program), "pass 1: the ProgramInfo spans bytes");

  program = v1Program();
  put32(program, infoFieldOffset(program, pfb::PassSpan::VT_NUM_RECORDS, 0),
        3);
  reseal(program);
  EXPECT_CONTAINS(*readError(program), "counts 3 records but the pass holds 7");

  program = v1Program();
  put32(program, infoFieldOffset(program, pfb::PassSpan::VT_NUM_DESC, 1), 40);
  reseal(program);
  EXPECT_CONTAINS(*readError(program), "40 DMA descriptors counted");

  program = v1Program();
  put32(program, infoFieldOffset(program, pfb::ProgramInfo::VT_DATA_CRC32), 1);
  EXPECT_CONTAINS(*readError(program), "ProgramInfo checksum mismatch");
}

TEST(ProgramForgery, ResealedGarbageNeverCrashes) {
  // Random bytes of the program data (pass buffers included) replaced, the
  // checksums recomputed: the Verifier and the content rules must catch
  // whatever is malformed; what still reads must be a consistent program.
  Rng rng(5);
  const std::vector<uint8_t> program = v2Program();
  const size_t infoSize = size_t(program[0]) | size_t(program[1]) << 8 |
                          size_t(program[2]) << 16 | size_t(program[3]) << 24;
  const size_t dataStart = 8 + infoSize;
  int errors = 0, reads = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bad = program;
    int n = int(rng.range(1, 6));
    for (int k = 0; k < n; ++k)
      bad[size_t(rng.range(int64_t(dataStart), int64_t(bad.size()) - 1))] =
          uint8_t(rng.range(0, 255));
    reseal(bad);
    std::optional<std::string> msg = readError(bad);
    if (msg) {
      expectOneLineError(msg, "iteration " + std::to_string(i));
      ++errors;
    } else {
      // It reads: then writing it again is accepted too.
      EXPECT_NO_THROW(writeProgram(readProgram(bad)));
      ++reads;
    }
    if (HasFailure())
      return;
  }
  EXPECT_GT(errors, 0);
  RecordProperty("resealed_errors", errors);
  RecordProperty("resealed_reads", reads);
}

} // namespace
} // namespace akida::test
