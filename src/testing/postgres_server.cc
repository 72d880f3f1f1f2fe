#include "testing/postgres_server.h"

#include <atomic>

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <mutex>

#include <fmt/format.h>

#include "testing/shell.h"

namespace distill::testing {

namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";
constexpr int kPort = 5432;  // names the socket file only: the directory is private

// Commands run as the cluster's owner: `postgres` when we are root, else ourselves.
std::string AsOwner(const std::string& dir, const std::string& cmd) {
  return fmt::format("cd '{}' && {}{} 2>&1", dir, geteuid() == 0 ? "runuser -u postgres -- " : "",
                     cmd);
}

// A fresh directory the owner can write; "" and *error on failure.
std::string MakeDir(const char* pattern, std::string* error) {
  std::string dir = fmt::format("/tmp/{}.XXXXXX", pattern);
  if (!mkdtemp(dir.data())) {
    *error = fmt::format("mkdtemp {}: failed", dir);
    return "";
  }
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (!pw || chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      *error = "no user `postgres` to own the cluster (install Debian's postgresql package)";
      return "";
    }
  }
  return dir;
}

// One initdb per test process, copied for each cluster; removed at exit.
struct Template {
  std::string dir, error;
  ~Template() {
    if (!dir.empty()) Shell(fmt::format("rm -rf '{}'", dir));
  }
};

const Template& ClusterTemplate() {
  static Template t;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string dir = MakeDir("distill-pg-template", &t.error);
    if (dir.empty()) return;
    int rc = -1;
    std::string out = Shell(
        AsOwner(dir, fmt::format("{}/initdb -D '{}/data' -A trust -U postgres -E UTF8 --locale=C "
                                 "--no-sync --no-instructions",
                                 kBin, dir)),
        &rc);
    if (rc != 0) {
      t.error = fmt::format("initdb failed ({}): {}", rc, out);
      Shell(fmt::format("rm -rf '{}'", dir));
      return;
    }
    t.dir = dir;
  });
  return t;
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* error, bool* skip) {
  *skip = false;
  for (const char* tool : {"initdb", "pg_ctl", "createdb"}) {
    if (access(fmt::format("{}/{}", kBin, tool).c_str(), X_OK) != 0) {
      *skip = true;
      *error = fmt::format("{}/{} is missing (install Debian's postgresql-15 package)", kBin, tool);
      return nullptr;
    }
  }
  const Template& t = ClusterTemplate();
  if (t.dir.empty()) {
    *error = t.error;
    return nullptr;
  }
  std::unique_ptr<PostgresServer> s(new PostgresServer);
  s->dir_ = MakeDir("distill-pg", error);
  if (s->dir_.empty()) return nullptr;
  int rc = -1;
  std::string out =
      Shell(AsOwner(s->dir_, fmt::format("cp -a '{}/data' '{}/data'", t.dir, s->dir_)), &rc);
  if (rc != 0) {
    *error = fmt::format("copying the cluster template failed: {}", out);
    return nullptr;
  }
  if (!s->Start(error)) return nullptr;
  return s;
}

PostgresServer::~PostgresServer() {
  if (running_) {
    int rc;
    PgCtl("stop -m immediate", &rc);
  }
  // DISTILL_KEEP_TEST_DIRS=1 keeps the cluster's directory (its log) for a look after a failure.
  const char* keep = std::getenv("DISTILL_KEEP_TEST_DIRS");
  if (!dir_.empty() && !(keep && *keep)) Shell(fmt::format("rm -rf '{}'", dir_));
}

std::string PostgresServer::PgCtl(const std::string& args, int* rc) const {
  return Shell(AsOwner(dir_, fmt::format("{}/pg_ctl -D '{}/data' -w -t 30 {}", kBin, dir_, args)),
               rc);
}

std::string PostgresServer::ConnInfo(const std::string& database) const {
  return fmt::format("host={} port={} user=postgres dbname={}", dir_, kPort, database);
}

std::string PostgresServer::CreateDatabase(const std::string& name, std::string* error) const {
  int rc = -1;
  std::string out = Shell(
      fmt::format("{}/createdb -h '{}' -p {} -U postgres '{}' 2>&1", kBin, dir_, kPort, name), &rc);
  if (rc != 0) {
    *error = fmt::format("createdb {} failed: {}", name, out);
    return "";
  }
  return ConnInfo(name);
}

bool PostgresServer::Start(std::string* error) {
  int rc = -1;
  // Socket only (listen_addresses ''), in our directory. fsync off: a test cluster, and the
  // restart tests stop it cleanly.
  std::string out = PgCtl(fmt::format("-l '{}/log' -o \"-c listen_addresses='' -k '{}' -p {} "
                                      "-c fsync=off -c full_page_writes=off\" start",
                                      dir_, dir_, kPort),
                          &rc);
  if (rc != 0) {
    *error = fmt::format("pg_ctl start failed ({}): {}{}", rc, out,
                         Shell(fmt::format("tail -n 20 '{}/log'", dir_)));
    return false;
  }
  running_ = true;
  return true;
}

bool PostgresServer::Stop(std::string* error) {
  int rc = -1;
  std::string out = PgCtl("stop -m fast", &rc);
  if (rc != 0) {
    *error = fmt::format("pg_ctl stop failed ({}): {}", rc, out);
    return false;
  }
  running_ = false;
  return true;
}

bool PostgresServer::Restart(std::string* error) { return Stop(error) && Start(error); }

PostgresServer* SharedPostgres(std::string* error, bool* skip) {
  static std::string start_error;
  static bool start_skip = false;
  static std::unique_ptr<PostgresServer> shared = PostgresServer::Start(&start_error, &start_skip);
  *error = start_error;
  *skip = start_skip;
  return shared.get();
}

std::string FreshDatabase(const std::string& prefix, std::string* error, bool* skip) {
  PostgresServer* server = SharedPostgres(error, skip);
  if (!server) return "";
  static std::atomic<int> n{0};
  return server->CreateDatabase(prefix + std::to_string(++n), error);
}

}  // namespace distill::testing
