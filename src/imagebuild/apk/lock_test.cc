#include "imagebuild/apk/lock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

#include "imagebuild/apk/signed_index.h"
#include "imagebuild/apk/testing/apk_fixture.h"
#include "testing/image_builder.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

using testing::FixturePath;
using testing::ReadFixture;

const char kApkoLock[] = "apko-e2e/apko.lock.json";

// apko's lock of its end-to-end test (tests/fixtures/apk/apko-e2e), named as in messages.
ApkLock ApkoLock() {
  auto lock = ParseApkLock(ReadFixture(kApkoLock), "apko.lock.json");
  if (!lock.ok()) throw std::runtime_error(lock.error().message);
  return *lock;
}

// The real signed x86_64 (or aarch64) repository the lock was made from.
Repository RealRepository(const std::string& arch) {
  std::string rel = "apko-e2e/packages/" + arch + "/APKINDEX.tar.gz";
  auto index = ReadSignedIndex(ReadFixture(rel), rel);
  if (!index.ok()) throw std::runtime_error(index.error().message);
  auto entries = ParseIndex(index->apkindex, rel);
  if (!entries.ok()) throw std::runtime_error(entries.error().message);
  return Repository{rel, "", std::move(*entries)};
}

Package ReadReal(const std::string& arch, const std::string& file) {
  std::string rel = "apko-e2e/packages/" + arch + "/" + file;
  auto pkg = ReadPackage(ReadFixture(rel), file);
  if (!pkg.ok()) throw std::runtime_error(pkg.error().message);
  return *pkg;
}

std::string Message(const Status& s) { return s.ok() ? "ok" : s.error().message; }

// Resolves `world` for x86_64 against the real repository restricted to apko's lock, and checks
// the resolution against the lock: "ok" or the first error.
std::string BuildWithLock(const ApkLock& lock, std::vector<Repository> repos,
                          std::string_view world) {
  Status restricted = RestrictToLock(lock, "x86_64", &repos);
  if (!restricted.ok()) return restricted.error().message;
  auto resolved = Resolve(ParseDependencies(world).value(), repos, {.arch = "x86_64"});
  if (!resolved.ok()) return resolved.error().message;
  return Message(CheckResolution(lock, "x86_64", *resolved));
}

TEST(ApkLockTest, ReadsApkosLockOfItsEndToEndTest) {
  auto lock = ReadApkLock(FixturePath(kApkoLock));
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  EXPECT_EQ(lock->source, FixturePath(kApkoLock));
  ASSERT_EQ(lock->packages.size(), 4u);
  EXPECT_EQ(
      lock->packages[0],
      (LockedPackage{"pretend-baselayout", "1.0.0-r0", "x86_64", "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=",
                     "72405aa6c68cbb910e6ff7b8122d6cda5ffe7593046a61e15266a827cc9e6708", 2930,
                     "./testdata/packages/x86_64/pretend-baselayout-1.0.0-r0.apk"}));
  // Every entry is the real package: its identity is the index's C: and the package's own, its
  // datahash the package's, its size the file's; CheckFetched agrees.
  for (const LockedPackage& p : lock->packages) {
    SCOPED_TRACE(p.name + " " + p.arch);
    std::string file = p.name + "-" + p.version + ".apk";
    Package read = ReadReal(p.arch, file);
    EXPECT_EQ(read.identity, p.checksum);
    EXPECT_EQ(read.data_sha256, p.datahash);
    EXPECT_EQ(p.size, ReadFixture("apko-e2e/packages/" + p.arch + "/" + file).size());
    EXPECT_EQ(Message(CheckFetched(p, read)), "ok");
    Repository repo = RealRepository(p.arch);
    auto entry = std::find_if(repo.packages.begin(), repo.packages.end(),
                              [&](const IndexEntry& e) { return e.name == p.name; });
    ASSERT_NE(entry, repo.packages.end());
    EXPECT_EQ(entry->checksum, p.checksum);
    auto again = FromResolved(*entry, read, p.arch, p.url);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, p);
  }
}

