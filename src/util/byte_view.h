// The one way distill reads binary data that came from outside (an ELF file, an rpm database, a
// header blob): a view of the bytes that hands out fixed-width integers of either byte order at
// an offset, sub-ranges and NUL-terminated strings, each read checked to lie inside the view
// (without overflow: any 64-bit offset and length is safe). A read that does not fit is an Error
// naming the offset and the view's size, never a read past the end. The view does not own or copy
// the bytes: a mapped file stays mapped, not copied (as bloaty's bounds-checked readers).
#pragma once

#include <cstdint>
#include <string_view>

#include "util/result.h"

namespace distill {

enum class ByteOrder : uint8_t { kLittle, kBig };

class ByteView {
 public:
  ByteView() = default;
  explicit ByteView(std::string_view bytes, ByteOrder order = ByteOrder::kLittle)
      : bytes_(bytes), order_(order) {}

  std::string_view bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  ByteOrder order() const { return order_; }

  // True when the n bytes at offset lie inside the view.
  bool Contains(uint64_t offset, uint64_t n) const {
    return offset <= bytes_.size() && n <= bytes_.size() - offset;
  }

  // Unsigned integers at an offset, in the view's byte order. An error past the end:
  // "premature end of data at offset 4 (size 6)".
  Result<uint8_t> U8(uint64_t offset) const { return Int<uint8_t>(offset); }
  Result<uint16_t> U16(uint64_t offset) const { return Int<uint16_t>(offset); }
  Result<uint32_t> U32(uint64_t offset) const { return Int<uint32_t>(offset); }
  Result<uint64_t> U64(uint64_t offset) const { return Int<uint64_t>(offset); }
  // An integer of `width` bytes (1 to 8): for fields whose width the data itself sets (an ELF
  // file's class, an rpm tag's type).
  Result<uint64_t> Uint(uint64_t offset, int width) const;

  // The n bytes at offset. An error past the end: "premature end of data: 3 bytes at offset 3 (size
  // 5)".
  Result<std::string_view> Bytes(uint64_t offset, uint64_t n) const;
  // The same bytes as a view of the same byte order, its offsets counted from its start.
  Result<ByteView> Sub(uint64_t offset, uint64_t n) const;
  // The bytes from offset up to the next NUL, which is not included: "unterminated string at
  // offset 3" when there is none.
  Result<std::string_view> CString(uint64_t offset) const;

 private:
  template <typename T>
  Result<T> Int(uint64_t offset) const {
    if (!Contains(offset, sizeof(T))) return PastEnd(offset);
    return static_cast<T>(Load(offset, sizeof(T)));
  }
  // The integer at offset, which the caller checked lies inside the view.
  uint64_t Load(uint64_t offset, int width) const {
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      int from = order_ == ByteOrder::kBig ? i : width - 1 - i;  // the most significant byte first
      v = v << 8 | static_cast<uint8_t>(bytes_[offset + from]);
    }
    return v;
  }
  Error PastEnd(uint64_t offset) const;

  std::string_view bytes_;
  ByteOrder order_ = ByteOrder::kLittle;
};

}  // namespace distill
