// The apt client against the host's real mirror (bookworm main amd64, read from the host's apt
// sources) and real apt as the oracle.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <fmt/ranges.h>

#include "imagebuild/deb/apt/apt.h"
#include "imagebuild/deb/apt/download.h"
#include "imagebuild/deb/apt/index.h"
#include "imagebuild/deb/apt/sources.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/blob_cache.h"
#include "util/digest.h"
#include "util/file.h"

namespace distill::imagebuild::apt {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}
// CPU seconds of this process, all threads (wall time on a loaded machine says little).
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

class RealAptTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cache_ = new std::string(testing::TempDir() + "/cache");
    auto sources = HostSources("bookworm");
    ASSERT_TRUE(sources.ok()) << sources.error().message;
    sources_ = new std::vector<Source>(*sources);
    auto t0 = Clock::now();
    auto idx = LoadIndex(*sources_, {"amd64", "", *cache_, false});
    ASSERT_TRUE(idx.ok()) << idx.error().message;
    double cold = Seconds(t0);
    t0 = Clock::now();
    double cpu0 = CpuSeconds();
    auto warm = LoadIndex(*sources_, {"amd64", "", *cache_, true});
    ASSERT_TRUE(warm.ok()) << warm.error().message;
    double offline = Seconds(t0), offline_cpu = CpuSeconds() - cpu0;
    fmt::print(
        stderr,
        "LoadIndex bookworm amd64 ({} packages): {:.2f} s cold (download, gpgv, sha256, xz), "
        "{:.2f} s offline ({:.2f} CPU s in this process, gpgv not counted)\n",
        idx->packages.size(), cold, offline, offline_cpu);
    index_ = new Index(std::move(*warm));
    ASSERT_EQ(index_->packages.size(), idx->packages.size());
  }
  static std::string* cache_;
  static std::vector<Source>* sources_;
  static Index* index_;
};
std::string* RealAptTest::cache_;
std::vector<Source>* RealAptTest::sources_;
Index* RealAptTest::index_;

TEST_F(RealAptTest, HostIndex) {
  ASSERT_NE(index_, nullptr);
  EXPECT_GT(index_->packages.size(), 55000u);
  const PackageInfo* libc = index_->Find("libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_TRUE(libc->ref.version.starts_with("2.36-9")) << libc->ref.version;
  EXPECT_EQ(libc->multi_arch, "same");
  // bookworm-security/-updates carry newer versions than bookworm for some packages: the newest
  // wins.
  std::set<std::string> suites;
  for (const auto& p : index_->packages) suites.insert(p.suite);
  EXPECT_EQ(suites.size(), sources_->size());
  EXPECT_FALSE(index_->Providers("awk").empty());
}

// A file: repository made of the verified files in our cache (the real InRelease and the real
// uncompressed Packages it lists) — then tampered with.
std::string MirrorCopy(const std::string& cache, const Source& src, const std::string& dir) {
  std::string dists = dir + "/dists/" + src.suite;
  fs::create_directories(dists + "/main/binary-amd64");
  fs::copy_file(cache + "/apt/lists/" + ListsName(src.uri, src.suite), dists + "/InRelease");
  std::string text = *ReadFile(dists + "/InRelease");
  size_t at = text.find(" main/binary-amd64/Packages\n", text.find("\nSHA256:"));
  std::string sha = text.substr(text.rfind('\n', at) + 2, 64);
  fs::copy_file(cache + "/blobs/sha256/" + sha, dists + "/main/binary-amd64/Packages");
  return dists;
}

TEST_F(RealAptTest, RefusesTamperedCopies) {
  const Source& main = (*sources_)[0];
  ASSERT_EQ(main.suite, "bookworm");
  std::string dir = testing::TempDir();
  std::string dists = MirrorCopy(*cache_, main, dir + "/mirror");
  Source copy = main;
  copy.uri = "file:" + dir + "/mirror";
  auto good = LoadIndex({copy}, {"amd64", "", dir + "/c1", false});
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(good->Find("base-files")->ref.url,
            copy.uri + "/" + "pool/main/b/base-files/" +
                good->Find("base-files")
                    ->ref.url.substr(good->Find("base-files")->ref.url.rfind('/') + 1));

  // One version in Packages changed (same length): the SHA256 from the signed InRelease refuses it.
  std::string pk = dists + "/main/binary-amd64/Packages";
  std::string text = *ReadFile(pk);
  size_t at = text.find("\nPackage: base-files\n");
  size_t v = text.find("Version: ", at) + 9;
  text[v] = text[v] == '9' ? '8' : '9';
  ASSERT_TRUE(WriteFileAtomic(pk, text).ok());
  auto bad = LoadIndex({copy}, {"amd64", "", dir + "/c2", false});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("differs from the Release's"), std::string::npos)
      << bad.error().message;

  // The InRelease's SHA256 line edited to match the tampered file: gpgv refuses the InRelease.
  std::string in = *ReadFile(dists + "/InRelease");
  size_t line = in.find(" main/binary-amd64/Packages\n", in.find("\nSHA256:"));
  size_t hash = in.rfind('\n', line) + 2;
  in.replace(hash, 64, std::string(DigestHex(Sha256Digest(text))));
  ASSERT_TRUE(WriteFileAtomic(dists + "/InRelease", in).ok());
  bad = LoadIndex({copy}, {"amd64", "", dir + "/c3", false});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("BAD signature"), std::string::npos) << bad.error().message;
}

