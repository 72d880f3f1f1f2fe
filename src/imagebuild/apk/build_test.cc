#include "imagebuild/apk/build.h"

#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image/image.h"
#include "imagebuild/apk/index_writer.h"
#include "imagebuild/apk/keygen.h"
#include "imagebuild/apk/lock.h"
#include "imagebuild/apk/testing/apk_fixture.h"
#include "imagebuild/apk/writer.h"
#include "imagebuild/build.h"
#include "testing/feed_server.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

namespace fs = std::filesystem;
using image::TarItem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Type = TarItem::Type;

const std::string kE2e = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apko-e2e";

// A scratch directory, removed with everything in it.
struct Scratch {
  std::string path;
  Scratch() {
    std::string t = fs::temp_directory_path().string() + "/distill-apk-build-XXXXXX";
    path = ::mkdtemp(t.data());
  }
  ~Scratch() { fs::remove_all(path); }
};

// No SOURCE_DATE_EPOCH while a test runs (unless it sets one).
struct NoEpoch {
  std::string saved;
  bool had = false;
  NoEpoch() {
    if (const char* e = std::getenv("SOURCE_DATE_EPOCH")) saved = e, had = true;
    ::unsetenv("SOURCE_DATE_EPOCH");
  }
  ~NoEpoch() {
    if (had) ::setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
  }
};

// apko's e2e test as apko runs it: apko.yaml beside a testdata/ directory with the keys and the
// repository (its paths are ./testdata/...).
std::string GoldenConfig(const Scratch& tmp) {
  fs::copy_file(kE2e + "/apko.yaml", tmp.path + "/apko.yaml");
  fs::create_directory_symlink(kE2e, tmp.path + "/testdata");
  return tmp.path + "/apko.yaml";
}

// apko's golden test through the whole installer: the signed index read and verified, the world
// resolved, both packages fetched and checked, installed (replayout replaces pretend-baselayout's
// os-release), apko's files laid over them. Every file, mode, owner and byte equals apko's golden
// layer of each architecture, including usr/lib/apk/db/installed, but one owner: apko writes
// replayout's etc/os-release as 0:0, the package (and apko's own installed DB) say 501:20
// (doc/build-apk.md).
TEST(ApkBuildTest, ApkoGoldenLayerOfEachArch) {
  NoEpoch no_epoch;
  Scratch tmp;
  auto spec = LoadSpec(GoldenConfig(tmp));  // an apko.yaml is read as apko reads it
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  ASSERT_TRUE(spec->apk);
  EXPECT_THAT(spec->archs, ElementsAre("amd64", "arm64"));
  spec->annotations = {{"org.opencontainers.image.title", "Title"},
                       {"org.opencontainers.image.vendor", "Vendor"}};
  auto got = Install(*spec, {});
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 2u);
  for (const auto& [i, apk_arch] : {std::pair{0, "x86_64"}, std::pair{1, "aarch64"}}) {
    SCOPED_TRACE(apk_arch);
    const ArchRootfs& r = (*got)[i];
    std::map<std::string, TarItem> ours;
    for (const auto& it : r.items) ours[it.path] = it;
    auto golden = testing::TarItems(*ReadFile(kE2e + "/golden/layer-" + apk_arch + ".tar.gz"));
    EXPECT_EQ(ours["usr/lib/apk/db/installed"].data, golden["usr/lib/apk/db/installed"].data);
    EXPECT_THAT(testing::Differences(ours, golden),
                ElementsAre(fmt::format("ours etc/os-release type=0 mode=644 501:20 size=102 "
                                        "link= dev=0,0 / apko etc/os-release type=0 mode=644 "
                                        "0:0 size=102 link= dev=0,0")));
    EXPECT_EQ(r.epoch, 0);  // the newest builddate: the packages were built at 0
    ASSERT_EQ(r.installed.size(), 2u);
    EXPECT_EQ(r.installed[0].name, "pretend-baselayout");
    EXPECT_EQ(r.installed[1].name, "replayout");
    EXPECT_EQ(r.config["Entrypoint"], nlohmann::json::array({"/bin/sh", "-l"}));
    EXPECT_EQ(r.config["Env"],
              nlohmann::json::array({"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/"
                                     "sbin:/bin",
                                     "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"}));
  }
}

