#include "sbom/table.h"

#include <sstream>

#include <gtest/gtest.h>

#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

TEST(SbomTable, SortedDistinctRowsPaddedColumns) {
  Sbom s = testing::SampleSbom();
  s.catalog.packages.push_back(s.catalog.packages.front());  // a duplicate row is printed once
  std::ostringstream out;
  ASSERT_TRUE(table::Encode(s, out).ok());
  EXPECT_EQ(out.str(),
            "NAME        VERSION           TYPE\n"
            "base-files  12.4+deb12u5      deb\n"
            "bash        5.2.15-2+b8       deb\n"
            "flask       3.0.2             python\n"
            "libc6       2.36-9+deb12u4    deb\n"
            "libgcc-s1   12.2.0-14         deb\n"
            "libssl3     3.0.19-1~deb12u2  deb\n"
            "musl        1.2.4-r2          apk\n"
            "tzdata      2024a-0+deb12u1   deb\n");
}

TEST(SbomTable, NoPackages) {
  std::ostringstream out;
  ASSERT_TRUE(table::Encode(Sbom{}, out).ok());
  EXPECT_EQ(out.str(), "No packages discovered\n");
}

}  // namespace
}  // namespace distill::sbom
