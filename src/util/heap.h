// How the heavy commands ask glibc's malloc to behave (doc/design.md, "Footprint").
//
// A page fault is dear (on paravirtualised machines such as CI's, the kernel handling them is a
// large share of a scan's matching time: doc/design.md, "Footprint"), and a command that builds a
// large heap and exits pays one per 4 KiB page it touches. These calls trade some peak RSS for far
// fewer faults. Only commands without an RSS goal tighter than their working set use them:
// `sbom dir:` (whose goal is a fraction of trivy's peak RSS, doc/design.md) does not.
#pragma once

#include <cstddef>

namespace distill::heap {

// Extends the main arena by `reserve` bytes of address space now (no memory is touched) and asks
// for transparent huge pages there (madvise MADV_HUGEPAGE, which the kernel's default "madvise"
// mode honours): one fault per 2 MiB instead of per 4 KiB, and fewer TLB misses. What is advised
// is the free top of the main arena, where later allocations are carved from. Freed memory stays
// in the heap (no trimming below twice `reserve`; no mmap'd chunks below `reserve` or glibc's
// 32 MiB limit for that threshold): a command that frees and re-allocates large buffers would
// otherwise return them to the kernel and fault them in, zeroed, again. Memory is only resident
// once touched, but in 2 MiB steps, so peak RSS rounds up. Threads' arenas are not affected.
// Returns the bytes advised (0 when the kernel said no, e.g. THP compiled out: malloc then works as
// before).
size_t BackMainArenaWithHugePages(size_t reserve = size_t{256} << 20);

// Makes every malloc arena, not only the main one, ask for transparent huge pages
// (glibc.malloc.hugetlb=1): a command that allocates on every core (db import) otherwise pays a
// page fault per 4 KiB in each thread's arena. The tunable is read only at process start, so the
// process re-executes itself (/proc/self/exe, the same arguments and environment plus the
// tunable) once, before any work; returns when the tunable is set already, or when the exec
// fails (malloc then works as before).
void ReexecWithHugePageArenas();

// A large buffer that is filled and refilled (a download ring, a layer's inflate chunks, the
// buffer files are streamed through): `capacity` bytes of address space of its own, aligned to
// 2 MiB and advised for transparent huge pages, so it costs one fault per 2 MiB as it is first
// written instead of one per 4 KiB page, and is never zero-filled by the program. Nothing is
// resident until written. Throws std::bad_alloc when the address space cannot be had.
class ScratchBuffer {
 public:
  ScratchBuffer() = default;
  explicit ScratchBuffer(size_t capacity);
  ~ScratchBuffer();
  ScratchBuffer(ScratchBuffer&& other) noexcept;
  ScratchBuffer& operator=(ScratchBuffer&& other) noexcept;
  char* data() const { return data_; }
  size_t capacity() const { return capacity_; }

 private:
  char* data_ = nullptr;
  size_t capacity_ = 0, mapped_ = 0;
};

}  // namespace distill::heap
