//===- Npy.h - numpy .npy file reading and writing --------------*- C++ -*-===//
//
// Reads and writes numpy's `.npy` format (format versions 1.0, 2.0 and 3.0
// for reading; 1.0 for writing, as numpy itself writes, falling back to 2.0
// only for headers too long for 1.0) as `akida::Array`s.
//
// Supported dtypes are those of `akida::DType`: uint8 ('|u1'), int8 ('|i1'),
// uint16 ('<u2'), int16 ('<i2'), int32 ('<i4') and float32 ('<f4'), C order,
// any rank (0-D and arrays with a zero dimension included).
//
// The reader never trusts its input: anything it cannot represent exactly is
// rejected with an NpyError whose message is one line,
// "<source>: <what is wrong> (<what is allowed>)".
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_IO_NPY_H
#define AKIDA_RUNTIME_IO_NPY_H

#include "compiler/fbz/ModelDesc.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida {

/// A .npy file that cannot be read or written; the message is one line.
class NpyError : public std::runtime_error {
public:
  explicit NpyError(const std::string &message) : std::runtime_error(message) {}
};

/// Parses the bytes of a whole .npy file. `source` names it in error
/// messages (a path, or e.g. "<memory>").
Array parseNpy(const uint8_t *data, size_t size, const std::string &source);

/// Reads and parses the .npy file at `path`.
Array readNpy(const std::string &path);

/// The bytes of a .npy file (format 1.0) holding `array`, byte for byte what
/// numpy's `np.save` writes for the same array. Throws NpyError when the
/// array is inconsistent (negative dimension, byte count not matching its
/// shape and dtype).
std::vector<uint8_t> encodeNpy(const Array &array);

/// Writes `array` as a .npy file at `path` (replacing any file there).
void writeNpy(const std::string &path, const Array &array);

} // namespace akida

#endif // AKIDA_RUNTIME_IO_NPY_H
