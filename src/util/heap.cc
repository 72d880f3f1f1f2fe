#include "util/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace distill::heap {

namespace {

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
// glibc refuses an mmap threshold above half its arena heap size (32 MiB on 64-bit): mallopt
// returns 0 and keeps the old one.
constexpr size_t kMaxMmapThreshold = size_t{32} << 20;

}  // namespace

size_t BackMainArenaWithHugePages(size_t reserve) {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(std::min(reserve, kMaxMmapThreshold)));
  // Trim only far above the reservation, so the advised range is never given back.
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * reserve));
  // An allocation larger than the free top of the heap makes malloc extend it by the request plus
  // the top pad: the whole reservation, in one sbrk. Then the free top is [break - keepcost,
  // break).
  ::mallopt(M_TOP_PAD, static_cast<int>(reserve));
  void* held[8];
  size_t n = 0;
  while (n < std::size(held) && ::mallinfo2().keepcost < reserve) {
    held[n] = std::malloc(std::min(::mallinfo2().keepcost + 4096, kMaxMmapThreshold / 2));
    asm volatile("" : : "r"(held[n]) : "memory");  // (or the compiler drops the pair)
    ++n;
  }
  for (size_t i = 0; i < n; ++i) std::free(held[i]);
  ::mallopt(M_TOP_PAD, 64 << 20);
  auto end = reinterpret_cast<uintptr_t>(::sbrk(0));
  size_t top = ::mallinfo2().keepcost;
  if (end == static_cast<uintptr_t>(-1) || top == 0 || top > end) return 0;
  uintptr_t from = (end - top + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t to = end & ~(kHugePage - 1);
  if (to <= from) return 0;
  if (::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) != 0) return 0;
  return to - from;
}

void ReexecWithHugePageArenas() {
  constexpr std::string_view kTunable = "glibc.malloc.hugetlb=1";
  constexpr const char* kMarker =
      "DISTILL_REEXECUTED";  // (never twice, even where glibc drops the tunable)
  if (std::getenv(kMarker)) {
    ::unsetenv(kMarker);
    return;
  }
  const char* old = std::getenv("GLIBC_TUNABLES");  // (only tested for null after the setenv)
  const std::string saved = old ? old : "";
  if (saved.find("glibc.malloc.hugetlb") != std::string::npos) return;  // set (by the user)
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<char*> argv;
  for (size_t i = 0; i < cmdline.size(); i += std::strlen(cmdline.c_str() + i) + 1)
    argv.push_back(cmdline.data() + i);
  if (argv.empty()) return;
  argv.push_back(nullptr);
  const std::string value =
      saved.empty() ? std::string(kTunable) : saved + ":" + std::string(kTunable);
  if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0 || ::setenv(kMarker, "1", 1) != 0) return;
  ::execv("/proc/self/exe", argv.data());
  // (exec failed: carry on without)
  ::unsetenv(kMarker);
  if (old)
    ::setenv("GLIBC_TUNABLES", saved.c_str(), 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
}

ScratchBuffer::ScratchBuffer(size_t capacity) : capacity_(capacity) {
  if (capacity == 0) return;
  // Map a huge page more than asked, then give back what lies outside the aligned range.
  const size_t len = (capacity + kHugePage - 1) & ~(kHugePage - 1);
  void* p = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) ::munmap(p, aligned - start);
  if (uintptr_t end = start + len + kHugePage; end > aligned + len)
    ::munmap(reinterpret_cast<void*>(aligned + len), end - aligned - len);
  data_ = reinterpret_cast<char*>(aligned);
  mapped_ = len;
  ::madvise(data_, mapped_, MADV_HUGEPAGE);  // (advice: without THP the buffer works as it is)
}

ScratchBuffer::~ScratchBuffer() {
  if (data_) ::munmap(data_, mapped_);
}

ScratchBuffer::ScratchBuffer(ScratchBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      capacity_(std::exchange(other.capacity_, 0)),
      mapped_(std::exchange(other.mapped_, 0)) {}

ScratchBuffer& ScratchBuffer::operator=(ScratchBuffer&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(data_, mapped_);
    data_ = std::exchange(other.data_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

}  // namespace distill::heap
