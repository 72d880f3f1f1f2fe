#include "util/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace distill::heap {

namespace {
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
}  // namespace

void KeepFreedMemory(size_t keep) {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(keep));
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(keep));
  ::mallopt(M_TOP_PAD, 64 << 20);
}

size_t BackMainArenaWithHugePages(size_t reserve) {
  // Trim only far above the reservation, so the advised range is never given back.
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(reserve));
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * reserve));
  // One allocation larger than the free top of the heap makes malloc extend it by the request
  // plus the top pad: the whole reservation, in one sbrk.
  ::mallopt(M_TOP_PAD, static_cast<int>(reserve));
  struct mallinfo2 before = ::mallinfo2();
  void* p = std::malloc(before.keepcost + 4096);
  asm volatile("" : : "r"(p) : "memory");  // (or the compiler drops the pair)
  std::free(p);
  ::mallopt(M_TOP_PAD, 64 << 20);
  struct mallinfo2 after = ::mallinfo2();
  auto end = reinterpret_cast<uintptr_t>(::sbrk(0));
  if (end == static_cast<uintptr_t>(-1) || after.arena == 0 || after.arena > end) return 0;
  uintptr_t start = end - after.arena;  // the main arena is [sbrk start, current break)
  uintptr_t from = (start + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t to = end & ~(kHugePage - 1);
  if (to <= from) return 0;
  if (::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) != 0) return 0;
  return to - from;
}

}  // namespace distill::heap
