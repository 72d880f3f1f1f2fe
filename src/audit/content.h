// The audit's look inside files, done while the layers stream by (ContentPlan::visitor): every
// regular file up to a size cap is scanned for secrets, every executable is parsed as ELF (or its
// "#!" line read). Only the facts are kept, keyed by (path, layer), so memory holds findings, not
// file contents. A dir: source has no stream: ScanIndex reads the same files afterwards.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "audit/secrets.h"
#include "image/file_index.h"
#include "util/elf.h"

namespace distill::audit {

struct ContentLimits {
  uint64_t max_secret_file_bytes = 1ull << 20;  // larger files are not scanned for secrets
  uint64_t max_exec_file_bytes = 256ull << 20;  // larger executables are not parsed as ELF
};

struct FileFacts {
  bool elf = false;
  elf::LinkInfo elf_info;
  std::string elf_error;  // an ELF file (elf::IsElf) whose headers did not parse
  std::string shebang;    // the interpreter a "#!" line names ("/bin/sh"), "" when none
  std::vector<SecretHit> secrets;
};

class ContentScan {
 public:
  explicit ContentScan(const SecretScanner* secrets, ContentLimits limits = {})
      : secrets_(secrets), limits_(limits) {}

  // Sets plan->visit and plan->visitor to this scan (which must outlive the load).
  void AddTo(image::ContentPlan* plan);
  bool Wants(const image::Entry& entry) const;
  void Visit(const image::Entry& entry, std::string_view data);  // thread-safe

  // For sources read without a stream (dir:): scans the wanted entries of the squashed view.
  void ScanIndex(const image::FileIndex& files);

  using Key = std::pair<std::string, int32_t>;  // path, layer
  // Facts of files that had any (ELF, "#!", secrets), including files of lower layers that a
  // later layer replaced or deleted (their bytes are still in the image).
  const std::map<Key, FileFacts>& facts() const { return facts_; }
  const FileFacts* Find(const image::Entry& entry) const;
  uint64_t files_scanned() const { return scanned_; }

 private:
  const SecretScanner* secrets_;
  ContentLimits limits_;
  std::mutex mu_;
  std::map<Key, FileFacts> facts_;
  uint64_t scanned_ = 0;
};

}  // namespace distill::audit