// The SBOM distill writes beside the image lists the packages apko's golden SBOM lists.
std::set<std::pair<std::string, std::string>> ApkPackages(const std::string& spdx_path) {
  auto text = ReadFile(spdx_path);
  EXPECT_TRUE(text.ok()) << spdx_path;
  std::set<std::pair<std::string, std::string>> out;
  if (!text.ok()) return out;
  auto doc = nlohmann::json::parse(*text);
  for (const auto& p : doc["packages"])
    for (const auto& ref : p.value("externalRefs", nlohmann::json::array()))
      if (ref.value("referenceLocator", "").starts_with("pkg:apk/"))
        out.insert({p["name"], p.value("versionInfo", "")});
  return out;
}

TEST(ApkBuildTest, OciIndexOfTwoArchsWithSboms) {
  NoEpoch no_epoch;
  Scratch tmp;
  auto spec = LoadSpec(GoldenConfig(tmp));
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  BuildOptions opt;
  opt.outputs = {{"oci-dir", tmp.path + "/out"}};
  opt.tags = {"golden:latest"};
  auto res = BuildFromApks(*spec, {}, opt);
  ASSERT_TRUE(res.ok()) << res.error().message;
  auto index = nlohmann::json::parse(*ReadFile(tmp.path + "/out/index.json"));
  auto top =
      nlohmann::json::parse(*ReadFile(tmp.path + "/out/blobs/sha256/" + res->digest.substr(7)));
  ASSERT_EQ(top["manifests"].size(), 2u);
  EXPECT_EQ(top["manifests"][0]["platform"],
            nlohmann::json({{"architecture", "amd64"}, {"os", "linux"}}));
  EXPECT_EQ(top["manifests"][1]["platform"],
            nlohmann::json({{"architecture", "arm64"}, {"os", "linux"}}));
  std::set<std::pair<std::string, std::string>> want = {{"pretend-baselayout", "1.0.0-r0"},
                                                        {"replayout", "1.0.0-r0"}};
  std::string golden_sboms = kE2e + "/golden/";
  EXPECT_EQ(ApkPackages(golden_sboms + "sbom-x86_64.spdx.json"), want);
  EXPECT_EQ(ApkPackages(tmp.path + "/out.amd64.spdx.json"), want);
  EXPECT_EQ(ApkPackages(tmp.path + "/out.arm64.spdx.json"), want);

  // The same input gives the same bytes; SOURCE_DATE_EPOCH changes the times, so the digest.
  opt.outputs = {{"oci-dir", tmp.path + "/again"}};
  auto again = BuildFromApks(*spec, {}, opt);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->digest, res->digest);
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  opt.outputs = {{"oci-dir", tmp.path + "/later"}};
  auto later = BuildFromApks(*spec, {}, opt);
  ::unsetenv("SOURCE_DATE_EPOCH");
  ASSERT_TRUE(later.ok()) << later.error().message;
  EXPECT_NE(later->digest, res->digest);
}

