#include "serve/store/queue.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "testing/postgres_server.h"

namespace distill::serve {
namespace {

using std::chrono::milliseconds;

const std::string kKey(32, 'k');

ScanJob Job(const std::string& digest) {
  return {"http://core:8080",
          "Basic cm9ib3Q6c2VjcmV0",
          "library/app",
          digest,
          "1.0",
          "application/vnd.oci.image.manifest.v1+json"};
}

Completion Done(const std::string& body) {
  return {"gen-1", "{\"sbom\":1}", {{"vulnerability", body}, {"sbom-spdx", "{\"spdx\":1}"}}};
}

// A database of its own per test in the process's private cluster.
class ServeQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    bool skip = false;
    options_.conninfo = testing::FreshDatabase("queue", &error, &skip);
    if (skip) GTEST_SKIP() << error;
    ASSERT_FALSE(options_.conninfo.empty()) << error;
    options_.credential_key = kKey;
    store_ = OpenStore();
    ASSERT_TRUE(store_);
  }
  std::unique_ptr<Store> OpenStore() {
    auto s = Store::Open(options_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::string One(const std::string& sql) {
    auto r = store_->connection().Exec("query", sql.c_str());
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && !r->rows.empty() ? r->rows[0][0].value_or("NULL") : "";
  }
  std::string Submit(const std::string& digest) {
    auto s = store_->Submit(Job(digest));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s->request_id : "";
  }
  ClaimedJob Claim(Store& store) {
    auto c = store.Claim("worker-a");
    EXPECT_TRUE(c.ok()) << c.error().message;
    EXPECT_TRUE(c.ok() && c->has_value());
    return c.ok() && c->has_value() ? **c : ClaimedJob{};
  }
  JobStatus StatusOf(const std::string& request) {
    auto s = store_->StatusOf(request);
    EXPECT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s.ok() && s->has_value()) << request;
    return s.ok() && s->has_value() ? **s : JobStatus{};
  }
  // Reap until it requeues or fails something, up to `limit` (the server notices a dead client's
  // socket asynchronously).
  Reaped ReapWithin(milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto r = store_->Reap();
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r.ok() || r->requeued + r->failed > 0 || std::chrono::steady_clock::now() > until) {
        return r.ok() ? *r : Reaped{};
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

TEST_F(ServeQueueTest, SubmitClaimComplete) {
  std::string request = Submit("sha256:aa");
  EXPECT_EQ(StatusOf(request).state, JobState::kQueued);
  EXPECT_EQ(StatusOf(request).queue_position, 0);

  ClaimedJob c = Claim(*store_);
  EXPECT_EQ(c.attempt, 1);
  EXPECT_EQ(c.job.digest, "sha256:aa");
  EXPECT_EQ(c.job.repository, "library/app");
  EXPECT_EQ(c.job.registry_url, "http://core:8080");
  EXPECT_EQ(c.job.tag, "1.0");
  EXPECT_EQ(c.job.mime_type, "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(c.job.authorization, "Basic cm9ib3Q6c2VjcmV0");
  EXPECT_EQ(StatusOf(request).state, JobState::kRunning);
  auto none = store_->Claim("worker-a");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto ok = store_->Complete(c, Done("{\"vulns\":[]}"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(*ok);
  JobStatus st = StatusOf(request);
  EXPECT_EQ(st.state, JobState::kDone);
  EXPECT_EQ(st.digest, "sha256:aa");
  EXPECT_EQ(st.db_generation, "gen-1");
  auto report = store_->Report(st.digest, "vulnerability", st.db_generation);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(*report, "{\"vulns\":[]}");
  EXPECT_EQ(*store_->Report(st.digest, "sbom-spdx", "gen-1"), "{\"spdx\":1}");
  EXPECT_EQ(*store_->Report(st.digest, "sbom-cyclonedx", "gen-1"), std::nullopt);
  EXPECT_EQ(One("SELECT sbom::text FROM sboms"), "\\x7b2273626f6d223a317d");
  // The credential is gone with the job.
  EXPECT_EQ(One("SELECT count(*) FROM jobs WHERE credential IS NOT NULL"), "0");
}

TEST_F(ServeQueueTest, UnknownRequest) {
  auto s = store_->StatusOf("no-such-id");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->has_value());
}

TEST_F(ServeQueueTest, CredentialSealedInTheRow) {
  Submit("sha256:aa");
  EXPECT_EQ(One("SELECT position('cm9ib3Q6c2VjcmV0'::bytea IN credential) FROM jobs"), "0");
  EXPECT_EQ(One("SELECT octet_length(credential) FROM jobs"),
            std::to_string(12 + std::string("Basic cm9ib3Q6c2VjcmV0").size() + 16));
  // A store with another key fails the job instead of handing out garbage.
  options_.credential_key = std::string(32, 'x');
  std::unique_ptr<Store> other = OpenStore();
  auto c = other->Claim("w");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(One("SELECT state || ': ' || error FROM jobs"),
            "failed: job " + One("SELECT id FROM jobs") +
                ": the sealed credential does not open with this server's key");
  EXPECT_EQ(One("SELECT count(*) FROM jobs WHERE credential IS NOT NULL"), "0");
}

TEST_F(ServeQueueTest, DuplicateRequestsCoalesce) {
  ScanJob vuln = Job("sha256:aa"), sbom = Job("sha256:aa");
  vuln.report_kinds = {"vulnerability"};
  sbom.report_kinds = {"sbom-spdx", "sbom-cyclonedx"};
  auto a = store_->Submit(vuln);
  auto b = store_->Submit(sbom);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->request_id, b->request_id);  // Harbor gets an id per request
  EXPECT_EQ(a->job_id, b->job_id);
  EXPECT_EQ(a->via, Submitted::Via::kNew);
  EXPECT_EQ(b->via, Submitted::Via::kCoalesced);
  // Each request keeps what it asked for.
  EXPECT_EQ(StatusOf(a->request_id).report_kinds, std::vector<std::string>{"vulnerability"});
  EXPECT_EQ(StatusOf(b->request_id).report_kinds,
            (std::vector<std::string>{"sbom-spdx", "sbom-cyclonedx"}));
  ClaimedJob c = Claim(*store_);
  // Still one job while it runs.
  auto d = store_->Submit(Job("sha256:aa"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->job_id, a->job_id);
  EXPECT_FALSE(store_->Claim("w")->has_value());
  ASSERT_TRUE(*store_->Complete(c, Done("r")));
  for (const auto& s : {*a, *b, *d}) EXPECT_EQ(StatusOf(s.request_id).state, JobState::kDone);
  // Done: without a generation to compare, a new request is new work.
  auto e = store_->Submit(Job("sha256:aa"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->via, Submitted::Via::kNew);
  EXPECT_NE(e->job_id, a->job_id);
}

TEST_F(ServeQueueTest, DoneForTheSameGenerationAnswersAtOnce) {
  auto a = store_->Submit(Job("sha256:aa"), "gen-1");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(*store_->Complete(Claim(*store_), Done("r")));
  auto same = store_->Submit(Job("sha256:aa"), "gen-1");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->via, Submitted::Via::kCached);
  EXPECT_EQ(same->job_id, a->job_id);
  EXPECT_EQ(StatusOf(same->request_id).state, JobState::kDone);
  auto newer = store_->Submit(Job("sha256:aa"), "gen-2");
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(newer->via, Submitted::Via::kNew);
  EXPECT_EQ(StatusOf(newer->request_id).state, JobState::kQueued);
}

TEST_F(ServeQueueTest, QueuePositionsAndCounts) {
  std::string a = Submit("sha256:aa"), b = Submit("sha256:bb"), c = Submit("sha256:cc");
  EXPECT_EQ(StatusOf(a).queue_position, 0);
  EXPECT_EQ(StatusOf(b).queue_position, 1);
  EXPECT_EQ(StatusOf(c).queue_position, 2);
  ClaimedJob first = Claim(*store_);
  EXPECT_EQ(first.job.digest, "sha256:aa");  // oldest first
  EXPECT_EQ(StatusOf(b).queue_position, 0);
  EXPECT_EQ(StatusOf(c).queue_position, 1);
  auto counts = store_->Counts();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->queued, 2);
  EXPECT_EQ(counts->running, 1);
}

TEST_F(ServeQueueTest, TwoClaimersAndAReaperNeverShareAJob) {
  constexpr int kJobs = 30;
  for (int i = 0; i < kJobs; ++i) Submit("sha256:" + std::to_string(i));
  std::unique_ptr<Store> stores[2] = {OpenStore(), OpenStore()};
  std::vector<std::string> got[2];
  std::string errors[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto c = stores[t]->Claim("worker-" + std::to_string(t));
        if (!c.ok()) {
          errors[t] = c.error().message;
          return;
        }
        if (!c->has_value()) return;
        got[t].push_back((*c)->id);
        auto done = stores[t]->Complete(**c, Done("r"));
        if (!done.ok() || !*done) errors[t] = "complete failed";
      }
    });
  }
  // A reaper running all along never takes a live worker's job (its lock is taken before the
  // claim commits, released after the completion commits).
  std::atomic<bool> stop{false};
  int reaped = 0;
  std::string reap_error;
  std::thread reaper([&] {
    while (!stop) {
      auto r = store_->Reap();
      if (!r.ok()) reap_error = r.error().message;
      if (r.ok()) reaped += r->requeued + r->failed;
      std::this_thread::sleep_for(milliseconds(10));
    }
  });
  for (std::thread& t : threads) t.join();
  stop = true;
  reaper.join();
  EXPECT_EQ(reap_error, "");
  EXPECT_EQ(reaped, 0);
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  std::vector<std::string> all = got[0];
  all.insert(all.end(), got[1].begin(), got[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), size_t{kJobs});
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end()) << "a job was claimed twice";
  EXPECT_EQ(One("SELECT count(*) FROM jobs WHERE state = 'done' AND attempt = 1"),
            std::to_string(kJobs));
}

