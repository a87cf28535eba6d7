//===- NpyTest.cpp - numpy .npy reading and writing ----------------------===//
//
// Golden files written by hand from the format's specification (numpy's
// format.py: magic, version, header length, a dict literal padded with
// spaces and '\n' to 64-byte alignment, data), round trips for every dtype
// and ranks 0 to 4, header variants numpy or other writers produce, every
// rejected input with its message, every truncation, and random corruption.
//
//===----------------------------------------------------------------------===//
#include "runtime/io/Npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace akida;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes text(const std::string &s) { return Bytes(s.begin(), s.end()); }

/// A .npy file with `header` taken exactly as given (no padding added),
/// format version `major`.0.
Bytes npyWith(const std::string &header, const Bytes &data = {},
              uint8_t major = 1, uint8_t minor = 0) {
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', major, minor};
  size_t lengthBytes = major == 1 ? 2 : 4;
  for (size_t i = 0; i < lengthBytes; ++i)
    out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  return concat({out, text(header), data});
}

Array parse(const Bytes &b, const std::string &source = "test.npy") {
  return parseNpy(b.data(), b.size(), source);
}

/// The NpyError message parsing `b` gives (fails the test when none).
std::string errorOf(const Bytes &b, const std::string &source = "test.npy") {
  try {
    parse(b, source);
  } catch (const NpyError &e) {
    return e.what();
  }
  ADD_FAILURE() << "no NpyError";
  return "";
}

/// Checks a message has the form "<source>: <what> (<allowed>)", on one line,
/// and mentions `part`.
void expectMessage(const std::string &message, const std::string &part,
                   const std::string &source = "test.npy") {
  EXPECT_EQ(message.rfind(source + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(part), std::string::npos)
      << "'" << part << "' not in: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(message.find('\r'), std::string::npos) << message;
  ASSERT_FALSE(message.empty());
  EXPECT_EQ(message.back(), ')') << message;
  EXPECT_NE(message.find(" ("), std::string::npos) << message;
}

void expectError(const Bytes &b, const std::string &part) {
  SCOPED_TRACE(std::string(b.begin(), b.end()));
  expectMessage(errorOf(b), part);
}

/// A header with the given descr, fortran_order and shape text, numpy style.
std::string dict(const std::string &descr, const std::string &shape,
                 const std::string &fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }";
}

const DType kAllDTypes[] = {DType::UInt8, DType::Int8,  DType::UInt16,
                            DType::Int16, DType::Int32, DType::Float32};

/// An array of `dtype` and `shape` filled with random bytes (for floats,
/// including NaNs and infinities, which must survive bit for bit).
Array randomArray(DType dtype, std::vector<int64_t> shape, std::mt19937 &rng) {
  Array a;
  a.dtype = dtype;
  a.shape = std::move(shape);
  a.bytes.resize(static_cast<size_t>(a.size()) * dtypeSize(dtype));
  for (uint8_t &b : a.bytes)
    b = static_cast<uint8_t>(rng());
  return a;
}

std::filesystem::path tempDir() {
  return std::filesystem::temp_directory_path() /
         ("akida-io-tests-" + std::to_string(::getpid()));
}

std::string tempPath(const std::string &name) {
  std::filesystem::create_directories(tempDir());
  return (tempDir() / name).string();
}

/// Removes this process's temporary directory after the tests.
class TempDirCleanup : public ::testing::Environment {
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(tempDir(), ignored);
  }
};
const auto *const kCleanup =
    ::testing::AddGlobalTestEnvironment(new TempDirCleanup);

// --- Golden files -----------------------------------------------------------
//
// numpy's write_array_header_1_0: "{" + "'key': repr(value), " for the keys
// sorted + "}", then 21 - len(repr(shape[0])) spaces (room for the growth
// axis; none for 0-D), then padlen spaces and '\n' where
// padlen = 64 - (10 + len(header) + 1) % 64 (so 64 when already aligned).
// The uint16 header length counts everything after the 10-byte preamble up to
// and including the '\n'.

// np.save(f, np.array([1, 2, 3], dtype=np.uint8))
// dict: 57 chars; + 20 spare = 77; + '\n' = 78; 10 + 78 = 88, padlen = 40;
// header length 78 + 40 = 118 = 0x76: 57 chars, 60 spaces, '\n'; total 131.
const Bytes kGoldenU8 = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"),
    text(std::string(60, ' ')),
    {'\n'},
    {0x01, 0x02, 0x03},
});

