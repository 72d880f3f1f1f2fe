#include "sbom/license.h"

#include <gtest/gtest.h>

#include "catalog/spdx_license_list.h"

namespace distill::sbom {
namespace {

using K = License::Kind;

TEST(License, IdsAreCanonicalizedCaseInsensitively) {
  EXPECT_EQ(ClassifyLicense("mit"), (License{K::kId, "MIT"}));
  EXPECT_EQ(ClassifyLicense(" apache-2.0 "), (License{K::kId, "Apache-2.0"}));
  EXPECT_EQ(ClassifyLicense("GPL-2.0+"), (License{K::kId, "GPL-2.0+"}));  // deprecated, but listed
  EXPECT_EQ(ClassifyLicense("((mit))"), (License{K::kId, "MIT"}));
}

TEST(License, ExpressionsAreNormalized) {
  EXPECT_EQ(ClassifyLicense("mit or apache-2.0"), (License{K::kExpression, "MIT OR Apache-2.0"}));
  EXPECT_EQ(ClassifyLicense("GPL-3.0-only with gcc-exception-3.1"),
            (License{K::kExpression, "GPL-3.0-only WITH GCC-exception-3.1"}));
  EXPECT_EQ(ClassifyLicense("BSD-3-Clause OR (MIT  AND Apache-2.0)"),
            (License{K::kExpression, "BSD-3-Clause OR (MIT AND Apache-2.0)"}));
  EXPECT_EQ(ClassifyLicense("Apache-2.0+"), (License{K::kExpression, "Apache-2.0+"}));
  EXPECT_EQ(ClassifyLicense("LicenseRef-foo AND MIT"),
            (License{K::kExpression, "LicenseRef-foo AND MIT"}));
}

TEST(License, EverythingElseIsAName) {
  EXPECT_EQ(ClassifyLicense("public-domain"), (License{K::kName, "public-domain"}));
  EXPECT_EQ(ClassifyLicense("GPL"), (License{K::kName, "GPL"}));
  EXPECT_EQ(ClassifyLicense("MIT OR"), (License{K::kName, "MIT OR"}));
  EXPECT_EQ(ClassifyLicense("MIT WITH MIT"),
            (License{K::kName, "MIT WITH MIT"}));  // MIT is no exception
  EXPECT_EQ(ClassifyLicense("(MIT"), (License{K::kName, "(MIT"}));
  EXPECT_EQ(ClassifyLicense("MIT And GPL-2.0-only"),
            (License{K::kName, "MIT And GPL-2.0-only"}));  // mixed case
}

TEST(License, JoinedWithAndParenthesizingCompoundParts) {
  std::vector<License> l = {ClassifyLicense("MIT OR Apache-2.0"), ClassifyLicense("Zlib"),
                            ClassifyLicense("Artistic or GPL"), ClassifyLicense("zlib")};
  EXPECT_EQ(JoinedExpression(l), "(MIT OR Apache-2.0) AND Zlib AND LicenseRef-Artistic-or-GPL");
  EXPECT_EQ(JoinedExpression({ClassifyLicense("(MIT) OR (Zlib)"), ClassifyLicense("BSD-2-Clause")}),
            "((MIT) OR (Zlib)) AND BSD-2-Clause");
  EXPECT_EQ(JoinedExpression({}), "");
}

TEST(License, ListIsSplitIntoLicensesAndExceptions) {
  EXPECT_GT(catalog::kSpdxLicenseIdCount, 700u);
  EXPECT_EQ(CanonicalLicenseId("llvm-exception"), "");
  EXPECT_EQ(CanonicalExceptionId("llvm-exception"), "LLVM-exception");
  EXPECT_EQ(CanonicalExceptionId("Linux-syscall-note"), "Linux-syscall-note");
  EXPECT_EQ(CanonicalExceptionId("MIT"), "");
}

}  // namespace
}  // namespace distill::sbom
