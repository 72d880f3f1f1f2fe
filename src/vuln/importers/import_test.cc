#include "vuln/importers/import.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "util/file.h"
#include "vuln/db/database.h"
#include "vuln/db/sqlite.h"

namespace distill::vuln::importers {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln";

class VulnImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-import-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "vuln.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status Import(const std::string& path, ImportReport* report, ImportOptions opts = {}) {
    DISTILL_TRY(auto w, Writer::Create(db_, {false, 1}));
    DISTILL_TRY_VOID(ImportPath(path, path, opts, *w, report));
    return w->Commit();
  }

  // OSV publishes <ecosystem>/all.zip: a flat zip of one JSON record per advisory.
  std::string MakeZip(const std::vector<std::string>& files) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& f : files)
      entries.emplace_back(fs::path(f).filename().string(), *ReadFile(kFixtures + "/" + f));
    return MakeZipOf(entries);
  }
  // A zip of (name, content) entries, in that order.
  std::string MakeZipOf(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string zip = (dir_ / "all.zip").string();
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    EXPECT_EQ(archive_write_open_filename(a, zip.c_str()), ARCHIVE_OK);
    for (const auto& [name, data] : entries) {
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, name.c_str());
      archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_write_header(a, e);
      archive_write_data(a, data.data(), data.size());
      archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return zip;
  }

  // Every row of the database, in rowid order.
  std::string Dump() {
    auto c = sql::Conn::Open(db_, SQLITE_OPEN_READONLY);
    EXPECT_TRUE(c.ok());
    std::string out;
    for (auto [q, columns] : {std::pair{"SELECT id, kind, origin FROM sources ORDER BY id", 3},
                              std::pair{"SELECT * FROM advisories ORDER BY id", 9},
                              std::pair{"SELECT rowid, * FROM affected ORDER BY rowid", 9}}) {
      auto st = c->Prepare(q);
      EXPECT_TRUE(st.ok());
      while (*st->Step()) {
        for (int i = 0; i < columns; ++i) out += std::string(st->Text(i)) + "|";
        out += "\n";
      }
    }
    return out;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(VulnImportTest, OsvAllZip) {
  std::string zip = MakeZip({"osv/GHSA-m2qf-hxjv-5gpq.json", "osv/GHSA-c2qf-rxjj-qqgw.json",
                             "osv/GHSA-4374-p667-p6c8.json",
                             "vunnel/chainguard/test-fixtures/input/osv/CGA-224q-ccj5-2p53.json",
                             "vunnel/chainguard/test-fixtures/input/osv/all.json"});
  ImportReport r;
  auto st = Import(zip, &r);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(r.files, 4);
  EXPECT_EQ(r.skipped, 1);  // all.json: an index, not a record
  EXPECT_TRUE(r.warnings.empty());
  auto db = Database::Open(db_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto flask = (*db)->Lookup("PyPI", "Flask");
  ASSERT_TRUE(flask.ok());
  ASSERT_EQ(flask->size(), 1u);
  EXPECT_EQ((*flask)[0].id, "GHSA-m2qf-hxjv-5gpq");
  EXPECT_EQ((*flask)[0].fixed_versions, (std::vector<std::string>{"2.3.2", "2.2.5"}));
  EXPECT_EQ((*db)->Lookup("wolfi", "haproxy-3.1")->size(), 1u);
  EXPECT_EQ((*db)->Lookup("npm", "semver")->at(0).ranges.size(), 3u);
}

// Zip entries are parsed on worker threads, 32 per chunk: the records still land in archive
// order (advisory rowids follow it), a bad record is a warning naming it, the rest are kept.
TEST_F(VulnImportTest, OsvZipAcrossChunksKeepsArchiveOrder) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::vector<std::string> want;
  for (int i = 0; i < 150; ++i) {
    // Ids in descending order, so archive order is not also the ids' sort order.
    std::string id = fmt::format("SYNTH-{:04d}", 1000 - i);
    std::string affected =
        i == 57 ? "5"  // not an array: the record fails
                : fmt::format(R"([{{"package": {{"ecosystem": "PyPI", "name": "pkg{}"}},
        "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "1.{}"}}]}}]}}])",
                              i % 7, i);
    entries.emplace_back(id + ".json",
                         fmt::format(R"({{"id": "{}", "modified": "2024-01-01T00:00:00Z",
      "affected": {}}})",
                                     id, affected));
    if (i != 57) want.push_back(id);
  }
  std::string zip = MakeZipOf(entries);
  ImportReport r;
  auto st = Import(zip, &r);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(r.files, 150);
  EXPECT_EQ(r.rows["osv"], 149);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("SYNTH-0943.json"), std::string::npos) << r.warnings[0];
  auto conn = sql::Conn::Open(db_, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(conn.ok());
  auto q = conn->Prepare("SELECT advisory_id FROM advisories ORDER BY id");
  ASSERT_TRUE(q.ok());
  std::vector<std::string> got;
  while (*q->Step()) got.emplace_back(q->Text(0));
  EXPECT_EQ(got, want);
  auto db = Database::Open(db_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Lookup("pypi", "pkg3")->size(), 21u);  // i % 7 == 3, 0..149, not 57 (57 % 7 = 1)
}