// np.save(f, np.float32(1.5)) (0-D): dict "... 'shape': (), }" is 55 chars,
// no spare; 55 + 1 = 56; 10 + 56 = 66, padlen 62; header length 118.
const Bytes kGoldenF32Scalar = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"),
    text(std::string(62, ' ')),
    {'\n'},
    {0x00, 0x00, 0xc0, 0x3f}, // 1.5f = 0x3fc00000
});

// np.save(f, np.array([[1, -2, 3], [-4, 5, -6]], dtype='<i2')): dict 59
// chars, + 20 spare = 79, + 1 = 80; 10 + 80 = 90, padlen 38; length 118.
const Bytes kGoldenI16 = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }"),
    text(std::string(58, ' ')),
    {'\n'},
    {0x01, 0x00, 0xfe, 0xff, 0x03, 0x00, 0xfc, 0xff, 0x05, 0x00, 0xfa, 0xff},
});

// np.save(f, np.array([-1, 65536, -2147483648], dtype='<i4')): dict 57
// chars as for (3,) above; length 118.
const Bytes kGoldenI32 = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"),
    text(std::string(60, ' ')),
    {'\n'},
    {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80},
});

// np.save(f, np.zeros((1,) * 13 + (100,), dtype=np.int8)): the shape repr
// "(1, 1, ..., 1, 100)" is 3 * 14 + 2 = 44 chars, the dict 97, + 20 spare
// = 117, + 1 = 118; 10 + 118 = 128 is already aligned so numpy pads a whole
// 64 more: header length 118 + 64 = 182 = 0xb6: 97 chars, 84 spaces, '\n'.
const Bytes kGoldenI8Aligned = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0xb6, 0x00},
    text("{'descr': '|i1', 'fortran_order': False, 'shape': "
         "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100), }"),
    text(std::string(84, ' ')),
    {'\n'},
    Bytes(100, 0x00),
});

// np.save(f, np.array([[0], [65535]], dtype='<u2')): shape (2, 1), dict 59
// chars + 20 spare + 1 = 80; 10 + 80 = 90, padlen 38; length 118.
const Bytes kGoldenU16 = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 1), }"),
    text(std::string(58, ' ')),
    {'\n'},
    {0x00, 0x00, 0xff, 0xff},
});

// np.save(f, np.zeros((0, 3), dtype=np.float32)): a zero dimension, no data.
const Bytes kGoldenEmpty = concat({
    {0x93, 'N', 'U', 'M', 'P', 'Y', 0x01, 0x00, 0x76, 0x00},
    text("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }"),
    text(std::string(58, ' ')),
    {'\n'},
});

struct Golden {
  const char *name;
  const Bytes *bytes;
  Array array;
};

std::vector<Golden> goldens() {
  Array f32 = Array::fromFloats({}, {1.5f});
  Array empty; // (not fromFloats: it memcpy's from a null pointer when empty)
  empty.dtype = DType::Float32;
  empty.shape = {0, 3};
  return {
      {"u8", &kGoldenU8, Array::fromInts(DType::UInt8, {3}, {1, 2, 3})},
      {"f32 scalar", &kGoldenF32Scalar, f32},
      {"i16", &kGoldenI16,
       Array::fromInts(DType::Int16, {2, 3}, {1, -2, 3, -4, 5, -6})},
      {"i32", &kGoldenI32,
       Array::fromInts(DType::Int32, {3}, {-1, 65536, -2147483648LL})},
      {"i8 aligned", &kGoldenI8Aligned,
       Array::fromInts(DType::Int8,
                       {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100},
                       std::vector<int64_t>(100, 0))},
      {"u16", &kGoldenU16, Array::fromInts(DType::UInt16, {2, 1}, {0, 65535})},
      {"empty", &kGoldenEmpty, empty},
  };
}

TEST(NpyGolden, HandComputedSizes) {
  EXPECT_EQ(kGoldenU8.size(), 131u);
  EXPECT_EQ(kGoldenF32Scalar.size(), 132u);
  EXPECT_EQ(kGoldenI8Aligned.size(), 192u + 100u);
  for (const Golden &g : goldens()) {
    SCOPED_TRACE(g.name);
    // The data starts 64-byte aligned, right after a '\n'.
    size_t dataStart = g.bytes->size() - g.array.bytes.size();
    EXPECT_EQ(dataStart % 64, 0u);
    EXPECT_EQ((*g.bytes)[dataStart - 1], '\n');
  }
}

TEST(NpyGolden, EncodeMatchesNumpyBytes) {
  for (const Golden &g : goldens()) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(encodeNpy(g.array), *g.bytes);
  }
}

