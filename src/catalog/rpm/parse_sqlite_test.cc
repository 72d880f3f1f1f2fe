// ReadSqlite on the rpmdb.sqlite rpm 4.18 wrote (tests/fixtures/sbom/rpm/make-rpmdb.sh: WAL mode,
// two packages), and its errors.
#include <gtest/gtest.h>

#include "catalog/rpm/header.h"
#include "catalog/rpm/parse_db.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::rpm {
namespace {

std::string RpmDb() { return ReadFile(testing::FixtureDir() + "/rpm/rpmdb.sqlite").value(); }

TEST(RpmSqliteTest, BlobsInHnumOrder) {
  std::string file = RpmDb();
  ASSERT_EQ(file[18], 2);  // rpm leaves it in WAL mode: read as a rollback-journal snapshot
  auto db = ReadSqlite(file);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_TRUE(db->errors.empty());
  ASSERT_EQ(db->blobs.size(), 2u);
  // make-rpmdb.sh installs world first (hnum 1), then hello.
  EXPECT_EQ(ParseHeaderBlob(db->blobs[0])->name, "world");
  EXPECT_EQ(ParseHeaderBlob(db->blobs[1])->name, "hello");
}

TEST(RpmSqliteTest, Errors) {
  EXPECT_EQ(ReadSqlite("").error().message, "not an SQLite database");
  EXPECT_EQ(ReadSqlite("SQLite format 3").error().message, "not an SQLite database");  // no NUL
  std::string file = RpmDb();
  // The first page only: the Packages table's pages are gone.
  auto truncated = ReadSqlite(file.substr(0, 4096));
  EXPECT_FALSE(truncated.ok() && truncated->errors.empty() && !truncated->blobs.empty());
  // An SQLite database without a Packages table.
  std::string other = file;
  for (size_t at = other.find("Packages"); at != std::string::npos;
       at = other.find("Packages", at + 1))
    other.replace(at, 8, "Pockages");
  auto r = ReadSqlite(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "sqlite: no such table: Packages");
}

}  // namespace
}  // namespace distill::catalog::rpm
