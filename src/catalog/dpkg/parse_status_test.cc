#include "catalog/dpkg/parse_status.h"

#include <gtest/gtest.h>

#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

std::string Fixture(const std::string& rel) {
  auto r = ReadFile(std::string(DISTILL_SOURCE_DIR) +
                    "/tests/fixtures/sbom/anchore_syft/syft/pkg/cataloger/debian/testdata/" + rel);
  EXPECT_TRUE(r.ok()) << rel;
  return r.ok() ? *r : "";
}

std::vector<StatusEntry> Entries(const std::string& text, std::vector<Error>* errors) {
  std::vector<StatusEntry> out;
  for (const Paragraph& p : ParseControl(text, errors)) {
    auto e = EntryFromParagraph(p);
    if (e.ok())
      out.push_back(*e);
    else
      errors->push_back(e.error());
  }
  return out;
}

// syft parse_dpkg_db_test.go Test_parseDpkgStatus "single package".
TEST(DpkgStatusTest, SinglePackage) {
  std::vector<Error> errors;
  auto entries = Entries(Fixture("var/lib/dpkg/status.d/single"), &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(entries.size(), 1u);
  const StatusEntry& e = entries[0];
  EXPECT_EQ(e.name, "apt");
  EXPECT_EQ(e.version, "1.8.2");
  EXPECT_EQ(e.source_name, "apt-dev");
  EXPECT_EQ(e.arch, "amd64");
  EXPECT_EQ(e.meta.installed_size_kib, 4064u);
  EXPECT_EQ(e.meta.provides, std::vector<std::string>{"apt-transport-https (= 1.8.2)"});
  ASSERT_EQ(e.conffiles.size(), 4u);
  EXPECT_EQ(e.conffiles[0].algorithm, "md5");
  EXPECT_EQ(e.conffiles[0].path.front() == '/', false);
}

// syft expects installedSize 4000 for "Installed-Size: 4KB" (humanize.ParseBytes = bytes, then
// stored in a KiB field). Policy defines the field in KiB; 4 kB = 4000 bytes = 4 KiB rounded up.
TEST(DpkgStatusTest, InstalledSizeWithUnitIsKiB) {
  std::vector<Error> errors;
  auto entries = Entries(Fixture("var/lib/dpkg/status.d/installed-size-4KB"), &errors);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].meta.installed_size_kib, 4u);
  EXPECT_EQ(*ParseInstalledSize("4064"), 4064u);
  EXPECT_EQ(*ParseInstalledSize("2 MiB"), 2048u);
  EXPECT_FALSE(ParseInstalledSize("lots").ok());
  EXPECT_EQ(ParseInstalledSize("4 parsecs").error().message, "unknown unit in '4 parsecs'");
}

// "multiple entries": an entry with no Version is still a package. The fixture opens with an
// empty "Package:" paragraph, which syft skips silently; we report it (it becomes an Unknown).
TEST(DpkgStatusTest, MultipleEntries) {
  std::vector<Error> errors;
  auto entries = Entries(Fixture("var/lib/dpkg/status.d/multiple"), &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "line 1: field \"Package\": missing");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "no-version");
  EXPECT_EQ(entries[0].version, "");
  EXPECT_EQ(entries[1].name, "tzdata");
  EXPECT_EQ(entries[1].version, "2020a-0+deb10u1");
  EXPECT_EQ(entries[1].source_name, "tzdata-dev");
  EXPECT_EQ(entries[1].arch, "all");
  EXPECT_EQ(entries[2].name, "util-linux");
  EXPECT_EQ(entries[2].version, "2.33.1-0.1");
  EXPECT_EQ(entries[2].arch, "amd64");
  EXPECT_EQ(entries[2].conffiles.size(), 6u);
}

// "opkg status with license field".
TEST(DpkgStatusTest, OpkgLicense) {
  std::vector<Error> errors;
  auto entries = Entries(Fixture("var/lib/opkg/status"), &errors);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "dropbear");
  EXPECT_EQ(entries[0].version, "2024.85-r0");
  EXPECT_EQ(entries[0].license, "MIT");
  EXPECT_EQ(entries[1].name, "busybox");
  EXPECT_EQ(entries[1].license, "GPL-2.0-only");
  EXPECT_EQ(entries[2].name, "kernel-modules");
  EXPECT_EQ(entries[2].license, "GPL-2.0 BSD-3-Clause");
}

// "deinstall status packages are ignored".
TEST(DpkgStatusTest, DeinstallIsNotInstalled) {
  std::vector<Error> errors;
  std::vector<std::string> installed;
  for (const StatusEntry& e : Entries(Fixture("var/lib/dpkg/status.d/deinstall"), &errors))
    if (IsInstalled(e.meta.status, Database::kStatusD))
      installed.push_back(e.name + " " + e.version + " " + e.source_name);
  EXPECT_EQ(installed,
            std::vector<std::string>{
                "linux-image-6.14.0-1012-aws 6.14.0-1012.12~24.04.1 linux-signed-aws-6.14"});
}