TEST(NpyGolden, ParseGivesTheArray) {
  for (const Golden &g : goldens()) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(parse(*g.bytes), g.array);
  }
  Array scalar = parse(kGoldenF32Scalar);
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.size(), 1);
  EXPECT_EQ(scalar.floatAt(0), 1.5f);
  EXPECT_EQ(parse(kGoldenI16).ints(),
            (std::vector<int64_t>{1, -2, 3, -4, 5, -6}));
  EXPECT_EQ(parse(kGoldenI32).ints(),
            (std::vector<int64_t>{-1, 65536, -2147483648LL}));
}

// --- Round trips -----------------------------------------------------------

TEST(NpyRoundTrip, EveryDTypeAndRank) {
  std::mt19937 rng(42);
  const std::vector<std::vector<int64_t>> shapes = {
      {},  {7},    {3, 5},    {2, 3, 4},    {2, 1, 3, 2}, // ranks 0 to 4
      {0}, {3, 0}, {2, 0, 4}, {1, 1, 1, 0},               // empty ones
      {1}, {1000}, {17, 3},
  };
  for (DType dtype : kAllDTypes) {
    for (const auto &shape : shapes) {
      Array a = randomArray(dtype, shape, rng);
      SCOPED_TRACE(std::string(dtypeName(dtype)) + " rank " +
                   std::to_string(shape.size()));
      Bytes b = encodeNpy(a);
      // Version 1.0, the header 64-byte aligned and ended by '\n'.
      ASSERT_GE(b.size(), 10u);
      EXPECT_EQ(b[6], 1);
      EXPECT_EQ(b[7], 0);
      size_t headerEnd = 10 + (b[8] | (b[9] << 8));
      EXPECT_EQ(headerEnd % 64, 0u);
      EXPECT_EQ(b[headerEnd - 1], '\n');
      EXPECT_EQ(b.size(), headerEnd + a.bytes.size());
      EXPECT_EQ(parse(b), a);
    }
  }
}

TEST(NpyRoundTrip, ThroughFiles) {
  std::mt19937 rng(7);
  for (DType dtype : kAllDTypes) {
    Array a = randomArray(dtype, {4, 3, 2}, rng);
    std::string path = tempPath(std::string("rt-") + dtypeName(dtype) + ".npy");
    writeNpy(path, a);
    EXPECT_EQ(readNpy(path), a);
    std::ifstream in(path, std::ios::binary);
    Bytes onDisk((std::istreambuf_iterator<char>(in)),
                 std::istreambuf_iterator<char>());
    EXPECT_EQ(onDisk, encodeNpy(a));
    std::filesystem::remove(path);
  }
}

TEST(NpyRoundTrip, ExtremeValues) {
  Array i32 = Array::fromInts(DType::Int32, {2},
                              {std::numeric_limits<int32_t>::min(),
                               std::numeric_limits<int32_t>::max()});
  EXPECT_EQ(parse(encodeNpy(i32)).ints(), i32.ints());
  Array f =
      Array::fromFloats({4}, {-0.0f, std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::denorm_min()});
  Array back = parse(encodeNpy(f));
  EXPECT_EQ(back.bytes, f.bytes); // bit for bit, NaN included
  EXPECT_TRUE(std::signbit(back.floatAt(0)));
  EXPECT_TRUE(std::isnan(back.floatAt(2)));
}

TEST(NpyRoundTrip, LongHeaderFallsBackToVersion2) {
  // 30000 dimensions of 1 do not fit a uint16 header length: numpy then
  // writes version 2.0, and so does encodeNpy.
  Array a = Array::fromInts(DType::Int16, std::vector<int64_t>(30000, 1), {-7});
  Bytes b = encodeNpy(a);
  EXPECT_EQ(b[6], 2);
  size_t headerEnd =
      12 + (b[8] | (b[9] << 8) | (b[10] << 16) | (size_t(b[11]) << 24));
  EXPECT_EQ(headerEnd % 64, 0u);
  EXPECT_EQ(parse(b), a);
}

// --- Header variants ---------------------------------------------------------

TEST(NpyHeader, Version2And3) {
  Bytes data = {1, 0, 2, 0, 3, 0};
  Array expected = Array::fromInts(DType::Int16, {3}, {1, 2, 3});
  for (uint8_t major : {1, 2, 3}) {
    SCOPED_TRACE(int(major));
    EXPECT_EQ(parse(npyWith(dict("<i2", "(3,)"), data, major)), expected);
    // numpy style: 12-byte preamble, padded to 64 bytes.
    std::string header = dict("<i2", "(3,)");
    size_t preamble = major == 1 ? 10 : 12;
    header.append(64 - (preamble + header.size() + 1) % 64, ' ');
    header += '\n';
    EXPECT_EQ(parse(npyWith(header, data, major)), expected);
  }
  // A version 2.0 header longer than 65535 bytes.
  std::string big = dict("|u1", "(2,)") + std::string(70000, ' ') + "\n";
  EXPECT_EQ(parse(npyWith(big, {5, 6}, 2)),
            Array::fromInts(DType::UInt8, {2}, {5, 6}));
}

