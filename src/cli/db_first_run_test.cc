// `distill scan IMAGE` with nothing before it, and `distill db update` without configuration,
// through the real binary: a fresh HOME, the feeds served with ETag / Last-Modified by a local
// HTTP server (testing/feed_server.py), named by a sources config with `include-defaults: false`
// (the built-in table itself is checked by BuiltinSources.TableIsCompleteAndNamesRealFeeds).
// And the bad answers a feed can give: each keeps the previous database and names the source.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/feed_server.h"
#include "testing/shell.h"
#include "util/file.h"
#include "vuln/db/database.h"
#include "vuln/importers/sources.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
using testing::Ran;
const std::string kSrc = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/";

int Count(const std::vector<std::string>& requests, std::string_view status) {
  int n = 0;
  for (const auto& r : requests) n += r.ends_with(status);
  return n;
}

class DbFirstRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-firstrun-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "home");
    fs::create_directories(dir_ / "feeds" / "PyPI");
    // The feeds, as their publishers lay them out: OSV's all.zip, the tracker's one JSON document.
    fs::copy_file(kSrc + "vuln/vunnel/debian/test-fixtures/input/debian.json",
                  dir_ / "feeds" / "tracker.json");
    fs::copy_file(kSrc + "scan/tracker-nodsa.json", dir_ / "feeds" / "tracker-nodsa.json");
    ASSERT_EQ(std::system(("cd " + kSrc + "vuln/osv && python3 -m zipfile -c " +
                           (dir_ / "feeds/PyPI/all.zip").string() +
                           " GHSA-m2qf-hxjv-5gpq.json GHSA-c2qf-rxjj-qqgw.json")
                              .c_str()),
              0);
    std::string error;
    server_ = testing::FeedServer::Start((dir_ / "feeds").string(), &error);
    ASSERT_TRUE(server_) << error;
    WriteConfig({"  - url: " + server_->Url("tracker.json"), "    format: debian-tracker",
                 "  - " + server_->Url("tracker-nodsa.json"),
                 "  - " + server_->Url("PyPI/all.zip")});
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  std::string Home() const { return (dir_ / "home").string(); }
  std::string DefaultDb() const { return Home() + "/.cache/distill/vuln.db"; }
  void WriteConfig(const std::vector<std::string>& lines,
                   std::string head = "include-defaults: false\n") {
    std::string text = head + "sources:\n";
    for (const auto& l : lines) text += l + "\n";
    fs::create_directories(Home() + "/.config/distill");
    ASSERT_TRUE(WriteFileAtomic(Home() + "/.config/distill/vuln-sources.yaml", text).ok());
  }
  // distill with a fresh HOME and nothing else of the caller's environment that names a place.
  Ran Distill(const std::string& args, const std::string& env = "") {
    return testing::Run("env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u DISTILL_DB_REPOSITORY HOME=" +
                        Home() + " " + env + " " + DISTILL_BINARY + " " + args);
  }
  Ran Scan(const std::string& flags = "", const std::string& env = "") {
    return Distill("scan " + flags + " sbom:" + kSrc + "scan/debian11.distill.json", env);
  }
  std::string DbBytes() {
    auto bytes = ReadFile(DefaultDb(), 1 << 30);
    return bytes.ok() ? *bytes : "(none)";
  }

  fs::path dir_;
  std::unique_ptr<testing::FeedServer> server_;
};

