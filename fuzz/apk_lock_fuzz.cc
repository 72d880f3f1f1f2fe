// Fuzzes the APK lock readers (imagebuild/apk/lock.h): distill.lock's "# distill.lock v1 apk" text
// and apko's apko.lock.json, told apart by the first byte that is not blank. What reads must write
// and read back the same, and the repositories it locks must keep every package it pins.
// Seeds: fuzz/make_seeds.py apk_lock/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "imagebuild/apk/lock.h"

using namespace distill::imagebuild::apk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lock = ParseApkLock(text, "fuzz.lock");
  if (!lock.ok()) return 0;
  auto written = FormatApkLock(*lock);
  if (!written.ok()) __builtin_trap();  // everything read is writable
  auto again = ParseApkLock(*written, "fuzz.lock");
  if (!again.ok() || again->packages.size() != lock->packages.size()) __builtin_trap();
  for (const LockedPackage& p : again->packages)
    if (!lock->Find(p.arch, p.checksum)) __builtin_trap();
  if (lock->packages.empty()) return 0;
  // A repository listing exactly the pinned packages of one arch is restricted to all of them.
  const std::string arch = lock->packages[0].arch;
  Repository repo{"fuzz", "", {}};
  for (const LockedPackage& p : lock->packages) {
    if (p.arch != arch) continue;
    IndexEntry e;
    e.name = p.name;
    e.version = p.version;
    e.checksum = p.checksum;
    repo.packages.push_back(e);
  }
  size_t pinned = repo.packages.size();
  std::vector<Repository> repos{repo};
  if (!RestrictToLock(*lock, arch, &repos).ok() || repos[0].packages.size() != pinned)
    __builtin_trap();
  return 0;
}