TEST(NpyHeader, Version3Utf8IsReadLikeTheOthers) {
  // UTF-8 only matters inside strings; an unknown key in UTF-8 is named with
  // its bytes escaped.
  std::string header = "{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (1,), '\xc3\xa9': 1}";
  std::string m = errorOf(npyWith(header, {0, 0, 0, 0}, 3));
  expectMessage(m, "unexpected key '\\xc3\\xa9'");
}

TEST(NpyHeader, AnyKeyOrderSpacingAndCommas) {
  Bytes data = {9, 8, 7, 6, 5, 4};
  Array expected = Array::fromInts(DType::UInt8, {2, 3}, {9, 8, 7, 6, 5, 4});
  const char *headers[] = {
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '|u1'}",
      "{'fortran_order': False, 'descr': '|u1', 'shape': (2, 3)}",
      "{'descr':'|u1','fortran_order':False,'shape':(2,3)}",
      "{'descr':'|u1','fortran_order':False,'shape':(2,3,),}",
      "  {  'descr'  :  '|u1'  ,\t'fortran_order' : False ,\n"
      "'shape' : ( 2 , 3 , ) , }  \n",
      "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2, 3)}",
      "{'descr': 'u1', 'fortran_order': False, 'shape': (2L, 3L), }",
      "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }" // no '\n'
      "          \n",
      "{'descr': '|u1', 'fortran_order': False, 'shape': (+2, 0003), }",
  };
  for (const char *h : headers) {
    SCOPED_TRACE(h);
    EXPECT_EQ(parse(npyWith(h, data)), expected);
  }
}

TEST(NpyHeader, ShapeForms) {
  EXPECT_EQ(parse(npyWith(dict("<i4", "()"), {1, 0, 0, 0})).shape,
            (std::vector<int64_t>{}));
  EXPECT_EQ(parse(npyWith(dict("<i4", "( )"), {1, 0, 0, 0})).shape,
            (std::vector<int64_t>{}));
  EXPECT_EQ(parse(npyWith(dict("<i4", "(1,)"), {1, 0, 0, 0})).shape,
            (std::vector<int64_t>{1}));
  EXPECT_EQ(parse(npyWith(dict("<i4", "(0,)"))).shape,
            (std::vector<int64_t>{0}));
  EXPECT_EQ(
      parse(npyWith(dict("<i4", "(1, 1, 1, 1, 1, 1)"), {1, 0, 0, 0})).shape,
      (std::vector<int64_t>(6, 1)));
  // A zero dimension next to a huge one: no data, and still a sane shape.
  Array huge = parse(npyWith(dict("<i4", "(0, 1000000000000)")));
  EXPECT_EQ(huge.shape, (std::vector<int64_t>{0, 1000000000000}));
  EXPECT_EQ(huge.size(), 0);
  // "-0" is 0.
  EXPECT_EQ(parse(npyWith(dict("<i4", "(-0,)"))).shape,
            (std::vector<int64_t>{0}));
}

TEST(NpyHeader, DescrByteOrderMarks) {
  struct Case {
    const char *descr;
    DType dtype;
    Bytes data;
  };
  const Case cases[] = {
      {"|u1", DType::UInt8, {200}},
      {"u1", DType::UInt8, {200}},
      {"<u1", DType::UInt8, {200}},
      {"=u1", DType::UInt8, {200}},
      {">u1", DType::UInt8, {200}},
      {"|i1", DType::Int8, {200}},
      {"i1", DType::Int8, {200}},
      {"<i1", DType::Int8, {200}},
      {"<u2", DType::UInt16, {1, 2}},
      {"=u2", DType::UInt16, {1, 2}},
      {"|u2", DType::UInt16, {1, 2}},
      {"u2", DType::UInt16, {1, 2}},
      {"<i2", DType::Int16, {1, 2}},
      {"=i2", DType::Int16, {1, 2}},
      {"<i4", DType::Int32, {1, 2, 3, 4}},
      {"=i4", DType::Int32, {1, 2, 3, 4}},
      {"<f4", DType::Float32, {1, 2, 3, 4}},
      {"=f4", DType::Float32, {1, 2, 3, 4}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.descr);
    Array a = parse(npyWith(dict(c.descr, "(1,)"), c.data));
    EXPECT_EQ(a.dtype, c.dtype);
    EXPECT_EQ(a.bytes, c.data);
  }
  EXPECT_EQ(parse(npyWith(dict("|i1", "(1,)"), {200})).intAt(0), -56);
  EXPECT_EQ(parse(npyWith(dict("<u2", "(1,)"), {1, 2})).intAt(0), 0x0201);
}