// --lock: written after the first resolve (every package of every arch, with its identity and
// datahash), then every build installs exactly what it pins or fails; apko's own lock is read too.
TEST(ApkBuildTest, LockWrittenThenEnforced) {
  NoEpoch no_epoch;
  Scratch tmp;
  auto spec = LoadSpec(GoldenConfig(tmp));
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  FetchOptions fetch;
  fetch.lock_path = tmp.path + "/distill.lock";
  auto first = Install(*spec, fetch);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto lock = ReadApkLock(fetch.lock_path);
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  ASSERT_EQ(lock->packages.size(), 4u);  // two packages, two archs
  const LockedPackage& p = lock->packages[0];
  EXPECT_EQ(p.arch, "aarch64");
  EXPECT_EQ(p.name, "pretend-baselayout");
  EXPECT_TRUE(p.checksum.starts_with("Q1"));
  EXPECT_EQ(p.datahash.size(), 64u);
  EXPECT_EQ(p.url, "./testdata/packages/aarch64/pretend-baselayout-1.0.0-r0.apk");
  std::string text = *ReadFile(fetch.lock_path);

  // Used: the same packages again, and the lock is left as it is.
  auto again = Install(*spec, fetch);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*ReadFile(fetch.lock_path), text);

  // A world that needs more than the lock pins is drift.
  Spec more = *spec;
  more.apk->packages.push_back("custom-ca-certs-1");
  auto drift = Install(more, fetch);
  ASSERT_FALSE(drift.ok());
  EXPECT_THAT(drift.error().message, HasSubstr("custom-ca-certs-1"));

  // A lock whose datahash is not the package's is refused, naming the package.
  std::string bad = text;
  size_t at = bad.find(p.datahash);
  ASSERT_NE(at, std::string::npos);
  bad[at] = bad[at] == '0' ? '1' : '0';
  ASSERT_TRUE(WriteFileAtomic(fetch.lock_path, bad).ok());
  auto tampered = Install(*spec, fetch);
  ASSERT_FALSE(tampered.ok());
  EXPECT_THAT(tampered.error().message, HasSubstr("pretend-baselayout"));
  EXPECT_THAT(tampered.error().message, HasSubstr("datahash"));

  // --update-lock resolves again and rewrites it.
  fetch.update_lock = true;
  auto updated = Install(*spec, fetch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(*ReadFile(fetch.lock_path), text);

  // apko's lock of the same config locks the same packages.
  fetch.update_lock = false;
  fetch.lock_path = kE2e + "/apko.lock.json";
  auto apko = Install(*spec, fetch);
  ASSERT_TRUE(apko.ok()) << apko.error().message;
  EXPECT_EQ((*apko)[0].items.size(), (*first)[0].items.size());
}

// An http(s) repository: the index and the packages are downloaded into the cache, checked like
// local ones, and --offline builds from the cache alone.
TEST(ApkBuildTest, HttpRepositoryAndOffline) {
  NoEpoch no_epoch;
  Scratch tmp;
  std::string error;
  auto server = distill::testing::FeedServer::Start(kE2e, &error);
  ASSERT_TRUE(server) << error;
  std::string yaml = fmt::format(
      "contents:\n  keyring: [{}/melange.rsa.pub]\n  repositories: [{}]\n  packages: "
      "[replayout]\narchs: [x86_64]\n",
      kE2e, server->Url("packages"));
  auto spec = ParseSpec(yaml, tmp.path + "/apko.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  FetchOptions fetch;
  fetch.cache_dir = tmp.path + "/cache";
  auto online = Install(*spec, fetch);
  ASSERT_TRUE(online.ok()) << online.error().message;
  // The index first, then the packages (fetched in parallel: in any order).
  auto requests = server->Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0], "GET /packages/x86_64/APKINDEX.tar.gz 200");
  EXPECT_THAT(
      std::vector<std::string>(requests.begin() + 1, requests.end()),
      ::testing::UnorderedElementsAre("GET /packages/x86_64/pretend-baselayout-1.0.0-r0.apk 200",
                                      "GET /packages/x86_64/replayout-1.0.0-r0.apk 200"));
  server->Stop();
  fetch.offline = true;
  auto offline = Install(*spec, fetch);
  ASSERT_TRUE(offline.ok()) << offline.error().message;
  EXPECT_EQ((*offline)[0].items.size(), (*online)[0].items.size());
  fetch.cache_dir = tmp.path + "/empty";
  auto nothing = Install(*spec, fetch);
  ASSERT_FALSE(nothing.ok());
  EXPECT_THAT(
      nothing.error().message,
      HasSubstr("x86_64/APKINDEX.tar.gz: --offline, and the download cache does not hold it"));
}

// A repository made here: packages written by distill's own APK writer, indexed and signed with
// the writer fixture's key.
struct Repo {
  Scratch tmp;
  std::string dir;  // tmp/repo, with x86_64/
  Result<SigningKey> key = SigningKey::Load(testing::WriterFixture("melange.rsa"));

