// `distill db export` / `db import FILE.tar.zst` end to end, through the real binary: an export is
// recognised among `db import`'s inputs, replaces the database whole, and is refused with the feed
// flags or beside other inputs (exit 2, the installed database untouched).
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/shell.h"
#include "util/file.h"
#include "vuln/db/database.h"

namespace distill::cli {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/vuln";

class DbExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-dbexport-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::Ran Distill(const std::string& args) {
    return testing::Run("env SOURCE_DATE_EPOCH=1700000000 XDG_CACHE_HOME=" +
                        (dir_ / "cache").string() + " " + DISTILL_BINARY + " " + args);
  }
  std::string Path(const char* name) { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(DbExportCliTest, ExportThenImportReplacesTheDatabase) {
  ASSERT_EQ(Distill("db import -q --db " + Path("src.db") + " " + kFixtures + "/osv").rc, 0);
  ASSERT_EQ(Distill("db import -q --db " + Path("dst.db") + " " + kFixtures +
                    "/vunnel/debian/test-fixtures/input/debian.json")
                .rc,
            0);
  auto r = Distill("db export --db " + Path("src.db") + " " + Path("db.tar.zst"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("exported " + Path("src.db") + " to " + Path("db.tar.zst")),
            std::string::npos)
      << r.err;

  // Refused beside other inputs, and with the feed flags; the database stays as it was.
  const std::string before = *ReadFile(Path("dst.db"));
  r = Distill("db import --db " + Path("dst.db") + " " + Path("db.tar.zst") + " " + kFixtures +
              "/osv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: " + Path("db.tar.zst") +
                ": a database export (.tar.zst) replaces the whole database; import it alone\n");
  r = Distill("db import --fresh --db " + Path("dst.db") + " " + Path("db.tar.zst"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--format, --ecosystem and --fresh apply to advisory feeds only"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(*ReadFile(Path("dst.db")), before);

  r = Distill("db import --db " + Path("dst.db") + " " + Path("db.tar.zst"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find(Path("dst.db") + ": imported from " + Path("db.tar.zst")), std::string::npos)
      << r.err;
  EXPECT_EQ(*ReadFile(Path("dst.db")), *ReadFile(Path("src.db")));
  auto db = vuln::Database::Open(Path("dst.db"));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->Info()->sources.size(), 1u);  // the feed's rows are gone: replaced, not merged
}

TEST_F(DbExportCliTest, ExportOfNoDatabaseIsBadInput) {
  auto r = Distill("db export --db " + Path("none.db") + " " + Path("db.tar.zst"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "error: " + Path("none.db") +
                ": no vulnerability database (run `distill db update` or `distill db import`)\n");
  EXPECT_FALSE(fs::exists(Path("db.tar.zst")));
}

}  // namespace
}  // namespace distill::cli
