#include "vuln/db/writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "util/log.h"
#include "vuln/db/codec.h"
#include "vuln/db/lock.h"
#include "vuln/db/schema.h"

namespace distill::vuln {

namespace {

// Copies the committed database at `from` into the empty database `to` (SQLite backup API,
// so a concurrent reader never sees a torn copy).
Status CopyDatabase(const std::string& from, sql::Conn& to) {
  DISTILL_TRY(auto src, sql::Conn::Open(from, SQLITE_OPEN_READONLY));
  DISTILL_TRY_VOID(CheckSchemaVersion(src));
  sqlite3_backup* b = sqlite3_backup_init(to.get(), "main", src.get(), "main");
  if (!b) return to.Fail("cannot copy " + from);
  sqlite3_backup_step(b, -1);
  if (sqlite3_backup_finish(b) != SQLITE_OK) return to.Fail("cannot copy " + from);
  return {};
}

constexpr const char* kInsertSource =
    "INSERT INTO sources (kind, origin, imported_at) VALUES (?1, ?2, ?3)";
constexpr const char* kDeleteSource = R"sql(
DELETE FROM affected WHERE advisory IN
  (SELECT a.id FROM advisories a JOIN sources s ON s.id = a.source WHERE s.origin = ?1);
DELETE FROM advisories WHERE source IN (SELECT id FROM sources WHERE origin = ?1);
DELETE FROM sources WHERE origin = ?1;
)sql";
// OR FAIL, not the default OR ABORT: a multi-row INSERT that may abort makes SQLite keep a
// statement journal, a copy of every page the statement touches (the last leaf of each table,
// 16 KB per statement: more memcpy than the rows themselves). Any error fails the import anyway.
constexpr std::string_view kInsertAdvisory =
    "INSERT OR FAIL INTO advisories (source, advisory_id, aliases, severities, summary, refs, "
    "published, "
    "modified, id) VALUES ";
constexpr int kAdvisoryColumns = 9;
constexpr std::string_view kInsertAffected =
    "INSERT OR FAIL INTO affected (advisory, ecosystem, package, state, state_note, "
    "fixed_versions, "
    "ranges, versions) VALUES ";
constexpr int kAffectedColumns = 8;

// "INSERT ... VALUES (?,?,...),(?,?,...)": `rows` rows of `columns` parameters each.
std::string MultiRow(std::string_view insert, int columns, int rows) {
  std::string sql(insert);
  for (int r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int c = 0; c < columns; ++c) sql += c ? ",?" : "?";
    sql += ')';
  }
  return sql;
}

}  // namespace

Result<std::unique_ptr<Writer>> Writer::Create(const std::string& path, WriterOptions opts) {
  // One writer at a time: a second import would otherwise build from the same old copy and
  // the last rename would silently drop the first one's work (lock.h).
  DISTILL_TRY(DbLock lock, DbLock::Acquire(path));
  std::unique_ptr<Writer> w(new Writer(path, DbTempPath(path)));
  w->lock_ = std::move(lock);
  if (auto st = w->Open(opts); !st.ok()) {
    w->Abort();
    return std::move(st).error().wrap("building vulnerability database " + path);
  }
  return w;
}