  Repo() {
    dir = tmp.path + "/repo";
    fs::create_directories(dir + "/x86_64");
    fs::copy_file(testing::WriterFixture("melange.rsa.pub"), tmp.path + "/melange.rsa.pub");
  }
  void Add(PackageInfo info, const std::vector<std::pair<std::string, std::string>>& files) {
    ASSERT_TRUE(key.ok()) << key.error().message;
    std::vector<TarItem> items;
    for (const auto& [path, data] : files) {
      TarItem it;
      it.path = path;
      it.data = data;
      items.push_back(it);
    }
    PackOptions po;
    po.info = std::move(info);
    po.scan_dependencies = false;
    po.key = &*key;
    auto apk = PackItems(items, po);
    ASSERT_TRUE(apk.ok()) << apk.error().message;
    ASSERT_TRUE(WriteFileAtomic(dir + "/x86_64/" + apk->file_name, apk->bytes).ok());
  }
  void Index() {
    IndexOptions io;
    io.key = &*key;
    auto r = WriteIndex(dir + "/x86_64", io);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  Result<Spec> SpecOf(std::string_view packages) const {
    std::string yaml = fmt::format(
        "contents:\n  keyring: [./melange.rsa.pub]\n  repositories: [./repo]\n  packages: [{}]\n"
        "archs: [x86_64]\n",
        packages);
    return ParseSpec(yaml, tmp.path + "/app.yaml");
  }
};

PackageInfo Info(std::string name, std::string version) {
  PackageInfo i;
  i.name = std::move(name);
  i.version = std::move(version);
  return i;
}

// Two packages installing one path: refused unless the later one replaces the earlier one, and
// then the file moves to the later package's record in the installed database.
TEST(ApkBuildTest, FileOwnedByTwoPackages) {
  NoEpoch no_epoch;
  Repo repo;
  PackageInfo b = Info("b", "1.0-r0");
  repo.Add(Info("a", "1.0-r0"), {{"etc/app.conf", "a\n"}});
  b.depends = {"a"};
  repo.Add(b, {{"etc/app.conf", "b\n"}});
  repo.Index();
  auto spec = repo.SpecOf("b");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  auto refused = Install(*spec, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message,
              HasSubstr("b-1.0-r0 would overwrite /etc/app.conf, which a-1.0-r0 installed"));

  b.replaces = {"a"};
  repo.Add(b, {{"etc/app.conf", "b\n"}});
  repo.Index();
  auto ok = Install(*spec, {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  const ArchRootfs& r = (*ok)[0];
  for (const auto& it : r.items)
    if (it.path == "etc/app.conf") EXPECT_EQ(it.data, "b\n");
  ASSERT_EQ(r.installed.size(), 2u);
  for (const auto& f : r.installed[0].files) EXPECT_NE(f.path, "etc/app.conf") << "a";
  EXPECT_TRUE(std::any_of(r.installed[1].files.begin(), r.installed[1].files.end(),
                          [](const InstalledFile& f) { return f.path == "etc/app.conf"; }));
}

// What the repositories cannot give is an error naming it, and nothing is built.
TEST(ApkBuildTest, ErrorsNameWhatFailed) {
  NoEpoch no_epoch;
  Repo repo;
  repo.Add(Info("a", "1.0-r0"), {{"usr/bin/a", "#!"}});
  repo.Index();
  auto spec = repo.SpecOf("nope");
  ASSERT_TRUE(spec.ok());
  auto r = Install(*spec, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("nope"));

  // A package changed after it was indexed: its identity no longer matches the index.
  repo.Add(Info("a", "1.0-r0"), {{"usr/bin/a", "#!changed"}});
  spec = repo.SpecOf("a");
  ASSERT_TRUE(spec.ok());
  r = Install(*spec, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("a-1.0-r0.apk: its identity is Q1"));

  // An index no key of the keyring signed.
  fs::remove(repo.tmp.path + "/melange.rsa.pub");
  auto other = GenerateKeyPair(2048);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(WriteFileAtomic(repo.tmp.path + "/melange.rsa.pub", other->public_pem).ok());
  r = Install(*spec, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("APKINDEX.tar.gz"));
}

}  // namespace
}  // namespace distill::imagebuild::apk
