// Work spread over threads, its results kept in a fixed order: what `build` does with its packages
// (read, or fetched and checked, each on its own), so that the first error in that order wins
// whatever finished first.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <optional>
#include <thread>
#include <vector>

namespace distill {

// `threads` when positive, else one per core (at least 1).
inline unsigned ThreadCount(int threads) {
  return threads > 0 ? static_cast<unsigned>(threads)
                     : std::max(1u, std::thread::hardware_concurrency());
}

// fn(i) for each i of `order` (a permutation of 0..order.size()-1: the order the work is taken
// in, e.g. biggest first), on up to `threads` threads (0: one per core); the results by index.
template <typename Fn>
auto ParallelMap(const std::vector<size_t>& order, int threads, Fn fn)
    -> std::vector<decltype(fn(size_t{}))> {
  using R = decltype(fn(size_t{}));
  std::vector<std::optional<R>> got(order.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < order.size();) got[order[k]].emplace(fn(order[k]));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(ThreadCount(threads), order.size()); ++t)
    pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::vector<R> out;
  out.reserve(got.size());
  for (auto& r : got) out.push_back(std::move(*r));
  return out;
}

// The same over 0..n-1 in index order.
template <typename Fn>
auto ParallelMap(size_t n, int threads, Fn fn) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  return ParallelMap(order, threads, fn);
}

}  // namespace distill