// The oracle: apt itself, on exactly our verified files (a file: copy of every suite, so the
// index cannot differ), with an empty dpkg status and no recommends — a fresh install of python3.
// Sound because apt computes the same closure (Pre-Depends + Depends, first satisfiable
// alternative, candidates only) and prints each package it would install as an "Inst" line.
TEST_F(RealAptTest, ResolvePython3EqualsApt) {
  std::string dir = testing::TempDir();
  fs::create_directories(dir + "/etc/apt/sources.list.d");
  fs::create_directories(dir + "/etc/apt/apt.conf.d");
  fs::create_directories(dir + "/state/lists/partial");
  fs::create_directories(dir + "/cache/archives/partial");
  std::ofstream(dir + "/state/status").flush();
  std::string list;
  for (size_t i = 0; i < sources_->size(); ++i) {
    const Source& s = (*sources_)[i];
    std::string root = dir + "/mirror" + std::to_string(i);
    std::string dists = MirrorCopy(*cache_, s, root);
    // apt wants the Packages.xz the InRelease lists (it does not fall back to the plain file).
    std::string in = *ReadFile(dists + "/InRelease");
    size_t line = in.find(" main/binary-amd64/Packages.xz\n", in.find("\nSHA256:"));
    std::string sha = in.substr(in.rfind('\n', line) + 2, 64);
    Status got =
        DownloadToFile(s.uri + "/dists/" + s.suite + "/main/binary-amd64/by-hash/SHA256/" + sha,
                       dists + "/main/binary-amd64/Packages.xz", 64 << 20);
    ASSERT_TRUE(got.ok()) << got.error().message;
    list += fmt::format(
        "deb [signed-by={}] file:{} {} main\n",
        s.signed_by.empty() ? "/usr/share/keyrings/debian-archive-keyring.gpg" : s.signed_by, root,
        s.suite);
  }
  std::ofstream(dir + "/etc/apt/sources.list") << list;
  // APT_CONFIG isolates apt from the host's configuration (apt.conf.d is read from our Dir::Etc).
  std::ofstream(dir + "/apt.conf") << fmt::format(
      "Dir::Etc \"{0}/etc/apt\"; Dir::State \"{0}/state\"; Dir::State::status "
      "\"{0}/state/status\";\n"
      "Dir::Cache \"{0}/cache\"; Debug::NoLocking \"1\"; APT::Architecture \"amd64\";\n"
      "APT::Install-Recommends \"false\"; Acquire::Languages \"none\"; APT::Sandbox::User "
      "\"root\";\n",
      dir);
  std::string apt = fmt::format("APT_CONFIG={}/apt.conf apt-get -q ", dir);
  int rc = 0;
  std::string upd = testing::Shell(apt + "update 2>&1", &rc);
  ASSERT_EQ(rc, 0) << upd;
  // python3 first (the brief's case), then sets with virtual packages, "|" groups and Pre-Depends.
  for (std::string request : {"python3", "python3-flask", "curl ca-certificates",
                              "openjdk-17-jre-headless", "nginx", "git", "apache2"}) {
    std::string sim = testing::Shell(apt + "-s install " + request + " 2>&1", &rc);
    ASSERT_EQ(rc, 0) << sim;
    std::set<std::string> want;
    std::istringstream in(sim);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("Inst ")) continue;
      // "Inst libc6 (2.36-9+deb12u13 Debian:12.12/oldstable [amd64])"
      std::string name = line.substr(5, line.find(' ', 5) - 5);
      size_t open = line.find('(');
      want.insert(name + "=" + line.substr(open + 1, line.find(' ', open) - open - 1));
    }
    std::vector<std::string> names;
    std::istringstream words(request);
    for (std::string w; words >> w;) names.push_back(w);
    auto t0 = Clock::now();
    auto got = Resolve(*index_, names, {});
    double took = Seconds(t0);
    ASSERT_TRUE(got.ok()) << got.error().message;
    std::set<std::string> mine;
    for (const auto& r : *got) mine.insert(r.pkg.ref.name + "=" + r.pkg.ref.version);
    std::vector<std::string> only_mine, only_apt;
    std::set_difference(mine.begin(), mine.end(), want.begin(), want.end(),
                        std::back_inserter(only_mine));
    std::set_difference(want.begin(), want.end(), mine.begin(), mine.end(),
                        std::back_inserter(only_apt));
    EXPECT_TRUE(only_mine.empty() && only_apt.empty())
        << request << ": only ours: " << fmt::format("{}", fmt::join(only_mine, " "))
        << "; only apt's: " << fmt::format("{}", fmt::join(only_apt, " "));
    EXPECT_GT(mine.size(), 5u);
    fmt::print(stderr, "Resolve({}): {} packages in {:.1f} ms; apt: {}\n", request, mine.size(),
               took * 1e3, want.size());
    if (request == "python3")
      for (const auto& r : *got)
        if (r.pkg.ref.name == "libpython3.11-stdlib") {
          EXPECT_TRUE(r.reason.starts_with("python3 → ")) << r.reason;
        }
  }
}

