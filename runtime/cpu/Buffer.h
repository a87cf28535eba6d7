//===- Buffer.h - 64-byte aligned byte buffers ------------------*- C++ -*-===//
#ifndef AKIDA_RUNTIME_CPU_BUFFER_H
#define AKIDA_RUNTIME_CPU_BUFFER_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace akida::cpu {

/// A zero-initialized, 64-byte aligned block of bytes that only grows.
class Buffer {
public:
  Buffer() = default;
  explicit Buffer(size_t size) { reserve(size); }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  Buffer(Buffer &&o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  Buffer &operator=(Buffer &&o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~Buffer() { std::free(data_); }

  /// Makes room for `size` bytes (contents are not kept when it grows).
  void reserve(size_t size) {
    if (size <= size_)
      return;
    std::free(data_);
    size_t rounded = (size + 63) / 64 * 64;
    data_ = static_cast<uint8_t *>(std::aligned_alloc(64, rounded));
    if (!data_)
      throw std::bad_alloc();
    std::memset(data_, 0, rounded);
    size_ = rounded;
  }
  uint8_t *data() const { return data_; }
  size_t size() const { return size_; }
  template <typename T> T *as() const { return reinterpret_cast<T *>(data_); }

private:
  uint8_t *data_ = nullptr;
  size_t size_ = 0;
};

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_BUFFER_H