// An idle worker sleeps in WaitForWork until a job is queued (LISTEN/NOTIFY), not for its timeout.
TEST_F(ServeQueueTest, WaitForWorkWakesOnSubmit) {
  std::unique_ptr<Store> worker = OpenStore();
  auto none = worker->Claim("w");  // starts listening
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  auto idle = worker->WaitForWork(milliseconds(100));
  ASSERT_TRUE(idle.ok()) << idle.error().message;
  EXPECT_FALSE(*idle);

  auto start = std::chrono::steady_clock::now();
  std::thread submitter([&] {
    std::this_thread::sleep_for(milliseconds(200));
    Submit("sha256:aa");
  });
  auto woke = worker->WaitForWork(milliseconds(10000));
  submitter.join();
  ASSERT_TRUE(woke.ok()) << woke.error().message;
  EXPECT_TRUE(*woke);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  auto c = worker->Claim("w");
  ASSERT_TRUE(c.ok() && c->has_value());
  // Consumed: the next wait times out again.
  EXPECT_FALSE(*worker->WaitForWork(milliseconds(50)));
}

// A worker process claims a job and is killed with SIGKILL: its session, and with it the job's
// advisory lock, is gone, so Reap requeues the job at once (the lease is 30 s); the next claim is
// attempt 2 and the dead attempt's completion is refused.
TEST_F(ServeQueueTest, KilledWorkerIsRequeuedAtOnce) {
  Submit("sha256:aa");
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the worker: a new session of its own
    close(pipefd[0]);
    auto store = Store::Open(options_);
    char ok = 'n';
    if (store.ok()) {
      auto c = (*store)->Claim("doomed");
      if (c.ok() && c->has_value()) ok = 'y';
    }
    (void)!write(pipefd[1], &ok, 1);
    pause();
    _exit(0);
  }
  close(pipefd[1]);
  char ok = 0;
  ASSERT_EQ(read(pipefd[0], &ok, 1), 1);
  close(pipefd[0]);
  ASSERT_EQ(ok, 'y');
  ClaimedJob dead{One("SELECT id FROM jobs"), 1, std::stoi(One("SELECT lock_key FROM jobs")), {}};
  // Alive and within its lease: nothing to reap.
  auto none = store_->Reap();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->requeued, 0);
  EXPECT_EQ(One("SELECT worker FROM jobs"), "doomed");

  kill(pid, SIGKILL);
  ASSERT_EQ(waitpid(pid, nullptr, 0), pid);
  auto start = std::chrono::steady_clock::now();
  Reaped r = ReapWithin(milliseconds(5000));
  EXPECT_EQ(r.requeued, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  EXPECT_EQ(One("SELECT state FROM jobs"), "queued");

  ClaimedJob again = Claim(*store_);
  EXPECT_EQ(again.attempt, 2);
  EXPECT_EQ(again.job.authorization, "Basic cm9ib3Q6c2VjcmV0");  // kept for the retry
  auto late = store_->Complete(dead, Done("stale"));
  ASSERT_TRUE(late.ok()) << late.error().message;
  EXPECT_FALSE(*late);
  EXPECT_FALSE(*store_->Fail(dead, "stale"));
  EXPECT_EQ(One("SELECT count(*) FROM reports"), "0");
  EXPECT_TRUE(*store_->Complete(again, Done("fresh")));
  EXPECT_EQ(*store_->Report("sha256:aa", "vulnerability", "gen-1"), "fresh");
}

