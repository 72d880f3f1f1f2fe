#include <gtest/gtest.h>

#include "catalog/dpkg/parse_status.h"
#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

std::string Fixture(const std::string& rel) {
  auto r = ReadFile(std::string(DISTILL_SOURCE_DIR) +
                    "/tests/fixtures/sbom/anchore_syft/syft/pkg/cataloger/debian/testdata/" + rel);
  EXPECT_TRUE(r.ok()) << rel;
  return r.ok() ? *r : "";
}

using V = std::vector<std::string>;

// DEP-5: the License: fields are the licenses. syft also reports names it finds in
// "/usr/share/common-licenses/<NAME>" references inside license texts ("GPL-1" here, from a
// sentence in the GPL-2 paragraph); those are pointers to texts, not declarations: we leave them
// out.
TEST(DpkgCopyrightTest, MachineReadableLibpamRuntime) {
  Copyright c = ParseCopyright(Fixture("image-dpkg/usr/share/doc/libpam-runtime/copyright"));
  EXPECT_EQ(c.names, (V{"GPL-2", "LGPL-2.1"}));
  EXPECT_EQ(c.spdx, (V{"GPL-2.0-only", "LGPL-2.1-only"}));
}

// syft: ["public-domain", "GPL-2+", "GPL-2"]; its "GPL-2" is the path of the text GPL-2+ points at.
TEST(DpkgCopyrightTest, MachineReadableSqlite) {
  Copyright c =
      ParseCopyright(Fixture("image-distroless-deb/usr/share/doc/libsqlite3-0/copyright"));
  EXPECT_EQ(c.names, (V{"public-domain", "GPL-2+"}));
  EXPECT_EQ(c.spdx, (V{"GPL-2.0-or-later"}));  // public-domain has no SPDX id
}

TEST(DpkgCopyrightTest, Expressions) {
  EXPECT_EQ(DebianNameToSpdx("GPL-1+ or Artistic"), "GPL-1.0-or-later OR Artistic-1.0-Perl");
  EXPECT_EQ(DebianNameToSpdx("Expat"), "MIT");
  EXPECT_EQ(DebianNameToSpdx("BSD-3-clause and LGPL-2.1+"), "BSD-3-Clause AND LGPL-2.1-or-later");
  EXPECT_EQ(DebianNameToSpdx("GPL-2+ with OpenSSL exception"), "");  // no SPDX exception id
  EXPECT_EQ(DebianNameToSpdx("GPL-3+ with Bison exception"),
            "GPL-3.0-or-later WITH Bison-exception-2.2");
  EXPECT_EQ(DebianNameToSpdx("GPL-2+ with Texinfo exception"),
            "GPL-2.0-or-later WITH Texinfo-exception");
  EXPECT_EQ(DebianNameToSpdx("GPL-2 with Linux-syscall-note exception"),
            "GPL-2.0-only WITH Linux-syscall-note");
  EXPECT_EQ(DebianNameToSpdx("public-domain"), "");
  EXPECT_EQ(DebianNameToSpdx("BSD-4-clause-UC"), "BSD-4-Clause-UC");
  EXPECT_EQ(DebianNameToSpdx("GFDL-NIV-1.3+"), "GFDL-1.3-no-invariants-or-later");
  EXPECT_EQ(DebianNameToSpdx("GPLv3+"), "GPL-3.0-or-later");
  EXPECT_EQ(DebianNameToSpdx("GPL-2.0+"), "GPL-2.0-or-later");
  EXPECT_EQ(DebianNameToSpdx("zlib"), "Zlib");
  EXPECT_EQ(DebianNameToSpdx("Apache-2"), "Apache-2.0");
  EXPECT_EQ(DebianNameToSpdx("MPL-1.1+"), "MPL-1.1+");
  EXPECT_EQ(DebianNameToSpdx("GPL"), "");  // which version?
  // DEP-5 precedence: a comma binds loosest.
  EXPECT_EQ(DebianNameToSpdx("GPL-1+ or Artistic, and BSD-3-clause"),
            "(GPL-1.0-or-later OR Artistic-1.0-Perl) AND BSD-3-Clause");
  EXPECT_EQ(DebianNameToSpdx("Expat or GPL-1+ or Artistic"),
            "MIT OR GPL-1.0-or-later OR Artistic-1.0-Perl");
}

TEST(DpkgCopyrightTest, FreeFormUsesCommonLicenseReferences) {
  Copyright c = ParseCopyright(
      "This is free software; either version 2 of the License, or (at your option) any later "
      "version.\n"
      "On Debian systems, see /usr/share/common-licenses/GPL-2.\n");
  EXPECT_EQ(c.names, (V{"GPL-2"}));
  EXPECT_EQ(c.spdx, (V{"GPL-2.0-or-later"}));
  c = ParseCopyright("Licensed under /usr/share/common-licenses/Apache-2.0\n");
  EXPECT_EQ(c.spdx, (V{"Apache-2.0"}));
  // base-files: an unversioned reference, the version in the text.
  c = ParseCopyright(
      "the Free Software Foundation; either version 2 of the License, or\n"
      "(at your option) any later version.\n... can be found in "
      "`/usr/share/common-licenses/GPL'.\n");
  EXPECT_EQ(c.names, (V{"GPL"}));
  EXPECT_EQ(c.spdx, (V{"GPL-2.0-or-later"}));
}

TEST(DpkgCopyrightTest, SyftCopyrightSamplesDoNotCrash) {
  for (const char* f : {"libc6", "microsoft", "python", "trilicense", "libaudit-common", "dev-kit",
                        "cuda", "liblzma5"}) {
    Copyright c = ParseCopyright(Fixture(std::string("copyright/") + f));
    for (const auto& id : c.spdx) EXPECT_FALSE(id.empty()) << f;
  }
  EXPECT_EQ(ParseCopyright(Fixture("copyright/liblzma5")).spdx.empty(), false);
}

}  // namespace
}  // namespace distill::catalog::dpkg
