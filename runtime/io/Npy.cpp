//===- Npy.cpp - numpy .npy file reading and writing ----------------------===//
//
// The format (numpy/lib/format.py, NEP 1):
//
//   bytes 0-5   magic string "\x93NUMPY"
//   bytes 6-7   format version, major and minor (1.0, 2.0 or 3.0)
//   then        header length: uint16 little-endian for 1.0, uint32 for 2.0
//               and 3.0
//   then        the header: a Python dict literal with exactly the keys
//               'descr' (a dtype string), 'fortran_order' (a bool) and
//               'shape' (a tuple of ints), padded with spaces and ended by
//               '\n' so that the data starts 64-byte aligned; latin-1 for
//               1.0 and 2.0, UTF-8 for 3.0
//   then        the raw data, product(shape) elements.
//
// The header is parsed with a small recursive-descent parser for the subset
// of Python literals numpy headers use (strings, True/False/None, integers,
// tuples and lists), then checked key by key. Every size read from the file
// is checked against the bytes actually present before anything is
// allocated or copied.
//
//===----------------------------------------------------------------------===//
#include "runtime/io/Npy.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>

namespace akida {
namespace {

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr const char *kMagicText = "\\x93NUMPY";
constexpr size_t kAlign = 64;
/// numpy leaves room after the dict for the growth axis (the first one in C
/// order) to reach this many digits, so that appending can rewrite the
/// header in place (numpy/lib/format.py, GROWTH_AXIS_MAX_DIGITS).
constexpr size_t kGrowthAxisMaxDigits = 21;
/// The most data bytes an array may have: Array's element count is int64_t.
constexpr uint64_t kMaxBytes =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
/// Values nest at most this deep (structured dtypes nest a few levels).
constexpr int kMaxDepth = 32;

constexpr const char *kSupportedDTypes =
    "supported dtypes: uint8 '|u1', int8 '|i1', uint16 '<u2', int16 '<i2', "
    "int32 '<i4', float32 '<f4'";
constexpr const char *kHeaderForm =
    "the header must be a Python dict literal like "
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
constexpr const char *kKeys = "'descr', 'fortran_order', 'shape'";
constexpr const char *kShapeForm =
    "the shape must be a tuple of non-negative integers, like (2, 3), (3,) "
    "or ()";

bool hostIsLittleEndian() {
  const uint16_t one = 1;
  uint8_t first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

[[noreturn]] void fail(const std::string &source, const std::string &what,
                       const std::string &allowed) {
  throw NpyError(source + ": " + what + " (" + allowed + ")");
}

/// Untrusted text made printable for a one-line message: quoted, non-ASCII
/// and control bytes escaped, shortened.
std::string quoted(const std::string &text) {
  constexpr size_t kMaxShown = 40;
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxShown) {
      out += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "'";
}

/// A Python literal from the header.
struct Value {
  enum Kind { Str, Bool, None, Int, Tuple, List } kind = None;
  /// Str: the contents. Int: the literal as written, sign included,
  /// shortened when very long.
  std::string text;
  bool boolean = false;
  /// Int: sign and magnitude, the magnitude saturated at UINT64_MAX.
  bool negative = false;
  uint64_t magnitude = 0;
  /// Tuple, List: the elements.
  std::vector<Value> items;
};

const char *kindName(Value::Kind kind) {
  switch (kind) {
  case Value::Str:
    return "a string";
  case Value::Bool:
    return "a bool";
  case Value::None:
    return "None";
  case Value::Int:
    return "an integer";
  case Value::Tuple:
    return "a tuple";
  case Value::List:
    return "a list";
  }
  return "a value";
}

/// Python's repr of a tuple of dimension texts, shortened past 8 of them.
template <typename T, typename Text>
std::string tupleText(const std::vector<T> &dims, Text text) {
  constexpr size_t kMaxShown = 8;
  std::string out = "(";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i == kMaxShown) {
      out += ", ... " + std::to_string(dims.size() - kMaxShown) + " more";
      break;
    }
    if (i)
      out += ", ";
    out += text(dims[i]);
  }
  if (dims.size() == 1)
    out += ",";
  return out + ")";
}

std::string shapeText(const std::vector<int64_t> &shape) {
  return tupleText(shape, [](int64_t d) { return std::to_string(d); });
}

std::string shapeText(const std::vector<Value> &shape) {
  return tupleText(shape, [](const Value &v) {
    return v.kind == Value::Int ? v.text : std::string(kindName(v.kind));
  });
}

/// Bytes of data for dimensions in [0, kMaxBytes] and an element size, or
/// nothing when that overflows. Dimensions of zero are left out of the
/// overflow check, but the product of the others must fit too, so that any
/// prefix product of the shape (as Array::size() computes it) fits int64.
std::optional<uint64_t> dataBytes(const std::vector<uint64_t> &dims,
                                  size_t itemSize) {
  uint64_t bytes = itemSize;
  bool empty = false;
  for (uint64_t d : dims) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (bytes > kMaxBytes / d)
      return std::nullopt;
    bytes *= d;
  }
  return empty ? 0 : bytes;
}

