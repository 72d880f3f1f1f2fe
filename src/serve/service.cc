#include "serve/service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <optional>

#include "sbom/formats.h"
#include "serve/api/protocol.h"
#include "serve/api/report.h"
#include "util/log.h"
#include "vuln/db/database.h"

namespace distill::serve {

std::string DbGeneration(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  auto db = vuln::Database::Open(path);
  if (!db.ok()) return "";
  auto built = (*db)->BuiltAt();
  return fmt::format("{}-{}-{}", built.ok() ? *built : 0, static_cast<int64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtime));
}

Result<std::unique_ptr<StoreService>> StoreService::Open(const ServeOptions& options) {
  DISTILL_TRY(auto store, Store::Open(options.store));
  return std::unique_ptr<StoreService>(new StoreService(options, std::move(store)));
}

Result<std::string> StoreService::Submit(const ScanRequest& request) {
  ScanJob job;
  job.registry_url = request.registry_url;
  job.authorization = request.authorization;
  job.repository = request.artifact.repository;
  job.digest = request.artifact.digest;
  job.tag = request.artifact.tag;
  job.mime_type = request.artifact.mime_type;
  std::string generation = DbGeneration(options_.db_path);
  std::lock_guard lock(mu_);
  DISTILL_TRY(Submitted s, store_->Submit(job, generation));
  return s.request_id;
}

Result<ReportAnswer> StoreService::Report(const std::string& id, ReportKind kind) {
  std::lock_guard lock(mu_);
  DISTILL_TRY(auto status, store_->StatusOf(id));
  ReportAnswer a;
  if (!status) return a;  // kUnknown
  switch (status->state) {
    case JobState::kQueued:
    case JobState::kRunning:
      a.state = ReportAnswer::State::kPending;
      // A scan takes about a second; the queue ahead of it, about that each per worker.
      a.refresh_after = ClampRefreshAfter(
          static_cast<int>(1 + status->queue_position / std::max(1, options_.workers)));
      return a;
    case JobState::kFailed:
      a.state = ReportAnswer::State::kFailed;
      a.body = status->error;
      return a;
    case JobState::kDone:
      break;
  }
  DISTILL_TRY(auto body, store_->Report(status->digest, TypeOf(kind).name, status->db_generation));
  if (!body) return a;  // kUnknown: expired, Harbor asks again
  a.state = ReportAnswer::State::kDone;
  a.body = std::move(*body);
  return a;
}

ServiceInfo StoreService::Info() {
  ServiceInfo info;
  std::lock_guard lock(mu_);
  auto counts = store_->Counts();
  if (!counts.ok()) {
    info.not_ready_reason = "database: " + counts.error().message;
    return info;
  }
  info.queue_depth = counts->queued;
  auto db = vuln::Database::Open(options_.db_path);
  if (!db.ok()) {
    info.not_ready_reason = "vulnerability database: " + db.error().message;
    return info;
  }
  if (auto built = (*db)->BuiltAt(); built.ok() && *built > 0)
    info.database_updated_at = sbom::FormatTimestamp(*built);
  info.ready = true;
  return info;
}

Result<Completion> RunJob(const ScanJob& job, const ServeOptions& options) {
  Completion done;
  done.db_generation = DbGeneration(options.db_path);
  DISTILL_TRY(auto db, vuln::Database::Open(options.db_path));
  ScanTarget target{job.registry_url, job.authorization, job.repository, job.digest};
  DISTILL_TRY(Scanned scanned, Scan(target, *db, options.worker));
  DISTILL_TRY(auto spec, sbom::ParseOutputSpec("distill-json"));
  DISTILL_TRY(done.sbom, sbom::EncodeToString(scanned.sbom, spec));
  ReportContext context;
  context.artifact = {job.repository, job.digest, job.tag, job.mime_type};
  context.generated_at = ::time(nullptr);
  for (const ReportType& t : ReportTypes()) {
    ReportBody r;
    r.kind = std::string(t.name);
    if (t.kind == ReportKind::kVulnerability || t.kind == ReportKind::kVulnerabilityLegacy) {
      r.body = RenderVulnerabilityReport(context, scanned.match.findings, t.kind);
    } else {
      DISTILL_TRY(r.body, RenderSbomReport(context, scanned.sbom, t.kind));
    }
    done.reports.push_back(std::move(r));
  }
  return done;
}

Result<std::unique_ptr<Workers>> Workers::Start(const ServeOptions& options) {
  std::unique_ptr<Workers> w(new Workers());
  w->options_ = options;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < std::max(1, options.workers); ++i) {
    DISTILL_TRY(auto store, Store::Open(options.store));
    stores.push_back(std::move(store));
  }
  for (size_t i = 0; i < stores.size(); ++i)
    w->threads_.emplace_back(&Workers::Loop, w.get(), static_cast<int>(i), std::move(stores[i]));
  return w;
}

Workers::~Workers() { Stop(); }

void Workers::Stop() {
  stop_ = true;
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Workers::Loop(int index, std::unique_ptr<Store> store) {
  std::string worker_id = fmt::format("{}:{}", ::getpid(), index);
  auto last_reap = std::chrono::steady_clock::time_point{};
  while (!stop_) {
    if (index == 0 && std::chrono::steady_clock::now() - last_reap >= options_.reap) {
      if (auto r = store->Reap(); !r.ok()) log::warn("serve: reap: {}", r.error().message);
      last_reap = std::chrono::steady_clock::now();
    }
    auto claimed = store->Claim(worker_id);
    if (!claimed.ok() || !*claimed) {
      if (!claimed.ok()) log::warn("serve: claim: {}", claimed.error().message);
      std::this_thread::sleep_for(options_.poll);
      continue;
    }
    ClaimedJob job = std::move(**claimed);
    // The scan runs on its own thread; this one keeps the lease alive meanwhile.
    std::optional<Result<Completion>> result;
    std::mutex mu;
    std::condition_variable cv;
    std::thread scan([&] {
      auto r = RunJob(job.job, options_);
      std::lock_guard lock(mu);
      result = std::move(r);
      cv.notify_one();
    });
    {
      std::unique_lock lock(mu);
      while (!cv.wait_for(lock, options_.heartbeat, [&] { return result.has_value(); })) {
        lock.unlock();
        (void)store->Heartbeat(job);
        lock.lock();
      }
    }
    scan.join();
    if (result->ok()) {
      auto stored = store->Complete(job, **result);
      if (!stored.ok()) log::warn("serve: {}: complete: {}", job.id, stored.error().message);
    } else {
      log::warn("serve: job {} ({}@{}) failed: {}", job.id, job.job.repository, job.job.digest,
                result->error().message);
      (void)store->Fail(job, result->error().message);
    }
  }
}

}  // namespace distill::serve
