#include "vuln/db/async_writer.h"

namespace distill::vuln {

AsyncWriter::AsyncWriter(Writer& w) : writer_(w), worker_([this] { Run(); }) {
  pending_.reserve(kBatch);
}

AsyncWriter::~AsyncWriter() { (void)Finish(); }

void AsyncWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    Batch batch = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    bool failed = !error_.ok();
    lock.unlock();
    cv_.notify_all();  // room in the queue
    Status st;
    if (!failed) st = writer_.Insert(batch);  // encodes (what is not yet) and inserts here
    lock.lock();
    busy_ = false;
    if (!st.ok() && error_.ok()) error_ = std::move(st);
    cv_.notify_all();  // Drain() may be waiting for an idle worker
  }
}

void AsyncWriter::Flush(std::unique_lock<std::mutex>& lock) {
  if (pending_.empty()) return;
  cv_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
  queue_.push_back(std::move(pending_));
  pending_ = Batch();
  pending_.reserve(kBatch);
  cv_.notify_all();
}

Status AsyncWriter::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  Flush(lock);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
  return error_;
}

Result<int64_t> AsyncWriter::Source(std::string_view kind, std::string_view origin) {
  DISTILL_TRY_VOID(Drain());
  return writer_.Source(kind, origin);  // the worker is idle: the connection is ours
}

Status AsyncWriter::Add(int64_t source, Advisory&& a) {
  Writer::Numbered n = writer_.Number(source, a.id);  // on the caller's thread
  pending_.push_back({source, n, std::move(a), {}, false});
  return Queued();
}

Status AsyncWriter::Add(int64_t source, Advisory&& a, Writer::Encoded&& e) {
  Writer::Numbered n = writer_.Number(source, a.id);
  pending_.push_back({source, n, std::move(a), std::move(e), true});
  return Queued();
}

Status AsyncWriter::Queued() {
  if (pending_.size() < kBatch) return {};
  std::unique_lock<std::mutex> lock(mu_);
  Flush(lock);
  return error_;
}

Status AsyncWriter::Finish() {
  if (!worker_.joinable()) return error_;
  Status st = Drain();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
  return st;
}

}  // namespace distill::vuln
