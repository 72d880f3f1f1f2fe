// Import throughput, not a timed test: run with --gtest_also_run_disabled_tests
// --gtest_filter='*VulnDbBench*'. The goal (issue 5) is ≥ 200,000 affected rows/s.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/db/database.h"
#include "vuln/db/writer.h"

namespace distill::vuln {
namespace {

TEST(VulnDbBench, DISABLED_ImportRowsPerSecond) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("distill-bench-" + std::to_string(::getpid()) + ".db"))
                         .string();
  constexpr int kRows = 300000;
  // Real record shapes: an Alpine secdb fix (one range) per package × CVE, 10 CVEs a package.
  std::vector<Advisory> rows(kRows);
  for (int i = 0; i < kRows; ++i) {
    Advisory& a = rows[i];
    a.id = "CVE-2024-" + std::to_string(10000 + i);
    a.aliases = {"GHSA-xxxx-" + std::to_string(i)};
    a.source = "secdb";
    a.ecosystem = "alpine:3." + std::to_string(i % 20);
    a.package = "pkg" + std::to_string(i / 10);
    a.state = FixState::kFixed;
    a.fixed_versions = {"1.2." + std::to_string(i % 100) + "-r0"};
    a.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, a.fixed_versions[0]}}}};
    a.severities = {
        {"nvd", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "high"}};
    a.summary = "A summary of typical length for an advisory, about one line of text.";
  }
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  auto w = Writer::Create(path, {true, 1});
  ASSERT_TRUE(w.ok());
  auto src = (*w)->Source("secdb", "bench");
  ASSERT_TRUE(src.ok());
  for (const auto& a : rows) ASSERT_TRUE((*w)->Add(*src, a).ok());
  double adds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE((*w)->Commit().ok());
  double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf("adds: %.3f s wall; import %.3f s CPU = %.0f rows/CPU-s\n", adds, cpu, kRows / cpu);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  auto t1 = std::chrono::steady_clock::now();
  size_t found = 0;
  for (int i = 0; i < 1000; ++i)
    found +=
        (*db)->Lookup("alpine:3." + std::to_string(i % 20), "pkg" + std::to_string(i * 30))->size();
  double l = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  std::printf(
      "import: %d rows in %.3f s = %.0f rows/s; DB %.1f MB; 1000 lookups: %.1f ms (%zu hits)\n",
      kRows, s, kRows / s, std::filesystem::file_size(path) / 1e6, l * 1000, found);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace distill::vuln
