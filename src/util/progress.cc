#include "util/progress.h"

#include <unistd.h>

#include <fmt/format.h>

#include "util/log.h"

namespace distill {

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(2) && log::level() == log::Level::kNormal && total > 0) {}

Progress::~Progress() {
  if (enabled_) Draw(true);
}

void Progress::Add(uint64_t n) {
  uint64_t d = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  (void)d;
  Draw(false);
}

void Progress::Draw(bool final) {
  uint64_t d = std::min(done_.load(), total_);
  int width = 30;
  int filled = total_ ? static_cast<int>(width * d / total_) : width;
  fmt::print(stderr, "\r{} [{}{}] {:.1f}/{:.1f} MB{}", label_, std::string(filled, '#'),
             std::string(width - filled, ' '), d / 1e6, total_ / 1e6, final ? "\r\033[K" : "");
  std::fflush(stderr);
}

}  // namespace distill
