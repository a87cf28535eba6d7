//===- Image.cpp - Image files as model input frames ----------------------===//

#include "runtime/io/Image.h"

#include <png.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

namespace akida {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<uint8_t> readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw ImageError(path + ": cannot open the file");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

Array imageArray(int64_t rows, int64_t cols, int64_t channels,
                 std::vector<uint8_t> bytes) {
  Array a;
  a.dtype = DType::UInt8;
  a.shape = {1, rows, cols, channels};
  a.bytes = std::move(bytes);
  return a;
}

// -- Netpbm -----------------------------------------------------------------

/// The next header number of a PGM/PPM file (whitespace and # comments
/// skipped).
int64_t pnmNumber(const std::vector<uint8_t> &b, size_t &pos,
                  const std::string &path, const char *what) {
  for (;;) {
    while (pos < b.size() && std::isspace(b[pos]))
      ++pos;
    if (pos < b.size() && b[pos] == '#') {
      while (pos < b.size() && b[pos] != '\n')
        ++pos;
      continue;
    }
    break;
  }
  int64_t v = 0;
  size_t digits = 0;
  while (pos < b.size() && std::isdigit(b[pos]) && digits < 9) {
    v = v * 10 + (b[pos++] - '0');
    ++digits;
  }
  if (digits == 0 || (pos < b.size() && std::isdigit(b[pos])))
    throw ImageError(path + ": the Netpbm header has no valid " + what);
  return v;
}

Array readPnm(const std::vector<uint8_t> &b, const std::string &path) {
  const int64_t channels = b[1] == '5' ? 1 : 3;
  size_t pos = 2;
  const int64_t cols = pnmNumber(b, pos, path, "width");
  const int64_t rows = pnmNumber(b, pos, path, "height");
  const int64_t maxval = pnmNumber(b, pos, path, "maxval");
  if (cols < 1 || rows < 1)
    throw ImageError(path + ": the image is " + std::to_string(cols) + "x" +
                     std::to_string(rows) + " (width and height at least 1)");
  if (maxval < 1 || maxval > 255)
    throw ImageError(path + ": maxval " + std::to_string(maxval) +
                     " (8-bit images only: maxval 1 to 255)");
  if (pos >= b.size() || !std::isspace(b[pos]))
    throw ImageError(path + ": no whitespace after the Netpbm header");
  ++pos;
  const size_t n = static_cast<size_t>(rows * cols * channels);
  if (b.size() - pos != n)
    throw ImageError(path + ": " + std::to_string(b.size() - pos) +
                     " bytes of pixels for a " + std::to_string(cols) + "x" +
                     std::to_string(rows) + "x" + std::to_string(channels) +
                     " image (" + std::to_string(n) + " expected)");
  return imageArray(rows, cols, channels,
                    std::vector<uint8_t>(b.begin() + pos, b.end()));
}

// -- PNG --------------------------------------------------------------------

struct PngReadState {
  const std::vector<uint8_t> *bytes;
  size_t pos;
};

void pngReadBytes(png_structp png, png_bytep out, png_size_t n) {
  auto *s = static_cast<PngReadState *>(png_get_io_ptr(png));
  if (s->bytes->size() - s->pos < n)
    png_error(png, "the file ends early");
  std::copy_n(s->bytes->data() + s->pos, n, out);
  s->pos += n;
}

void pngFail(png_structp png, png_const_charp message) {
  auto *what = static_cast<std::string *>(png_get_error_ptr(png));
  *what = message;
  png_longjmp(png, 1);
}

void pngIgnoreWarning(png_structp, png_const_charp) {}

Array readPng(const std::vector<uint8_t> &b, const std::string &path) {
  std::string error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error,
                                           pngFail, pngIgnoreWarning);
  if (!png)
    throw ImageError(path + ": libpng could not start");
  png_infop info = png_create_info_struct(png);
  struct Cleanup {
    png_structp *png;
    png_infop *info;
    ~Cleanup() { png_destroy_read_struct(png, info, nullptr); }
  } cleanup{&png, &info};
  if (!info)
    throw ImageError(path + ": libpng could not start");
  PngReadState state{&b, 0};
  // Everything that may longjmp stays between here and the rows' copy; no
  // object with a destructor is created after setjmp.
  std::vector<uint8_t> pixels;
  std::vector<png_bytep> rowPointers;
  png_uint_32 width = 0, height = 0;
  int channels = 0;
  if (setjmp(png_jmpbuf(png)))
    throw ImageError(path + ": not a readable PNG (" + error + ")");
  png_set_read_fn(png, &state, pngReadBytes);
  png_set_user_limits(png, 1u << 16, 1u << 16);
  png_read_info(png, info);
  const int colorType = png_get_color_type(png, info);
  if (colorType == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb(png);
  if (colorType == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_bit_depth(png, info) == 16)
    png_set_strip_16(png);
  png_set_strip_alpha(png);
  png_read_update_info(png, info);
  width = png_get_image_width(png, info);
  height = png_get_image_height(png, info);
  channels = png_get_channels(png, info);
  if (channels != 1 && channels != 3)
    png_error(png, "unexpected channel count");
  const size_t rowBytes = png_get_rowbytes(png, info);
  pixels.resize(rowBytes * height);
  rowPointers.resize(height);
  for (png_uint_32 y = 0; y < height; ++y)
    rowPointers[y] = pixels.data() + y * rowBytes;
  png_read_image(png, rowPointers.data());
  png_read_end(png, nullptr);
  return imageArray(height, width, channels, std::move(pixels));
}

} // namespace

