// `distill serve` put together (doc/serve.md): the HTTP API's ScanService backed by the PostgreSQL
// store, and the workers that claim jobs from it, scan (worker.h) and complete them with every
// report rendered once. Roles: an `api` process runs only the service, a `worker` process only
// the workers, `all` both.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "serve/api/service.h"
#include "serve/store/queue.h"
#include "serve/worker.h"

namespace distill::serve {

struct ServeOptions {
  StoreOptions store;
  std::string db_path;  // the vulnerability database (opened per job: a swap takes effect at once)
  WorkerOptions worker;
  int workers = 1;
  std::chrono::milliseconds poll{500};  // an idle worker looks for a job this often
  std::chrono::milliseconds heartbeat{10000};
  std::chrono::milliseconds reap{5000};  // how often a worker requeues lost jobs
};

// The generation of the vulnerability database at `path`: "BUILT_AT-SIZE-MTIME", so a database
// replaced by `distill db update` or `db pull` is a new generation ("" when it cannot be read).
std::string DbGeneration(const std::string& path);

// ScanService over one store connection (requests are serialized on it: each is one or two short
// statements).
class StoreService : public ScanService {
 public:
  static Result<std::unique_ptr<StoreService>> Open(const ServeOptions& options);
  Result<std::string> Submit(const ScanRequest& request) override;
  Result<ReportAnswer> Report(const std::string& id, ReportKind kind) override;
  ServiceInfo Info() override;

 private:
  StoreService(ServeOptions options, std::unique_ptr<Store> store)
      : options_(std::move(options)), store_(std::move(store)) {}
  ServeOptions options_;
  std::mutex mu_;
  std::unique_ptr<Store> store_;
};

// What one job produces: the SBOM to keep and every report kind rendered.
Result<Completion> RunJob(const ScanJob& job, const ServeOptions& options);

// The worker threads (each with its own store connection): claim, heartbeat while scanning,
// complete or fail; one of them also reaps lost jobs. Stop() lets the running jobs finish.
class Workers {
 public:
  static Result<std::unique_ptr<Workers>> Start(const ServeOptions& options);
  ~Workers();
  void Stop();

 private:
  Workers() = default;
  void Loop(int index, std::unique_ptr<Store> store);
  ServeOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace distill::serve
