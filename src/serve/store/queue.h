// The scan queue and the results of `distill serve`, in PostgreSQL (doc/serve.md, "Store").
//
// Jobs are claimed with SELECT ... FOR UPDATE SKIP LOCKED. The claiming session also holds a
// session advisory lock on the job while it runs, so Reap() requeues at once the jobs of a worker
// whose session is gone (kill -9, lost connection), and a lease covers a worker that hangs.
// Completion is fenced on (id, attempt, state running) and writes the SBOM and the reports in the
// same transaction with ON CONFLICT DO NOTHING: a job may run more than once (at-least-once
// execution), but its effect is stored once.
//
// One Store is one PostgreSQL session: use one per thread. A statement that fails because the
// session is gone (PostgreSQL restarted) reconnects and runs the operation again, once; every
// operation is safe to repeat (see each).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "serve/store/pg.h"
#include "util/result.h"

namespace distill::serve {

// What Harbor's POST /scan asks for (ScanRequest's registry and artifact).
struct ScanJob {
  std::string registry_url;
  std::string authorization;  // the literal Authorization value for the pull; never logged
  std::string repository;
  std::string digest;  // the manifest digest: the unit of work
  std::string tag;
  std::string mime_type;
};

enum class JobState { kQueued, kRunning, kDone, kFailed };
std::string_view JobStateName(JobState s);

struct Submitted {
  std::string request_id;  // what Harbor gets: one per request
  std::string job_id;      // the job doing the work, shared by coalesced requests
  enum class Via { kNew, kCoalesced, kCached } via = Via::kNew;
};

struct ClaimedJob {
  std::string id;
  int attempt = 0;  // 1 on the first run; fences Heartbeat, Complete and Fail
  int lock_key = 0;
  ScanJob job;  // authorization opened
};

struct JobStatus {
  JobState state = JobState::kQueued;
  long queue_position = 0;  // queued: jobs ahead of this one
  int attempt = 0;
  std::string error;          // failed: why
  std::string digest;         // for Report()
  std::string db_generation;  // done: the generation its reports were made with
};

struct ReportBody {
  std::string kind;  // vulnerability | sbom-spdx | sbom-cyclonedx (see doc/serve.md)
  std::string body;
};

struct Completion {
  std::string db_generation;  // of the vulnerability database the reports come from
  std::string sbom;           // distill-json; "" = none to store
  std::vector<ReportBody> reports;
};

struct Reaped {
  int requeued = 0;
  int failed = 0;  // lost max_attempts times: failed, so Harbor's polling ends
};

struct QueueCounts {
  long queued = 0, running = 0;
};

struct StoreOptions {
  std::string conninfo;  // libpq: URL or key=value
  std::chrono::milliseconds lease{30000};
  int max_attempts = 3;
  std::string credential_key;  // kCredentialKeySize bytes seals credentials; "" stores them plain
};

class Store {
 public:
  // Connects and applies the migrations.
  static Result<std::unique_ptr<Store>> Open(StoreOptions options);

  // Records a request. A queued or running job for the digest takes it (coalesced); with a
  // non-empty `db_generation`, a job done with that generation answers it (cached); otherwise a
  // new job is queued.
  Result<Submitted> Submit(const ScanJob& job, std::string_view db_generation = "");
  // The oldest queued job, now running with attempt + 1 and a lease; nullopt when none.
  Result<std::optional<ClaimedJob>> Claim(std::string_view worker_id);
  // Extends the lease; false when the job is no longer this attempt's (stop working on it).
  Result<bool> Heartbeat(const ClaimedJob& job);
  // Done: stores the SBOM and reports. False (nothing stored) when the attempt is stale; true
  // again for a repeat of an accepted completion.
  Result<bool> Complete(const ClaimedJob& job, const Completion& done);
  // Failed for good with `reason` (shown to Harbor); false when the attempt is stale.
  Result<bool> Fail(const ClaimedJob& job, std::string_view reason);
  // Requeues running jobs whose advisory lock no session holds or whose lease expired.
  Result<Reaped> Reap();

  // The job behind a request id; nullopt for an unknown id.
  Result<std::optional<JobStatus>> StatusOf(std::string_view request_id);
  Result<std::optional<std::string>> Report(std::string_view digest, std::string_view kind,
                                            std::string_view db_generation);
  Result<QueueCounts> Counts();

  PgConnection& connection() { return *db_; }

 private:
  Store(StoreOptions options, std::unique_ptr<PgConnection> db)
      : options_(std::move(options)), db_(std::move(db)) {}
  template <typename F>
  auto Run(F&& op) -> decltype(op());
  template <typename F>
  auto InTransaction(F&& body) -> decltype(body());
  Result<std::optional<ClaimedJob>> ClaimOnce(std::string_view worker_id, bool* again);
  Result<std::string> Seal(std::string_view job_id, std::string_view credential) const;
  void Release(int lock_key);
  std::string LeaseSeconds() const;

  StoreOptions options_;
  std::unique_ptr<PgConnection> db_;
  std::set<int> held_;  // advisory locks this session holds (lost on reconnect)
};

}  // namespace distill::serve
