// An index of the members of an uncompressed tar file (the outer `docker save` / oci-archive tar),
// so blobs can be read in place by offset — in parallel and without extracting anything.
// libarchive reads the layer tars themselves; it cannot tell where a member's data starts in the
// file, which random access needs, hence this small reader of ustar/pax/GNU headers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "util/file.h"
#include "util/result.h"

namespace distill::image {

struct TarMember {
  uint64_t offset = 0;  // of the data, in the tar file
  uint64_t size = 0;
  char type = '0';   // '0' regular, '1' hardlink, '2' symlink, '5' directory, ...
  std::string link;  // for links: the normalized target path
};

class TarIndex {
 public:
  // Reads every header of the tar at file; fails on a corrupt header or a truncated member.
  static Result<TarIndex> Build(const RandomAccessFile& file, uint64_t max_members = 1'000'000);

  // The member at path (normalized, links followed), or nullptr.
  const TarMember* Find(std::string_view path) const;
  const std::map<std::string, TarMember, std::less<>>& members() const { return members_; }

 private:
  std::map<std::string, TarMember, std::less<>> members_;
};

// Reads a tar's headers front to back (ustar, GNU long names, pax), calling visit(path, member)
// for each member with a normalized path (member.offset: where its data starts). read(pos, buf, n)
// is only asked for positions past the previous member's data, so a stream can serve it (and visit
// may consume the member's data first). limit: the tar's size, or UINT64_MAX for a stream.
using TarReadAt = std::function<Status(uint64_t pos, void* buf, size_t n)>;
using TarVisit = std::function<Status(const std::string& path, const TarMember& member)>;
Status WalkTar(const TarReadAt& read, uint64_t limit, uint64_t max_members, const TarVisit& visit);

// Parses a tar numeric field: octal (NUL/space terminated) or GNU base-256. False if malformed.
bool ParseTarNumber(std::string_view field, uint64_t* out);

}  // namespace distill::image