TEST_F(DbFirstRun, FirstScanBuildsTheDatabaseThenReusesIt) {
  Ran r = Scan();
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find(DefaultDb() + ": no vulnerability database yet; building it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("built from 3 sources (3 downloaded, 0 unchanged)"), std::string::npos)
      << r.err;
  // The same findings as a scan against a database made by hand (ScanCliTest.Table).
  EXPECT_NE(r.out.find("Total: 4 (UNKNOWN: 2, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0)\n"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(DefaultDb()));
  EXPECT_EQ(Count(server_->Requests(), " 200"), 3);

  // Fresh: the next scan touches nothing.
  r = Scan();
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(server_->Requests().size(), 3u);

  // Older than --db-max-age: updated first, every feed answering 304 to its ETag.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  r = Scan("--db-max-age 1s");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("the vulnerability database is 0 minutes old; building it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("built from 3 sources (0 downloaded, 3 unchanged)"), std::string::npos)
      << r.err;
  EXPECT_EQ(Count(server_->Requests(), " 304"), 3);
  EXPECT_NE(r.out.find("Total: 4 "), std::string::npos) << r.out;
}

TEST_F(DbFirstRun, FailedUpdateScansWithTheOldDatabaseAndSaysHowOld) {
  ASSERT_EQ(Scan("", "SOURCE_DATE_EPOCH=1700000000").rc, 0);  // built "in 2023": stale
  std::string before = DbBytes();
  server_->Stop();
  Ran r = Scan();
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find(" days old; building it"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: could not update the vulnerability database ("), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("download failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" days ago\n"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("Total: 4 "), std::string::npos) << r.out;
  EXPECT_EQ(DbBytes(), before);
}

TEST_F(DbFirstRun, NoDatabaseAndNoWayToGetOneExits2) {
  WriteConfig({"  - " + server_->Url("PyPI/all.zip"), "  - " + server_->Url("missing.json")});
  Ran r = Scan();
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("error: no vulnerability database, and getting one failed: " +
                       server_->Url("missing.json") + ": download failed: "),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(DefaultDb()));
}

TEST_F(DbFirstRun, OfflineAndSkipDbUpdateNeverTouchTheNetwork) {
  for (const char* flag : {"--offline", "--skip-db-update"}) {
    Ran r = Scan(flag);
    EXPECT_EQ(r.rc, 2) << flag;
    EXPECT_EQ(r.err,
              "error: " + DefaultDb() +
                  ": no vulnerability database (run `distill db update` or `distill db import`)\n");
  }
  ASSERT_EQ(Scan("", "SOURCE_DATE_EPOCH=1700000000").rc, 0);  // stale
  size_t requests = server_->Requests().size();
  for (const char* flag : {"--offline", "--skip-db-update"}) {
    Ran r = Scan(flag);
    EXPECT_EQ(r.rc, 0) << r.err;
    EXPECT_TRUE(r.err.starts_with("warning: the vulnerability database is ")) << r.err;
    EXPECT_TRUE(r.err.ends_with(" days old; run `distill db update`\n")) << r.err;
  }
  EXPECT_EQ(server_->Requests().size(), requests);
  EXPECT_EQ(Scan("--db-max-age 1y").err,
            "error: --db-max-age: \"1y\": unknown unit (s, m, h, d)\n");
}

// `db update` with no sources config at all reads the built-in list; `db sources` shows it.
TEST_F(DbFirstRun, DbSourcesListsTheBuiltinFeedsPlusTheConfig) {
  fs::remove(Home() + "/.config/distill/vuln-sources.yaml");
  Ran r = Distill("db sources");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\ndebian-tracker          debian-tracker  debian:*      "
                       "https://security-tracker.debian.org/tracker/data/json\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Sources config: none (" + Home() +
                       "/.config/distill/vuln-sources.yaml does not exist)\n"),
            std::string::npos)
      << r.out;
  r = Distill("db sources -o json");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["sources"].size(), vuln::importers::BuiltinSources().size());
  EXPECT_EQ(j["sources"][0]["owner"], "Debian Security Team (security tracker)");

  WriteConfig({"  - " + server_->Url("PyPI/all.zip")}, "");
  j = nlohmann::json::parse(Distill("db sources -o json").out);
  ASSERT_EQ(j["sources"].size(), vuln::importers::BuiltinSources().size() + 1);
  EXPECT_EQ(j["sources"].back()["name"], "config");
  EXPECT_EQ(j["sources"].back()["builtin"], false);
  WriteConfig({"  - " + server_->Url("PyPI/all.zip")});
  j = nlohmann::json::parse(Distill("db sources -o json").out);
  ASSERT_EQ(j["sources"].size(), 1u);

  r = Distill("db update --sources " + (dir_ / "none.yaml").string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("none.yaml: no sources config"), std::string::npos) << r.err;
}

// A database repository, from the environment or the config: `db update` and the first scan pull
// from it and never build from the feeds.
TEST_F(DbFirstRun, ADatabaseRepositoryIsPulledNotBuilt) {
  Ran r = Distill("db update", "DISTILL_DB_REPOSITORY=127.0.0.1:9/distill/vulndb:2");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("error: db-repository 127.0.0.1:9/distill/vulndb:2: "), std::string::npos)
      << r.err;
  WriteConfig({"  - " + server_->Url("PyPI/all.zip")},
              "include-defaults: false\ndb-repository: 127.0.0.1:9/other:1\n");
  EXPECT_NE(Distill("db sources").out.find("Database repository: 127.0.0.1:9/other:1 "),
            std::string::npos);
  r = Scan();
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("pulling it"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: no vulnerability database, and getting one failed: db-repository "
                       "127.0.0.1:9/other:1: "),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(server_->Requests().empty());
}

