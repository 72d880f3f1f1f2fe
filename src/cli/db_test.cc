// `distill db` end to end, through the real binary.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/registry_server.h"
#include "testing/shell.h"
#include "util/file.h"
#include "vuln/db/database.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln";

using testing::Ran;

class DbCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-dbcli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "vuln.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs distill with a private XDG cache (downloads) and the given extra environment.
  Ran Distill(const std::string& args, const std::string& env = "") {
    return testing::Run("env XDG_CACHE_HOME=" + (dir_ / "cache").string() + " " + env + " " +
                        DISTILL_BINARY + " " + args);
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(DbCliTest, ImportThenStatus) {
  Ran r = Distill("db import --db " + db_ + " " + kFixtures + "/osv " + kFixtures +
                      "/vunnel/debian/test-fixtures/input/debian.json",
                  "SOURCE_DATE_EPOCH=1700000000");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, db_ + ": 28 affected rows from 4 documents (debian-tracker: 25, osv: 3)\n");

  r = Distill("db status --db " + db_);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Schema:    2\nBuilt:     2023-11-14T22:13:20Z ("), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("osv               pypi                1          1\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("debian-tracker    debian:sid          6          6\n"), std::string::npos)
      << r.out;
  // Built in 2023: far older than five days.
  EXPECT_NE(r.err.find("warning: the vulnerability database is "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" days old; run `distill db update`"), std::string::npos) << r.err;

  r = Distill("db status -o json --db " + db_);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schemaVersion"], 2);
  EXPECT_EQ(j["stale"], true);
  EXPECT_EQ(j["builtAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["sources"].size(), 2u);
}

// Real secdb fixed versions apk's grammar rejects (Alpine v3.8): repaired where one reading is
// certain, else kept as written; each named in the import's warnings, the kept ones counted by
// `db status` (py-django 1.11-20-r0 fixes one CVE, xen 4.10-1-r1 three: 4 affected rows).
TEST_F(DbCliTest, MalformedSecdbVersionsAreWarnedAndCounted) {
  Ran r = Distill("db import --db " + db_ + " " + kFixtures + "/alpine/secdb-2020/v3.8");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (std::string_view w : {
           "v3.8/main.yaml: mariadb: fixed version \"10.2.22.r0\" is not a valid apk version; read "
           "as \"10.2.22-r0\"\n",
           "v3.8/community.yaml: phpmyadmin: fixed version \"4.8.0.-r1\" is not a valid apk "
           "version; read as "
           "\"4.8.0-r1\"\n",
           "v3.8/main.yaml: xen: fixed version \"4.10-1-r1\" is not a valid apk version; kept as "
           "written (cannot be "
           "compared)\n",
       })
    EXPECT_NE(r.err.find(w), std::string::npos) << w << "\n" << r.err;
  EXPECT_NE(r.err.find("; 6 malformed fixed versions\n"), std::string::npos) << r.err;

  r = Distill("db status --db " + db_);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          "\nMalformed fixed versions (kept as written, not comparable): secdb alpine:3.8: 4\n"),
      std::string::npos)
      << r.out;
  r = Distill("db status -o json --db " + db_);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["counts"].size(), 1u);
  EXPECT_EQ(j["counts"][0]["ecosystem"], "alpine:3.8");
  EXPECT_EQ(j["counts"][0]["malformedFixedVersions"], 4);
}

TEST_F(DbCliTest, FreshDatabaseIsNotStale) {
  ASSERT_EQ(Distill("db import --db " + db_ + " " + kFixtures + "/osv").rc, 0);
  Ran r = Distill("db status --db " + db_);
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(DbCliTest, ErrorsAndExitCodes) {
  Ran r = Distill("db status --db " + db_);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: " + db_ +
                ": no vulnerability database (run `distill db update` or `distill db import`)\n");
  r = Distill("db import --db " + db_ + " " + kFixtures + "/MANIFEST.md");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "error: " + kFixtures +
                       "/MANIFEST.md: unknown vulnerability data format (expected OSV JSON, a "
                       "secdb, Wolfi advisories or Debian tracker JSON)\n");
  EXPECT_FALSE(fs::exists(db_));
  r = Distill("db update --db " + db_ + " --sources " + (dir_ / "none.yaml").string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("none.yaml: no sources config"), std::string::npos) << r.err;
}

