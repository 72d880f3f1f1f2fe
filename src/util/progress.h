// A progress bar on stderr, drawn only when stderr is a terminal and output is not quiet.
// Thread-safe: workers call Add() from any thread; redraws are rate-limited.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace distill {

class Progress {
 public:
  Progress(std::string label, uint64_t total);
  ~Progress();
  void Add(uint64_t n);
  bool enabled() const { return enabled_; }

 private:
  void Draw(bool final);
  std::string label_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  bool enabled_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace distill
