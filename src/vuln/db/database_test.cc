#include "vuln/db/database.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/db/schema.h"
#include "vuln/db/writer.h"

namespace distill::vuln {
namespace {

namespace fs = std::filesystem;

class VulnDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-vulndb-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "vuln.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Advisory Flask() {
    Advisory a;
    a.id = "GHSA-m2qf-hxjv-5gpq";
    a.aliases = {"CVE-2023-30861"};
    a.source = "osv";
    a.ecosystem = "pypi";
    a.package = "flask";
    a.state = FixState::kFixed;
    a.fixed_versions = {"2.3.2", "2.2.5"};
    a.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "2.3.0"}, {Event::kFixed, "2.3.2"}}},
                {"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, "2.2.5"}}}};
    a.severities = {{"osv", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "high"},
                    {"ghsa", "vendor", "", -1, "high"}};
    a.summary = "Flask \"session\" cookie\n";
    a.references = {{"ADVISORY", "https://nvd.nist.gov/vuln/detail/CVE-2023-30861"}};
    a.published = "2023-05-01T19:22:20Z";
    a.modified = "2023-05-01T19:22:20Z";
    return a;
  }

  Status Build(const std::vector<Advisory>& as, std::string origin = "test.json",
               bool fresh = false) {
    DISTILL_TRY(auto w, Writer::Create(path_, {fresh, 1700000000}));
    DISTILL_TRY(int64_t src, w->Source("osv", origin));
    for (const auto& a : as) DISTILL_TRY_VOID(w->Add(src, a));
    return w->Commit();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(VulnDbTest, RoundTripsEveryField) {
  ASSERT_TRUE(Build({Flask()}).ok());
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto got = (*db)->Lookup("PyPI", "Flask");
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0], Flask());
  EXPECT_TRUE((*db)->Lookup("pypi", "django")->empty());
  EXPECT_TRUE((*db)->Lookup("npm", "flask")->empty());
}

TEST_F(VulnDbTest, InfoCountsPerSourceAndEcosystem) {
  Advisory b = Flask();
  b.package = "flask-x";
  ASSERT_TRUE(Build({Flask(), b}).ok());
  auto info = (*Database::Open(path_))->Info();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->schema_version, kSchemaVersion);
  EXPECT_EQ(info->built_at, 1700000000);
  ASSERT_EQ(info->sources.size(), 1u);
  EXPECT_EQ(info->sources[0].origin, "test.json");
  ASSERT_EQ(info->counts.size(), 1u);
  EXPECT_EQ(info->counts[0].ecosystem, "pypi");
  EXPECT_EQ(info->counts[0].advisories, 1);
  EXPECT_EQ(info->counts[0].affected, 2);
}

TEST_F(VulnDbTest, ReimportingAnOriginReplacesItsRows) {
  ASSERT_TRUE(Build({Flask()}, "a.json").ok());
  ASSERT_TRUE(Build({Flask()}, "b.json").ok());
  EXPECT_EQ((*Database::Open(path_))->Lookup("pypi", "flask")->size(), 2u);
  ASSERT_TRUE(Build({Flask()}, "a.json").ok());
  EXPECT_EQ((*Database::Open(path_))->Lookup("pypi", "flask")->size(), 2u);
  ASSERT_TRUE(Build({Flask()}, "a.json", /*fresh=*/true).ok());
  EXPECT_EQ((*Database::Open(path_))->Lookup("pypi", "flask")->size(), 1u);
}

TEST_F(VulnDbTest, AnAbandonedBuildLeavesThePreviousDatabase) {
  ASSERT_TRUE(Build({Flask()}).ok());
  std::string tmp;
  {
    auto w = Writer::Create(path_, {true, 1});
    ASSERT_TRUE(w.ok());
    tmp = (*w)->temp_path();
    ASSERT_TRUE((*w)->Source("osv", "other").ok());
    EXPECT_TRUE(fs::exists(tmp));
  }  // destroyed without Commit, as on an import error
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_EQ((*Database::Open(path_))->Lookup("pypi", "flask")->size(), 1u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // + .lock
}

// A killed import (no destructor runs) never leaves a broken database: the previous one stays
// in place, and the next writer removes the orphaned temporary file once it is stale.
TEST_F(VulnDbTest, AKilledBuildLeavesThePreviousDatabase) {
  ASSERT_TRUE(Build({Flask()}).ok());
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto w = Writer::Create(path_, {true, 1});
    if (!w.ok()) ::_exit(1);
    auto src = (*w)->Source("osv", "other");
    for (int i = 0; i < 1000 && src.ok(); ++i) (void)(*w)->Add(*src, Flask());
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ((*db)->Lookup("pypi", "flask")->size(), 1u);
  std::vector<fs::path> orphans;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().filename().string().starts_with("vuln.db.tmp-")) orphans.push_back(e.path());
  ASSERT_EQ(orphans.size(), 1u);
  fs::last_write_time(orphans[0], fs::file_time_type::clock::now() - std::chrono::hours(2));
  ASSERT_TRUE(Build({Flask()}).ok());
  EXPECT_FALSE(fs::exists(orphans[0]));
}

TEST_F(VulnDbTest, OneWriterAtATime) {
  auto first = Writer::Create(path_, {true, 1});
  ASSERT_TRUE(first.ok());
  auto second = Writer::Create(path_, {true, 1});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, path_ + ": another import or update is writing this database");
  first = Writer::Create(path_ + "x", {true, 1});  // the first writer is gone: unlocked
  EXPECT_TRUE(Writer::Create(path_, {true, 1}).ok());
}

TEST_F(VulnDbTest, RefusesANewerSchemaNamingBothVersions) {
  ASSERT_TRUE(Build({Flask()}).ok());
  {
    auto c = sql::Conn::Open(path_, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(c->Exec("UPDATE schema_version SET version = 7").ok());
  }
  auto db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().message,
            path_ +
                ": database schema version 7 is newer than this distill supports (2); update "
                "distill or rebuild the database with `distill db update`");
}

TEST_F(VulnDbTest, MissingAndForeignFilesAreClearErrors) {
  auto db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().message,
            path_ + ": no vulnerability database (run `distill db update` or `distill db import`)");
  {
    auto c = sql::Conn::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(c->Exec("CREATE TABLE x (y)").ok());
  }
  db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().message,
            path_ + ": not a distill vulnerability database (no schema_version table)");
}

}  // namespace
}  // namespace distill::vuln