// ---- Over HTTP: python3's http.server on 127.0.0.1 serving the fixture files. ----

using testing::FreePort;
using testing::Listening;

class RealDbUpdate : public DbCliTest {
 protected:
  void SetUp() override {
    DbCliTest::SetUp();
    port_ = FreePort();
    server_ = ::fork();
    ASSERT_GE(server_, 0);
    if (server_ == 0) {
      std::string port = std::to_string(port_);
      ::freopen("/dev/null", "w", stderr);
      ::execlp("python3", "python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory",
               kFixtures.c_str(), port.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !Listening(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(Listening(port_)) << "python3 -m http.server did not start";
  }
  void TearDown() override {
    if (server_ > 0) {
      ::kill(server_, SIGTERM);
      ::waitpid(server_, nullptr, 0);
    }
    DbCliTest::TearDown();
  }
  std::string Url(const std::string& rel) {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + rel;
  }
  // Only these sources: without `include-defaults: false` the built-in public feeds come first.
  std::string Config(const std::vector<std::string>& lines) {
    std::string text = "include-defaults: false\nsources:\n";
    for (const auto& l : lines) text += l + "\n";
    std::string path = (dir_ / "sources.yaml").string();
    EXPECT_TRUE(WriteFileAtomic(path, text).ok());
    return path;
  }

  int port_ = 0;
  pid_t server_ = -1;
};

TEST_F(RealDbUpdate, DownloadsThenRevalidatesWithConditionalRequests) {
  std::string cfg = Config({
      "  - url: " + Url("osv/GHSA-m2qf-hxjv-5gpq.json"),
      "  - url: " + Url("vunnel/chainguard/test-fixtures/input/secdb/security.json"),
      "  - url: " + Url("alpine/secdb-2020/v3.8/main.yaml"),
      "  - url: " + Url("vunnel/debian/test-fixtures/input/debian.json"),
      "    format: debian-tracker",
  });
  Ran r = Distill("db update --db " + db_ + " --sources " + cfg);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("4 sources: 4 downloaded, 0 unchanged (304)"), std::string::npos) << r.err;
  {
    auto db = vuln::Database::Open(db_);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ((*db)->Lookup("pypi", "flask")->size(), 1u);
    EXPECT_EQ((*db)->Lookup("alpine:3.8", "db")->size(), 5u);
    auto info = (*db)->Info();
    EXPECT_EQ(info->sources[0].origin.rfind("http://127.0.0.1:", 0), 0u);
  }
  // Second run: python's http.server answers If-Modified-Since with 304.
  r = Distill("db update --db " + db_ + " --sources " + cfg);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("4 sources: 0 downloaded, 4 unchanged (304)"), std::string::npos) << r.err;
  EXPECT_EQ((*vuln::Database::Open(db_))->Lookup("pypi", "flask")->size(), 1u);
}

TEST_F(RealDbUpdate, AFailedSourceKeepsThePreviousDatabase) {
  ASSERT_EQ(Distill("db update --db " + db_ + " --sources " +
                    Config({"  - " + Url("osv/GHSA-m2qf-hxjv-5gpq.json")}))
                .rc,
            0);
  Ran r =
      Distill("db update --db " + db_ + " --sources " +
              Config({"  - " + Url("osv/GHSA-c2qf-rxjj-qqgw.json"), "  - " + Url("missing.json")}));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("missing.json: download failed: "), std::string::npos) << r.err;
  auto db = vuln::Database::Open(db_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Lookup("pypi", "flask")->size(), 1u);
  EXPECT_EQ((*db)->Lookup("npm", "semver")->size(), 0u);

  // `db import URL` downloads, then imports next to what is there.
  r = Distill("db import --db " + db_ + " " + Url("osv/GHSA-c2qf-rxjj-qqgw.json"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ((*vuln::Database::Open(db_))->Lookup("npm", "semver")->size(), 1u);
}

}  // namespace
}  // namespace distill::cli
