// Test helper: a private PostgreSQL 15 cluster (Debian's /usr/lib/postgresql/15/bin) in a
// temporary directory, reachable only through a unix socket in that directory (no TCP), removed
// when the object goes away. As root the cluster belongs to the `postgres` user (`runuser`: the
// server refuses to run as root); otherwise to the calling user. `initdb` runs once per test
// process into a template directory; every cluster after that is a copy of it (~0.1 s instead of
// ~1.5 s), so the store's tests can stay in the unit suite.
#pragma once

#include <memory>
#include <string>

namespace distill::testing {

class PostgresServer {
 public:
  // nullptr and *error when the binaries are missing (*skip = true: the test should skip) or the
  // cluster does not start (*skip = false: a failure).
  static std::unique_ptr<PostgresServer> Start(std::string* error, bool* skip);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq connection string for `database` as the superuser `postgres` (trust auth, socket).
  std::string ConnInfo(const std::string& database = "postgres") const;
  // Creates an empty database (so each test has its own) and returns its connection string.
  std::string CreateDatabase(const std::string& name, std::string* error) const;

  // pg_ctl stop -m fast / start / restart -m fast; false and *error when pg_ctl fails.
  bool Stop(std::string* error);
  bool Start(std::string* error);
  bool Restart(std::string* error);

  const std::string& dir() const { return dir_; }

 private:
  PostgresServer() = default;
  std::string PgCtl(const std::string& args, int* rc) const;
  std::string dir_;  // socket directory; the cluster is dir_/data
  bool running_ = false;
};

// One cluster for the whole test process, started on first use and stopped at exit; tests that do
// not stop or restart it share it, each in a database of its own (CreateDatabase). nullptr as
// Start.
PostgresServer* SharedPostgres(std::string* error, bool* skip);

// A new, empty database named PREFIX<n> in the shared cluster, as a connection string; "" and
// *error when the cluster could not start (*skip: PostgreSQL is not installed, the test skips).
std::string FreshDatabase(const std::string& prefix, std::string* error, bool* skip);

}  // namespace distill::testing
