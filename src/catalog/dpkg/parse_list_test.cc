// ParseList on the file list dpkg 1.21.22 wrote for Debian 12's hostname (testdata/info/,
// PROVENANCE.md): every path the package installed, directories and symlinks included, where the
// md5sums name regular files only.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/dpkg/parse_status.h"
#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

using V = std::vector<std::string>;

std::string Info(const std::string& name) {
  return ReadFile(std::string(DISTILL_SOURCE_DIR) + "/src/catalog/dpkg/testdata/info/" + name)
      .value();
}

TEST(DpkgListTest, RealDebianHostname) {
  V list = ParseList(Info("hostname.list"));
  EXPECT_EQ(list,
            (V{"bin", "bin/hostname", "usr", "usr/share", "usr/share/doc", "usr/share/doc/hostname",
               "usr/share/doc/hostname/changelog.gz", "usr/share/doc/hostname/copyright",
               "usr/share/man", "usr/share/man/man1", "usr/share/man/man1/hostname.1.gz",
               "bin/dnsdomainname", "bin/domainname", "bin/nisdomainname", "bin/ypdomainname",
               "usr/share/man/man1/dnsdomainname.1.gz", "usr/share/man/man1/domainname.1.gz",
               "usr/share/man/man1/nisdomainname.1.gz", "usr/share/man/man1/ypdomainname.1.gz"}));
  // Every file the md5sums name is in the list, written the same way.
  auto sums = ParseMd5sums(Info("hostname.md5sums"));
  ASSERT_TRUE(sums.ok());
  for (const OwnedFile& f : *sums)
    EXPECT_NE(std::find(list.begin(), list.end(), f.path), list.end()) << f.path;
}

// "/." (the root, dpkg's first line) and blank lines are no paths; extra slashes, CRLF and a
// missing final newline change nothing. The list has no syntax to get wrong: no errors.
TEST(DpkgListTest, RootBlankAndSpelling) {
  EXPECT_EQ(ParseList("/.\n\n//usr\r\n/usr/bin/x"), (V{"usr", "usr/bin/x"}));
  EXPECT_EQ(ParseList("/.\n"), V{});
  EXPECT_EQ(ParseList(""), V{});
  EXPECT_EQ(ParseList("usr/share/doc/a b\n"),
            V{"usr/share/doc/a b"});  // spaces are part of the path
}

}  // namespace
}  // namespace distill::catalog::dpkg
