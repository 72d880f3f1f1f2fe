// ParseHeaderBlob on the header blobs rpm 4.18 wrote (tests/fixtures/sbom/rpm/make-rpmdb.sh),
// checked against rpm's own query output (*.qa), and the errors of malformed headers.
#include "catalog/rpm/header.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

using V = std::vector<std::string>;

std::string Read(const std::string& rel) {
  return ReadFile(testing::FixtureDir() + "/" + rel).value();
}

std::vector<V> Tsv(const std::string& text) {
  std::vector<V> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    V row;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) row.push_back(cell);
    if (!line.empty() && line.back() == '\t') row.push_back("");
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> Blobs() {
  auto b = ReadSqlite(Read("rpm/rpmdb.sqlite"));
  EXPECT_TRUE(b.ok());
  return b.ok() ? b->blobs : std::vector<std::string>{};
}

void PutBe32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>(v >> (8 * i)));
}

// A header of index entries {tag, type, offset, count} over `data`.
std::string Header(std::vector<std::array<uint32_t, 4>> entries, const std::string& data) {
  std::string blob;
  PutBe32(&blob, static_cast<uint32_t>(entries.size()));
  PutBe32(&blob, static_cast<uint32_t>(data.size()));
  for (const auto& e : entries)
    for (uint32_t v : e) PutBe32(&blob, v);
  return blob + data;
}

TEST(RpmHeaderTest, MatchesRpmQuery) {
  std::vector<std::string> blobs = Blobs();
  std::vector<V> want =
      Tsv(Read("rpm/rpmdb.qa"));  // name epoch version release arch sourcerpm license
  ASSERT_EQ(blobs.size(), want.size());
  std::map<std::string, V> provides, requires_, files;
  for (const V& r : Tsv(Read("rpm/deps.qa")))
    (r[1] == "provides" ? provides : requires_)[r[0]].push_back(r[2]);
  for (const V& r : Tsv(Read("rpm/files.qa")))  // name path algo digest perms; directories left out
    if (r[4][0] != 'd')
      files[r[0]].push_back(r[1].substr(1) + " " + (r[3].empty() ? "" : "sha256:" + r[3]));
  std::sort(blobs.begin(), blobs.end(), [](const std::string& a, const std::string& b) {
    return ParseHeaderBlob(a)->name < ParseHeaderBlob(b)->name;  // rpmdb.qa is sorted by name
  });
  for (size_t i = 0; i < blobs.size(); ++i) {
    auto h = ParseHeaderBlob(blobs[i]);
    ASSERT_TRUE(h.ok()) << h.error().message;
    const V& w = want[i];
    SCOPED_TRACE(w[0]);
    EXPECT_EQ(h->name, w[0]);
    EXPECT_EQ(h->has_epoch ? std::to_string(h->epoch) : "(none)", w[1]);
    EXPECT_EQ(h->version, w[2]);
    EXPECT_EQ(h->release, w[3]);
    EXPECT_EQ(h->arch, w[4]);
    EXPECT_EQ(h->source_rpm, w[5]);
    EXPECT_EQ(h->license, w[6]);
    V p = h->provides, r = h->requires_, f;
    std::sort(p.begin(), p.end());
    std::sort(r.begin(), r.end());
    EXPECT_EQ(p, provides[w[0]]);
    EXPECT_EQ(r, requires_[w[0]]);
    for (const OwnedFile& o : h->files)
      f.push_back(o.path + " " +
                  (o.digest.empty() ? "" : o.algorithm.str() + ":" + o.digest.str()));
    EXPECT_EQ(f, files[w[0]]);
  }
}

