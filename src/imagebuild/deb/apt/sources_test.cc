#include "imagebuild/deb/apt/sources.h"

#include <gtest/gtest.h>

namespace distill::imagebuild::apt {
namespace {

// A deb822 file as Debian images ship it, plus the corners sources.list(5) allows: a comment
// between fields, several URIs and suites, a continuation line, deb-src, Enabled: no.
constexpr char kDeb822[] = R"(Types: deb deb-src
# a comment between fields
URIs: http://mirror.invalid/debian/ http://other.invalid/debian
Suites: bookworm bookworm-updates
Components: main
 contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.invalid/debian
Suites: bookworm
Components: main

Types: deb
Enabled: no
URIs: http://disabled.invalid/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security bookworm-backports trixie
Components: main
)";

TEST(AptSourcesTest, Deb822) {
  auto s = ParseDeb822Sources(kDeb822, "debian.sources");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->size(), 7u);
  EXPECT_EQ((*s)[0].uri, "http://mirror.invalid/debian");
  EXPECT_EQ((*s)[0].suite, "bookworm");
  EXPECT_EQ((*s)[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ((*s)[0].signed_by, "/usr/share/keyrings/debian-archive-keyring.gpg");
  EXPECT_EQ((*s)[1].suite, "bookworm-updates");
  EXPECT_EQ((*s)[2].uri, "http://other.invalid/debian");
  EXPECT_EQ((*s)[4].uri, "http://mirror.invalid/debian-security");
  EXPECT_EQ((*s)[4].signed_by, "");
  EXPECT_FALSE((*s)[0].allow_unsigned);
}

TEST(AptSourcesTest, Deb822Errors) {
  auto r = ParseDeb822Sources("Types: deb\nURIs = x\n", "x.sources");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.sources:2: expected 'Field: value'");
  r = ParseDeb822Sources("\nTypes: deb\nSuites: bookworm\nComponents: main\n", "x.sources");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.sources:2: field \"URIs\": missing");
  r = ParseDeb822Sources(" main\n", "x.sources");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.sources:1: continuation line without a field");
  r = ParseDeb822Sources(
      "Types: deb\nURIs: http://x\nSuites: bookworm\nComponents: main\nSigned-By:\n -----BEGIN PGP "
      "PUBLIC KEY BLOCK-----\n .\n",
      "x.sources");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("embedded key block is not supported"), std::string::npos);
}

TEST(AptSourcesTest, OneLine) {
  constexpr char kList[] = R"(# the classic format
deb http://mirror.invalid/debian bookworm main contrib
deb-src http://mirror.invalid/debian bookworm main
deb [arch=amd64 signed-by=/etc/apt/keyrings/k.gpg] http://mirror.invalid/debian-security bookworm-security main # trailing
deb [trusted=yes] file:///srv/repo bookworm main
deb [trusted=yes] http://mirror.invalid/x bookworm main
)";
  auto s = ParseOneLineSources(kList, "sources.list");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->size(), 4u);
  EXPECT_EQ((*s)[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ((*s)[1].signed_by, "/etc/apt/keyrings/k.gpg");
  EXPECT_EQ((*s)[1].suite, "bookworm-security");
  EXPECT_EQ((*s)[2].uri, "file:/srv/repo");
  EXPECT_TRUE((*s)[2].allow_unsigned);
  EXPECT_FALSE((*s)[3].allow_unsigned)
      << "trusted=yes never turns off verification for a network mirror";

  auto bad = ParseOneLineSources("deb [arch=amd64 http://x bookworm main\n", "l");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "l:1: unterminated '[' options");
  bad = ParseOneLineSources("\ndeb http://x\n", "l");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "l:2: expected 'deb URI SUITE COMPONENT...'");
}

TEST(AptSourcesTest, SelectSuites) {
  auto all = ParseDeb822Sources(kDeb822, "debian.sources");
  ASSERT_TRUE(all.ok());
  auto sel = SelectSuites(*all, "bookworm", false);
  std::vector<std::string> got;
  for (const auto& s : sel) got.push_back(s.uri + " " + s.suite);
  EXPECT_EQ(
      got,
      (std::vector<std::string>{
          "http://mirror.invalid/debian bookworm", "http://mirror.invalid/debian bookworm-updates",
          "http://other.invalid/debian bookworm", "http://other.invalid/debian bookworm-updates",
          "http://mirror.invalid/debian-security bookworm-security"}));
  EXPECT_EQ(SelectSuites(*all, "bookworm", true).size(), 6u);
  EXPECT_EQ(SelectSuites(*all, "trixie", false).size(), 1u);

  // The same suite twice: components merged.
  std::vector<Source> dup = {{"http://a", "bookworm", {"main"}, "", false},
                             {"http://a", "bookworm", {"contrib", "main"}, "", false}};
  auto merged = SelectSuites(dup, "bookworm", false);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].components, (std::vector<std::string>{"main", "contrib"}));
}

TEST(AptSourcesTest, NormalizeUri) {
  EXPECT_EQ(NormalizeUri("http://h/debian/"), "http://h/debian");
  EXPECT_EQ(NormalizeUri("file:///srv/repo/"), "file:/srv/repo");
  EXPECT_EQ(NormalizeUri("file:/srv/repo"), "file:/srv/repo");
}

// The host's own configuration: whatever it holds, bookworm's suites come out with the main
// component (this machine's apt sources are deb822).
TEST(RealAptSourcesTest, Host) {
  auto s = HostSources("bookworm");
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<std::string> suites;
  for (const auto& src : *s) {
    suites.push_back(src.suite);
    EXPECT_TRUE(src.uri.starts_with("http")) << src.uri;
    EXPECT_NE(std::find(src.components.begin(), src.components.end(), "main"),
              src.components.end());
  }
  std::sort(suites.begin(), suites.end());
  EXPECT_EQ(suites,
            (std::vector<std::string>{"bookworm", "bookworm-security", "bookworm-updates"}));
  EXPECT_FALSE(HostSources("no-such-codename").ok());
}

}  // namespace
}  // namespace distill::imagebuild::apt
