#include "serve/store/queue.h"

#include <fmt/format.h>

#include "serve/store/credential.h"
#include "serve/store/schema.h"

namespace distill::serve {

std::string_view JobStateName(JobState s) {
  switch (s) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  return "?";
}

namespace {

std::optional<JobState> ParseState(std::string_view s) {
  for (JobState st : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed}) {
    if (JobStateName(st) == s) return st;
  }
  return std::nullopt;
}

const std::string& Col(const PgRow& row, size_t i) {
  static const std::string empty;
  return row.at(i) ? *row[i] : empty;
}

std::string Num(long n) { return std::to_string(n); }

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  if (!options.credential_key.empty() && options.credential_key.size() != kCredentialKeySize) {
    return Errorf("credential key: {} bytes, want {}", options.credential_key.size(),
                  kCredentialKeySize);
  }
  DISTILL_TRY(std::unique_ptr<PgConnection> db, PgConnection::Connect(options.conninfo));
  DISTILL_TRY_VOID(Migrate(*db));
  return std::unique_ptr<Store>(new Store(std::move(options), std::move(db)));
}

// Runs `op`; if it failed because the session is gone, reconnects and runs it once more. Every
// operation is written so that a repeat is harmless (a transaction cut short rolled back; a
// commit whose answer was lost is recognised or fenced).
template <typename F>
auto Store::Run(F&& op) -> decltype(op()) {
  auto r = op();
  if (r.ok() || !db_->broken()) return r;
  held_.clear();  // the old session's advisory locks went with it
  DISTILL_TRY_VOID(db_->Reset());
  return op();
}

template <typename F>
auto Store::InTransaction(F&& body) -> decltype(body()) {
  DISTILL_TRY_VOID(db_->ExecScript("begin", "BEGIN"));
  auto r = body();
  if (!r.ok()) {
    if (!db_->broken()) (void)db_->ExecScript("rollback", "ROLLBACK");
    return r;
  }
  DISTILL_TRY_VOID(db_->ExecScript("commit", "COMMIT"));
  return r;
}

std::string Store::LeaseSeconds() const {
  return fmt::format("{:.3f}", static_cast<double>(options_.lease.count()) / 1000.0);
}

Result<std::string> Store::Seal(std::string_view job_id, std::string_view credential) const {
  if (options_.credential_key.empty()) return std::string(credential);
  return SealCredential(options_.credential_key, job_id, credential);
}

void Store::Release(int lock_key) {
  if (!held_.erase(lock_key)) return;
  // Best effort: if the session is gone, so is the lock.
  (void)db_->Exec("release job lock", "SELECT pg_advisory_unlock($1, $2)",
                  {PgText(Num(kLockSpace)), PgText(Num(lock_key))});
}

Result<Submitted> Store::Submit(const ScanJob& job, std::string_view db_generation) {
  if (job.digest.empty()) return Errorf("submit: empty manifest digest");
  return Run([&]() -> Result<Submitted> {
    return InTransaction([&]() -> Result<Submitted> {
      Submitted s{RandomUuid(), "", Submitted::Via::kNew};
      if (!db_generation.empty()) {
        DISTILL_TRY(PgRows done,
                    db_->Exec("submit: find a done job",
                              "SELECT id FROM jobs WHERE manifest_digest = $1 AND state = 'done' "
                              "AND db_generation = $2 ORDER BY finished_at DESC LIMIT 1",
                              {PgText(job.digest), PgText(std::string(db_generation))}));
        if (!done.rows.empty()) s = {s.request_id, Col(done.rows[0], 0), Submitted::Via::kCached};
      }
      // The active job for the digest may end between the INSERT and the SELECT: try again.
      for (int tries = 0; s.job_id.empty() && tries < 5; ++tries) {
        std::string id = RandomUuid();
        PgParam auth = PgNull();
        if (!job.authorization.empty()) {
          DISTILL_TRY(std::string sealed, Seal(id, job.authorization));
          auth = PgBytes(std::move(sealed));
        }
        const PgParam params[] = {PgText(id),
                                  PgText(job.digest),
                                  PgText(job.repository),
                                  PgText(job.registry_url),
                                  PgText(job.tag),
                                  PgText(job.mime_type),
                                  auth};
        DISTILL_TRY(PgRows ins,
                    db_->Exec("submit: insert job",
                              "INSERT INTO jobs (id, manifest_digest, repository, registry_url, "
                              "tag, mime_type, credential) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                              "ON CONFLICT (manifest_digest) WHERE state IN ('queued', 'running') "
                              "DO NOTHING RETURNING id",
                              params));
        if (!ins.rows.empty()) {
          s.job_id = id;
          break;
        }
        DISTILL_TRY(PgRows active, db_->Exec("submit: find the active job",
                                             "SELECT id FROM jobs WHERE manifest_digest = $1 AND "
                                             "state IN ('queued', 'running')",
                                             {PgText(job.digest)}));
        if (!active.rows.empty())
          s = {s.request_id, Col(active.rows[0], 0), Submitted::Via::kCoalesced};
      }
      if (s.job_id.empty()) return InternalErrorf("submit {}: no job after 5 tries", job.digest);
      DISTILL_TRY_VOID(db_->Exec("submit: insert request",
                                 "INSERT INTO scan_requests (id, job_id) VALUES ($1, $2)",
                                 {PgText(s.request_id), PgText(s.job_id)}));
      return s;
    });
  });
}

