#include "serve/store/pg.h"

#include <gtest/gtest.h>

#include "testing/postgres_server.h"

namespace distill::serve {
namespace {

// A database of its own in the test process's private cluster, or a skip when PostgreSQL is not
// installed.
class ServePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    bool skip = false;
    std::string conninfo = testing::FreshDatabase("pg", &error, &skip);
    if (skip) GTEST_SKIP() << error;
    ASSERT_FALSE(conninfo.empty()) << error;
    auto db = PgConnection::Connect(conninfo);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  std::unique_ptr<PgConnection> db_;
};

TEST_F(ServePgTest, ParametersNullsAndBytes) {
  std::string bytes("a\0b\xff", 4);
  auto r = db_->Exec("echo", "SELECT $1::text, $2::text, $3::bytea, octet_length($3)",
                     {PgText("it's"), PgNull(), PgBytes(bytes)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], "it's");
  EXPECT_EQ(r->rows[0][1], std::nullopt);
  EXPECT_EQ(r->rows[0][2], "\\x610062ff");  // text results: bytea in hex
  EXPECT_EQ(r->rows[0][3], "4");
  auto raw = db_->Exec("echo raw", "SELECT $1::bytea", {PgBytes(bytes)}, /*binary_result=*/true);
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(raw->rows[0][0], bytes);
}

TEST_F(ServePgTest, AffectedRows) {
  ASSERT_TRUE(
      db_->ExecScript("create", "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)").ok());
  auto r = db_->Exec("update", "UPDATE t SET x = x + 1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->affected, 2);
}

TEST_F(ServePgTest, ErrorNamesTheStepAndPostgresMessage) {
  auto r = db_->Exec("read the queue", "SELECT * FROM nowhere");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "read the queue: relation \"nowhere\" does not exist (SQLSTATE 42P01)");
  // The session is still usable after a statement's error.
  EXPECT_FALSE(db_->broken());
  EXPECT_TRUE(db_->Exec("again", "SELECT 1").ok());
}

TEST(ServePgConnectTest, ErrorHidesThePassword) {
  auto r = PgConnection::Connect(
      "postgresql://harbor:s3cret-pw@/scans?host=/nonexistent-distill-dir&port=5999");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("s3cret-pw"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("cannot connect to PostgreSQL postgresql://harbor:***@/scans"),
            std::string::npos)
      << r.error().message;
}

TEST(ServePgConnectTest, RedactConnInfo) {
  EXPECT_EQ(RedactConnInfo("postgresql://u:pw@db:5432/x"), "postgresql://u:***@db:5432/x");
  EXPECT_EQ(RedactConnInfo("postgres://u@db/x"), "postgres://u@db/x");
  EXPECT_EQ(RedactConnInfo("postgres://db/x?user=u&password=pw&sslmode=require"),
            "postgres://db/x?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactConnInfo("host=db password=pw user=u"), "host=db password=*** user=u");
  EXPECT_EQ(RedactConnInfo("host=db password = 'p w\\'x' user=u"), "host=db password = *** user=u");
  EXPECT_EQ(RedactConnInfo("host=db password='' user=u"), "host=db password=*** user=u");
  // As libpq reads it: spaces after '=' are skipped, the value is the next word.
  EXPECT_EQ(RedactConnInfo("host=db password= pw user=u"), "host=db password= *** user=u");
  EXPECT_EQ(RedactConnInfo("postgresql://u:p@ss@db/x"), "postgresql://u:***@db/x");
  EXPECT_EQ(RedactConnInfo("host=db xpassword=a passwordless=b"),
            "host=db xpassword=a passwordless=b");
  // A long quoted value (no recursion per character).
  std::string secret(1 << 20, 'a');
  EXPECT_EQ(RedactConnInfo("password='" + secret + "' host=db"), "password=*** host=db");
}

}  // namespace
}  // namespace distill::serve