Status Writer::Open(const WriterOptions& opts) {
  std::error_code ec;
  auto dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  DISTILL_TRY(db_, sql::Conn::Open(tmp_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  bool copy = !opts.fresh && std::filesystem::exists(path_, ec);
  if (!copy) DISTILL_TRY_VOID(db_.Exec("PRAGMA page_size = 16384"));  // fewer, fuller b-tree pages
  // The file is private until the rename: no journal, no syncs until Commit's own fsync (set
  // first: else each CREATE TABLE makes, syncs and deletes a journal). The page cache is
  // small (32 MB), so pages reach the file, and its writeback starts, while the import runs.
  DISTILL_TRY_VOID(
      db_.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
               "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -32768; "
               "PRAGMA temp_store = MEMORY;"));
  // Commit's CREATE INDEX sorts every affected row: let SQLite's sorter use a second thread.
  DISTILL_TRY_VOID(db_.Exec("PRAGMA threads = 2"));
  if (copy) {
    DISTILL_TRY_VOID(CopyDatabase(path_, db_));
  } else {
    DISTILL_TRY_VOID(db_.Exec("BEGIN"));
    DISTILL_TRY_VOID(CreateSchema(db_));
    DISTILL_TRY_VOID(db_.Exec("COMMIT"));
  }
  DISTILL_TRY_VOID(db_.Exec("BEGIN"));
  tmp_fd_ = ::open(tmp_.c_str(), O_RDONLY | O_CLOEXEC);  // (-1: no early writeback, no harm)
  DISTILL_TRY(auto st, db_.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"));
  DISTILL_TRY_VOID(
      st.Bind(1, std::string_view("built_at")).Bind(2, std::to_string(opts.build_time)).Run());
  build_time_ = opts.build_time;
  // A database built on a pulled one (copied above) is no longer that artifact (artifact.h).
  DISTILL_TRY_VOID(db_.Exec("DELETE FROM meta WHERE key LIKE 'artifact.%'"));
  DISTILL_TRY(auto max_id, db_.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM advisories"));
  DISTILL_TRY(bool row, max_id.Step());
  if (row) next_advisory_ = max_id.Int(0);
  return PrepareStatements();
}

Status Writer::PrepareStatements() {
  DISTILL_TRY(insert_source_, db_.Prepare(kInsertSource));
  DISTILL_TRY(insert_advisory_,
              db_.Prepare(MultiRow(kInsertAdvisory, kAdvisoryColumns, 1).c_str()));
  DISTILL_TRY(insert_affected_,
              db_.Prepare(MultiRow(kInsertAffected, kAffectedColumns, 1).c_str()));
  DISTILL_TRY(insert_advisories_,
              db_.Prepare(MultiRow(kInsertAdvisory, kAdvisoryColumns, kMultiRow).c_str()));
  DISTILL_TRY(insert_affecteds_,
              db_.Prepare(MultiRow(kInsertAffected, kAffectedColumns, kMultiRow).c_str()));
  return {};
}

Writer::~Writer() {
  if (!committed_) Abort();
  if (tmp_fd_ >= 0) ::close(tmp_fd_);
}

void Writer::Abort() {
  db_.Close();
  ::unlink(tmp_.c_str());
}

Result<int64_t> Writer::Source(std::string_view kind, std::string_view origin) {
  auto key = std::make_pair(std::string(kind), std::string(origin));
  if (auto it = sources_.find(key); it != sources_.end()) return it->second;
  bool imported_before = false;  // by an earlier import (a copied database): replace its rows
  if (origins_.insert(std::string(origin)).second) {
    // (Checked first: the deletes scan the affected and advisories tables, which in a large
    // import cost more than the import of a small source itself.)
    DISTILL_TRY(auto known, db_.Prepare("SELECT 1 FROM sources WHERE origin = ?1"));
    known.Bind(1, origin);
    DISTILL_TRY(imported_before, known.Step());
  }
  if (imported_before) {
    // sqlite3_exec cannot bind, so the multi-statement delete runs statement by statement.
    const char* tail = kDeleteSource;
    while (*tail) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db_.get(), tail, -1, &s, &tail) != SQLITE_OK)
        return db_.Fail("cannot prepare delete");
      if (!s) break;
      sql::Stmt stmt(s);
      DISTILL_TRY_VOID(stmt.Bind(1, origin).Run());
    }
  }
  DISTILL_TRY_VOID(insert_source_.Bind(1, kind).Bind(2, origin).Bind(3, build_time_).Run());
  int64_t id = sqlite3_last_insert_rowid(db_.get());
  sources_.emplace(std::move(key), id);
  return id;
}

Writer::Numbered Writer::Number(int64_t source, std::string_view id) {
  RowIds& ids = advisory_rows_[source];
  if (auto it = ids.find(id); it != ids.end()) return {it->second, false};
  if (ids.empty()) ids.reserve(1 << 16);
  ids.emplace(std::string(id), next_advisory_);
  return {next_advisory_++, true};
}

void Writer::Rows::Add(const Advisory& advisory) {
  Row& r = rows_.emplace_back();
  r.state = advisory.state;
  auto put = [&](Column c, std::string_view value) {
    r.col[c] = {text_.size(), value.size()};
    text_.append(value);
  };
  auto encode = [&](Column c, auto append, const auto& v) {
    size_t at = text_.size();
    append(text_, v);
    r.col[c] = {at, text_.size() - at};
  };
  put(kId, advisory.id);
  encode(kAliases, &codec::AppendStrings, advisory.aliases);
  encode(kSeverities, &codec::AppendSeverities, advisory.severities);
  put(kSummary, advisory.summary);
  encode(kRefs, &codec::AppendReferences, advisory.references);
  put(kPublished, advisory.published);
  put(kModified, advisory.modified);
  put(kEcosystem, advisory.ecosystem);
  put(kPackage, advisory.package);
  put(kStateNote, advisory.state_note);
  encode(kFixedVersions, &codec::AppendStrings, advisory.fixed_versions);
  encode(kRanges, &codec::AppendRanges, advisory.ranges);
  encode(kVersions, &codec::AppendStrings, advisory.versions);
}

namespace {

// Runs `bind(stmt, first_parameter, item)` for every item, kMultiRow items per run of `many`
// and the rest one by one through `one`. Text is bound without copies (the items outlive the
// runs).
template <typename F>
Status InsertRows(sql::Stmt& one, sql::Stmt& many, int columns, int per_run, size_t n, F bind) {
  size_t i = 0;
  for (; i + per_run <= n; i += per_run) {
    for (int k = 0; k < per_run; ++k) bind(many, k * columns + 1, i + k);
    DISTILL_TRY_VOID(many.Run());
  }
  for (; i < n; ++i) {
    bind(one, 1, i);
    DISTILL_TRY_VOID(one.Run());
  }
  return {};
}

}  // namespace