// A hung worker keeps its session (and lock) but stops heartbeating: its lease expires, the job
// is requeued, and the hung worker learns from Heartbeat that the job is no longer its own.
TEST_F(ServeQueueTest, ExpiredLeaseIsRequeued) {
  options_.lease = milliseconds(300);
  std::unique_ptr<Store> hung = OpenStore();
  Submit("sha256:aa");
  ClaimedJob c = Claim(*hung);
  EXPECT_EQ(store_->Reap()->requeued, 0);
  ASSERT_TRUE(*hung->Heartbeat(c));
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(store_->Reap()->requeued, 1);
  auto beat = hung->Heartbeat(c);
  ASSERT_TRUE(beat.ok()) << beat.error().message;
  EXPECT_FALSE(*beat);
  ClaimedJob next = Claim(*store_);
  EXPECT_EQ(next.attempt, 2);
  EXPECT_FALSE(*hung->Complete(c, Done("stale")));
  EXPECT_TRUE(*store_->Heartbeat(next));
  EXPECT_TRUE(*store_->Complete(next, Done("fresh")));
}

TEST_F(ServeQueueTest, LostTooOftenFails) {
  options_.lease = milliseconds(100);
  options_.max_attempts = 2;
  store_ = OpenStore();
  std::string request = Submit("sha256:aa");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    std::unique_ptr<Store> worker = OpenStore();
    EXPECT_EQ(Claim(*worker).attempt, attempt);
    std::this_thread::sleep_for(milliseconds(150));
    Reaped r = *store_->Reap();
    EXPECT_EQ(r.requeued, attempt < 2 ? 1 : 0);
    EXPECT_EQ(r.failed, attempt < 2 ? 0 : 1);
  }
  JobStatus st = StatusOf(request);
  EXPECT_EQ(st.state, JobState::kFailed);
  EXPECT_EQ(st.error, "the worker was lost 2 times (killed, disconnected or past its lease)");
  EXPECT_EQ(One("SELECT count(*) FROM jobs WHERE credential IS NOT NULL"), "0");
}