// --- Errors ----------------------------------------------------------------

TEST(NpyErrors, BadMagic) {
  expectError({}, "not a .npy file");
  expectError(text("PK\x03\x04 a zip file, not npy"), "not a .npy file");
  expectError(text("\x93NUMPX\x01\x00"), "not a .npy file");
  expectError(text("hello"), "not a .npy file");
  std::string m = errorOf(text("nope"));
  expectMessage(m, "magic string \\x93NUMPY");
}

TEST(NpyErrors, UnsupportedVersion) {
  for (auto [major, minor] :
       {std::pair{0, 0}, {4, 0}, {1, 1}, {2, 5}, {255, 255}}) {
    Bytes b = npyWith(dict("|u1", "(1,)"), {1}, uint8_t(major), uint8_t(minor));
    std::string m = errorOf(b);
    expectMessage(m, "unsupported .npy format version " +
                         std::to_string(major) + "." + std::to_string(minor));
    expectMessage(m, "supported versions: 1.0, 2.0, 3.0");
  }
}

TEST(NpyErrors, MalformedHeader) {
  const char *headers[] = {
      "",
      "   \n",
      "[1, 2]",
      "{",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)",
      "{'descr' '<f4', 'fortran_order': False, 'shape': (3,)}",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (3,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), } x",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}}",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (3,)}",
      "{'descr': '<f4', 'fortran_order': false, 'shape': (3,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (0x3,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3e0,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3 4)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,]}",
      "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (3,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,),,}",
      "{, 'descr': '<f4', 'fortran_order': False, 'shape': (3,)}",
      "{3: '<f4', 'fortran_order': False, 'shape': (3,)}",
      "{('descr',): '<f4', 'fortran_order': False, 'shape': (3,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (- ,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': {3}}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1.5}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), # c\n}",
      "{'descr': '<f4',\n 'fortran_order': False, 'shape': '(3,)\n'}",
  };
  for (const char *h : headers)
    expectError(npyWith(h, Bytes(12, 0)), "malformed .npy header");
  // Embedded NULs (which strlen would stop at).
  std::string withNul = dict("<f4", "(3,)");
  withNul[5] = '\0';
  expectError(npyWith(withNul, Bytes(12, 0)), "malformed .npy header");
  expectError(npyWith(std::string("\0", 1) + dict("<f4", "(3,)"), Bytes(12, 0)),
              "malformed .npy header");
  // Deep nesting is refused, not recursed into.
  std::string deep = "{'descr': " + std::string(100000, '[') + "}";
  expectError(npyWith(deep, {}, 2), "nested too deeply");
  // Every message says what a header should look like.
  expectMessage(errorOf(npyWith("{", {})), "Python dict literal");
}

TEST(NpyErrors, Keys) {
  expectError(npyWith("{'descr': '<f4', 'shape': (1,)}", {0, 0, 0, 0}),
              "no 'fortran_order' key");
  expectError(npyWith("{'descr': '<f4', 'fortran_order': False}", {}),
              "no 'shape' key");
  expectError(npyWith("{'fortran_order': False, 'shape': (1,)}", {}),
              "no 'descr' key");
  expectError(npyWith("{}", {}), "required keys: 'descr', 'fortran_order', "
                                 "'shape'");
  expectError(npyWith("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (1,), 'extra': None}",
                      {0, 0, 0, 0}),
              "unexpected key 'extra'");
  expectError(npyWith("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (1,), 'shape': (1,)}",
                      {0, 0, 0, 0}),
              "duplicate key 'shape'");
  expectError(npyWith("{'Descr': '<f4', 'fortran_order': False, "
                      "'shape': (1,)}",
                      {0, 0, 0, 0}),
              "allowed keys: 'descr', 'fortran_order', 'shape'");
}

