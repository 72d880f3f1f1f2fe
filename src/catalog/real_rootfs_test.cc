// Real Debian 12 trees made by mmdebstrap and by unpacking .debs the distroless way
// (scripts/make-test-images.sh): the catalog must list exactly what dpkg itself says.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "catalog/catalog.h"
#include "catalog/purl.h"
#include "catalog/testing/file_tree.h"
#include "testing/shell.h"

namespace distill::catalog {
namespace {

namespace fs = std::filesystem;

std::string ImagesDir() {
  const char* env = std::getenv("DISTILL_TEST_IMAGES");
  return env && *env ? env : "/var/cache/distill/test-images";
}

using distill::testing::Shell;

std::set<std::string> Lines(const std::string& s) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    if (nl > pos) out.insert(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

Catalog CatalogTree(const std::string& root) {
  image::ContentPlan plan;
  plan.globs = CatalogGlobs();
  image::FileIndex files = testing::IndexFromDir(root, plan);
  auto t0 = std::chrono::steady_clock::now();
  auto c = CatalogOs(files);
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf("%s: %zu entries, %zu packages cataloged in %.1f ms\n", root.c_str(), files.size(),
              c.ok() ? c->packages.size() : 0, us / 1000.0);
  EXPECT_TRUE(c.ok());
  return c.ok() ? *c : Catalog{};
}

class RealDebianRootfs : public ::testing::TestWithParam<const char*> {};

TEST_P(RealDebianRootfs, PackagesEqualDpkgQuery) {
  std::string root = ImagesDir() + "/" + GetParam();
  if (!fs::exists(root + "/var/lib/dpkg/status"))
    GTEST_SKIP() << "no " << root << " (scripts/make-test-images.sh)";
  std::set<std::string> want;
  for (const std::string& line :
       Lines(Shell("dpkg-query --admindir=" + root +
                   "/var/lib/dpkg -W -f="
                   "'${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n'"))) {
    if (line.starts_with("installed\t")) want.insert(line.substr(10));
  }
  ASSERT_GT(want.size(), 50u);
  Catalog c = CatalogTree(root);
  EXPECT_TRUE(c.unknowns.empty()) << c.unknowns[0].location.path << ": " << c.unknowns[0].message;
  EXPECT_EQ(c.distro.id, "debian");
  EXPECT_TRUE(c.distro.version_id.starts_with("12.")) << c.distro.version_id;
  std::set<std::string> got;
  for (const Package& p : c.packages) {
    got.insert(p.name + "\t" + p.version + "\t" + p.arch);
    EXPECT_TRUE(p.purl.starts_with("pkg:deb/debian/" + PurlEncode(p.name) + "@")) << p.purl;
    EXPECT_NE(p.purl.find("distro=debian-" + c.distro.version_id), std::string::npos) << p.purl;
  }
  EXPECT_EQ(got, want);
  // Relationships resolve (every Depends of an installed package is installed in a consistent
  // tree).
  EXPECT_GT(c.relationships.size(), want.size());
}

INSTANTIATE_TEST_SUITE_P(Trees, RealDebianRootfs,
                         ::testing::Values("rootfs-minbase", "rootfs-pyflask"));

TEST(RealDistrolessTree, StatusDMatchesTheDebs) {
  std::string root = ImagesDir() + "/rootfs-statusd";
  if (!fs::exists(root + "/var/lib/dpkg/status.d")) GTEST_SKIP() << "no " << root;
  std::set<std::string> want =
      Lines(Shell("cd " + ImagesDir() +
                  "/debs && for d in *.deb; do dpkg-deb "
                  "--showformat='${Package}\\t${Version}\\t${Architecture}\\n' -W \"$d\"; done"));
  ASSERT_EQ(want.size(), 7u);
  Catalog c = CatalogTree(root);
  EXPECT_TRUE(c.unknowns.empty()) << c.unknowns[0].location.path << ": " << c.unknowns[0].message;
  std::set<std::string> got;
  for (const Package& p : c.packages) {
    got.insert(p.name + "\t" + p.version + "\t" + p.arch);
    EXPECT_FALSE(p.files.empty()) << p.name;  // from status.d/<pkg>.md5sums
    EXPECT_FALSE(p.purl.empty()) << p.name;   // base-files ships etc/os-release
  }
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace distill::catalog
