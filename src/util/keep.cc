#include "util/keep.h"

#include <mutex>
#include <vector>

namespace distill::detail {

namespace {
std::mutex mu;
std::vector<const void*>* kept = nullptr;  // never freed: a root for leak checkers
}  // namespace

void KeepPointer(const void* p) {
  std::lock_guard lock(mu);
  if (kept == nullptr) kept = new std::vector<const void*>;
  kept->push_back(p);
}

}  // namespace distill::detail
