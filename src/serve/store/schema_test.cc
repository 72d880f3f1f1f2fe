#include "serve/store/schema.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/postgres_server.h"

namespace distill::serve {
namespace {

class ServeSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    bool skip = false;
    conninfo_ = testing::FreshDatabase("schema", &error, &skip);
    if (skip) GTEST_SKIP() << error;
    ASSERT_FALSE(conninfo_.empty()) << error;
  }
  std::unique_ptr<PgConnection> Connect() {
    auto db = PgConnection::Connect(conninfo_);
    EXPECT_TRUE(db.ok()) << db.error().message;
    return db.ok() ? std::move(db).value() : nullptr;
  }
  std::string One(PgConnection& db, const char* sql) {
    auto r = db.Exec("query", sql);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && !r->rows.empty() ? r->rows[0][0].value_or("NULL") : "";
  }
  std::string conninfo_;
};

int Newest() { return Migrations().back().version; }

TEST_F(ServeSchemaTest, VersionsAreOneTwoThree) {
  int want = 1;
  for (const Migration& m : Migrations()) EXPECT_EQ(m.version, want++) << m.name;
}

TEST_F(ServeSchemaTest, FromEmptyThenReapplied) {
  auto db = Connect();
  ASSERT_TRUE(db);
  auto v = Migrate(*db);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, Newest());
  EXPECT_EQ(One(*db, "SELECT count(*) FROM schema_migrations"), std::to_string(Newest()));
  EXPECT_EQ(One(*db,
                "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM "
                "information_schema.tables WHERE table_schema = 'public'"),
            "jobs reports sboms scan_requests schema_migrations");
  auto again = Migrate(*db);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, Newest());
  EXPECT_EQ(One(*db, "SELECT count(*) FROM schema_migrations"), std::to_string(Newest()));
}

// A database a previous distill left at version 1 is brought up to date, its rows kept.
TEST_F(ServeSchemaTest, UpgradesAnOlderDatabase) {
  auto db = Connect();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->ExecScript("v1", "BEGIN").ok());
  ASSERT_TRUE(db->ExecScript("v1", Migrations()[0].sql).ok());
  ASSERT_TRUE(db->ExecScript("v1",
                             "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name "
                             "text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
                             "INSERT INTO schema_migrations (version, name) VALUES (1, 'v1');"
                             "INSERT INTO jobs (id, manifest_digest, repository, registry_url) "
                             "VALUES ('j', 'sha256:aa', 'r', 'u');"
                             "INSERT INTO scan_requests (id, job_id) VALUES ('q', 'j');"
                             "COMMIT")
                  .ok());
  auto v = Migrate(*db);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, Newest());
  EXPECT_EQ(One(*db,
                "SELECT id || ' ' || job_id || ' ' || cardinality(report_kinds) FROM "
                "scan_requests"),
            "q j 0");
}

// Every process migrates at start; without the advisory lock two CREATE TABLEs collide.
TEST_F(ServeSchemaTest, ConcurrentStarts) {
  constexpr int kStarts = 6;
  std::vector<std::unique_ptr<PgConnection>> dbs;
  for (int i = 0; i < kStarts; ++i) {
    dbs.push_back(Connect());
    ASSERT_TRUE(dbs.back());
  }
  std::vector<std::string> errors(kStarts);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarts; ++i) {
    threads.emplace_back([&, i] {
      auto v = Migrate(*dbs[i]);
      if (!v.ok()) errors[i] = v.error().message;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(One(*dbs[0], "SELECT count(*) FROM schema_migrations"), std::to_string(Newest()));
}

TEST_F(ServeSchemaTest, NewerDatabaseRefused) {
  auto db = Connect();
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrate(*db).ok());
  ASSERT_TRUE(
      db->Exec("future", "INSERT INTO schema_migrations (version, name) VALUES (99, 'x')").ok());
  auto v = Migrate(*db);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, fmt::format("database schema version 99 is newer than this "
                                           "distill's ({}): upgrade distill",
                                           Newest()));
  EXPECT_FALSE(db->broken());
}

}  // namespace
}  // namespace distill::serve