TEST_F(ServeQueueTest, FailEndsTheJobWithItsReason) {
  std::string request = Submit("sha256:aa");
  ClaimedJob c = Claim(*store_);
  auto f = store_->Fail(c, "registry http://core:8080: 401 Unauthorized");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_TRUE(*f);
  JobStatus st = StatusOf(request);
  EXPECT_EQ(st.state, JobState::kFailed);
  EXPECT_EQ(st.error, "registry http://core:8080: 401 Unauthorized");
  EXPECT_EQ(One("SELECT count(*) FROM jobs WHERE credential IS NOT NULL"), "0");
  EXPECT_FALSE(*store_->Complete(c, Done("r")));
}

TEST_F(ServeQueueTest, CompleteTwiceStoresOnce) {
  Submit("sha256:aa");
  ClaimedJob c = Claim(*store_);
  EXPECT_TRUE(*store_->Complete(c, Done("first")));
  // A repeat of the same completion (its answer lost, say) is accepted and changes nothing.
  EXPECT_TRUE(*store_->Complete(c, Done("second")));
  // Another job for the digest, same generation: the stored report stays.
  Submit("sha256:aa");
  EXPECT_TRUE(*store_->Complete(Claim(*store_), Done("third")));
  EXPECT_EQ(One("SELECT count(*) FROM reports WHERE kind = 'vulnerability'"), "1");
  EXPECT_EQ(One("SELECT count(*) FROM sboms"), "1");
  EXPECT_EQ(*store_->Report("sha256:aa", "vulnerability", "gen-1"), "first");
}

