#include "imagebuild/deb/apt/decompress.h"

#include <lzma.h>
#include <zlib.h>

namespace distill::imagebuild::apt {

namespace {

Result<std::string> Xz(std::string_view data, uint64_t max_out) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    return InternalErrorf("xz: decoder init failed");
  std::string out;
  out.resize(std::min<uint64_t>(max_out, std::max<size_t>(data.size() * 6, 1 << 16)));
  s.next_in = reinterpret_cast<const uint8_t*>(data.data());
  s.avail_in = data.size();
  size_t used = 0;
  lzma_ret rc = LZMA_OK;
  while (rc == LZMA_OK) {
    if (used == out.size()) {
      if (out.size() >= max_out) {
        lzma_end(&s);
        return Errorf("xz: more than {} bytes uncompressed", max_out);
      }
      out.resize(std::min<uint64_t>(max_out, out.size() * 2));
    }
    s.next_out = reinterpret_cast<uint8_t*>(out.data() + used);
    s.avail_out = out.size() - used;
    rc = lzma_code(&s, LZMA_FINISH);
    used = out.size() - s.avail_out;
  }
  lzma_end(&s);
  if (rc != LZMA_STREAM_END)
    return Errorf("xz: corrupt or truncated data (liblzma error {})", static_cast<int>(rc));
  out.resize(used);
  return out;
}

Result<std::string> Gz(std::string_view data, uint64_t max_out) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return InternalErrorf("gzip: inflate init failed");
  std::string out;
  out.resize(std::min<uint64_t>(max_out, std::max<size_t>(data.size() * 5, 1 << 16)));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  size_t used = 0;
  for (;;) {
    if (used == out.size()) {
      if (out.size() >= max_out) {
        inflateEnd(&z);
        return Errorf("gzip: more than {} bytes uncompressed", max_out);
      }
      out.resize(std::min<uint64_t>(max_out, out.size() * 2));
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - used, 1u << 30));
    int rc = inflate(&z, Z_NO_FLUSH);
    used = reinterpret_cast<char*>(z.next_out) - out.data();
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_out == 0)) {
      inflateEnd(&z);
      return Errorf("gzip: corrupt or truncated data ({})", z.msg ? z.msg : "inflate failed");
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      inflateEnd(&z);
      return Errorf("gzip: truncated data");
    }
  }
  inflateEnd(&z);
  out.resize(used);
  return out;
}

}  // namespace

Result<std::string> DecompressIndex(std::string_view data, std::string_view name,
                                    uint64_t max_out) {
  if (name.ends_with(".xz")) return Xz(data, max_out);
  if (name.ends_with(".gz")) return Gz(data, max_out);
  if (data.size() > max_out) return Errorf("more than {} bytes", max_out);
  return std::string(data);
}

}  // namespace distill::imagebuild::apt