TEST(ApkLockTest, RoundTripOfOurFormatSortedByArchThenName) {
  ApkLock lock = ApkoLock();
  std::string path = ::distill::testing::TempDir() + "/distill.lock";
  ASSERT_EQ(Message(WriteApkLock(path, lock)), "ok");
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  const std::string dir = " ./testdata/packages/";
  EXPECT_EQ(*text,
            "# distill.lock v1 apk\n"
            "pretend-baselayout 1.0.0-r0 aarch64 Q1JQ8nfsxa27d0f6oa056sdT5IcJY= "
            "718e5b139f77904a582b2a9ea4b9a43dcfd19c088fb08b26f765c01f08be53d2 2930" +
                dir +
                "aarch64/pretend-baselayout-1.0.0-r0.apk\n"
                "replayout 1.0.0-r0 aarch64 Q1u62watWiRSQgVtAIuVuYoDOaVO4= "
                "20cb609e0e3ccf93da630a9858bac650aa1a6541c59a280e9ca449eca7264d0a 2955" +
                dir +
                "aarch64/replayout-1.0.0-r0.apk\n"
                "pretend-baselayout 1.0.0-r0 x86_64 Q1m6wB0UFePGN8Drz82pC8y2uAiu8= "
                "72405aa6c68cbb910e6ff7b8122d6cda5ffe7593046a61e15266a827cc9e6708 2930" +
                dir +
                "x86_64/pretend-baselayout-1.0.0-r0.apk\n"
                "replayout 1.0.0-r0 x86_64 Q11/HhSewwwOXgl0r0ffb0O0BRtYc= "
                "ce688706f6aa287b05f02c507876b43389992b08fb4f84f99117bd5694e45d4c 2961" +
                dir + "x86_64/replayout-1.0.0-r0.apk\n");
  auto back = ReadApkLock(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->packages.size(), 4u);
  EXPECT_EQ(back->packages[0], lock.packages[2]);
  EXPECT_EQ(back->packages[1], lock.packages[3]);
  EXPECT_EQ(back->packages[2], lock.packages[0]);
  EXPECT_EQ(back->packages[3], lock.packages[1]);
  // What was read writes the same bytes; "-" is an unlocked datahash, 0 an unknown size.
  ASSERT_EQ(Message(WriteApkLock(path, *back)), "ok");
  EXPECT_EQ(*ReadFile(path), *text);
  back->packages[0].datahash = "";
  back->packages[0].size = 0;
  auto formatted = FormatApkLock(*back);
  ASSERT_TRUE(formatted.ok());
  EXPECT_NE(formatted->find(" Q1JQ8nfsxa27d0f6oa056sdT5IcJY= - 0 ./testdata/"), std::string::npos);
  auto reread = ParseApkLock(*formatted, "distill.lock");
  ASSERT_TRUE(reread.ok()) << reread.error().message;
  EXPECT_EQ(reread->packages[0], back->packages[0]);
}

