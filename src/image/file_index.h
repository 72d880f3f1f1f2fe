// The file view every consumer reads: the squashed tree of an image (or of a dir: source), with
// which layer last wrote each path, symlink resolution confined to the image root, and the contents
// of the files a consumer asked for before the layers were read (see ContentPlan).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "image/entry.h"
#include "util/file.h"
#include "util/result.h"

namespace distill::image {

// Which file contents to keep while the layers stream by. Catalogers declare globs (and, for
// binaries, a predicate) up front, so the image is read once and only the needed bytes are kept.
struct ContentPlan {
  std::vector<std::string> globs;               // image-relative, see util/glob.h
  std::function<bool(const Entry&)> predicate;  // optional: e.g. "executable and ELF-sized"
  uint64_t max_file_bytes = 64ull << 20;        // larger files are listed, not captured
  bool wants(const Entry& e) const;
  // Optional: regular files that `visit` accepts are streamed past `visitor` (whole contents, one
  // file at a time) instead of kept, so a consumer can scan every byte in the single pass within
  // a memory bound (audit: secrets, ELF headers). Runs on the layer-reading threads: must be
  // thread-safe. `visit` bounds the size it accepts; the bytes are gone after the call.
  std::function<bool(const Entry&)> visit;
  std::function<void(const Entry&, std::string_view contents)> visitor;
};

// Where a file was found: path plus the digest of the layer that wrote it ("" for dir: sources).
struct Location {
  std::string path;
  std::string layer_digest;
  bool operator<(const Location& o) const {
    return path < o.path || (path == o.path && layer_digest < o.layer_digest);
  }
  bool operator==(const Location& o) const = default;
};

class FileIndex {
 public:
  // Loads the contents of an entry on demand (dir: sources read the host file; images may re-read
  // a layer). May be empty: then only captured contents are available.
  using Loader = std::function<Result<std::string>(const Entry&)>;

  FileIndex() = default;
  // entries: the squashed view, any order (sorted here). layer_digests: one per layer.
  FileIndex(std::vector<Entry> entries, std::vector<std::string> layer_digests,
            std::unordered_map<std::string, std::string> contents, Loader loader);

  // Every entry of the squashed view, sorted by path.
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

  // The entry at exactly this path (symlinks not followed), or nullptr. One hash probe: catalogers
  // look up every file a package lists, and a binary search over a large image's entries missed
  // the caches at every step.
  const Entry* Find(std::string_view path) const;
  // Follows symlinks in every component, never leaving the image root ("/.." is "/", absolute
  // targets are relative to the root). Loops and chains over 40 links are an error.
  Result<const Entry*> Resolve(std::string_view path) const;
  // Entries whose path matches the glob (no symlinks followed), sorted by path.
  std::vector<const Entry*> Glob(std::string_view pattern) const;
  // Entries below dir (recursive), sorted; dir "" is the root.
  std::vector<const Entry*> Under(std::string_view dir) const;

  // Contents of a regular file (hardlinks followed; symlinks resolved with Resolve).
  Result<std::string> Contents(std::string_view path) const;
  // The same bytes without copying them to the heap where the source allows: captured contents are
  // borrowed, dir: sources map the host file (set_mapper), other sources fall back to the loader.
  Result<FileBytes> Bytes(std::string_view path) const;
  using Mapper = std::function<Result<FileBytes>(const Entry&)>;
  void set_mapper(Mapper m) { mapper_ = std::move(m); }
  // The file open for positional reads, where the source is a host directory (set_opener), so a
  // reader that needs a few pieces of a large file need not map or copy all of it. An error for
  // other sources.
  Result<std::shared_ptr<RandomAccessFile>> Open(std::string_view path) const;
  using Opener = std::function<Result<std::shared_ptr<RandomAccessFile>>(const Entry&)>;
  void set_opener(Opener o) { opener_ = std::move(o); }
  // True when Contents(path) is in memory already (captured during the read).
  bool HasCaptured(std::string_view path) const;

  Location LocationOf(const Entry& e) const;
  const std::vector<std::string>& layer_digests() const { return layer_digests_; }

 private:
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // open addressing by path hash: index + 1 into entries_, 0 = empty
  std::vector<std::string> layer_digests_;
  std::unordered_map<std::string, std::string> contents_;
  Loader loader_;
  Mapper mapper_;
  Opener opener_;

  // The regular file whose bytes path names (symlinks resolved, a hardlink's target) and the bytes
  // captured for it during the read, if any: what Contents and Bytes share.
  struct Stored {
    const Entry* entry;
    const std::string* captured;
  };
  Result<Stored> Locate(std::string_view path) const;
};

// Path helpers for image-relative paths.
// Normalizes a path as written in a tar header or link: strips "/" and "./" prefixes, collapses
// "//" and "." parts. ".." that would climb above the root is an error (tar entries) — for symlink
// targets use ResolveLinkTarget instead.
Result<std::string> NormalizeEntryPath(std::string_view raw);
std::string_view Dirname(std::string_view path);   // "usr/bin" for "usr/bin/x", "" for "x"
std::string_view Basename(std::string_view path);  // "x" for "usr/bin/x"

}  // namespace distill::image