TEST_F(VulnImportTest, WholeFixtureDirectory) {
  ImportReport r;
  auto st = Import(kFixtures, &r);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  EXPECT_EQ(r.rows["secdb"],
            11874 + 197 + 13 + 3);  // alpine 2020, chainguard, v3.15 main + community
  EXPECT_EQ(r.rows["wolfi-advisories"], 277);
  EXPECT_EQ(r.rows["debian-tracker"], 25);
  EXPECT_EQ(r.skipped, 1);  // chainguard osv/all.json
  auto db = Database::Open(db_);
  ASSERT_TRUE(db.ok());
  auto info = (*db)->Info();
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->sources.size(), 4u);  // one per kind of this origin
  // Debian tracker row, no-dsa-free excerpt: not-affected NAK is stored, not dropped.
  auto proto = (*db)->Lookup("debian:9", "prototypejs");
  ASSERT_TRUE(proto.ok());
  ASSERT_EQ(proto->size(), 2u);
  EXPECT_EQ((*proto)[0].id, "CVE-2007-2383");
  EXPECT_EQ((*proto)[0].state, FixState::kNotAffected);
  // Alpine NAK and the Wolfi advisories share the lookup path.
  auto db38 = (*db)->Lookup("alpine:3.8", "db");
  ASSERT_TRUE(db38.ok());
  EXPECT_EQ(db38->size(), 5u);
  EXPECT_EQ((*db)->Lookup("Wolfi", "openssl")->size(),
            33u);  // every advisory of openssl.advisories.yaml
}