Result<std::optional<ClaimedJob>> Store::Claim(std::string_view worker_id) {
  // A job whose credential does not open is failed and the next one tried.
  for (;;) {
    bool again = false;
    auto r = Run([&] { return ClaimOnce(worker_id, &again); });
    if (!r.ok() || !again) return r;
  }
}

Result<std::optional<ClaimedJob>> Store::ClaimOnce(std::string_view worker_id, bool* again) {
  *again = false;
  ClaimedJob c;
  bool locked = false;
  auto r = InTransaction([&]() -> Result<std::optional<ClaimedJob>> {
    DISTILL_TRY(PgRows next,
                db_->Exec("claim: select a queued job",
                          "SELECT id, lock_key FROM jobs WHERE state = 'queued' "
                          "ORDER BY created_at, lock_key LIMIT 1 FOR UPDATE SKIP LOCKED"));
    if (next.rows.empty()) return std::optional<ClaimedJob>();
    c.id = Col(next.rows[0], 0);
    c.lock_key = std::stoi(Col(next.rows[0], 1));
    // Taken before the commit that makes the job `running`, so Reap never sees it running and
    // unlocked. A stale worker (lease expired, still alive) may hold it: then the lease alone
    // guards this run until Heartbeat gets the lock.
    DISTILL_TRY(PgRows lock, db_->Exec("claim: lock the job", "SELECT pg_try_advisory_lock($1, $2)",
                                       {PgText(Num(kLockSpace)), PgText(Num(c.lock_key))}));
    locked = Col(lock.rows.at(0), 0) == "t";
    if (locked) held_.insert(c.lock_key);
    DISTILL_TRY(PgRows row,
                db_->Exec("claim: mark running",
                          "UPDATE jobs SET state = 'running', attempt = attempt + 1, worker = $2, "
                          "started_at = clock_timestamp(), "
                          "lease_until = clock_timestamp() + make_interval(secs => $3::float8) "
                          "WHERE id = $1 RETURNING attempt::text, manifest_digest, repository, "
                          "registry_url, tag, mime_type, credential",
                          {PgText(c.id), PgText(std::string(worker_id)), PgText(LeaseSeconds())},
                          /*binary_result=*/true));
    const PgRow& j = row.rows.at(0);
    c.attempt = std::stoi(Col(j, 0));
    c.job = {Col(j, 3), "", Col(j, 2), Col(j, 1), Col(j, 4), Col(j, 5)};
    if (j.at(6) && !options_.credential_key.empty()) {
      auto opened = OpenCredential(options_.credential_key, c.id, *j[6]);
      if (!opened.ok()) {
        DISTILL_TRY_VOID(db_->Exec("claim: fail the job",
                                   "UPDATE jobs SET state = 'failed', error = $2, credential = "
                                   "NULL, finished_at = clock_timestamp(), lease_until = NULL "
                                   "WHERE id = $1",
                                   {PgText(c.id), PgText(opened.error().message)}));
        *again = true;
        return std::optional<ClaimedJob>();
      }
      c.job.authorization = std::move(opened).value();
    } else if (j.at(6)) {
      c.job.authorization = *j[6];
    }
    return std::optional<ClaimedJob>(c);
  });
  if ((!r.ok() || *again) && locked) Release(c.lock_key);
  return r;
}

