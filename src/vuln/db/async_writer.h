// A Writer fed from another thread: parsing (the caller's thread) and SQLite inserts (a worker)
// overlap, which nearly halves the wall time of an import on two cores. Records travel in
// batches through a bounded queue, so memory stays small whatever the source's size.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "vuln/db/writer.h"

namespace distill::vuln {

class AsyncWriter {
 public:
  explicit AsyncWriter(Writer& w);
  ~AsyncWriter();  // finishes (see Finish)
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  // Waits until every queued record is written, then registers the source on this thread.
  Result<int64_t> Source(std::string_view kind, std::string_view origin);
  // Queues a record; returns the first error the worker met, if any (then stop feeding).
  Status Add(int64_t source, Advisory&& a);
  // The same for a record whose JSON columns the caller encoded (Writer::Encode), so that
  // several parsing threads share that work.
  Status Add(int64_t source, Advisory&& a, Writer::Encoded&& e);
  // Writes everything queued and stops the worker; returns the first error. Idempotent.
  Status Finish();

 private:
  using Batch = std::vector<Writer::Record>;
  static constexpr size_t kBatch = 512, kMaxQueued = 8;

  void Run();
  void Flush(std::unique_lock<std::mutex>& lock);
  Status Drain();
  Status Queued();  // after adding to pending_: flushes a full batch

  Writer& writer_;
  Batch pending_;  // the caller's batch being filled
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  bool busy_ = false, stop_ = false;
  Status error_;
  std::thread worker_;
};

}  // namespace distill::vuln