bool isSpace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}
bool isDigit(int c) { return c >= '0' && c <= '9'; }
bool isNameChar(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) ||
         c == '_';
}

/// Parses the header's dict literal into its (key, value) entries, in order.
class HeaderParser {
public:
  HeaderParser(const uint8_t *text, size_t size, const std::string &source)
      : text_(text), size_(size), source_(source) {}

  std::vector<std::pair<std::string, Value>> parseDict() {
    skipSpaces();
    if (peek() != '{')
      malformed("expected '{' opening the dict, found " + here());
    ++pos_;
    std::vector<std::pair<std::string, Value>> entries;
    for (;;) {
      skipSpaces();
      if (peek() == '}') {
        ++pos_;
        break;
      }
      size_t keyPos = pos_;
      Value key = parseValue(0);
      if (key.kind != Value::Str) {
        pos_ = keyPos;
        malformed(std::string("dict key is ") + kindName(key.kind) +
                  ", not a string");
      }
      skipSpaces();
      if (peek() != ':')
        malformed("expected ':' after key " + quoted(key.text) + ", found " +
                  here());
      ++pos_;
      Value value = parseValue(0);
      entries.emplace_back(std::move(key.text), std::move(value));
      skipSpaces();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        break;
      }
      malformed("expected ',' or '}' after the value of key " +
                quoted(entries.back().first) + ", found " + here());
    }
    skipSpaces();
    if (pos_ < size_)
      malformed("unexpected " + here() + " after the dict");
    return entries;
  }