Result<bool> Store::Heartbeat(const ClaimedJob& job) {
  return Run([&]() -> Result<bool> {
    DISTILL_TRY(PgRows r,
                db_->Exec("heartbeat",
                          "UPDATE jobs SET lease_until = clock_timestamp() + "
                          "make_interval(secs => $3::float8) "
                          "WHERE id = $1 AND attempt = $2 AND state = 'running'",
                          {PgText(job.id), PgText(Num(job.attempt)), PgText(LeaseSeconds())}));
    if (r.affected == 0) {
      Release(job.lock_key);
      return false;
    }
    if (!held_.count(job.lock_key)) {  // after a reconnect, or a stale holder is gone
      DISTILL_TRY(PgRows lock,
                  db_->Exec("heartbeat: lock the job", "SELECT pg_try_advisory_lock($1, $2)",
                            {PgText(Num(kLockSpace)), PgText(Num(job.lock_key))}));
      if (Col(lock.rows.at(0), 0) == "t") held_.insert(job.lock_key);
    }
    return true;
  });
}

Result<bool> Store::Complete(const ClaimedJob& job, const Completion& done) {
  auto r = Run([&]() -> Result<bool> {
    return InTransaction([&]() -> Result<bool> {
      DISTILL_TRY(
          PgRows upd,
          db_->Exec("complete: mark done",
                    "UPDATE jobs SET state = 'done', finished_at = clock_timestamp(), "
                    "lease_until = NULL, credential = NULL, error = NULL, "
                    "db_generation = $3 "
                    "WHERE id = $1 AND attempt = $2 AND state = 'running' "
                    "RETURNING manifest_digest",
                    {PgText(job.id), PgText(Num(job.attempt)), PgText(done.db_generation)}));
      if (upd.rows.empty()) {
        // Stale, or this very completion committed before its answer was lost.
        DISTILL_TRY(PgRows now,
                    db_->Exec("complete: read the job",
                              "SELECT state, attempt FROM jobs WHERE id = $1", {PgText(job.id)}));
        return !now.rows.empty() && Col(now.rows[0], 0) == "done" &&
               Col(now.rows[0], 1) == Num(job.attempt);
      }
      const std::string& digest = Col(upd.rows[0], 0);
      if (!done.sbom.empty()) {
        DISTILL_TRY_VOID(db_->Exec("complete: store the SBOM",
                                   "INSERT INTO sboms (manifest_digest, sbom) VALUES ($1, $2) "
                                   "ON CONFLICT DO NOTHING",
                                   {PgText(digest), PgBytes(done.sbom)}));
      }
      for (const ReportBody& rep : done.reports) {
        DISTILL_TRY_VOID(db_->Exec(
            fmt::format("complete: store the {} report", rep.kind),
            "INSERT INTO reports (manifest_digest, kind, db_generation, "
            "body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            {PgText(digest), PgText(rep.kind), PgText(done.db_generation), PgBytes(rep.body)}));
      }
      return true;
    });
  });
  // After the commit, so Reap never sees the job running and unlocked.
  if (r.ok()) Release(job.lock_key);
  return r;
}

Result<bool> Store::Fail(const ClaimedJob& job, std::string_view reason) {
  auto r = Run([&]() -> Result<bool> {
    DISTILL_TRY(PgRows upd,
                db_->Exec("fail",
                          "UPDATE jobs SET state = 'failed', error = $3, "
                          "finished_at = clock_timestamp(), lease_until = NULL, "
                          "credential = NULL WHERE id = $1 AND attempt = $2 AND "
                          "state = 'running'",
                          {PgText(job.id), PgText(Num(job.attempt)), PgText(std::string(reason))}));
    return upd.affected == 1;
  });
  if (r.ok()) Release(job.lock_key);
  return r;
}

Result<Reaped> Store::Reap() {
  return Run([&]() -> Result<Reaped> {
    DISTILL_TRY(
        PgRows rows,
        db_->Exec(
            "reap",
            "WITH lost AS ("
            "  SELECT j.id, j.attempt >= $2 AS give_up FROM jobs j"
            "  WHERE j.state = 'running' AND (j.lease_until < clock_timestamp() OR NOT EXISTS ("
            "    SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
            "    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            "    AND l.classid = $1::int::oid AND l.objid = j.lock_key::oid AND l.objsubid = 2))"
            "  FOR UPDATE SKIP LOCKED) "
            "UPDATE jobs SET "
            "  state = CASE WHEN lost.give_up THEN 'failed' ELSE 'queued' END,"
            "  error = CASE WHEN lost.give_up THEN format('the worker was lost %s times "
            "(killed, disconnected or past its lease)', jobs.attempt) END,"
            "  finished_at = CASE WHEN lost.give_up THEN clock_timestamp() END,"
            "  credential = CASE WHEN lost.give_up THEN NULL ELSE jobs.credential END,"
            "  lease_until = NULL, worker = NULL "
            "FROM lost WHERE jobs.id = lost.id RETURNING lost.give_up",
            {PgText(Num(kLockSpace)), PgText(Num(options_.max_attempts))}));
    Reaped out;
    for (const PgRow& r : rows.rows) (Col(r, 0) == "t" ? out.failed : out.requeued)++;
    return out;
  });
}

