#include "image/byte_stream.h"

#include <algorithm>
#include <cstring>

namespace distill::image {

Result<size_t> FileRegionReader::Read(void* buf, size_t n) {
  size_t want = static_cast<size_t>(std::min<uint64_t>(n, end_ - pos_));
  if (want == 0) return size_t{0};
  DISTILL_TRY_VOID(file_->ReadAt(pos_, buf, want));
  pos_ += want;
  return want;
}

Result<size_t> StringReader::Read(void* buf, size_t n) {
  size_t want = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, want);
  pos_ += want;
  return want;
}

Result<std::string> ReadAll(ByteStream& r, uint64_t max_bytes, std::string_view what) {
  std::string out;
  char buf[65536];
  for (;;) {
    DISTILL_TRY(size_t n, r.Read(buf, sizeof buf));
    if (n == 0) break;
    if (out.size() + n > max_bytes)
      return Errorf("{}: larger than the {} byte limit", what, max_bytes);
    out.append(buf, n);
  }
  return out;
}

}  // namespace distill::image
