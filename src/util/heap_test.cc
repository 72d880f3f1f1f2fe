#include "util/heap.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "testing/sanitized.h"
#include "util/file.h"

namespace distill::heap {
namespace {

using testing::kSanitized;

// The AnonHugePages line of /proc/self/smaps_rollup, in KiB.
long AnonHugeKiB() {
  std::ifstream in("/proc/self/smaps_rollup");  // (a /proc file has no size to read by)
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("AnonHugePages:")) return std::strtol(line.c_str() + 14, nullptr, 10);
  return -1;
}

[[noreturn]] void HugePagesChild() {
  long before = AnonHugeKiB();
  size_t advised = BackMainArenaWithHugePages(size_t{64} << 20);
  if (advised < (size_t{32} << 20)) std::_Exit(2);
  // Small allocations, as the matcher makes: they come from the advised main arena.
  constexpr size_t kBlocks = 16 << 10;
  constexpr size_t kSize = 1024;
  void** blocks = static_cast<void**>(std::malloc(kBlocks * sizeof(void*)));
  for (size_t i = 0; i < kBlocks; ++i) std::memset(blocks[i] = std::malloc(kSize), 1, kSize);
  long after = AnonHugeKiB();
  for (size_t i = 0; i < kBlocks; ++i) std::free(blocks[i]);
  std::free(blocks);
  std::_Exit(before >= 0 && after >= before + 2048 ? 0 : 3);
}

[[noreturn]] void GrowthChild() {
  BackMainArenaWithHugePages(size_t{16} << 20);
  // More than the reservation: the heap grows past it as usual.
  for (int i = 0; i < 8; ++i) {
    char* p = static_cast<char*>(std::malloc(size_t{8} << 20));
    if (p == nullptr) std::_Exit(2);
    std::memset(p, i, size_t{8} << 20);
    if (p[12345] != i) std::_Exit(3);
    if (i % 2 == 1) std::free(p);  // (the others stay allocated)
  }
  std::_Exit(0);
}

// In a child process: the settings are process-wide and would change every later test's heap.
TEST(HeapTest, MainArenaMemoryComesInHugePages) {
  if (kSanitized) GTEST_SKIP() << "the sanitizers replace malloc";
  auto mode = ReadFile("/sys/kernel/mm/transparent_hugepage/enabled", 4096);
  if (!mode.ok() || mode->find("[never]") != std::string::npos)
    GTEST_SKIP() << "no transparent huge pages here";
  // "threadsafe": the child re-runs the test binary for this test alone, so its heap is fresh, as a
  // command's is (in a forked copy of a long test run, small allocations come from free lists).
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(HugePagesChild(), ::testing::ExitedWithCode(0), "");
}

TEST(HeapTest, MallocStillWorksAfterwards) {
  EXPECT_EXIT(GrowthChild(), ::testing::ExitedWithCode(0), "");
}

// The statement runs twice: once as the test's child, and again in the process the child became
// (gtest re-runs the test body up to the statement there: nothing before it may change the
// environment).
[[noreturn]] void ReexecChild() {
  const char* runs = std::getenv("DISTILL_TEST_RUNS");
  const int run = runs ? std::atoi(runs) + 1 : 1;
  if (run == 1) ::unsetenv("GLIBC_TUNABLES");
  ::setenv("DISTILL_TEST_RUNS", std::to_string(run).c_str(), 1);
  if (run > 3) std::_Exit(20);  // (a loop)
  ReexecWithHugePageArenas();
  const char* t = std::getenv("GLIBC_TUNABLES");
  const bool tuned =
      t && std::string_view(t).find("glibc.malloc.hugetlb=1") != std::string_view::npos;
  std::_Exit(run == 2 && tuned && !std::getenv("DISTILL_REEXECUTED") ? 0 : 10 + run);
}

TEST(HeapTest, ReexecSetsTheArenaTunableOnce) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(ReexecChild(), ::testing::ExitedWithCode(0), "");
}

TEST(HeapTest, ScratchBufferIsAlignedWritableAndMovable) {
  ScratchBuffer empty;
  EXPECT_EQ(empty.data(), nullptr);
  for (size_t size : {size_t{1}, size_t{4096}, size_t{3} << 20}) {
    ScratchBuffer b(size);
    ASSERT_NE(b.data(), nullptr);
    EXPECT_EQ(b.capacity(), size);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % (uintptr_t{2} << 20), 0u);
    std::memset(b.data(), 0x5a, size);
    ScratchBuffer moved = std::move(b);
    EXPECT_EQ(b.data(), nullptr);
    EXPECT_EQ(static_cast<unsigned char>(moved.data()[size - 1]), 0x5a);
    b = std::move(moved);
    EXPECT_EQ(static_cast<unsigned char>(b.data()[0]), 0x5a);
  }
}

// Written memory of the buffer comes in huge pages where the kernel has them.
TEST(HeapTest, ScratchBufferComesInHugePages) {
  auto mode = ReadFile("/sys/kernel/mm/transparent_hugepage/enabled", 4096);
  if (!mode.ok() || mode->find("[never]") != std::string::npos)
    GTEST_SKIP() << "no transparent huge pages here";
  long before = AnonHugeKiB();
  ScratchBuffer b(size_t{8} << 20);
  std::memset(b.data(), 1, b.capacity());
  EXPECT_GE(AnonHugeKiB(), before + 4096);
}

}  // namespace
}  // namespace distill::heap