TEST(RpmHeaderTest, TruncatedRealHeaderIsAnError) {
  std::string blob = Blobs().at(0);
  uint32_t il = static_cast<uint8_t>(blob[2]) << 8 | static_cast<uint8_t>(blob[3]);
  uint32_t dl = static_cast<uint8_t>(blob[5]) << 16 | static_cast<uint8_t>(blob[6]) << 8 |
                static_cast<uint8_t>(blob[7]);
  ASSERT_EQ(blob.size(), 8 + 16 * il + dl);
  EXPECT_EQ(ParseHeaderBlob(blob.substr(0, blob.size() - 1)).error().message,
            fmt::format("premature end of data: {} bytes at offset {} (size {})", dl, 8 + 16 * il,
                        blob.size() - 1));
  EXPECT_EQ(ParseHeaderBlob(blob.substr(0, 6)).error().message,
            "premature end of data at offset 4 (size 6)");
  EXPECT_EQ(ParseHeaderBlob("").error().message, "premature end of data at offset 0 (size 0)");
}

TEST(RpmHeaderTest, MalformedHeadersNameTheTag) {
  EXPECT_EQ(ParseHeaderBlob(std::string(8, '\0')).error().message, "header: 0 index entries");
  EXPECT_EQ(ParseHeaderBlob(std::string("\0\1\0\0\0\0\0\0", 8)).error().message,
            "header: 65536 index entries");
  EXPECT_EQ(ParseHeaderBlob(std::string("\0\0\0\1\x10\0\0\1", 8)).error().message,
            "header: 268435457 data bytes");
  EXPECT_EQ(ParseHeaderBlob(Header({{1001, 6, 0, 1}}, std::string("1.0\0", 4))).error().message,
            "header: no name (tag 1000)");
  EXPECT_EQ(ParseHeaderBlob(Header({{1000, 4, 0, 1}}, std::string(4, '\0'))).error().message,
            "tag 1000: type 4 is not a string");
  EXPECT_EQ(ParseHeaderBlob(Header({{1000, 6, 0, 1}}, "abc")).error().message,
            "tag 1000: unterminated string at offset 0");
  EXPECT_EQ(ParseHeaderBlob(Header({{1000, 6, 9, 1}}, std::string("x\0", 2))).error().message,
            "tag 1000: string 0 at offset 9 beyond data (2 bytes)");
  std::string x("x\0\0\0", 4);
  EXPECT_EQ(ParseHeaderBlob(Header({{1000, 6, 0, 1}, {1003, 6, 0, 1}}, x)).error().message,
            "tag 1003: type 6 is not an integer");
  EXPECT_EQ(ParseHeaderBlob(Header({{1000, 6, 0, 1}, {1003, 4, 0, 2}}, x)).error().message,
            "tag 1003: 2 integers in 4 bytes");
  // Two basenames, one dirindex: the error names the package and its files.
  std::string files = std::string("x\0a\0b\0/d/\0", 10) + std::string(6, '\0');  // dirindexes at 12
  EXPECT_EQ(
      ParseHeaderBlob(
          Header({{1000, 6, 0, 1}, {1116, 4, 12, 1}, {1117, 8, 2, 2}, {1118, 8, 6, 1}}, files))
          .error()
          .message,
      "package x: files: 2 basenames but 1 dirindexes");
  files[15] = 1;  // dirindex 1 of one dirname
  EXPECT_EQ(
      ParseHeaderBlob(
          Header({{1000, 6, 0, 1}, {1116, 4, 12, 1}, {1117, 8, 2, 1}, {1118, 8, 6, 1}}, files))
          .error()
          .message,
      "package x: files: file 0: dirindex 1 of 1 dirnames");
}

TEST(RpmHeaderTest, MinimalHeaderAndEpoch) {
  std::string data("x\0\0\0", 4);
  PutBe32(&data, 7);  // epoch at offset 4
  auto h = ParseHeaderBlob(Header({{1000, 6, 0, 1}, {1003, 4, 4, 1}}, data));
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->name, "x");
  EXPECT_TRUE(h->has_epoch);
  EXPECT_EQ(h->epoch, 7u);
  EXPECT_TRUE(h->files.empty());
  EXPECT_EQ(h->version, "");
}

}  // namespace
}  // namespace distill::catalog::rpm
