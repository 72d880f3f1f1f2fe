// ReadNdb: Debian's rpm has no NDB backend, so the database is assembled here from the layout
// rpm's lib/backend/ndb/rpmpkg.c documents around the real header blobs of rpm/rpmdb.sqlite.
#include <gtest/gtest.h>

#include "catalog/rpm/header.h"
#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

void PutLe32(std::string* s, size_t at, uint32_t v) {
  if (s->size() < at + 4) s->resize(at + 4, '\0');
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>(v >> (8 * i));
}

constexpr uint32_t kRpmP = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
constexpr uint32_t kSlot = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
constexpr uint32_t kBlbS = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;

std::vector<std::string> RealBlobs() {
  auto db = ReadSqlite(ReadFile(testing::FixtureDir() + "/rpm/rpmdb.sqlite").value());
  EXPECT_TRUE(db.ok());
  return db.ok() ? db->blobs : std::vector<std::string>{};
}

// One slot page; slot 2 + i holds blobs[i] (package index i + 1).
std::string Ndb(const std::vector<std::string>& blobs) {
  std::string db(4096, '\0');
  PutLe32(&db, 0, kRpmP);
  PutLe32(&db, 12, 1);
  for (size_t slot = 2; slot < 256; ++slot) PutLe32(&db, slot * 16, kSlot);
  uint32_t pkg = 0;
  for (const std::string& blob : blobs) {
    ++pkg;
    size_t at = db.size();
    PutLe32(&db, (1 + pkg) * 16 + 4, pkg);
    PutLe32(&db, (1 + pkg) * 16 + 8, static_cast<uint32_t>(at / 16));
    PutLe32(&db, at, kBlbS);
    PutLe32(&db, at + 4, pkg);
    PutLe32(&db, at + 12, static_cast<uint32_t>(blob.size()));
    db += blob;
    db.resize((db.size() + 15) / 16 * 16 + 16, '\0');
  }
  return db;
}

TEST(RpmNdbTest, BlobsComeBackByteForByte) {
  std::vector<std::string> blobs = RealBlobs();
  ASSERT_EQ(blobs.size(), 2u);
  auto r = ReadNdb(Ndb(blobs));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(r->blobs, blobs);
  EXPECT_EQ(ParseHeaderBlob(r->blobs[1])->name, "hello");
}

TEST(RpmNdbTest, HeaderErrors) {
  std::string db = Ndb(RealBlobs());
  std::string bad = db;
  bad[0] = 'X';
  EXPECT_EQ(ReadNdb(bad).error().message, "not an rpm NDB database (magic 0x506d7058)");
  bad = db;
  PutLe32(&bad, 4, 3);
  EXPECT_EQ(ReadNdb(bad).error().message, "NDB: unsupported version 3");
  bad = db;
  PutLe32(&bad, 12, 0);
  EXPECT_EQ(ReadNdb(bad).error().message, "NDB: 0 slot pages");
  PutLe32(&bad, 12, 4096);
  EXPECT_EQ(ReadNdb(bad).error().message, "NDB: 4096 slot pages");
  EXPECT_EQ(ReadNdb(db.substr(0, 100)).error().message,
            "premature end of data at offset 100 (size 100)");  // slot 6
  EXPECT_EQ(ReadNdb(db.substr(0, 96)).error().message,
            "NDB: slot 6: premature end of data at offset 96 (size 96)");
  bad = db;
  PutLe32(&bad, 5 * 16, 0);
  EXPECT_EQ(ReadNdb(bad).error().message, "NDB: slot 5: bad magic 0x0");
}

// A broken blob is an error in `errors` naming the package; the others are still read.
TEST(RpmNdbTest, BrokenBlobsNameThePackage) {
  std::vector<std::string> blobs = RealBlobs();
  std::string db = Ndb(blobs);
  std::string bad = db;
  PutLe32(&bad, 3 * 16 + 8, 1);  // package 2's slot points at block 1 (inside the slot page)
  auto r = ReadNdb(bad);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->blobs, std::vector<std::string>{blobs[0]});
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].message, "NDB: package 2: bad blob header at offset 16");
  // Cut one byte into package 1's blob: it claims one byte more than the file holds, and
  // package 2's blob header is gone.
  bad = db.substr(0, 4096 + 16 + blobs[0].size() - 1);
  r = ReadNdb(bad);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].message,
            fmt::format("NDB: package 1: premature end of data: {} bytes at offset 4112 (size {})",
                        blobs[0].size(), bad.size()));
  EXPECT_EQ(r->errors[1].message,
            fmt::format("NDB: package 2: blob header at offset {} beyond the file",
                        (4096 + 16 + blobs[0].size() + 15) / 16 * 16 + 16));
}

}  // namespace
}  // namespace distill::catalog::rpm