TEST(NpyErrors, UnsupportedDType) {
  const std::pair<const char *, const char *> cases[] = {
      {"<f8", "float64"},
      {"<i8", "int64"},
      {"<u4", "uint32"},
      {"<u8", "uint64"},
      {"<f2", "float16"},
      {"|b1", "bool"},
      {"<c8", "complex64"},
      {"<U3", "str"},
      {"|S5", "bytes"},
      {"|O", "object"},
      {"<M8[ns]", "datetime64"},
      {"float32", "float32"},
      {"", "''"},
      {"<", "'<'"},
      {"<i3", "int24"},
      {"<f4 ", "'<f4 '"},
      {"b", "'b'"},
  };
  for (auto [descr, name] : cases) {
    SCOPED_TRACE(descr);
    std::string m = errorOf(npyWith(dict(descr, "(1,)"), {0, 0, 0, 0}));
    expectMessage(m, std::string("unsupported dtype '") + descr + "'");
    expectMessage(m, name);
    for (const char *supported :
         {"uint8", "int8", "uint16", "int16", "int32", "float32"})
      expectMessage(m, supported);
  }
  expectError(npyWith("{'descr': [('a', '<i4'), ('b', '<f4')], "
                      "'fortran_order': False, 'shape': (1,)}",
                      Bytes(8, 0)),
              "structured");
  expectError(
      npyWith("{'descr': 4, 'fortran_order': False, 'shape': (1,)}", {0}),
      "'descr' is an integer, not a dtype string");
}

TEST(NpyErrors, BigEndian) {
  for (const char *descr : {">u2", ">i2", ">i4", ">f4"}) {
    SCOPED_TRACE(descr);
    std::string m = errorOf(npyWith(dict(descr, "(1,)"), {0, 0, 0, 0}));
    expectMessage(m, "big-endian data");
    expectMessage(m, "only little-endian '<");
  }
}

TEST(NpyErrors, FortranOrder) {
  std::string m = errorOf(npyWith(dict("<i2", "(2, 3)", "True"), Bytes(12, 0)));
  expectMessage(m, "fortran_order is True (only C order is supported)");
  expectError(npyWith(dict("<i2", "(2,)", "0"), Bytes(4, 0)),
              "'fortran_order' is an integer, not a bool");
  expectError(npyWith(dict("<i2", "(2,)", "None"), Bytes(4, 0)),
              "'fortran_order' is None");
}

TEST(NpyErrors, BadShapes) {
  expectError(npyWith(dict("<i2", "[2, 3]"), Bytes(12, 0)),
              "'shape' is a list, not a tuple");
  expectError(npyWith(dict("<i2", "(3)"), Bytes(6, 0)),
              "'shape' is an integer, not a tuple");
  expectError(npyWith(dict("<i2", "3"), Bytes(6, 0)), "not a tuple");
  expectError(npyWith(dict("<i2", "'3'"), Bytes(6, 0)), "'shape' is a string");
  expectError(npyWith(dict("<i2", "(2, '3')"), Bytes(12, 0)),
              "shape (2, a string) holds a string");
  expectError(npyWith(dict("<i2", "((2, 3),)"), Bytes(12, 0)), "holds a tuple");
  expectError(npyWith(dict("<i2", "(2, None)"), Bytes(12, 0)), "holds None");
  expectError(npyWith(dict("<i2", "(2, True)"), Bytes(12, 0)), "holds a bool");
  std::string m = errorOf(npyWith(dict("<i2", "(2, -3)"), Bytes(12, 0)));
  expectMessage(m, "negative dimension -3 in shape (2, -3)");
  expectMessage(m, "non-negative integers");
}

TEST(NpyErrors, AbsurdShapes) {
  const char *shapes[] = {
      "(99999999999999999999999999999999,)",
      "(18446744073709551615,)",
      "(9223372036854775808,)", // 2^63
      "(4294967296, 4294967296)",
      "(2305843009213693952,)", // 2^61 float32 = 2^63 bytes
      "(3037000500, 3037000500)",
      "(0, 4611686018427387904, 4611686018427387904)",
  };
  for (const char *s : shapes) {
    SCOPED_TRACE(s);
    std::string m = errorOf(npyWith(dict("<f4", s), Bytes(16, 0)));
    expectMessage(m, "absurd shape");
    expectMessage(m, "64-bit");
  }
  // Large but representable: the data is simply missing.
  expectError(npyWith(dict("|u1", "(9223372036854775807,)"), Bytes(16, 0)),
              "truncated data");
  expectError(npyWith(dict("<f4", "(1000000, 1000000)"), Bytes(16, 0)),
              "truncated data");
}

TEST(NpyErrors, DataSize) {
  std::string m = errorOf(npyWith(dict("<i2", "(2, 3)"), Bytes(11, 0)));
  expectMessage(m, "truncated data: shape (2, 3) of int16 needs 12 data "
                   "bytes, only 11 are present");
  m = errorOf(npyWith(dict("<i2", "(2, 3)"), Bytes(13, 0)));
  expectMessage(m, "1 unexpected bytes after the data");
  expectError(npyWith(dict("<i2", "()"), {}), "truncated data");
  expectError(npyWith(dict("<i2", "(0,)"), {1}), "unexpected bytes");
  Bytes longer = kGoldenU8;
  longer.push_back(0);
  expectError(longer, "unexpected bytes after the data");
}