TEST(ApkLockTest, ErrorsInOurFormatNameTheLineAndField) {
  const std::string q = "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=", h(64, 'a');
  auto parse = [](const std::string& text) {
    auto r = ParseApkLock(text, "distill.lock");
    return r.ok() ? std::string("ok") : r.error().message;
  };
  const std::string head = "# distill.lock v1 apk\n";
  EXPECT_EQ(parse(head + "# a comment\n\nb 1-r0 x86_64 " + q + " - 0 http://x/b.apk\n"), "ok");
  EXPECT_EQ(parse(""), "distill.lock: empty (expected '# distill.lock v1 apk')");
  EXPECT_EQ(parse("b 1-r0 x86_64\n"), "distill.lock:1: expected '# distill.lock v1 apk'");
  EXPECT_EQ(parse("# distill.lock v1\n"),
            "distill.lock:1: expected '# distill.lock v1 apk' (this is the Debian lock's header)");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " " + h + " 1\n"),
            "distill.lock:2: expected 'NAME VERSION ARCH CHECKSUM DATAHASH SIZE URL'");
  EXPECT_EQ(parse(head + "b 1-r0  x86_64 " + q + " " + h + " 1 u\n"),
            "distill.lock:2: expected 'NAME VERSION ARCH CHECKSUM DATAHASH SIZE URL'");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " " + h + " 1k u\n"),
            "distill.lock:2: SIZE: not a number");
  EXPECT_EQ(parse(head + "b 1.0_beta_x x86_64 " + q + " " + h + " 1 u\n"),
            "distill.lock:2: VERSION: '1.0_beta_x' is not a valid apk version");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 Q1abc " + h + " 1 u\n"),
            "distill.lock:2: CHECKSUM: 'Q1abc' is not a package identity (Q1 + base64 of a "
            "SHA-1)");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " " + h.substr(1) + "A 1 u\n"),
            "distill.lock:2: DATAHASH: '" + h.substr(1) + "A' is not 64 lowercase hex digits");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " - 0 u\nb 2-r0 x86_64 " + q + " - 0 u\n"),
            "distill.lock:3: NAME: b is locked twice for x86_64 (first on line 2)");
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " - 0 u\nc 2-r0 x86_64 " + q + " - 0 u\n"),
            "distill.lock:3: CHECKSUM: " + q + " is locked twice for x86_64 (first on line 2)");
  EXPECT_EQ(parse(head + "#b 1-r0 x86_64 " + q + " - 0 u\n"), "ok");  // a comment
  // One name per arch: the same name for two archs is two entries.
  EXPECT_EQ(parse(head + "b 1-r0 x86_64 " + q + " - 0 u\nb 1-r0 aarch64 " + q + " - 0 u\n"), "ok");

  ApkLock bad{{{"b", "1-r0", "x86_64", q, "", 0, "a url"}}, ""};
  std::string path = ::distill::testing::TempDir() + "/w.lock";
  EXPECT_EQ(Message(WriteApkLock(path, bad)),
            path + ": b 1-r0 x86_64: URL: 'a url' has a blank or control character");
  EXPECT_FALSE(ReadFile(path).ok());  // nothing written
  bad.packages[0].url = "u";
  bad.packages.push_back(bad.packages[0]);
  bad.packages[1].version = "2-r0";
  EXPECT_EQ(FormatApkLock(bad).error().message,
            "b 2-r0 x86_64: NAME: b is locked twice for x86_64 (also b 1-r0 x86_64)");
  bad.packages[1].name = "c";
  EXPECT_EQ(FormatApkLock(bad).error().message,
            "c 2-r0 x86_64: CHECKSUM: " + q + " is locked twice for x86_64 (also b 1-r0 x86_64)");
}

TEST(ApkLockTest, ErrorsInApkosLockNameTheJsonPath) {
  const nlohmann::json good = nlohmann::json::parse(ReadFixture(kApkoLock));
  auto parse = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = good;
    edit(j);
    auto r = ParseApkLock(j.dump(2), "apko.lock.json");
    return r.ok() ? std::string("ok") : r.error().message;
  };
  auto pkgs = [](nlohmann::json& j) -> nlohmann::json& { return j["contents"]["packages"]; };
  EXPECT_EQ(parse([](nlohmann::json&) {}), "ok");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[1]["checksum"] = 7; }),
            "apko.lock.json: contents.packages[1].checksum: expected a string");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[0].erase("architecture"); }),
            "apko.lock.json: contents.packages[0].architecture: expected a string");
  EXPECT_EQ(parse([](nlohmann::json& j) { j["version"] = "v2"; }),
            "apko.lock.json: version: unsupported apko lock version 'v2' (distill reads v1)");
  EXPECT_EQ(parse([](nlohmann::json& j) { j.erase("version"); }),
            "apko.lock.json: version: expected a string");
  EXPECT_EQ(parse([](nlohmann::json& j) { j["contents"].erase("packages"); }),
            "apko.lock.json: contents.packages: expected an array");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[2] = "replayout"; }),
            "apko.lock.json: contents.packages[2]: expected an object");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[3]["data"]["checksum"] = "sha1-abc="; }),
            "apko.lock.json: contents.packages[3].data.checksum: 'sha1-abc=' is not 'sha256-' + "
            "the base64 of a SHA-256");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[3]["data"]["range"] = "bytes=10"; }),
            "apko.lock.json: contents.packages[3].data.range: 'bytes=10' is not "
            "'bytes=FIRST-LAST'");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[0]["checksum"] = "sha1-m6wB0UFePGN8"; }),
            "apko.lock.json: contents.packages[0].checksum: 'sha1-m6wB0UFePGN8' is not a package "
            "identity (Q1 + base64 of a SHA-1)");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[0]["version"] = "1.0.0-r0 "; }),
            "apko.lock.json: contents.packages[0].version: '1.0.0-r0 ' has a blank or control "
            "character");
  // The identity is the control member's SHA-1, which apko writes a second time.
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[1]["checksum"] = pkgs(j)[0]["checksum"]; }),
            "apko.lock.json: contents.packages[1].control.checksum: "
            "'sha1-1/HhSewwwOXgl0r0ffb0O0BRtYc=' is not the SHA-1 the checksum "
            "Q1m6wB0UFePGN8Drz82pC8y2uAiu8= says the control member has");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j)[1]["name"] = "#replayout"; }),
            "apko.lock.json: contents.packages[1].name: '#replayout' starts with '#'");
  EXPECT_EQ(parse([&](nlohmann::json& j) {
              pkgs(j).push_back(pkgs(j)[2]);
              pkgs(j)[4]["name"] = "other";
            }),
            "apko.lock.json: contents.packages[4]: Q1JQ8nfsxa27d0f6oa056sdT5IcJY= is locked twice "
            "for aarch64 (also contents.packages[2])");
  EXPECT_EQ(parse([&](nlohmann::json& j) { pkgs(j).push_back(pkgs(j)[2]); }),
            "apko.lock.json: contents.packages[4]: pretend-baselayout is locked twice for "
            "aarch64 (also contents.packages[2])");
  auto r = ParseApkLock("{\n  \"version\": \"v1\",\n  \"contents\": {,}\n}\n", "apko.lock.json");
  EXPECT_EQ(r.ok() ? "ok" : r.error().message, "apko.lock.json:3: not valid JSON");
  r = ParseApkLock(" \n\t{}", "apko.lock.json");  // told apart by the first byte not blank
  EXPECT_EQ(r.ok() ? "ok" : r.error().message, "apko.lock.json: version: expected a string");
}

