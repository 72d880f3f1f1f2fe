// distill serve: Harbor's pluggable scanner API over a PostgreSQL job queue (doc/serve.md). One
// binary, three roles: `api` answers Harbor, `worker` scans, `all` (the default) does both.
// Every flag can also come from the environment (DISTILL_SERVE_LISTEN, ...) or a YAML file
// (--config: the flags' long names as keys); the command line wins, then the environment.
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "cli/common.h"
#include "serve/api/server.h"
#include "serve/service.h"
#include "serve/store/credential.h"
#include "util/file.h"
#include "util/log.h"
#include "version.h"
#include "vuln/db/paths.h"

namespace distill::cli {

namespace {

struct ServeFlags {
  std::string config;
  std::string listen = "127.0.0.1:8080";
  std::string postgres;
  std::string role = "all";
  int workers = 1;
  std::string db;
  std::string api_key;
  std::string credential_key_file;
};

// The YAML config's values for the options the command line and environment left unset.
Status ApplyConfigFile(CLI::App& sub, const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 1 << 20));
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return Errorf("{}: expected a map of serve's options", path);
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>("");
    CLI::Option* opt = nullptr;
    try {
      opt = sub.get_option("--" + key);
    } catch (const CLI::OptionNotFound&) {
    }
    if (!opt || key == "config")
      return Errorf("{}:{}: unknown option \"{}\"", path, kv.first.Mark().line + 1, key);
    if (!kv.second.IsScalar())
      return Errorf("{}:{}: \"{}\": expected a single value", path, kv.second.Mark().line + 1, key);
    if (opt->count() == 0) {
      try {
        opt->add_result(kv.second.Scalar());
        opt->run_callback();
      } catch (const CLI::Error& e) {
        return Errorf("{}:{}: \"{}\": {}", path, kv.second.Mark().line + 1, key, e.what());
      }
    }
  }
  return {};
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Errorf("--listen '{}': expected HOST:PORT", listen);
  int port = 0;
  std::string p = listen.substr(colon + 1);
  if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos ||
      (port = std::stoi(p.substr(0, 6))) > 65535)
    return Errorf("--listen '{}': expected HOST:PORT with a port 0-65535", listen);
  std::string host = listen.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  return std::pair{host.empty() ? std::string("0.0.0.0") : host, port};
}

int Run(CLI::App* sub, ServeFlags& f, const Globals& globals) {
  if (!f.config.empty())
    if (auto st = ApplyConfigFile(*sub, f.config); !st.ok()) return ReportError(st.error());
  if (f.role != "all" && f.role != "api" && f.role != "worker")
    return ReportError(Errorf("--role '{}': expected all, api or worker", f.role));
  if (f.postgres.empty())
    return ReportError(
        Errorf("--postgres: the PostgreSQL connection (URL or key=value; DISTILL_SERVE_POSTGRES)"));
  if (f.workers < 1 || f.workers > 256)
    return ReportError(Errorf("--workers {}: expected 1-256", f.workers));
  serve::ServeOptions opt;
  opt.store.conninfo = f.postgres;
  opt.db_path = f.db.empty() ? vuln::DefaultDbPath() : f.db;
  opt.workers = f.workers;
  opt.worker.ca_cert = globals.ca_cert;
  if (!f.credential_key_file.empty()) {
    auto key = ReadFile(f.credential_key_file, 1 << 10);
    if (!key.ok()) return ReportError(key.error());
    if (key->size() != serve::kCredentialKeySize)
      return ReportError(Errorf("--credential-key {}: expected {} bytes, found {}",
                                f.credential_key_file, serve::kCredentialKeySize, key->size()));
    opt.store.credential_key = *key;
  }
  auto listen = ParseListen(f.listen);
  if (!listen.ok()) return ReportError(listen.error());

  // SIGINT and SIGTERM end the server; blocked here so every thread started below inherits it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<serve::StoreService> service;
  std::unique_ptr<serve::Server> server;
  if (f.role != "worker") {
    auto s = serve::StoreService::Open(opt);
    if (!s.ok()) return ReportError(s.error());
    service = std::move(*s);
    serve::ServerOptions so;
    so.host = listen->first;
    so.port = listen->second;
    so.secret = f.api_key;
    so.scanner.version = DISTILL_VERSION;
    auto srv = serve::Server::Start(*service, so);
    if (!srv.ok()) return ReportError(srv.error());
    server = std::move(*srv);
    if (!globals.quiet)
      fmt::print(stderr, "distill serve: Harbor scanner API on {}:{}\n", so.host, server->port());
  }
  std::unique_ptr<serve::Workers> workers;
  if (f.role != "api") {
    auto w = serve::Workers::Start(opt);
    if (!w.ok()) return ReportError(w.error());
    workers = std::move(*w);
    if (!globals.quiet) fmt::print(stderr, "distill serve: {} worker(s)\n", f.workers);
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (!globals.quiet) fmt::print(stderr, "distill serve: stopping ({})\n", strsignal(sig));
  if (server) server->Stop();
  if (workers) workers->Stop();
  return kExitOk;
}

}  // namespace

RunFn SetupServe(CLI::App& sub, const Globals& globals) {
  auto f = std::make_shared<ServeFlags>();
  sub.add_option("--config", f->config, "YAML file of these options (long names as keys)");
  sub.add_option("--listen", f->listen, "HOST:PORT of the Harbor scanner API (api, all)")
      ->envname("DISTILL_SERVE_LISTEN");
  sub.add_option("--postgres", f->postgres, "PostgreSQL connection: URL or key=value (libpq)")
      ->envname("DISTILL_SERVE_POSTGRES");
  sub.add_option("--role", f->role, "all (default), api (answer Harbor) or worker (scan)")
      ->envname("DISTILL_SERVE_ROLE");
  sub.add_option("--workers", f->workers, "Scanning threads (worker, all)")
      ->envname("DISTILL_SERVE_WORKERS");
  sub.add_option("--db", f->db, "Vulnerability database (default: distill's, as `scan` uses)")
      ->envname("DISTILL_SERVE_DB");
  sub.add_option("--api-key", f->api_key,
                 "Secret callers present (Bearer, Basic password or X-ScannerAdapter-API-Key)")
      ->envname("DISTILL_SERVE_API_KEY");
  sub.add_option("--credential-key", f->credential_key_file,
                 "File of 32 bytes sealing registry credentials in the queue (AES-256-GCM)")
      ->envname("DISTILL_SERVE_CREDENTIAL_KEY");
  CLI::App* app = &sub;
  return [f, app, &globals] { return Run(app, *f, globals); };
}

}  // namespace distill::cli
