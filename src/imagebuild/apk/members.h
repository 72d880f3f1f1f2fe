// The two layers every APK v2 file (package or APKINDEX.tar.gz) is made of: concatenated gzip
// members, each read with its COMPRESSED byte range kept (signatures and identities are over the
// compressed bytes), and the tar fragment inside each (apk-tools doc/apk-v2.5.scd: the signature
// and control members are tar streams without end-of-archive blocks). Every size is bounded: a
// gzip bomb or a header claiming 4 GB is an error, not an allocation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "image/writer_tar.h"
#include "util/result.h"

namespace distill::imagebuild::apk {

// [offset, offset + size) of the file.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t end() const { return offset + size; }
  std::string_view of(std::string_view bytes) const { return bytes.substr(offset, size); }
};
// "bytes 666-2228" (inclusive, as HTTP ranges and apko's lock write them).
std::string Describe(ByteRange r);

// Inflates the one gzip member that starts at bytes[offset]. Its decompressed bytes are appended
// to *out (nullptr: only counted) and may total at most max_out; returns the member's compressed
// range. Errors: not gzip, corrupt or truncated deflate data, CRC/length mismatch, too large.
Result<ByteRange> InflateMember(std::string_view bytes, uint64_t offset, std::string* out,
                                uint64_t max_out);

// The first (up to) n decompressed bytes of the gzip member at bytes[offset], for sniffing.
Result<std::string> InflatePrefix(std::string_view bytes, uint64_t offset, uint64_t n);

// The path of the first entry of a tar (prefix), pax and long-name headers skipped; "" if none.
std::string FirstTarPath(std::string_view tar);

// One tar header (ustar, GNU long names and pax records folded in).
struct TarEntry {
  std::string path;  // normalized: no "./" or leading "/", no ".." (control entries: ".PKGINFO")
  image::TarItem::Type type = image::TarItem::Type::kFile;
  uint32_t mode = 0, uid = 0, gid = 0;
  uint64_t size = 0;  // of the content (regular files)
  int64_t mtime = 0;
  std::string link;  // symlink target as written; hardlink target normalized
  uint32_t dev_major = 0, dev_minor = 0;
  std::string sha1;     // the pax record APK-TOOLS.checksum.SHA1 ("" when absent)
  uint64_t offset = 0;  // of the content in the tar
};

// Reads the headers of a tar (or a fragment without end-of-archive blocks) up to a zero block or
// the end of tar, calling visit for each entry. At most max_entries entries.
using TarVisit = std::function<Status(const TarEntry& e, std::string_view content)>;
Status ReadTar(std::string_view tar, uint64_t max_entries, const TarVisit& visit);

}  // namespace distill::imagebuild::apk
