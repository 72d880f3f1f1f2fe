// Builds a vulnerability database. Everything is written into a temporary file next to the
// destination inside one transaction with prepared statements; Commit() adds the indexes,
// fsyncs, and renames the file into place. A writer destroyed without Commit() (an error, a
// killed process) leaves the previous database untouched and removes its temporary file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/result.h"
#include "vuln/db/advisory.h"
#include "vuln/db/lock.h"
#include "vuln/db/sqlite.h"

namespace distill::vuln {

struct WriterOptions {
  // Start from an empty database; otherwise the existing one at the destination (if any) is
  // copied and sources imported again (same origin) replace their previous rows.
  bool fresh = false;
  // Recorded as the build time; the CLI passes SOURCE_DATE_EPOCH when set, else the clock.
  int64_t build_time = 0;
};

class Writer {
 public:
  static Result<std::unique_ptr<Writer>> Create(const std::string& path, WriterOptions opts);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // The id of a source (importer kind + origin path/URL), registering it on first use. The
  // first use of an origin in this writer deletes what an earlier import of it left.
  Result<int64_t> Source(std::string_view kind, std::string_view origin);
  // Records encoded for the database: every column's text of a batch in one buffer (one
  // allocation per batch instead of a dozen per record). Any thread may fill one (parsing
  // threads encode, the inserting thread only binds).
  class Rows {
   public:
    // Appends the record's columns (the JSON ones encoded, src/vuln/db/codec.h).
    void Add(const Advisory& advisory);
    size_t size() const { return rows_.size(); }
    // Room for about this many bytes of column text (no copies while the buffer grows).
    void Reserve(size_t bytes) { text_.reserve(text_.size() + bytes); }
    bool empty() const { return rows_.empty(); }
    void clear() {
      text_.clear();
      rows_.clear();
    }

   private:
    friend class Writer;
    enum Column {
      kId,
      kAliases,
      kSeverities,
      kSummary,
      kRefs,
      kPublished,
      kModified,  // advisories
      kEcosystem,
      kPackage,
      kStateNote,
      kFixedVersions,
      kRanges,
      kVersions,  // affected
      kColumns
    };
    struct Span {
      size_t offset;
      size_t size;
    };
    struct Row {
      Span col[kColumns];
      FixState state;
    };
    std::string_view Text(size_t row, Column c) const {
      const Span& s = rows_[row].col[c];
      return std::string_view(text_).substr(s.offset, s.size);
    }
    std::string text_;
    std::vector<Row> rows_;
  };
  void StartWriteback(size_t bytes);

  // Adds one advisory × package record to a source. Records with the same advisory id within
  // a source share one advisories row (the first one's summary, aliases, ...).
  Status Add(int64_t source, const Advisory& advisory) {
    Rows r;
    r.Add(advisory);
    return Insert(source, r);
  }
  // Writes the rows under the source, in order, kMultiRow rows per INSERT statement (SQLite's
  // per-statement cost is most of a small row's). Not concurrently with Source or Commit.
  Status Insert(int64_t source, const Rows& rows) { return Insert(source, rows, 0, rows.size()); }
  Status Insert(int64_t source, const Rows& rows, size_t begin, size_t end);  // rows [begin, end)
  // Adds the indexes, commits, fsyncs and renames into place.
  Status Commit();

  int64_t rows() const { return rows_; }
  const std::string& temp_path() const { return tmp_; }

 private:
  Writer(std::string path, std::string tmp) : path_(std::move(path)), tmp_(std::move(tmp)) {}
  Status Open(const WriterOptions& opts);
  Status PrepareStatements();
  static constexpr int kMultiRow = 32;
  // The advisories rowid of (source, id), new or not; fresh = first record of that advisory
  // (its advisories row is written).
  struct Numbered {
    int64_t row = 0;
    bool fresh = false;
  };
  Numbered Number(int64_t source, std::string_view id);

  // advisory id → rowid, looked up by string_view without allocating.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  using RowIds = std::unordered_map<std::string, int64_t, Hash, std::equal_to<>>;
  void Abort();

  std::string path_, tmp_;
  sql::Conn db_;
  sql::Stmt insert_source_, delete_source_, insert_advisory_, insert_affected_;
  sql::Stmt insert_advisories_, insert_affecteds_;                  // kMultiRow rows each
  std::vector<Numbered> numbered_;                                  // Insert's scratch
  std::vector<size_t> fresh_;                                       // Insert's scratch
  std::map<std::pair<std::string, std::string>, int64_t> sources_;  // (kind, origin) → id
  std::set<std::string, std::less<>> origins_;                      // origins seen
  std::map<int64_t, RowIds> advisory_rows_;  // source → advisory id → rowid
  int64_t next_advisory_ = 1;                // the rowid Prepare gives the next new advisory
  int64_t rows_ = 0;
  int64_t build_time_ = 0;
  bool committed_ = false;
  DbLock lock_;  // on <path>.lock, held for the writer's life
  // The temporary file, for starting its writeback while the import runs (Commit's fsync then
  // waits for less), and the bytes inserted since the last start.
  int tmp_fd_ = -1;
  size_t unsynced_ = 0;
};

}  // namespace distill::vuln
