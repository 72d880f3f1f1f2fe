#include "vuln/db/database.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "util/libsimdjson.h"
#include "vuln/db/codec.h"
#include "vuln/db/ecosystem.h"
#include "vuln/db/schema.h"
#include "vuln/version/apk.h"

namespace distill::vuln {

namespace {

constexpr const char* kLookup = R"sql(
SELECT a.advisory_id, s.kind, f.ecosystem, f.package, f.state, f.state_note, f.fixed_versions,
       f.ranges, f.versions, a.aliases, a.severities, a.summary, a.refs, a.published, a.modified,
       s.origin, f.rowid
FROM affected f JOIN advisories a ON a.id = f.advisory JOIN sources s ON s.id = a.source
WHERE f.ecosystem = ?1 AND f.package = ?2
)sql";
// (Sorted here, by advisory_id, kind, origin, affected rowid, rather than with ORDER BY: SQLite's
// sorter copied every row, references and all, a tenth of a scan's matching.)

Result<Advisory> ReadRow(const sql::Stmt& st, std::string_view reference_type) {
  Advisory a;
  a.id = st.Text(0);
  a.source = st.Text(1);
  a.ecosystem = st.Text(2);
  a.package = st.Text(3);
  auto state = ParseFixState(st.Text(4));
  if (!state) return Errorf("advisory {}: unknown state \"{}\"", a.id, st.Text(4));
  a.state = *state;
  a.state_note = st.Text(5);
  DISTILL_TRY(a.fixed_versions, codec::DecodeStrings(st.Text(6)));
  DISTILL_TRY(a.ranges, codec::DecodeRanges(st.Text(7)));
  DISTILL_TRY(a.versions, codec::DecodeStrings(st.Text(8)));
  DISTILL_TRY(a.aliases, codec::DecodeStrings(st.Text(9)));
  DISTILL_TRY(a.severities, codec::DecodeSeverities(st.Text(10)));
  a.summary = st.Text(11);
  DISTILL_TRY(a.references, codec::DecodeReferences(st.Text(12), reference_type));
  a.published = st.Text(13);
  a.modified = st.Text(14);
  return a;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Errorf("{}: no vulnerability database (run `distill db update` or `distill db import`)",
                  path);
  DISTILL_TRY_VOID(LoadSimdjson());  // the column decoder (codec.cc) parses with it
  std::unique_ptr<Database> d(new Database);
  DISTILL_TRY(d->db_, sql::Conn::Open(path, SQLITE_OPEN_READONLY));
  DISTILL_TRY_VOID(CheckSchemaVersion(d->db_));
  // (No memory map: it saves some of matching's CPU but doubles a scan's peak RSS, the touched
  // pages of the file and the kernel's fault-around counting as resident; doc/vuln-db.md.)
  DISTILL_TRY(d->lookup_, d->db_.Prepare(kLookup));
  // One read transaction for the connection's life: every lookup sees the same snapshot, and
  // SQLite takes its shared lock (two fcntl calls) and re-reads the file header once, not per
  // lookup. A database is only ever replaced whole (the writer renames a new file over it), so
  // holding the lock blocks no writer.
  DISTILL_TRY_VOID(d->db_.Exec("BEGIN"));
  return d;
}

Result<std::vector<Advisory>> Database::Lookup(std::string_view ecosystem, std::string_view name,
                                               std::string_view reference_type) {
  std::string eco = NormalizeEcosystem(ecosystem);
  std::string pkg = NormalizePackageName(eco, name);
  lookup_.Reset();
  lookup_.Bind(1, eco).Bind(2, pkg);
  struct Row {
    Advisory a;
    std::string origin;
    int64_t rowid;
  };
  std::vector<Row> rows;
  while (true) {
    DISTILL_TRY(bool row, lookup_.Step());
    if (!row) break;
    auto a = ReadRow(lookup_, reference_type);
    if (!a.ok()) {
      lookup_.Reset();
      return std::move(a).error().wrap(db_.path());
    }
    rows.push_back({std::move(*a), std::string(lookup_.Text(15)), lookup_.Int(16)});
  }
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Row &a = rows[x], &b = rows[y];
    return std::tie(a.a.id, a.a.source, a.origin, a.rowid) <
           std::tie(b.a.id, b.a.source, b.origin, b.rowid);
  });
  std::vector<Advisory> out;
  out.reserve(rows.size());
  for (size_t i : order) out.push_back(std::move(rows[i].a));
  return out;
}