TEST(DpkgStatusTest, InstalledStates) {
  for (Database db : {Database::kStatusFile, Database::kStatusD}) {
    EXPECT_TRUE(IsInstalled("install ok installed", db));
    EXPECT_TRUE(IsInstalled("hold ok installed", db));
    EXPECT_TRUE(IsInstalled("install ok triggers-pending", db));
    EXPECT_FALSE(IsInstalled("deinstall ok config-files", db));
    EXPECT_FALSE(IsInstalled("install ok half-installed", db));
    EXPECT_FALSE(IsInstalled("purge ok not-installed", db));
  }
  EXPECT_TRUE(IsInstalled("", Database::kStatusD));      // distroless status.d: no Status line
  EXPECT_FALSE(IsInstalled("", Database::kStatusFile));  // dpkg writes Status: in every record
  EXPECT_FALSE(IsInstalled(" ", Database::kStatusFile));
}

TEST(DpkgStatusTest, CheckVersion) {
  std::vector<Error> errors;
  auto entries = Entries(
      "Package: a\nVersion: 1.0-1\n\nPackage: b\n\nPackage: c\nVersion: 1.0 beta\n\n"
      "Package: d\nVersion: x:1.0\n",
      &errors);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_TRUE(CheckVersion(entries[0]).ok());
  EXPECT_EQ(CheckVersion(entries[1]).error().message,
            "line 4: package \"b\": field \"Version\": missing");
  EXPECT_EQ(CheckVersion(entries[2]).error().message,
            "line 6: package \"c\": field \"Version\": invalid dpkg version \"1.0 beta\": version "
            "string has "
            "embedded spaces");
  EXPECT_EQ(CheckVersion(entries[3]).error().message,
            "line 9: package \"d\": field \"Version\": invalid dpkg version \"x:1.0\": epoch in "
            "version is not "
            "number");
}

// Test_corruptEntry: must be an error (here: one per malformed paragraph, with its line).
TEST(DpkgStatusTest, CorruptEntryIsAnError) {
  std::vector<Error> errors;
  auto entries = Entries(Fixture("var/lib/dpkg/status.d/corrupt"), &errors);
  EXPECT_TRUE(entries.empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "line 5: expected 'Field: value', got 'Insterface to the configuration settings'");
}

TEST(DpkgStatusTest, ContinuationAndBadParagraphKeepsNeighbours) {
  std::vector<Error> errors;
  auto ps = ParseControl(
      "Package: a\nDescription: x\n more\n .\n\nPackage: b\nbroken line\n\nPackage: c\n", &errors);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].Get("description"), "x\nmore\n.");
  EXPECT_EQ(ps[1].Get("Package"), "c");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "line 7: expected 'Field: value', got 'broken line'");
}

TEST(DpkgStatusTest, SourceWithBinNmuVersion) {
  std::vector<Error> errors;
  auto entries = Entries("Package: bash\nVersion: 5.2.15-2+b8\nSource: bash (5.2.15-2)\n", &errors);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].source_name, "bash");
  EXPECT_EQ(entries[0].source_version, "5.2.15-2");
  EXPECT_EQ(
      EntryFromParagraph(ParseControl("Package: x\nSource: y (1.0\n", &errors)[0]).error().message,
      "line 1: field \"Source\": unbalanced '(' in 'y (1.0'");
}

TEST(DpkgStatusTest, DependencyNames) {
  EXPECT_EQ(
      DependencyNames("libc6 (>= 2.2.1), default-mta | mail-transport-agent, python3:any (>= "
                      "3.9~), foo [i386]"),
      (std::vector<std::string>{"libc6", "default-mta", "mail-transport-agent", "python3", "foo"}));
  EXPECT_EQ(SplitClauses("a (>= 1),\n b"), (std::vector<std::string>{"a (>= 1)", "b"}));
}

TEST(DpkgStatusTest, Md5sumsAndList) {
  auto sums = ParseMd5sums(Fixture("info/zlib1g.md5sums"));
  ASSERT_TRUE(sums.ok());
  ASSERT_FALSE(sums->empty());
  EXPECT_EQ(sums->front().algorithm, "md5");
  EXPECT_NE(sums->front().path.front(), '/');
  EXPECT_EQ(ParseMd5sums("nothex  usr/bin/x\n").error().message,
            "line 1: expected '<md5>  <path>'");
  EXPECT_EQ(ParseList("/.\n/usr\n/usr/bin/x\n"), (std::vector<std::string>{"usr", "usr/bin/x"}));
}

}  // namespace
}  // namespace distill::catalog::dpkg