// Several inputs imported in one call (their documents parsed on every core, the tracker's one
// document in many parts) make the same database as importing them one after another.
TEST_F(VulnImportTest, ImportPathsMatchesOneInputAtATime) {
  std::string zip = MakeZip({"osv/GHSA-m2qf-hxjv-5gpq.json", "osv/GHSA-c2qf-rxjj-qqgw.json",
                             "osv/GHSA-4374-p667-p6c8.json"});
  std::vector<ImportInput> inputs = {
      {kFixtures + "/vunnel/debian/test-fixtures/input/debian.json", "tracker", {}},
      {zip, "zip", {}},
      {kFixtures, "dir", {}},
      {kFixtures + "/osv/GHSA-m2qf-hxjv-5gpq.json", "one", {}},
  };
  ImportReport together;
  {
    auto w = Writer::Create(db_, {true, 1});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(ImportPaths(inputs, **w, &together).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  std::string one_call = Dump();
  ImportReport each;
  {
    auto w = Writer::Create(db_, {true, 1});
    ASSERT_TRUE(w.ok());
    for (const auto& in : inputs)
      ASSERT_TRUE(ImportPath(in.path, in.origin, in.opts, **w, &each).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  EXPECT_EQ(Dump(), one_call);
  EXPECT_GT(one_call.size(), 100000u);
  EXPECT_EQ(together.rows, each.rows);
  EXPECT_EQ(together.files, each.files);
  EXPECT_EQ(together.skipped, each.skipped);
  EXPECT_EQ(together.warnings, each.warnings);
}

// A Debian tracker document given alone is parsed in parts (128 KB of packages each) on several
// threads; its CVEs span parts (one advisories row each, shared by every part). The database is
// the one the whole-document parser makes (a tracker inside a directory is parsed whole).
TEST_F(VulnImportTest, TrackerInPartsMatchesWholeDocument) {
  std::string doc = "{";
  for (int p = 0; p < 3000; ++p) {
    doc += fmt::format(R"({}"pkg{}": {{"CVE-2024-{}": {{"description": "d{}", "releases": {{
      "bookworm": {{"status": "resolved", "fixed_version": "1.{}", "urgency": "low"}},
      "sid": {{"status": "open", "urgency": "high**"}}}}}},
      "CVE-2023-{}": {{"description": "shared", "releases": {{"trixie": {{"status": "undetermined"}}}}}}}})",
                       p ? "," : "", p, p, p, p, p % 50);
  }
  doc += "}";
  ASSERT_GT(doc.size(), 3u * (128 << 10));
  fs::create_directories(dir_ / "whole");
  std::string file = (dir_ / "whole/tracker.json").string();
  ASSERT_TRUE(WriteFileAtomic(file, doc).ok());
  auto import = [&](const std::string& path, ImportReport* import_report) {
    auto w = Writer::Create(db_, {true, 1});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(ImportPath(path, "tracker", {}, **w, import_report).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  };
  ImportReport parts, whole;
  import(file, &parts);
  std::string got = Dump();
  import((dir_ / "whole").string(), &whole);
  EXPECT_EQ(got, Dump());
  EXPECT_EQ(parts.rows["debian-tracker"], 3000 * 3);
  EXPECT_EQ(parts.rows, whole.rows);
  EXPECT_EQ(parts.files, 1);
  EXPECT_EQ(whole.files, 1);
  auto db = Database::Open(db_);
  ASSERT_TRUE(db.ok());
  auto info = (*db)->Info();
  ASSERT_TRUE(info.ok());
  int64_t advisories = 0;
  for (const auto& c : info->counts) advisories += c.advisories;
  EXPECT_EQ(advisories,
            3000 + 3000 + 50);  // per ecosystem: bookworm, sid (3000 each), trixie (50 shared)

  // A bad package in the last part: the import fails naming the file and the package.
  doc.insert(doc.size() - 1, R"(, "broken": {"CVE-1": {"releases": tru}})");
  ASSERT_TRUE(WriteFileAtomic(file, doc).ok());
  auto w = Writer::Create(db_, {true, 1});
  ASSERT_TRUE(w.ok());
  ImportReport r;
  auto st = ImportPath(file, "tracker", {}, **w, &r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, file + ": invalid JSON in package \"broken\"");
}

// A JSON secdb given alone is parsed in parts too: the same database as the whole document.
TEST_F(VulnImportTest, SecdbInPartsMatchesWholeDocument) {
  std::string doc = R"({"distroversion": "v3.19", "reponame": "main", "packages": [)";
  for (int p = 0; p < 3000; ++p)
    doc += fmt::format(
        R"({}{{"pkg": {{"name": "pkg{}", "secfixes": {{"1.{}-r0": ["CVE-2024-{} XSA-{}"],
        "0": ["CVE-2023-{}"]}}}}}})",
        p ? "," : "", p, p, p, p, p % 40);
  doc += "]}";
  ASSERT_GT(doc.size(), 2u * (128 << 10));
  fs::create_directories(dir_ / "whole");
  std::string file = (dir_ / "whole/main.json").string();
  ASSERT_TRUE(WriteFileAtomic(file, doc).ok());
  auto import = [&](const std::string& path, ImportReport* import_report) {
    auto w = Writer::Create(db_, {true, 1});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(ImportPath(path, "secdb", {}, **w, import_report).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  };
  ImportReport parts, whole;
  import(file, &parts);
  std::string got = Dump();
  import((dir_ / "whole").string(), &whole);
  EXPECT_EQ(got, Dump());
  EXPECT_EQ(parts.rows["secdb"], 3000 * 2);
  EXPECT_EQ(parts.rows, whole.rows);
  EXPECT_EQ(parts.files, 1);
  EXPECT_EQ((*Database::Open(db_))->Lookup("alpine:3.19", "pkg2999")->size(), 2u);
  // A bad package in the last part: the import fails naming the file and the element.
  doc.insert(doc.size() - 2, R"(, {"pkg": {"secfixes": {}}})");
  ASSERT_TRUE(WriteFileAtomic(file, doc).ok());
  auto w = Writer::Create(db_, {true, 1});
  ASSERT_TRUE(w.ok());
  ImportReport r;
  auto st = ImportPath(file, "secdb", {}, **w, &r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, file + ": packages[3000].pkg.name: missing");
}