private:
  /// The next byte, or -1 at the end.
  int peek() const { return pos_ < size_ ? text_[pos_] : -1; }

  void skipSpaces() {
    while (pos_ < size_ && isSpace(text_[pos_]))
      ++pos_;
  }

  std::string here() const {
    int c = peek();
    if (c < 0)
      return "the end of the header";
    return quoted(std::string(1, static_cast<char>(c)));
  }

  [[noreturn]] void malformed(const std::string &what) const {
    fail(source_,
         "malformed .npy header: " + what + " at header offset " +
             std::to_string(pos_),
         kHeaderForm);
  }

  Value parseValue(int depth) {
    skipSpaces();
    if (depth > kMaxDepth)
      malformed("values nested too deeply");
    int c = peek();
    if (c == '\'' || c == '"')
      return parseString();
    if (c == '(' || c == '[')
      return parseSequence(depth);
    if (isDigit(c) || c == '-' || c == '+')
      return parseInt();
    if (isNameChar(c))
      return parseName();
    malformed("expected a value, found " + here());
  }

  Value parseString() {
    const uint8_t quote = text_[pos_++];
    Value v;
    v.kind = Value::Str;
    for (;;) {
      if (pos_ >= size_ || text_[pos_] == '\n' || text_[pos_] == '\r')
        malformed("unterminated string");
      uint8_t c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return v;
      }
      if (c == '\\')
        malformed("escape sequences in strings are not supported");
      if (c == 0) // Python refuses NUL bytes in source, strings included.
        malformed("NUL byte in a string");
      v.text += static_cast<char>(c);
      ++pos_;
    }
  }

  Value parseSequence(int depth) {
    const uint8_t open = text_[pos_++];
    const uint8_t close = open == '(' ? ')' : ']';
    const char *name = open == '(' ? "tuple" : "list";
    Value v;
    v.kind = open == '(' ? Value::Tuple : Value::List;
    bool sawComma = false;
    for (;;) {
      skipSpaces();
      if (peek() == close) {
        ++pos_;
        break;
      }
      v.items.push_back(parseValue(depth + 1));
      skipSpaces();
      if (peek() == ',') {
        ++pos_;
        sawComma = true;
        continue;
      }
      if (peek() == close) {
        ++pos_;
        break;
      }
      malformed(std::string("expected ',' or '") + static_cast<char>(close) +
                "' in a " + name + ", found " + here());
    }
    // As in Python, "(x)" is x itself, not a tuple: only "(x,)" is.
    if (v.kind == Value::Tuple && v.items.size() == 1 && !sawComma) {
      Value inner = std::move(v.items.front());
      return inner;
    }
    return v;
  }

  Value parseInt() {
    Value v;
    v.kind = Value::Int;
    if (peek() == '-' || peek() == '+') {
      v.negative = peek() == '-';
      ++pos_;
      skipSpaces();
    }
    if (!isDigit(peek()))
      malformed("expected digits, found " + here());
    constexpr size_t kMaxShown = 24;
    std::string digits;
    bool saturated = false;
    while (isDigit(peek())) {
      unsigned d = static_cast<unsigned>(peek() - '0');
      if (!saturated && v.magnitude > (UINT64_MAX - d) / 10) {
        saturated = true;
        v.magnitude = UINT64_MAX;
      } else if (!saturated) {
        v.magnitude = v.magnitude * 10 + d;
      }
      if (digits.size() < kMaxShown)
        digits += static_cast<char>(peek());
      else if (digits.size() == kMaxShown)
        digits += "...";
      ++pos_;
    }
    // Python 2's long suffix, as headers written by numpy under Python 2
    // had it ("(3L,)").
    if (peek() == 'L' || peek() == 'l')
      ++pos_;
    if (isNameChar(peek()) || peek() == '.')
      malformed("unsupported number literal (only decimal integers are)");
    v.text = (v.negative ? "-" : "") + digits;
    return v;
  }

  Value parseName() {
    size_t start = pos_;
    while (isNameChar(peek()))
      ++pos_;
    std::string name(reinterpret_cast<const char *>(text_) + start,
                     pos_ - start);
    Value v;
    if (name == "True" || name == "False") {
      v.kind = Value::Bool;
      v.boolean = name == "True";
    } else if (name == "None") {
      v.kind = Value::None;
    } else {
      pos_ = start;
      malformed("unknown name " + quoted(name) +
                " (only True, False and None are literals)");
    }
    return v;
  }

  const uint8_t *text_;
  size_t size_;
  size_t pos_ = 0;
  const std::string &source_;
};

/// numpy's name of a dtype string's type, for messages: " (float64)".
std::string numpyTypeName(const std::string &body) {
  if (body.empty())
    return "";
  char kind = body[0];
  std::string rest = body.substr(1);
  bool sized = !rest.empty() && rest.size() <= 2 && isDigit(rest[0]) &&
               (rest.size() == 1 || isDigit(rest[1]));
  std::string bits = sized ? std::to_string(std::stoi(rest) * 8) : "";
  switch (kind) {
  case 'b':
    return sized && rest == "1" ? " (bool)" : "";
  case 'i':
    return sized ? " (int" + bits + ")" : "";
  case 'u':
    return sized ? " (uint" + bits + ")" : "";
  case 'f':
    return sized ? " (float" + bits + ")" : "";
  case 'c':
    return sized ? " (complex" + bits + ")" : "";
  case 'S':
  case 'a':
    return " (bytes)";
  case 'U':
    return " (str)";
  case 'V':
    return " (void)";
  case 'O':
    return " (object)";
  case 'M':
    return " (datetime64)";
  case 'm':
    return " (timedelta64)";
  default:
    return "";
  }
}

