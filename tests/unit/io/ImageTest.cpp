// Image files as model input frames (runtime/io/Image.h): PNG in the forms
// cameras and datasets write (grayscale, RGB, palette, alpha, 16-bit, fewer
// than 8 bits), binary PGM/PPM, and one-line errors for what cannot be read.
#include "runtime/io/Image.h"

#include <png.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace akida;

namespace {

std::string tempPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          ("akida-image-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A PNG of `color` type and `depth` bits with the given rows (already in
/// PNG's packed row layout), written with libpng directly.
void writeRawPng(const std::string &path, uint32_t w, uint32_t h, int color,
                 int depth, const std::vector<std::vector<uint8_t>> &rows,
                 const std::vector<png_color> &palette = {}) {
  FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_IHDR(png, info, w, h, depth, color, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty())
    png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  png_write_info(png, info);
  for (const std::vector<uint8_t> &r : rows)
    png_write_row(png, r.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

std::string errorOf(const std::string &path) {
  try {
    readImage(path);
  } catch (const ImageError &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(Image, PngRoundTripGrayAndRgb) {
  const std::string p = tempPath("rgb.png");
  std::vector<int64_t> v(3 * 5 * 3);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<int64_t>(i * 17 % 256);
  const Array rgb = Array::fromInts(DType::UInt8, {3, 5, 3}, v);
  writePng(p, rgb);
  const Array back = readImage(p);
  EXPECT_EQ(back.shape, (std::vector<int64_t>{1, 3, 5, 3}));
  EXPECT_EQ(back.bytes, rgb.bytes);

  const Array gray =
      Array::fromInts(DType::UInt8, {1, 2, 3, 1}, {0, 1, 2, 253, 254, 255});
  writePng(p, gray);
  EXPECT_EQ(readImage(p), gray);
  EXPECT_THROW(writePng(p, Array::fromInts(DType::Int8, {2, 2, 1}, {1, 2, 3, 4})),
               ImageError);
  std::filesystem::remove(p);
}

TEST(Image, PngFormsBecomeGrayOrRgbBytes) {
  const std::string p = tempPath("forms.png");
  // RGBA: the alpha channel is dropped.
  writeRawPng(p, 2, 1, PNG_COLOR_TYPE_RGB_ALPHA, 8,
              {{10, 20, 30, 255, 40, 50, 60, 0}});
  EXPECT_EQ(readImage(p),
            Array::fromInts(DType::UInt8, {1, 1, 2, 3}, {10, 20, 30, 40, 50, 60}));
  // 16-bit grayscale: the high byte of each value.
  writeRawPng(p, 2, 1, PNG_COLOR_TYPE_GRAY, 16, {{0x12, 0x34, 0xAB, 0xCD}});
  EXPECT_EQ(readImage(p), Array::fromInts(DType::UInt8, {1, 1, 2, 1}, {0x12, 0xAB}));
  // 2-bit grayscale: scaled to 8 bits (0, 85, 170, 255).
  writeRawPng(p, 4, 1, PNG_COLOR_TYPE_GRAY, 2, {{0x1B}}); // 00 01 10 11
  EXPECT_EQ(readImage(p),
            Array::fromInts(DType::UInt8, {1, 1, 4, 1}, {0, 85, 170, 255}));
  // Palette: expanded to RGB.
  writeRawPng(p, 2, 1, PNG_COLOR_TYPE_PALETTE, 8, {{1, 0}},
              {{1, 2, 3}, {200, 100, 50}});
  EXPECT_EQ(readImage(p),
            Array::fromInts(DType::UInt8, {1, 1, 2, 3}, {200, 100, 50, 1, 2, 3}));
  std::filesystem::remove(p);
}

TEST(Image, NetpbmBinaryGrayAndColor) {
  const std::string p = tempPath("img.pgm");
  writeBytes(p, std::string("P5\n# a comment\n3 2\n255\n") +
                    std::string("\x00\x01\x02\xfd\xfe\xff", 6));
  EXPECT_EQ(readImage(p),
            Array::fromInts(DType::UInt8, {1, 2, 3, 1}, {0, 1, 2, 253, 254, 255}));
  writeBytes(p, std::string("P6 1 1 255 ") + std::string("\x07\x08\x09", 3));
  EXPECT_EQ(readImage(p), Array::fromInts(DType::UInt8, {1, 1, 1, 3}, {7, 8, 9}));
  std::filesystem::remove(p);
}

TEST(Image, WhatCannotBeReadIsNamed) {
  const std::string p = tempPath("bad.img");
  EXPECT_EQ(errorOf(p), p + ": cannot open the file");
  writeBytes(p, "hello");
  EXPECT_EQ(errorOf(p), p + ": not an image this reader knows (PNG, binary "
                            "PGM P5 or PPM P6)");
  writeBytes(p, "P5 2 2 65535 ");
  EXPECT_EQ(errorOf(p), p + ": maxval 65535 (8-bit images only: maxval 1 to "
                            "255)");
  writeBytes(p, "P5 2 2 255 abc");
  EXPECT_EQ(errorOf(p), p + ": 3 bytes of pixels for a 2x2x1 image (4 "
                            "expected)");
  writeBytes(p, "P6 x");
  EXPECT_EQ(errorOf(p), p + ": the Netpbm header has no valid width");
  writeBytes(p, std::string("\x89PNG\r\n\x1a\n", 8) + "broken");
  EXPECT_EQ(errorOf(p), p + ": not a readable PNG (the file ends early)");
  std::filesystem::remove(p);
}

TEST(Image, ImagePathsByExtension) {
  EXPECT_TRUE(isImagePath("a/b.png"));
  EXPECT_TRUE(isImagePath("B.PGM"));
  EXPECT_TRUE(isImagePath("c.ppm"));
  EXPECT_FALSE(isImagePath("d.npy"));
  EXPECT_FALSE(isImagePath(".png"));
}
