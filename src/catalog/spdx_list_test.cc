// The SPDX list lookups against identifiers of the list (v1.1-3.28.0, CycloneDX spdx.schema.json).
#include "catalog/spdx_list.h"

#include <gtest/gtest.h>

namespace distill::catalog {
namespace {

using V = std::vector<std::string_view>;

TEST(SpdxListTest, CanonicalIdIgnoresCase) {
  EXPECT_EQ(CanonicalSpdxId("bsd-3-clause"), "BSD-3-Clause");
  EXPECT_EQ(CanonicalSpdxId("APACHE-2.0"), "Apache-2.0");
  EXPECT_EQ(CanonicalSpdxId("gpl-2.0-or-later"), "GPL-2.0-or-later");
  EXPECT_EQ(CanonicalSpdxId("0bsd"), "0BSD");        // first of the list
  EXPECT_EQ(CanonicalSpdxId("zpl-2.1"), "ZPL-2.1");  // last
  EXPECT_EQ(CanonicalSpdxId("zlib"), "Zlib");
  EXPECT_EQ(CanonicalSpdxId("zlib-acknowledgement"), "zlib-acknowledgement");
  EXPECT_EQ(CanonicalSpdxId("MIT"), "MIT");
  EXPECT_EQ(CanonicalSpdxId(""), "");
  EXPECT_EQ(CanonicalSpdxId("GPL"), "");
  EXPECT_EQ(CanonicalSpdxId("MIT "), "");
  EXPECT_EQ(CanonicalSpdxId("zzz"), "");
}

TEST(SpdxListTest, ExceptionsAreTheWithOperands) {
  EXPECT_TRUE(IsSpdxException("Classpath-exception-2.0"));
  EXPECT_TRUE(IsSpdxException("llvm-exception"));
  EXPECT_TRUE(IsSpdxException("Bison-exception-2.2"));
  EXPECT_FALSE(IsSpdxException("GPL-2.0-with-classpath-exception"));  // a license named after one
  EXPECT_FALSE(IsSpdxException("MIT"));
  EXPECT_FALSE(IsSpdxException("Apache-2.0"));
}

TEST(SpdxListTest, IdsWithPrefix) {
  EXPECT_EQ(SpdxIdsWithPrefix("bison-exception-"),
            (V{"Bison-exception-1.24", "Bison-exception-2.2"}));
  EXPECT_EQ(SpdxIdsWithPrefix("AGPL-1.0"), (V{"AGPL-1.0", "AGPL-1.0-only", "AGPL-1.0-or-later"}));
  EXPECT_TRUE(SpdxIdsWithPrefix("no-such-license").empty());
  EXPECT_EQ(SpdxIdsWithPrefix("").size(), 811u);  // the whole list
}

}  // namespace
}  // namespace distill::catalog