DType parseDescr(const std::string &descr, const std::string &source) {
  static const std::pair<const char *, DType> kTypes[] = {
      {"u1", DType::UInt8}, {"i1", DType::Int8},  {"u2", DType::UInt16},
      {"i2", DType::Int16}, {"i4", DType::Int32}, {"f4", DType::Float32},
  };
  char order = 0;
  std::string body = descr;
  if (!descr.empty() && descr[0] != '\0' && std::strchr("<>|=", descr[0])) {
    order = descr[0];
    body = descr.substr(1);
  }
  const DType *found = nullptr;
  for (const auto &[name, dtype] : kTypes)
    if (body == name)
      found = &dtype;
  if (!found)
    fail(source, "unsupported dtype " + quoted(descr) + numpyTypeName(body),
         kSupportedDTypes);
  DType dtype = *found;
  // The byte order of one-byte types does not matter ('|' is what numpy
  // writes, and it reads '<u1', '>u1' and 'u1' as the same type).
  if (dtypeSize(dtype) == 1 || order == '<')
    return dtype;
  std::string little = "only little-endian '<" + body + "' data is supported";
  if (order == '>')
    fail(source, "big-endian data (descr " + quoted(descr) + ")", little);
  // '=', '|' or no mark: the native byte order, as numpy reads it.
  if (!hostIsLittleEndian())
    fail(source,
         "big-endian data (descr " + quoted(descr) +
             " means the native byte order, big-endian on this machine)",
         little);
  return dtype;
}

struct Header {
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t dataBytes;
};

Header interpret(const std::vector<std::pair<std::string, Value>> &entries,
                 const std::string &source) {
  const Value *descr = nullptr, *fortran = nullptr, *shape = nullptr;
  for (const auto &[key, value] : entries) {
    const Value **slot = key == "descr"           ? &descr
                         : key == "fortran_order" ? &fortran
                         : key == "shape"         ? &shape
                                                  : nullptr;
    if (!slot)
      fail(source, "unexpected key " + quoted(key) + " in the .npy header",
           std::string("allowed keys: ") + kKeys);
    if (*slot)
      fail(source, "duplicate key " + quoted(key) + " in the .npy header",
           std::string("each of ") + kKeys + " must appear once");
    *slot = &value;
  }
  for (const auto &[slot, key] :
       {std::pair{descr, "descr"}, std::pair{fortran, "fortran_order"},
        std::pair{shape, "shape"}})
    if (!slot)
      fail(source, std::string("the .npy header has no '") + key + "' key",
           std::string("required keys: ") + kKeys);

  Header h;
  if (descr->kind == Value::List)
    fail(source, "unsupported dtype: structured (record) arrays",
         kSupportedDTypes);
  if (descr->kind != Value::Str)
    fail(source,
         std::string("'descr' is ") + kindName(descr->kind) +
             ", not a dtype string",
         kSupportedDTypes);
  h.dtype = parseDescr(descr->text, source);

  if (fortran->kind != Value::Bool)
    fail(source,
         std::string("'fortran_order' is ") + kindName(fortran->kind) +
             ", not a bool",
         "it must be False: only C order is supported");
  if (fortran->boolean)
    fail(source, "fortran_order is True", "only C order is supported");

  if (shape->kind != Value::Tuple)
    fail(source,
         std::string("'shape' is ") + kindName(shape->kind) + ", not a tuple",
         kShapeForm);
  std::vector<uint64_t> dims;
  dims.reserve(shape->items.size());
  for (const Value &d : shape->items) {
    if (d.kind != Value::Int)
      fail(source,
           "shape " + shapeText(shape->items) + " holds " + kindName(d.kind),
           kShapeForm);
    if (d.negative && d.magnitude != 0)
      fail(source,
           "negative dimension " + d.text + " in shape " +
               shapeText(shape->items),
           kShapeForm);
    if (d.magnitude > kMaxBytes)
      fail(source,
           "absurd shape " + shapeText(shape->items) + ": dimension " + d.text +
               " overflows",
           "dimensions and the data size must fit in a signed 64-bit "
           "integer");
    dims.push_back(d.magnitude);
  }
  std::optional<uint64_t> bytes = dataBytes(dims, dtypeSize(h.dtype));
  if (!bytes)
    fail(source,
         "absurd shape " + shapeText(shape->items) + ": the element count " +
             "overflows",
         "the data size must fit in a signed 64-bit integer");
  h.shape.assign(dims.begin(), dims.end());
  h.dataBytes = *bytes;
  return h;
}

