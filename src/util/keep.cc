#include "util/keep.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <vector>

#include "util/sanitizers.h"

namespace distill::detail {

namespace {
std::mutex mu;
std::vector<const void*>* kept = nullptr;  // never freed: a root for leak checkers
}  // namespace

void KeepPointer(const void* pointer) {
  std::lock_guard lock(mu);
  if (kept == nullptr) kept = new std::vector<const void*>;
  kept->push_back(pointer);
}

}  // namespace distill::detail

namespace distill {

void ExitWithoutCleanup(int code) {
  std::cout.flush();
  std::cerr.flush();
  // A failed flush (a full disk behind stdout) must not turn into success: exit 2, as for any
  // output that could not be written. (exit() would flush too, but ignore the failure.)
  // (The first failed flush, std::cout's, drops stdio's buffer: the error stays in the flags.)
  const bool lost = std::fflush(nullptr) != 0 || std::ferror(stdout) != 0 || !std::cout;
  if (lost && code == 0) {
    constexpr char kMsg[] = "error: cannot write to standard output\n";
    ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    (void)ignored;
    code = 2;
  }
  if constexpr (kSanitizerBuild) std::exit(code);  // (the leak checker runs at exit)
  ::_exit(code);
}

}  // namespace distill
