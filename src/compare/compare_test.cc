#include "compare/compare.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace distill::compare {
namespace {

using ::testing::HasSubstr;

Comparison Sample() {
  Side a, b;
  a.name = "fat:latest", b.name = "slim<&>";
  a.compressed = 100'000'000, a.uncompressed = 250'000'000, b.compressed = 40'000'000,
  b.uncompressed = 90'000'000;
  a.layers = {{"sha256:" + std::string(64, '1'), 60'000'000, 150'000'000, "RUN apt-get install"},
              {"sha256:" + std::string(64, '2'), 40'000'000, 100'000'000, "COPY . /app"}};
  b.layers = {{"sha256:" + std::string(64, '3'), 40'000'000, 90'000'000, ""}};
  a.files = 9000, b.files = 900;
  a.packages = {{"bash", "5.2"}, {"libc6", "2.36-9"}, {"openssl", "3.0.1"}};
  b.packages = {{"libc6", "2.36-9+deb12u1"}, {"libssl3", "3.0.2"}};
  a.vulns = VulnCounts{4, 20, 30, 15, 5};
  b.vulns = VulnCounts{0, 3, 2, 1, 0};
  a.score = 0, b.score = 97, b.distroless = true;
  return Compare(a, b);
}

TEST(CompareTest, PackageDiff) {
  Comparison c = Sample();
  ASSERT_EQ(c.added.size(), 1u);
  EXPECT_EQ(c.added[0].name, "libssl3");
  ASSERT_EQ(c.removed.size(), 2u);
  EXPECT_EQ(c.removed[0].name, "bash");
  ASSERT_EQ(c.changed.size(), 1u);
  EXPECT_EQ(c.changed[0].from, "2.36-9");
  EXPECT_EQ(c.changed[0].to, "2.36-9+deb12u1");
  EXPECT_EQ(Percent(100, 40), "-60.0%");
  EXPECT_EQ(Percent(0, 5), "n/a");
}

TEST(CompareTest, TableJsonMarkdown) {
  Comparison c = Sample();
  std::ostringstream t, md;
  WriteTable(c, t);
  EXPECT_THAT(t.str(), HasSubstr("Size (compressed)"));
  EXPECT_THAT(t.str(), HasSubstr("-60.0%"));
  EXPECT_THAT(t.str(), HasSubstr("Vulnerabilities"));
  EXPECT_THAT(t.str(), HasSubstr("  ~ libc6 2.36-9 -> 2.36-9+deb12u1"));
  auto j = ToJson(c);
  EXPECT_EQ(j["a"]["vulnerabilities"]["total"], 74);
  EXPECT_EQ(j["b"]["vulnerabilities"]["total"], 6);
  EXPECT_EQ(j["b"]["layer_count"], 1);
  EXPECT_EQ(j["packages"]["removed"][1]["name"], "openssl");
  WriteMarkdown(c, md);
  EXPECT_THAT(md.str(), HasSubstr("| Vulnerabilities | 74 | 6 | -91.9% |"));
  EXPECT_THAT(md.str(), HasSubstr("| - | bash | 5.2 | |"));
}

TEST(CompareTest, HtmlIsSelfContainedAndEscaped) {
  std::ostringstream h;
  WriteHtml(Sample(), h);
  std::string s = h.str();
  EXPECT_THAT(s, HasSubstr("slim&lt;&amp;&gt;"));
  EXPECT_EQ(s.find("slim<&>"), std::string::npos);
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_EQ(s.find("src="), std::string::npos);
  EXPECT_EQ(s.find("href="), std::string::npos);
  EXPECT_THAT(s, HasSubstr("Vulnerabilities by severity"));
  EXPECT_THAT(s, HasSubstr("fill=\"#f28e2b\""));
}

}  // namespace
}  // namespace distill::compare