uint64_t readLittleEndian(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

const char *descrOf(DType dtype) {
  switch (dtype) {
  case DType::UInt8:
    return "|u1";
  case DType::Int8:
    return "|i1";
  case DType::UInt16:
    return "<u2";
  case DType::Int16:
    return "<i2";
  case DType::Int32:
    return "<i4";
  case DType::Float32:
    return "<f4";
  }
  return nullptr;
}

std::vector<uint8_t> encode(const Array &array, const std::string &source) {
  const char *descr = descrOf(array.dtype);
  if (!descr)
    fail(source,
         "cannot encode an array of unknown dtype value " +
             std::to_string(static_cast<int>(array.dtype)),
         kSupportedDTypes);
  std::vector<uint64_t> dims;
  for (int64_t d : array.shape) {
    if (d < 0)
      fail(source,
           "cannot encode shape " + shapeText(array.shape) +
               ": negative dimension " + std::to_string(d),
           "dimensions must be non-negative");
    dims.push_back(static_cast<uint64_t>(d));
  }
  std::optional<uint64_t> need = dataBytes(dims, dtypeSize(array.dtype));
  if (!need)
    fail(source,
         "cannot encode shape " + shapeText(array.shape) +
             ": the element count overflows",
         "the data size must fit in a signed 64-bit integer");
  if (array.bytes.size() != *need)
    fail(source,
         "cannot encode: the array has " + std::to_string(array.bytes.size()) +
             " data bytes but shape " + shapeText(array.shape) + " of " +
             dtypeName(array.dtype) + " needs " + std::to_string(*need),
         "the bytes must match the shape and dtype");

  // Byte for byte as numpy's format.write_array_header_1_0 and _wrap_header:
  // keys sorted, repr of each value followed by ", ", growth-axis spare
  // spaces, then spaces and '\n' up to 64-byte alignment of the data.
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i) {
    if (i)
      header += ", ";
    header += std::to_string(array.shape[i]);
  }
  header += array.shape.size() == 1 ? ",), }" : "), }";
  if (!array.shape.empty())
    header.append(
        kGrowthAxisMaxDigits - std::to_string(array.shape.front()).size(), ' ');
  const size_t withNewline = header.size() + 1;
  uint8_t major = 1;
  size_t lengthBytes = 2;
  size_t padding = kAlign - (8 + lengthBytes + withNewline) % kAlign;
  if (withNewline + padding > 0xffff) { // Too long for 1.0, as numpy does.
    major = 2;
    lengthBytes = 4;
    padding = kAlign - (8 + lengthBytes + withNewline) % kAlign;
  }
  const uint64_t headerLength = withNewline + padding;
  if (headerLength > 0xffffffffu)
    fail(source, "cannot encode: the .npy header would be too long",
         "a header must fit in 4 GiB");

  // Filled with spaces, the header padding.
  const size_t preamble = 8 + lengthBytes;
  std::vector<uint8_t> out(preamble + headerLength + array.bytes.size(), ' ');
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  out[6] = major;
  out[7] = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    out[8 + i] = static_cast<uint8_t>(headerLength >> (8 * i));
  std::memcpy(out.data() + preamble, header.data(), header.size());
  out[preamble + headerLength - 1] = '\n';
  if (!array.bytes.empty())
    std::memcpy(out.data() + preamble + headerLength, array.bytes.data(),
                array.bytes.size());
  return out;
}