// Bad answers from a feed: each fails the update with exit 2, names the source, and leaves the
// previous database byte for byte.
TEST_F(DbFirstRun, BadFeedsKeepThePreviousDatabase) {
  ASSERT_EQ(Distill("db update").rc, 0);
  std::string before = DbBytes();
  // A truncated document and a truncated zip, served whole; a zip whose entry inflates to 64 MiB.
  ASSERT_TRUE(
      WriteFileAtomic(
          (dir_ / "feeds/truncated.json").string(),
          ReadFile(kSrc + "vuln/vunnel/debian/test-fixtures/input/debian.json")->substr(0, 900))
          .ok());
  std::string zip = ReadFile((dir_ / "feeds/PyPI/all.zip").string()).value();
  ASSERT_TRUE(
      WriteFileAtomic((dir_ / "feeds/half.zip").string(), zip.substr(0, zip.size() / 2)).ok());
  ASSERT_EQ(std::system(("python3 -c \"import zipfile,sys; "
                         "z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED); "
                         "z.writestr('GHSA-bomb.json', b'{' + b' ' * (64 << 20) + b'}')\" " +
                         (dir_ / "feeds/bomb.zip").string())
                            .c_str()),
            0);
  struct Case {
    std::string url, says;
  };
  std::string port = server_->Url("").substr(17);  // "PORT/"
  std::vector<Case> cases = {
      {server_->Url("_status/404/x.json"),
       "download failed: The requested URL returned error: 404"},
      {server_->Url("_status/500/x.json"),
       "download failed: The requested URL returned error: 500"},
      {server_->Url("_html/all.zip"), ""},
      {server_->Url("_cut/PyPI/all.zip"), "download failed: "},
      {server_->Url("truncated.json"), ""},
      {server_->Url("half.zip"), ""},
      {server_->Url("bomb.zip"), "entry too large"},
      {"https://127.0.0.1:" + port + "tracker.json",
       "download failed: "},  // TLS to a plain-HTTP server
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    WriteConfig({"  - " + server_->Url("PyPI/all.zip"), "  - " + c.url});
    Ran r = Distill("db update");
    EXPECT_EQ(r.rc, 2) << r.err;
    EXPECT_TRUE(r.err.starts_with("error: " + c.url + ": ")) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    EXPECT_EQ(DbBytes(), before);
  }
}

// Sources download on their own thread while the ones before them are imported: an import that
// fails stops the download under way (here one that would take ~13 s) instead of waiting for it,
// and removes its partial file.
TEST_F(DbFirstRun, AFailedImportCancelsTheDownloadUnderWay) {
  std::string zip = ReadFile((dir_ / "feeds/PyPI/all.zip").string()).value();
  ASSERT_TRUE(
      WriteFileAtomic((dir_ / "feeds/half.zip").string(), zip.substr(0, zip.size() / 2)).ok());
  std::string record = ReadFile(kSrc + "vuln/osv/GHSA-c2qf-rxjj-qqgw.json").value();
  ASSERT_TRUE(WriteFileAtomic((dir_ / "feeds/big.json").string(),
                              record + std::string((4 << 20) - record.size(), ' '))
                  .ok());
  WriteConfig({"  - " + server_->Url("half.zip"), "  - " + server_->Url("_slow/big.json")});
  auto t0 = std::chrono::steady_clock::now();
  Ran r = Distill("db update");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(r.err.starts_with("error: " + server_->Url("half.zip") + ": ")) << r.err;
  EXPECT_LT(secs, 8) << "the update waited for the slow download";
  EXPECT_FALSE(fs::exists(DefaultDb()));
  for (const auto& e : fs::directory_iterator(Home() + "/.cache/distill/downloads"))
    EXPECT_EQ(e.path().filename().string().find("big.json"), std::string::npos) << e.path();
}

// kill -9 in the middle of an update (a feed arriving slowly): the previous database is intact,
// and the next update works.
TEST_F(DbFirstRun, KilledUpdateKeepsThePreviousDatabase) {
  ASSERT_EQ(Distill("db update").rc, 0);
  std::string before = DbBytes();
  // An OSV record padded to 1 MiB with whitespace: served at 64 KiB every 0.2 s.
  std::string record = ReadFile(kSrc + "vuln/osv/GHSA-c2qf-rxjj-qqgw.json").value();
  ASSERT_TRUE(WriteFileAtomic((dir_ / "feeds/big.json").string(),
                              record + std::string((1 << 20) - record.size(), ' '))
                  .ok());
  WriteConfig({"  - " + server_->Url("PyPI/all.zip"), "  - " + server_->Url("_slow/big.json")});
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string home = "HOME=" + Home();
    ::execl("/usr/bin/env", "env", "-u", "XDG_CACHE_HOME", "-u", "XDG_CONFIG_HOME", home.c_str(),
            DISTILL_BINARY, "-q", "db", "update", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 100 && Count(server_->Requests(), "big.json 200") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(DbBytes(), before);
  auto db = vuln::Database::Open(DefaultDb());
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ((*db)->Lookup("pypi", "flask")->size(), 1u);
  // The killed download's .part file is removed by the next fetch of its URL once it is an hour
  // old.
  std::vector<fs::path> parts;
  for (const auto& e : fs::directory_iterator(Home() + "/.cache/distill/downloads"))
    if (e.path().filename().string().find("big.json.part-") != std::string::npos)
      parts.push_back(e.path());
  ASSERT_EQ(parts.size(), 1u);
  fs::last_write_time(parts[0], fs::file_time_type::clock::now() - std::chrono::hours(2));
  Ran r = Distill("db update");  // (the same config: big.json is fetched again, whole)
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_FALSE(fs::exists(parts[0]));
}

}  // namespace
}  // namespace distill::cli