TEST_F(RealAptTest, UnknownPackageSuggests) {
  auto r = Resolve(*index_, {"pyhton3"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("did you mean: python3"), std::string::npos)
      << r.error().message;
}

// One small .deb through Fetch, compared with what `apt-get download` (the host's apt) gets.
TEST_F(RealAptTest, FetchBaseFilesEqualsAptGetDownload) {
  auto r = Resolve(*index_, {"base-files"}, {false});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const DebRef& ref = (*r)[0].pkg.ref;
  std::string dir = testing::TempDir();
  auto got = Fetch({ref}, {dir + "/blobs", 2, false});
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ((*got)[0].path, dir + "/blobs/blobs/sha256/" + ref.sha256);
  int rc = 0;
  std::string out = testing::Shell(
      fmt::format("cd {} && apt-get -q download base-files={} 2>&1", dir, ref.version), &rc);
  if (rc != 0)
    GTEST_SKIP() << "the host's apt lists lack base-files " << ref.version
                 << " (run apt-get update): " << out;
  std::string file;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".deb") file = e.path().string();
  ASSERT_FALSE(file.empty()) << out;
  auto theirs = ReadFile(file);
  auto mine = ReadFile((*got)[0].path);
  ASSERT_TRUE(theirs.ok() && mine.ok());
  EXPECT_EQ(Sha256Digest(*mine), Sha256Digest(*theirs));
  EXPECT_EQ(Sha256Digest(*mine), "sha256:" + ref.sha256);
}

}  // namespace
}  // namespace distill::imagebuild::apt