std::string errnoText(int error) {
  return std::generic_category().message(error);
}

} // namespace

Array parseNpy(const uint8_t *data, size_t size, const std::string &source) {
  if (!data)
    size = 0;
  const std::string magicRule =
      std::string("a .npy file starts with the magic string ") + kMagicText;
  if (size == 0)
    fail(source, "not a .npy file: it is empty", magicRule);
  if (std::memcmp(data, kMagic, std::min(size, sizeof kMagic)) != 0)
    fail(source, "not a .npy file", magicRule);
  if (size < 8)
    fail(source,
         "truncated .npy file: " + std::to_string(size) +
             " bytes end inside the preamble",
         "the magic string, version and header length come first");
  const unsigned major = data[6], minor = data[7];
  if (major < 1 || major > 3 || minor != 0)
    fail(source,
         "unsupported .npy format version " + std::to_string(major) + "." +
             std::to_string(minor),
         "supported versions: 1.0, 2.0, 3.0");
  const size_t lengthBytes = major == 1 ? 2 : 4;
  const size_t preamble = 8 + lengthBytes;
  if (size < preamble)
    fail(source,
         "truncated .npy file: " + std::to_string(size) +
             " bytes end inside the preamble",
         "a version " + std::to_string(major) + ".0 file starts with a " +
             std::to_string(preamble) + "-byte preamble");
  const uint64_t headerLength = readLittleEndian(data + 8, lengthBytes);
  const uint64_t available = size - preamble;
  if (headerLength > available)
    fail(source,
         "truncated .npy header: its length field says " +
             std::to_string(headerLength) + " bytes but only " +
             std::to_string(available) + " follow the preamble",
         "the file must hold the whole header and the data");

  HeaderParser parser(data + preamble, static_cast<size_t>(headerLength),
                      source);
  Header h = interpret(parser.parseDict(), source);

  const size_t offset = preamble + static_cast<size_t>(headerLength);
  const uint64_t present = size - offset;
  const std::string what = "shape " + shapeText(h.shape) + " of " +
                           dtypeName(h.dtype) + " needs " +
                           std::to_string(h.dataBytes) + " data bytes";
  if (present < h.dataBytes)
    fail(source,
         "truncated data: " + what + ", only " + std::to_string(present) +
             " are present",
         "the file must hold all the array's data");
  if (present > h.dataBytes)
    fail(source,
         std::to_string(present - h.dataBytes) +
             " unexpected bytes after the data: " + what,
         "the file must end with the array's data");

  Array array;
  array.dtype = h.dtype;
  array.shape = std::move(h.shape);
  array.bytes.assign(data + offset, data + size);
  return array;
}

Array readNpy(const std::string &path) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    throw NpyError("cannot open '" + path + "': " + errnoText(errno));
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  for (;;) {
    size_t n = std::fread(chunk, 1, sizeof chunk, file);
    bytes.insert(bytes.end(), chunk, chunk + n);
    if (n < sizeof chunk) {
      if (std::ferror(file)) {
        int error = errno;
        std::fclose(file);
        throw NpyError("cannot read '" + path + "': " + errnoText(error));
      }
      break;
    }
  }
  std::fclose(file);
  return parseNpy(bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> encodeNpy(const Array &array) {
  return encode(array, "<array>");
}

void writeNpy(const std::string &path, const Array &array) {
  std::vector<uint8_t> bytes = encode(array, path);
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    throw NpyError("cannot open '" + path +
                   "' for writing: " + errnoText(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  int error = ok ? 0 : errno;
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    std::remove(path.c_str());
    throw NpyError("cannot write '" + path + "': " + errnoText(error));
  }
}

} // namespace akida
