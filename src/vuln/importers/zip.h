// Reading zip archives (OSV publishes one all.zip per ecosystem, tens of thousands of small JSON
// records) with libdeflate's whole-buffer inflate: faster than zlib's (through libarchive, a large
// share of an OSV import's CPU time) and than ISA-L's streaming one. Stored and deflated entries,
// Zip64, CRC-32 checked; entries are read one at a time (memory: the central directory plus one
// entry).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill {
class RandomAccessFile;
}

namespace distill::vuln::importers::zip {

struct Entry {
  std::string name;
  uint16_t flags, method;
  uint32_t crc;
  uint64_t csize, usize, offset;
  bool is_file() const { return !name.empty() && name.back() != '/'; }
};

// An open archive and its central directory. Read is safe to call from several threads at once
// (positioned reads), so entries can be inflated in parallel.
class Archive {
 public:
  static Result<std::unique_ptr<Archive>> Open(const std::string& path);
  ~Archive();
  const std::vector<Entry>& entries() const { return entries_; }
  // The entry's content into `text` (inflated, CRC-32 checked); `scratch` is reused for the
  // compressed bytes. Entries larger than `max_entry` bytes are an error naming the entry.
  Status Read(const Entry& entry, uint64_t max_entry, std::string& text,
              std::vector<uint8_t>& scratch) const;
  // The same into `buffer`, which only grows (no zero-filling per entry): the content is the
  // returned view, followed by at least kPadding more bytes of the buffer (a JSON parser may
  // read that far without a copy).
  static constexpr size_t kPadding = 64;
  // Bytes of the archive read with one system call that hold several entries: ReadPadded takes
  // what it finds here instead of reading the file (two preads per entry are dear in a VM, where
  // every system call is: doc/vuln-db.md, "Performance").
  struct Window {
    uint64_t offset = 0;
    std::string bytes;
  };
  // The range holding these entries' local headers and data (with room for local extra fields),
  // when it is at most max_bytes long; an empty window when it is longer or the read fails
  // (ReadPadded then reads each entry by itself, and reports what is wrong).
  Window ReadWindow(const std::vector<const Entry*>& entries, uint64_t max_bytes) const;
  Result<std::string_view> ReadPadded(const Entry& entry, uint64_t max_entry, std::string& buffer,
                                      std::vector<uint8_t>& scratch,
                                      const Window* window = nullptr) const;
  const std::string& path() const { return path_; }

 private:
  Archive() = default;
  std::string path_;
  std::shared_ptr<RandomAccessFile> file_;
  std::vector<Entry> entries_;
};

// True when the file starts with a zip local header ("PK\3\4").
bool IsZip(const std::string& path);

// For each regular file entry, in central-directory order, whose name `want(name)` accepts:
// fn(name, content). Entries larger than `max_entry` bytes are an error. Errors name the
// archive and the entry.
Status ForEachFile(
    const std::string& path, uint64_t max_entry,
    const std::function<bool(std::string_view name)>& want,
    const std::function<Status(std::string_view name, std::string_view content)>& fn);

}  // namespace distill::vuln::importers::zip