bool isImagePath(const std::string &path) {
  const std::string p = lower(path);
  auto ends = [&](const char *ext) {
    const std::string e = ext;
    return p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0;
  };
  return ends(".png") || ends(".pgm") || ends(".ppm");
}

Array readImage(const std::string &path) {
  const std::vector<uint8_t> b = readFile(path);
  static const uint8_t pngSignature[8] = {0x89, 'P', 'N', 'G',
                                          '\r', '\n', 0x1a, '\n'};
  if (b.size() >= 8 && std::equal(pngSignature, pngSignature + 8, b.begin()))
    return readPng(b, path);
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6'))
    return readPnm(b, path);
  throw ImageError(path + ": not an image this reader knows (PNG, binary "
                          "PGM P5 or PPM P6)");
}

void writePng(const std::string &path, const Array &image) {
  std::vector<int64_t> s = image.shape;
  if (s.size() == 4 && s[0] == 1)
    s.erase(s.begin());
  if (image.dtype != DType::UInt8 || s.size() != 3 ||
      (s[2] != 1 && s[2] != 3) || s[0] < 1 || s[1] < 1 ||
      image.bytes.size() != static_cast<size_t>(s[0] * s[1] * s[2]))
    throw ImageError(path + ": cannot write a " + dtypeName(image.dtype) +
                     " " + formatDims(image.shape) +
                     " array as PNG (uint8 (rows, cols, 1 or 3))");
  std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen(path.c_str(), "wb"),
                                           &std::fclose);
  if (!f)
    throw ImageError(path + ": cannot create the file");
  std::string error;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error,
                                            pngFail, pngIgnoreWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  struct Cleanup {
    png_structp *png;
    png_infop *info;
    ~Cleanup() { png_destroy_write_struct(png, info); }
  } cleanup{&png, &info};
  if (!png || !info)
    throw ImageError(path + ": libpng could not start");
  std::vector<png_bytep> rows(static_cast<size_t>(s[0]));
  if (setjmp(png_jmpbuf(png)))
    throw ImageError(path + ": cannot write the PNG (" + error + ")");
  png_init_io(png, f.get());
  png_set_IHDR(png, info, static_cast<png_uint_32>(s[1]),
               static_cast<png_uint_32>(s[0]), 8,
               s[2] == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const size_t rowBytes = static_cast<size_t>(s[1] * s[2]);
  for (size_t y = 0; y < rows.size(); ++y)
    rows[y] = const_cast<png_bytep>(image.bytes.data() + y * rowBytes);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
}

} // namespace akida