TEST(ApkLockTest, TheLockRestrictsTheRealRepositoryAndTheWorldResolvesInIt) {
  ApkLock lock = ApkoLock();
  std::vector<Repository> repos = {RealRepository("x86_64")};
  ASSERT_EQ(repos[0].packages.size(), 4u);
  // Without the lock the world may take anything the repository lists.
  ASSERT_TRUE(Resolve(ParseDependencies("custom-ca-certs-1").value(), repos).ok());
  ASSERT_EQ(Message(RestrictToLock(lock, "x86_64", &repos)), "ok");
  ASSERT_EQ(repos[0].packages.size(), 2u);
  EXPECT_EQ(repos[0].packages[0].name, "pretend-baselayout");
  EXPECT_EQ(repos[0].packages[1].name, "replayout");
  auto resolved = Resolve(ParseDependencies("replayout").value(), repos, {.arch = "x86_64"});
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  ASSERT_EQ(resolved->packages.size(), 2u);
  EXPECT_EQ(Message(CheckResolution(lock, "x86_64", *resolved)), "ok");
  // Each package fetched is the locked one, and locking it again gives the lock's entry.
  for (const ResolvedPackage& r : resolved->packages) {
    const IndexEntry& e = *r.entry;
    const LockedPackage* locked = lock.Find("x86_64", e.checksum);
    ASSERT_NE(locked, nullptr) << e.name;
    Package read = ReadReal("x86_64", e.name + "-" + e.version + ".apk");
    EXPECT_EQ(Message(CheckFetched(*locked, read)), "ok");
    auto again = FromResolved(e, read, "x86_64", locked->url);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, *locked);
  }
  EXPECT_EQ(BuildWithLock(lock, {RealRepository("x86_64")}, "replayout pretend-baselayout"), "ok");
}