Status Writer::Insert(int64_t source, const Rows& rows, size_t begin, size_t end) {
  using R = Rows;
  numbered_.clear();
  fresh_.clear();
  for (size_t i = begin; i < end; ++i) {
    std::string_view id = rows.Text(i, R::kId);
    // A record's rows come together (the tracker's releases, an OSV record's packages): the
    // same id as the row before needs no lookup.
    if (i > begin && id == rows.Text(i - 1, R::kId)) {
      numbered_.push_back({numbered_.back().row, false});
      continue;
    }
    numbered_.push_back(Number(source, id));
    if (numbered_.back().fresh) fresh_.push_back(i);
  }
  DISTILL_TRY_VOID(InsertRows(insert_advisory_, insert_advisories_, kAdvisoryColumns, kMultiRow,
                              fresh_.size(), [&](sql::Stmt& st, int p, size_t k) {
                                size_t i = fresh_[k];
                                st.Bind(p, source)
                                    .BindRef(p + 1, rows.Text(i, R::kId))
                                    .BindRef(p + 2, rows.Text(i, R::kAliases))
                                    .BindRef(p + 3, rows.Text(i, R::kSeverities))
                                    .BindRef(p + 4, rows.Text(i, R::kSummary))
                                    .BindRef(p + 5, rows.Text(i, R::kRefs))
                                    .BindRef(p + 6, rows.Text(i, R::kPublished))
                                    .BindRef(p + 7, rows.Text(i, R::kModified))
                                    .Bind(p + 8, numbered_[i - begin].row);
                              }));
  DISTILL_TRY_VOID(InsertRows(insert_affected_, insert_affecteds_, kAffectedColumns, kMultiRow,
                              end - begin, [&](sql::Stmt& st, int p, size_t k) {
                                size_t i = begin + k;
                                st.Bind(p, numbered_[k].row)
                                    .BindRef(p + 1, rows.Text(i, R::kEcosystem))
                                    .BindRef(p + 2, rows.Text(i, R::kPackage))
                                    .BindRef(p + 3, FixStateName(rows.rows_[i].state))
                                    .BindRef(p + 4, rows.Text(i, R::kStateNote))
                                    .BindRef(p + 5, rows.Text(i, R::kFixedVersions))
                                    .BindRef(p + 6, rows.Text(i, R::kRanges))
                                    .BindRef(p + 7, rows.Text(i, R::kVersions));
                              }));
  rows_ += static_cast<int64_t>(end - begin);
  StartWriteback(end > begin ? rows.rows_[end - 1].col[R::kVersions].offset -
                                   rows.rows_[begin].col[R::kId].offset
                             : 0);
  return {};
}

// The kernel would write the file back only when Commit fsyncs it (a few hundred MB: a tenth of
// a second or more of waiting); asking for writeback every 32 MB inserted overlaps it with the
// import. Asynchronous (SYNC_FILE_RANGE_WRITE): it only starts I/O on what is dirty by then.
void Writer::StartWriteback(size_t bytes) {
  unsynced_ += bytes;
  if (unsynced_ < (32u << 20) || tmp_fd_ < 0) return;
  unsynced_ = 0;
  (void)::sync_file_range(tmp_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

Status Writer::Commit() {
  auto fail = [&](Error e) {
    Abort();
    return std::move(e).wrap("building vulnerability database " + path_);
  };
  insert_source_ = {};
  insert_advisory_ = {};
  insert_affected_ = {};
  insert_advisories_ = {};
  insert_affecteds_ = {};
  auto t0 = std::chrono::steady_clock::now();
  StartWriteback(~size_t{0} >> 1);  // what is written by now goes out while the index is built
  if (auto st = CreateIndexes(db_); !st.ok()) return fail(std::move(st).error());
  auto t1 = std::chrono::steady_clock::now();
  if (auto st = db_.Exec("COMMIT"); !st.ok()) return fail(std::move(st).error());
  db_.Close();
  auto t2 = std::chrono::steady_clock::now();
  if (auto st = FsyncPath(tmp_, O_RDONLY); !st.ok()) return fail(std::move(st).error());
  auto t3 = std::chrono::steady_clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  log::debug("{}: index {:.3f} s, commit {:.3f} s, fsync {:.3f} s", path_, secs(t1 - t0),
             secs(t2 - t1), secs(t3 - t2));
  if (::rename(tmp_.c_str(), path_.c_str()) != 0)
    return fail(Errorf("cannot rename {} to {}: {}", tmp_, path_, std::strerror(errno)));
  committed_ = true;
  auto dir = std::filesystem::path(path_).parent_path().string();
  return FsyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace distill::vuln