TEST_F(VulnImportTest, ReimportReplacesTheOrigin) {
  ImportReport r;
  std::string f = kFixtures + "/osv/GHSA-m2qf-hxjv-5gpq.json";
  ASSERT_TRUE(Import(f, &r).ok());
  ASSERT_TRUE(Import(f, &r).ok());
  EXPECT_EQ((*Database::Open(db_))->Lookup("pypi", "flask")->size(), 1u);
}

TEST_F(VulnImportTest, SingleFileErrorsAreFatalCollectionErrorsAreWarnings) {
  ImportReport r;
  std::string unknown = kFixtures + "/vunnel/chainguard/test-fixtures/input/osv/all.json";
  auto st = Import(unknown, &r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            unknown +
                ": unknown vulnerability data format (expected OSV JSON, a secdb, Wolfi "
                "advisories or Debian tracker JSON)");
  EXPECT_FALSE(fs::exists(db_));  // nothing was committed

  fs::create_directories(dir_ / "osv");
  fs::copy(kFixtures + "/osv/GHSA-m2qf-hxjv-5gpq.json", dir_ / "osv");
  ASSERT_TRUE(
      WriteFileAtomic((dir_ / "osv/bad.json").string(),
                      R"({"id": "GHSA-bad", "affected": [{"package": {"ecosystem": "npm"}}]})")
          .ok());
  r = {};
  st = Import((dir_ / "osv").string(), &r);
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], (dir_ / "osv/bad.json").string() +
                               ": GHSA-bad: affected[0].package: ecosystem and name are required");
  EXPECT_EQ((*Database::Open(db_))->Lookup("pypi", "flask")->size(), 1u);
}

TEST_F(VulnImportTest, FormatOverride) {
  EXPECT_EQ(Formats(),
            (std::vector<std::string_view>{"osv", "wolfi-advisories", "secdb", "debian-tracker"}));
  ImportReport r;
  auto st = Import(kFixtures + "/osv/GHSA-m2qf-hxjv-5gpq.json", &r, {"nonsense", ""});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "unknown format \"nonsense\" (known: osv, wolfi-advisories, secdb, debian-tracker)");
  // Forced to the wrong parser: that parser's own error, naming the file.
  std::string f = kFixtures + "/osv/GHSA-m2qf-hxjv-5gpq.json";
  st = Import(f, &r, {"secdb", ""});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, f + ": packages: missing");
  // A secdb that names no distro, imported with --ecosystem.
  std::string doc = (dir_ / "security.json").string();
  ASSERT_TRUE(WriteFileAtomic(doc, R"({"packages": [{"pkg": {"name": "glibc",
      "secfixes": {"2.39-r1": ["CVE-2024-2961"], "0": ["CVE-2010-4756"]}}}]})")
                  .ok());
  r = {};
  st = Import(doc, &r, {"", "wolfi"});
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto got = (*Database::Open(db_))->Lookup("wolfi", "glibc");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].id, "CVE-2010-4756");
  EXPECT_EQ((*got)[0].state, FixState::kNotAffected);
  EXPECT_EQ((*got)[1].state, FixState::kFixed);
}

}  // namespace
}  // namespace distill::vuln::importers