Result<std::optional<JobStatus>> Store::StatusOf(std::string_view request_id) {
  return Run([&]() -> Result<std::optional<JobStatus>> {
    DISTILL_TRY(PgRows rows,
                db_->Exec("status",
                          "SELECT j.state, j.attempt, j.error, j.manifest_digest, j.db_generation,"
                          " CASE WHEN j.state = 'queued' THEN (SELECT count(*) FROM jobs q"
                          "  WHERE q.state = 'queued' AND (q.created_at, q.lock_key) <"
                          "  (j.created_at, j.lock_key)) ELSE 0 END "
                          "FROM scan_requests r JOIN jobs j ON j.id = r.job_id WHERE r.id = $1",
                          {PgText(std::string(request_id))}));
    if (rows.rows.empty()) return std::optional<JobStatus>();
    const PgRow& r = rows.rows[0];
    std::optional<JobState> state = ParseState(Col(r, 0));
    if (!state) return InternalErrorf("status {}: unknown job state '{}'", request_id, Col(r, 0));
    return std::optional<JobStatus>(JobStatus{*state, std::stol(Col(r, 5)), std::stoi(Col(r, 1)),
                                              Col(r, 2), Col(r, 3), Col(r, 4)});
  });
}

Result<std::optional<std::string>> Store::Report(std::string_view digest, std::string_view kind,
                                                 std::string_view db_generation) {
  return Run([&]() -> Result<std::optional<std::string>> {
    DISTILL_TRY(PgRows rows, db_->Exec("report",
                                       "SELECT body FROM reports WHERE manifest_digest = $1 AND "
                                       "kind = $2 AND db_generation = $3",
                                       {PgText(std::string(digest)), PgText(std::string(kind)),
                                        PgText(std::string(db_generation))},
                                       /*binary_result=*/true));
    if (rows.rows.empty()) return std::optional<std::string>();
    return rows.rows[0].at(0);
  });
}

Result<QueueCounts> Store::Counts() {
  return Run([&]() -> Result<QueueCounts> {
    DISTILL_TRY(PgRows rows, db_->Exec("counts",
                                       "SELECT count(*) FILTER (WHERE state = 'queued'), "
                                       "count(*) FILTER (WHERE state = 'running') FROM jobs "
                                       "WHERE state IN ('queued', 'running')"));
    return QueueCounts{std::stol(Col(rows.rows.at(0), 0)), std::stol(Col(rows.rows.at(0), 1))};
  });
}

}  // namespace distill::serve