TEST(NpyErrors, HeaderLengthBeyondFile) {
  Bytes b = kGoldenU8;
  b[8] = 0xff;
  expectError(b, "truncated .npy header");
  Bytes v2 = npyWith(dict("|u1", "(1,)"), {1}, 2);
  v2[11] = 0xff; // 4 GiB header length
  expectError(v2, "truncated .npy header");
}

TEST(NpyErrors, UntrustedTextIsEscapedOnOneLine) {
  std::string m =
      errorOf(npyWith(dict("<f4\n\x01\xff", "(1,)"), {0, 0, 0, 0}), "a.npy");
  // ("\n" in a string is malformed, "\x01\xff" is escaped)
  expectMessage(m, "malformed", "a.npy");
  m = errorOf(npyWith(dict("\x01\xff'", "(1,)"), {0}), "b.npy");
  // The quote ends the string early: malformed.
  expectMessage(m, "malformed", "b.npy");
  m = errorOf(npyWith(dict("\x01\xff\t", "(1,)"), {0}), "c.npy");
  expectMessage(m, "unsupported dtype '\\x01\\xff\\x09'", "c.npy");
  m = errorOf(npyWith(dict(std::string(5000, 'x'), "(1,)"), {0}), "d.npy");
  expectMessage(m, "...", "d.npy");
  EXPECT_LT(m.size(), 400u);
}

TEST(NpyErrors, NeverCrashesOnNull) {
  try {
    parseNpy(nullptr, 100, "null");
    FAIL();
  } catch (const NpyError &e) {
    expectMessage(e.what(), "not a .npy file", "null");
  }
}

// --- Files -----------------------------------------------------------------

TEST(NpyFile, MissingFile) {
  std::string path = tempPath("does-not-exist.npy");
  try {
    readNpy(path);
    FAIL();
  } catch (const NpyError &e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot open '" + path + "': No such file or directory");
  }
}

