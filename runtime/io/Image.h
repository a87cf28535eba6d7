//===- Image.h - Image files as model input frames ----------------*- C++ -*-===//
//
// Reads the images a camera or a dataset leaves on disk as one model input
// sample: a uint8 Array of shape (1, rows, columns, channels), NHWC, as
// Model::forward and the streaming sources take it.
//
// - PNG (libpng): grayscale gives 1 channel, RGB 3. Palette images are
//   expanded to RGB, grayscale below 8 bits to 8 bits; an alpha channel is
//   dropped (as image loaders do when asked for RGB or grayscale); 16-bit
//   images keep the high byte of each value.
// - Netpbm binary PGM (P5, 1 channel) and PPM (P6, 3 channels) with a
//   maxval of at most 255.
//
// Which one is decided by the file's first bytes, not its name. Anything
// else, or a damaged file, is an ImageError with a one-line message naming
// the file.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_IO_IMAGE_H
#define AKIDA_RUNTIME_IO_IMAGE_H

#include "compiler/fbz/ModelDesc.h"

#include <stdexcept>
#include <string>

namespace akida {

/// An image file that cannot be read or written; the message is one line.
class ImageError : public std::runtime_error {
public:
  explicit ImageError(const std::string &message)
      : std::runtime_error(message) {}
};

/// Whether `path` names an image file by its extension (.png, .pgm, .ppm,
/// any case): what a directory source picks up.
bool isImagePath(const std::string &path);

/// The image at `path` as a uint8 (1, rows, columns, channels) Array.
Array readImage(const std::string &path);

/// Writes `image`, a uint8 (rows, columns, channels) or (1, rows, columns,
/// channels) Array with 1 (grayscale) or 3 (RGB) channels, as an 8-bit PNG.
void writePng(const std::string &path, const Array &image);

} // namespace akida

#endif // AKIDA_RUNTIME_IO_IMAGE_H
