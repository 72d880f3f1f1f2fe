#include "util/byte_view.h"

namespace distill {

Error ByteView::PastEnd(uint64_t offset) const {
  return Errorf("premature end of data at offset {} (size {})", offset, bytes_.size());
}

Result<uint64_t> ByteView::Uint(uint64_t offset, int width) const {
  if (width < 1 || width > 8) return InternalErrorf("integer width {} (not 1 to 8)", width);
  if (!Contains(offset, width)) return PastEnd(offset);
  return Load(offset, width);
}

Result<std::string_view> ByteView::Bytes(uint64_t offset, uint64_t n) const {
  if (!Contains(offset, n))
    return Errorf("premature end of data: {} bytes at offset {} (size {})", n, offset,
                  bytes_.size());
  return bytes_.substr(offset, n);
}

Result<ByteView> ByteView::Sub(uint64_t offset, uint64_t n) const {
  DISTILL_TRY(std::string_view bytes, Bytes(offset, n));
  return ByteView(bytes, order_);
}

Result<std::string_view> ByteView::CString(uint64_t offset) const {
  if (offset >= bytes_.size()) return PastEnd(offset);
  size_t nul = bytes_.find('\0', offset);
  if (nul == std::string_view::npos) return Errorf("unterminated string at offset {}", offset);
  return bytes_.substr(offset, nul - offset);
}

}  // namespace distill