// PostgreSQL restarts between operations: each store reconnects on its next call and no job is
// lost; a running job's worker takes its advisory lock again on its next heartbeat.
TEST_F(ServeQueueTest, PostgresRestart) {
  std::string error;
  bool skip = false;
  auto own = testing::PostgresServer::Start(&error, &skip);
  ASSERT_TRUE(own) << error;
  options_.conninfo = own->ConnInfo();
  std::unique_ptr<Store> api = OpenStore(), worker = OpenStore();
  ASSERT_TRUE(api && worker);
  std::string a = api->Submit(Job("sha256:aa"))->request_id;
  std::string b = api->Submit(Job("sha256:bb"))->request_id;
  auto claimed = worker->Claim("w");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  ClaimedJob c = **claimed;

  ASSERT_TRUE(own->Restart(&error)) << error;

  auto beat = worker->Heartbeat(c);  // reconnects, and locks the job again
  ASSERT_TRUE(beat.ok()) << beat.error().message;
  EXPECT_TRUE(*beat);
  auto reaped = api->Reap();  // reconnects
  ASSERT_TRUE(reaped.ok()) << reaped.error().message;
  EXPECT_EQ(reaped->requeued, 0);
  ASSERT_TRUE(own->Restart(&error)) << error;
  auto done = worker->Complete(c, Done("r"));
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(*done);
  ASSERT_TRUE(own->Restart(&error)) << error;
  auto next = worker->Claim("w");
  ASSERT_TRUE(next.ok()) << next.error().message;
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->job.digest, "sha256:bb");
  auto sa = api->StatusOf(a);
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  EXPECT_EQ((*sa)->state, JobState::kDone);
  EXPECT_EQ((*api->StatusOf(b))->state, JobState::kRunning);
  EXPECT_EQ(*api->Report("sha256:aa", "vulnerability", "gen-1"), "r");

  // Down for good: a clear error, not a crash.
  ASSERT_TRUE(own->Stop(&error)) << error;
  auto down = api->StatusOf(a);
  ASSERT_FALSE(down.ok());
  EXPECT_NE(down.error().message.find("cannot reconnect to PostgreSQL host="), std::string::npos)
      << down.error().message;
}

}  // namespace
}  // namespace distill::serve