TEST(NpyFile, DirectoryAndUnwritable) {
  std::string dir = tempPath("a-directory");
  std::filesystem::create_directories(dir);
  try {
    readNpy(dir);
    FAIL();
  } catch (const NpyError &e) {
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
  std::string bad = tempPath("no-such-dir/out.npy");
  try {
    writeNpy(bad, Array::fromInts(DType::UInt8, {1}, {1}));
    FAIL();
  } catch (const NpyError &e) {
    EXPECT_EQ(std::string(e.what()), "cannot open '" + bad +
                                         "' for writing: No such file or "
                                         "directory");
  }
}

TEST(NpyFile, ErrorsNameThePath) {
  std::string path = tempPath("bad.npy");
  {
    std::ofstream out(path, std::ios::binary);
    out << "not numpy";
  }
  try {
    readNpy(path);
    FAIL();
  } catch (const NpyError &e) {
    expectMessage(e.what(), "not a .npy file", path);
  }
  std::filesystem::remove(path);
}

TEST(NpyEncode, RejectsInconsistentArrays) {
  Array neg = Array::fromInts(DType::UInt8, {2, -1}, {});
  try {
    encodeNpy(neg);
    FAIL();
  } catch (const NpyError &e) {
    expectMessage(e.what(), "negative dimension -1", "<array>");
  }
  Array mismatch = Array::fromInts(DType::Int16, {2, 3}, {1, 2, 3});
  try {
    encodeNpy(mismatch);
    FAIL();
  } catch (const NpyError &e) {
    expectMessage(e.what(),
                  "has 6 data bytes but shape (2, 3) of int16 needs 12",
                  "<array>");
  }
  Array huge;
  huge.dtype = DType::Int32;
  huge.shape = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_THROW(encodeNpy(huge), NpyError);
  Array badType = Array::fromInts(DType::UInt8, {1}, {1});
  badType.dtype = static_cast<DType>(42);
  EXPECT_THROW(encodeNpy(badType), NpyError);
  std::string path = tempPath("mismatch.npy");
  try {
    writeNpy(path, mismatch);
    FAIL();
  } catch (const NpyError &e) {
    expectMessage(e.what(), "cannot encode", path);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

// --- Truncation and corruption -------------------------------------------

std::vector<Bytes> validFiles() {
  std::vector<Bytes> files;
  for (const Golden &g : goldens())
    files.push_back(*g.bytes);
  files.push_back(npyWith(dict("<i2", "(3,)"), {1, 0, 2, 0, 3, 0}, 2));
  files.push_back(npyWith(dict("<f4", "(2, 1)"), Bytes(8, 0x41), 3));
  return files;
}

TEST(NpyRobustness, EveryTruncationIsAnError) {
  for (const Bytes &file : validFiles()) {
    ASSERT_NO_THROW(parse(file));
    for (size_t n = 0; n < file.size(); ++n) {
      SCOPED_TRACE(n);
      Bytes cut(file.begin(), file.begin() + n);
      // Exact prefixes of the header are not all "truncated" (a cut dict is
      // malformed), but each is an NpyError with a proper message.
      std::string m = errorOf(cut);
      expectMessage(m, "");
    }
  }
  // Cuts inside the data say "truncated".
  for (size_t n = 128; n < kGoldenU8.size(); ++n)
    expectError(Bytes(kGoldenU8.begin(), kGoldenU8.begin() + n),
                "truncated data");
  // Cuts inside the padded header say "truncated .npy header".
  for (size_t n = 10; n < 128; ++n)
    expectError(Bytes(kGoldenU8.begin(), kGoldenU8.begin() + n),
                "truncated .npy header");
}

/// Parses `b`: an NpyError or a consistent array; anything else fails.
void parseSafely(const Bytes &b) {
  try {
    Array a = parseNpy(b.data(), b.size(), "fuzz");
    ASSERT_GE(a.size(), 0);
    ASSERT_EQ(a.bytes.size(),
              static_cast<size_t>(a.size()) * dtypeSize(a.dtype));
    for (int64_t d : a.shape)
      ASSERT_GE(d, 0);
  } catch (const NpyError &e) {
    std::string m = e.what();
    ASSERT_EQ(m.rfind("fuzz: ", 0), 0u) << m;
    ASSERT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST(NpyRobustness, RandomCorruptionNeverCrashes) {
  std::mt19937 rng(20240607);
  std::vector<Bytes> files = validFiles();
  const char *alphabet = "{}()[],:'\" 0123456789-TrueFalsNone<>|=uif\n\x93";
  size_t parsed = 0;
  for (int iter = 0; iter < 60000; ++iter) {
    Bytes b = files[rng() % files.size()];
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits; ++e) {
      // Mostly the preamble and header, where the parsing is.
      size_t limit = rng() % 4 ? std::min<size_t>(b.size(), 140) : b.size();
      if (limit == 0)
        break;
      size_t at = rng() % limit;
      switch (rng() % 5) {
      case 0: // a random byte
        b[at] = static_cast<uint8_t>(rng());
        break;
      case 1: // a byte the header grammar cares about
        b[at] = static_cast<uint8_t>(alphabet[rng() % std::strlen(alphabet)]);
        break;
      case 2: // delete
        b.erase(b.begin() + at);
        break;
      case 3: // insert
        b.insert(b.begin() + at,
                 static_cast<uint8_t>(alphabet[rng() % std::strlen(alphabet)]));
        break;
      case 4: // flip a bit
        b[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      }
    }
    parseSafely(b);
    if (HasFatalFailure())
      return;
    try {
      parseNpy(b.data(), b.size(), "fuzz");
      ++parsed;
    } catch (const NpyError &) {
    }
  }
  // Some corruptions (in the data or padding) still parse.
  EXPECT_GT(parsed, 0u);
}

TEST(NpyRobustness, RandomHeadersNeverCrash) {
  std::mt19937 rng(99);
  const char *tokens[] = {"{",       "}",       "(",
                          ")",       "[",       "]",
                          ",",       ":",       " ",
                          "'descr'", "'shape'", "'fortran_order'",
                          "'<f4'",   "'|u1'",   "True",
                          "False",   "None",    "0",
                          "3",       "-1",      "99999999999999999999",
                          "'",       "\""};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string header;
    int n = rng() % 24;
    for (int i = 0; i < n; ++i)
      header += tokens[rng() % (sizeof tokens / sizeof *tokens)];
    Bytes data(rng() % 16, 0);
    parseSafely(npyWith(header, data, 1 + rng() % 3));
    if (HasFatalFailure())
      return;
  }
}

TEST(NpyRobustness, RandomBytesNeverCrash) {
  std::mt19937 rng(5);
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes b(rng() % 200);
    for (uint8_t &x : b)
      x = static_cast<uint8_t>(rng());
    if (!b.empty() && rng() % 2) { // a valid preamble, random rest
      Bytes pre = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(1 + rng() % 3), 0};
      std::copy(pre.begin(), pre.begin() + std::min(pre.size(), b.size()),
                b.begin());
    }
    parseSafely(b);
    if (HasFatalFailure())
      return;
  }
}

} // namespace
