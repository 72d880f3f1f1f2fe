// ParseOsRelease on os-release files as distributions ship them: the files syft's
// Test_parseOsRelease reads (syft/linux/testdata: debian-8, ubuntu-20.04, centos-8, rhel-8, and
// "unprintable", debian-8 with CRLF line ends), Debian 12's own (testdata/PROVENANCE.md), and the
// os/ fixtures EXPECTED.json lists (TestIdentifyRelease, where os-release is the only file).
// Every field, compared as a whole Distro. IdentifyDistro's choice among release files is
// release_test.cc's.
#include <gtest/gtest.h>

#include "catalog/distro/release.h"
#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::distro {
namespace {

const std::string kDir = "anchore_syft/syft/linux/testdata/";

std::optional<Distro> Parse(const std::string& rel) {
  return ParseOsRelease(ReadFile(testing::FixtureDir() + "/" + kDir + rel).value());
}

TEST(DistroOsReleaseTest, SyftParseOsReleaseFiles) {
  const Distro debian8{.id = "debian",
                       .version_id = "8",
                       .pretty_name = "Debian GNU/Linux 8 (jessie)",
                       .version = "8 (jessie)"};
  EXPECT_EQ(Parse("debian-8"), debian8);
  EXPECT_EQ(Parse("unprintable"), debian8);  // the same file with CRLF line ends
  EXPECT_EQ(Parse("ubuntu-20.04"), (Distro{.id = "ubuntu",
                                           .version_id = "20.04",
                                           .version_codename = "focal",
                                           .pretty_name = "Ubuntu 20.04 LTS",
                                           .id_like = "debian",
                                           .version = "20.04 LTS (Focal Fossa)"}));
  EXPECT_EQ(Parse("centos-8"), (Distro{.id = "centos",
                                       .version_id = "8",
                                       .pretty_name = "CentOS Linux 8 (Core)",
                                       .id_like = "rhel fedora",
                                       .version = "8 (Core)",
                                       .cpe_name = "cpe:/o:centos:centos:8"}));
  EXPECT_EQ(Parse("rhel-8"), (Distro{.id = "rhel",
                                     .version_id = "8.1",
                                     .pretty_name = "Red Hat Enterprise Linux 8.1 (Ootpa)",
                                     .id_like = "fedora",
                                     .version = "8.1 (Ootpa)",
                                     .cpe_name = "cpe:/o:redhat:enterprise_linux:8.1:GA"}));
}

TEST(DistroOsReleaseTest, RealDebian12) {
  auto d = ParseOsRelease(ReadFile(std::string(DISTILL_SOURCE_DIR) +
                                   "/src/catalog/distro/testdata/debian-12-os-release")
                              .value());
  EXPECT_EQ(d, (Distro{.id = "debian",
                       .version_id = "12",
                       .version_codename = "bookworm",
                       .pretty_name = "Debian GNU/Linux 12 (bookworm)",
                       .version = "12 (bookworm)"}));
  EXPECT_EQ(d->purl_qualifier(), "debian-12");
}

// The fields EXPECTED.json names for the fixtures whose only release file is an os-release.
TEST(DistroOsReleaseTest, SyftIdentifyReleaseOsReleaseOnly) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"os/alpine/", "etc/os-release"},
      {"os/amazon/", "etc/os-release"},
      {"os/centos/", "usr/lib/os-release"},
      {"os/debian/from-os-release/", "usr/lib/os-release"},
      {"os/fedora/", "usr/lib/os-release"},
      {"os/redhat/from-os-release/", "usr/lib/os-release"},
      {"os/ubuntu/", "etc/os-release"},
      {"os/oraclelinux/", "etc/os-release"},
      {"os/opensuse-leap/", "etc/os-release"},
      {"os/sles/", "etc/os-release"},
      {"os/photon/", "etc/os-release"},
      {"os/arch/", "etc/os-release"},
      {"partial-fields/missing-id/", "usr/lib/os-release"},
      {"partial-fields/unknown-id/", "usr/lib/os-release"},
      {"partial-fields/missing-version/", "usr/lib/os-release"},
  };
  for (const auto& [dir, file] : cases) {
    SCOPED_TRACE(dir);
    auto want = testing::Expected(kDir + dir);
    ASSERT_TRUE(want.is_object());
    auto d = Parse(dir + file);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->id, want["id"]);
    EXPECT_EQ(d->version_id, want.value("versionID", ""));
    if (want.contains("version")) EXPECT_EQ(d->version, want["version"]);
    if (want.contains("prettyName")) EXPECT_EQ(d->pretty_name, want["prettyName"]);
    if (want.contains("cpeName")) EXPECT_EQ(d->cpe_name, want["cpeName"]);
    if (want.contains("variantID")) EXPECT_EQ(d->variant_id, want["variantID"]);
    if (want.contains("buildID")) EXPECT_EQ(d->build_id, want["buildID"]);
    if (!want.contains("idLike")) continue;
    std::string id_like;  // syft splits ID_LIKE into a list (null: none); Distro keeps the line
    if (want["idLike"].is_array())
      for (const auto& w : want["idLike"])
        id_like += (id_like.empty() ? "" : " ") + w.get<std::string>();
    EXPECT_EQ(d->id_like, id_like);
  }
  // TestIdentifyRelease "empty": an os-release with nothing in it is no distribution.
  EXPECT_TRUE(testing::Expected(kDir + "os/empty/").is_null());
  EXPECT_EQ(Parse("os/empty/etc/os-release"), std::nullopt);
}

// os-release(5): shell-style assignments; "..." with backslash escapes, '...' literal; comments
// and lines without '=' ignored; unknown keys ignored; ID lowercased.
TEST(DistroOsReleaseTest, Syntax) {
  auto d = ParseOsRelease(
      "# a comment\n"
      "  ID = 'Wolfi'  \n"
      "VERSION_ID=\"20230201\"\n"
      "PRETTY_NAME=\"say \\\"hi\\\" \\\\ \\$HOME\"\n"
      "VARIANT_ID='it''s'\n"
      "BUILD_ID=\"unterminated\n"
      "not an assignment\n"
      "HOME_URL=\"https://wolfi.dev\"\n"
      "ID_LIKE=\n");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->id, "wolfi");
  EXPECT_EQ(d->version_id, "20230201");
  EXPECT_EQ(d->pretty_name, "say \"hi\" \\ $HOME");
  EXPECT_EQ(d->variant_id, "it''s");         // not a shell: the outer quotes go, the inner stay
  EXPECT_EQ(d->build_id, "\"unterminated");  // an unbalanced quote is kept as written
  EXPECT_EQ(d->id_like, "");
  // NAME alone says an os-release is there, though it names no ID: an empty Distro, not none.
  EXPECT_EQ(ParseOsRelease("NAME=\"Some OS\"\n"), Distro{});
  EXPECT_EQ(ParseOsRelease("NAME=\nID=\nHOME_URL=x\n"), std::nullopt);
  EXPECT_EQ(ParseOsRelease(""), std::nullopt);
  EXPECT_EQ(ParseOsRelease("ID=alpine"), (Distro{.id = "alpine"}));  // no final newline
}

}  // namespace
}  // namespace distill::catalog::distro
