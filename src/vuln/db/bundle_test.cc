#include "vuln/db/bundle.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/shell.h"
#include "util/digest.h"
#include "util/file.h"
#include "vuln/db/database.h"
#include "vuln/db/writer.h"

namespace distill::vuln::db {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;

class DbBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-dbbundle-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    src_ = (dir_ / "src.db").string();
    dst_ = (dir_ / "dst" / "vuln.db").string();
    file_ = (dir_ / "db.tar.zst").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status Build(const std::string& path, const std::string& id) {
    DISTILL_TRY(auto w, Writer::Create(path, {true, 1700000000}));
    DISTILL_TRY(int64_t src, w->Source("osv", "/feeds/" + id));
    Advisory a;
    a.id = id;
    a.ecosystem = "pypi";
    a.package = "flask";
    a.state = FixState::kNotFixed;
    DISTILL_TRY_VOID(w->Add(src, a));
    return w->Commit();
  }
  // Rewrites the export at file_ with `edit` run in its unpacked directory (tar + zstd CLIs).
  void Repack(const std::string& edit) {
    int rc = 0;
    std::string d = (dir_ / "x").string();
    std::string out = Shell("set -e; rm -rf " + d + "; mkdir " + d + "; cd " + d + "; zstd -dcq " +
                                file_ + " | tar -x; " + edit + "; tar -c * | zstd -q -o " + file_ +
                                ".new; mv " + file_ + ".new " + file_ + " 2>&1",
                            &rc);
    ASSERT_EQ(rc, 0) << out;
  }

  fs::path dir_;
  std::string src_, dst_, file_;
};

TEST_F(DbBundleTest, ExportThenImportInstallsTheSameBytes) {
  ASSERT_TRUE(Build(src_, "GHSA-1").ok());
  auto m = ExportDatabase(src_, file_);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(IsDatabaseExport(file_));
  EXPECT_FALSE(IsDatabaseExport(src_));
  EXPECT_EQ(m->digest, Sha256Digest(*ReadFile(src_)));
  EXPECT_EQ(m->built_at, "2023-11-14T22:13:20Z");
  // The tar as tar(1) sees it: the manifest first, then the database.
  EXPECT_EQ(Shell("zstd -dcq " + file_ + " | tar -t"), "manifest.json\nvuln.db\n");
  auto r = ImportDatabase(file_, dst_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->built_at, 1700000000);
  EXPECT_EQ(*ReadFile(dst_), *ReadFile(src_));
  auto db = Database::Open(dst_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Lookup("pypi", "flask")->size(), 1u);
}

TEST_F(DbBundleTest, ExportIsReproducible) {
  ASSERT_TRUE(Build(src_, "GHSA-1").ok());
  ASSERT_TRUE(ExportDatabase(src_, file_).ok());
  std::string first = *ReadFile(file_);
  ASSERT_TRUE(ExportDatabase(src_, file_).ok());
  EXPECT_EQ(*ReadFile(file_), first);
}

// Each bad export leaves the installed database as it was and names the file.
TEST_F(DbBundleTest, BadExportsKeepTheInstalledDatabase) {
  ASSERT_TRUE(Build(src_, "GHSA-1").ok());
  ASSERT_TRUE(Build(dst_, "GHSA-OLD").ok());
  const std::string before = *ReadFile(dst_);
  struct Case {
    std::string edit, error;
  };
  std::vector<Case> cases = {
      {R"(sed -i "s/\"digest\": \"sha256:[0-9a-f]*/\"digest\": \"sha256:$(printf x | sha256sum | cut -c1-64)/" manifest.json)",
       "vuln.db: digest mismatch"},
      {"sed -i 's/\"schemaVersion\": 2/\"schemaVersion\": 3/' manifest.json",
       "manifest.json: database schema version 3 is newer than this distill supports (2); update "
       "distill"},
      {"sed -i 's/vuln-db.export.v1/vuln-db.export.v9/' manifest.json",
       "manifest.json: media type application/vnd.distill.vuln-db.export.v9+json is not a distill "
       "database export"},
      {"echo x > extra", "extra: unexpected entry in a database export"},
      {"rm manifest.json", "not a distill database export: no manifest.json"},
      {"echo junk >> vuln.db", "vuln.db: larger than the"},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(ExportDatabase(src_, file_).ok());
    Repack(c.edit);
    auto r = ImportDatabase(file_, dst_);
    ASSERT_FALSE(r.ok()) << c.edit;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
    EXPECT_TRUE(r.error().message.starts_with(file_)) << r.error().message;
    EXPECT_EQ(*ReadFile(dst_), before) << c.edit;
  }
  // A truncated file: a zstd error, named.
  ASSERT_TRUE(ExportDatabase(src_, file_).ok());
  fs::resize_file(file_, fs::file_size(file_) / 2);
  auto r = ImportDatabase(file_, dst_);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with(file_)) << r.error().message;
  EXPECT_EQ(*ReadFile(dst_), before);
  for (const auto& e : fs::directory_iterator(dir_ / "dst"))
    EXPECT_FALSE(e.path().filename().string().starts_with("vuln.db.tmp-")) << e.path();
}

TEST_F(DbBundleTest, ManifestParserChecksEveryField) {
  auto err = [](std::string_view json) {
    auto m = ParseBundleManifest(json, "m.json");
    return m.ok() ? "(parsed)" : m.error().message;
  };
  const std::string ok =
      RenderBundleManifest({2, "2023-11-14T22:13:20Z", "sha256:" + std::string(64, 'a'), 5,
                            "sha256:" + std::string(64, 'b')});
  EXPECT_EQ(err(ok), "(parsed)");
  EXPECT_EQ(err("{}"), "m.json: mediaType is missing or not a string");
  EXPECT_EQ(
      err(R"({"mediaType":"application/vnd.distill.vuln-db.export.v1+json","schemaVersion":"2"})"),
      "m.json: schemaVersion is missing or not a small integer");
  std::string bad = ok;
  bad.replace(bad.find("\"size\": 5"), 9, "\"size\": -5");
  EXPECT_EQ(err(bad), "m.json: size is missing or not a number");
  bad = ok;
  bad.replace(bad.find("sha256:bbbb"), 11, "sha512:bbbb");
  EXPECT_EQ(err(bad),
            "m.json: digest \"sha512:" + std::string(64, 'b') + "\" is not a sha256 digest");
}

}  // namespace
}  // namespace distill::vuln::db