TEST(ApkLockTest, DriftIsRefusedNamingWhatChanged) {
  ApkLock lock = ApkoLock();
  const std::string q_base = "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=",
                    q_re = "Q11/HhSewwwOXgl0r0ffb0O0BRtYc=";

  // The world needs one more package: the solver's chain, as the lock has no custom-ca-certs-1.
  EXPECT_EQ(BuildWithLock(lock, {RealRepository("x86_64")}, "replayout custom-ca-certs-1"),
            "cannot resolve the world: world requires custom-ca-certs-1, but no package is named "
            "or provides custom-ca-certs-1");
  // The world no longer needs a locked package.
  EXPECT_EQ(BuildWithLock(lock, {RealRepository("x86_64")}, "pretend-baselayout"),
            "apko.lock.json pins replayout-1.0.0-r0 (" + q_re +
                ") for x86_64, but the world no longer needs it: run with --update-lock");

  // A locked package removed from the repository.
  Repository removed = RealRepository("x86_64");
  std::erase_if(removed.packages,
                [](const IndexEntry& e) { return e.name == "pretend-baselayout"; });
  std::vector<Repository> repos = {removed};
  EXPECT_EQ(Message(RestrictToLock(lock, "x86_64", &repos)),
            "apko.lock.json pins pretend-baselayout-1.0.0-r0 (" + q_base +
                ") for x86_64, but no repository lists it");
  EXPECT_EQ(repos[0].packages.size(), 3u);  // an error leaves the repositories as they were

  // A locked package changed (rebuilt under the same name and version): a new identity in the
  // index, and a fetched .apk that is not the locked one.
  std::string apk = ReadFixture("apko-e2e/packages/x86_64/replayout-1.0.0-r0.apk");
  std::string rebuilt_apk = testing::Remake(apk, 1, [](std::string& tar) {
    size_t at = tar.find("pkgdesc = replacement baselayout");
    ASSERT_NE(at, std::string::npos);
    tar[at + 10] = 'R';  // same length: the tar header stays right
  });
  auto rebuilt = ReadPackage(rebuilt_apk, "replayout-1.0.0-r0.apk");
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  ASSERT_NE(rebuilt->identity, q_re);
  Repository changed = RealRepository("x86_64");
  for (IndexEntry& e : changed.packages)
    if (e.name == "replayout") e.checksum = rebuilt->identity;
  repos = {changed};
  EXPECT_EQ(Message(RestrictToLock(lock, "x86_64", &repos)),
            "apko.lock.json pins replayout-1.0.0-r0 (" + q_re +
                ") for x86_64, but no repository lists it (the repositories' replayout-1.0.0-r0 "
                "is " +
                rebuilt->identity + ": rebuilt?)");
  const LockedPackage& locked = *lock.Find("x86_64", q_re);
  EXPECT_EQ(Message(CheckFetched(locked, *rebuilt)),
            "replayout-1.0.0-r0 for x86_64 (replayout-1.0.0-r0.apk): identity: locked " + q_re +
                ", fetched " + rebuilt->identity);

  // A lock edited by hand: the datahash or the size no longer the package's.
  Package real = ReadReal("x86_64", "replayout-1.0.0-r0.apk");
  LockedPackage edited = locked;
  edited.datahash = std::string(64, '0');
  EXPECT_EQ(Message(CheckFetched(edited, real)),
            "replayout-1.0.0-r0 for x86_64 (replayout-1.0.0-r0.apk): datahash: locked " +
                edited.datahash + ", fetched " + real.data_sha256);
  edited = locked;
  edited.size = 2960;
  EXPECT_EQ(Message(CheckFetched(edited, real)),
            "replayout-1.0.0-r0 for x86_64 (replayout-1.0.0-r0.apk): size: locked 2960, fetched "
            "2961");
  edited.size = 0;  // unknown: not checked
  EXPECT_EQ(Message(CheckFetched(edited, real)), "ok");

  // An index that names a locked identity as another package.
  Repository renamed = RealRepository("x86_64");
  for (IndexEntry& e : renamed.packages)
    if (e.name == "replayout") e.version = "1.0.1-r0";
  repos = {renamed};
  EXPECT_EQ(Message(RestrictToLock(lock, "x86_64", &repos)),
            "apko-e2e/packages/x86_64/APKINDEX.tar.gz:" + std::to_string(renamed.packages[3].line) +
                ": replayout-1.0.1-r0 has the identity " + q_re +
                ", which apko.lock.json pins as replayout-1.0.0-r0");

  // A lock for other archs only, and an empty one.
  repos = {RealRepository("x86_64")};
  EXPECT_EQ(Message(RestrictToLock(lock, "riscv64", &repos)),
            "apko.lock.json pins nothing for riscv64 (it has aarch64, x86_64): run with "
            "--update-lock");
  EXPECT_EQ(Message(RestrictToLock(ApkLock{{}, "distill.lock"}, "x86_64", &repos)),
            "distill.lock pins nothing for x86_64 (it is empty): run with --update-lock");

  // A package the index lists is not the one fetched.
  IndexEntry entry = RealRepository("x86_64").packages[3];
  ASSERT_EQ(entry.name, "replayout");
  auto wrong = FromResolved(entry, *rebuilt, "x86_64", "u");
  EXPECT_EQ(wrong.ok() ? "ok" : wrong.error().message,
            "replayout-1.0.0-r0: the index lists identity " + q_re +
                ", the package read (replayout-1.0.0-r0.apk) has " + rebuilt->identity);
}

}  // namespace
}  // namespace distill::imagebuild::apk