Result<bool> Database::HasEcosystem(std::string_view ecosystem) {
  DISTILL_TRY(auto probe, db_.Prepare("SELECT 1 FROM affected WHERE ecosystem = ?1 LIMIT 1"));
  probe.Bind(1, NormalizeEcosystem(ecosystem));
  DISTILL_TRY(bool row, probe.Step());
  probe.Reset();
  return row;
}

Result<int64_t> Database::BuiltAt() {
  DISTILL_TRY(auto meta, db_.Prepare("SELECT value FROM meta WHERE key = 'built_at'"));
  DISTILL_TRY(bool row, meta.Step());
  int64_t t = row ? meta.Int(0) : 0;
  meta.Reset();
  return t;
}

Result<DbInfo> Database::Info() {
  DbInfo info;
  info.schema_version = kSchemaVersion;
  DISTILL_TRY(auto meta, db_.Prepare("SELECT value FROM meta WHERE key = 'built_at'"));
  DISTILL_TRY(bool row, meta.Step());
  if (row) info.built_at = meta.Int(0);
  meta.Reset();
  DISTILL_TRY(auto src,
              db_.Prepare("SELECT kind, origin, imported_at FROM sources ORDER BY origin"));
  while (true) {
    DISTILL_TRY(bool r, src.Step());
    if (!r) break;
    info.sources.push_back({std::string(src.Text(0)), std::string(src.Text(1)), src.Int(2)});
  }
  DISTILL_TRY(auto counts, db_.Prepare(R"sql(
SELECT s.kind, f.ecosystem, COUNT(DISTINCT a.advisory_id), COUNT(*)
FROM affected f JOIN advisories a ON a.id = f.advisory JOIN sources s ON s.id = a.source
GROUP BY s.kind, f.ecosystem ORDER BY s.kind, f.ecosystem)sql"));
  while (true) {
    DISTILL_TRY(bool r, counts.Step());
    if (!r) break;
    info.counts.push_back(
        {std::string(counts.Text(0)), std::string(counts.Text(1)), counts.Int(2), counts.Int(3)});
  }
  DISTILL_TRY_VOID(CountMalformedFixed(info));
  return info;
}

Status Database::CountMalformedFixed(DbInfo& info) {
  DISTILL_TRY(auto st, db_.Prepare(R"sql(
SELECT s.kind, f.ecosystem, f.fixed_versions
FROM affected f JOIN advisories a ON a.id = f.advisory JOIN sources s ON s.id = a.source
WHERE f.fixed_versions != '[]' AND (f.ecosystem GLOB 'alpine:*' OR f.ecosystem IN ('wolfi', 'chainguard')))sql"));
  while (true) {
    DISTILL_TRY(bool r, st.Step());
    if (!r) break;
    DISTILL_TRY(auto versions, codec::DecodeStrings(st.Text(2)));
    int64_t bad = std::count_if(versions.begin(), versions.end(), [](const std::string& text) {
      return !version::apk::IsValid(text);
    });
    if (bad == 0) continue;
    auto row = std::find_if(info.counts.begin(), info.counts.end(), [&](const CountRow& row) {
      return row.kind == st.Text(0) && row.ecosystem == st.Text(1);
    });
    if (row != info.counts.end()) row->malformed_fixed += bad;
  }
  return {};
}

}  // namespace distill::vuln
