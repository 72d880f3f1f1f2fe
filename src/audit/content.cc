#include "audit/content.h"

namespace distill::audit {

namespace {

bool Executable(const image::Entry& entry) { return (entry.mode & 0111) != 0; }

// Contents a text pattern cannot see into, or that only hold translations: compressed data (gzip,
// xz, zstd, bzip2) and gettext .mo catalogs. Skipping them keeps the scan off a large share of a
// Debian image's bytes (doc/audit.md, "Benchmark").
bool Opaque(std::string_view data) {
  auto magic = [&](std::string_view prefix) { return data.starts_with(prefix); };
  return magic("\x1f\x8b") || magic("\xfd" "7zXZ") || magic("\x28\xb5\x2f\xfd") || magic("BZh") ||
         magic("\xde\x12\x04\x95") || magic("\x95\x04\x12\xde");
}

}  // namespace

void ContentScan::AddTo(image::ContentPlan* plan) {
  plan->visit = [this](const image::Entry& entry) { return Wants(entry); };
  plan->visitor = [this](const image::Entry& entry, std::string_view data) { Visit(entry, data); };
}

bool ContentScan::Wants(const image::Entry& entry) const {
  if (entry.type != image::FileType::kRegular) return false;
  if (entry.size <= limits_.max_secret_file_bytes) return true;
  return Executable(entry) && entry.size <= limits_.max_exec_file_bytes;
}

void ContentScan::Visit(const image::Entry& entry, std::string_view data) {
  FileFacts f;
  bool any = false;
  if (Executable(entry)) {
    if (IsElf(data)) {
      f.elf = any = true;
      auto info = ParseElf(data);
      if (info.ok()) f.elf_info = std::move(*info);
      else f.elf_error = info.error().message;
    } else if (data.starts_with("#!")) {
      std::string_view line = data.substr(2, data.find('\n') == std::string_view::npos ? 256 : data.find('\n') - 2);
      size_t b = line.find_first_not_of(" \t");
      if (b != std::string_view::npos) {
        line = line.substr(b);
        f.shebang = std::string(line.substr(0, line.find_first_of(" \t\r")));
        any = !f.shebang.empty();
      }
    }
  }
  if (secrets_ && data.size() <= limits_.max_secret_file_bytes && !Opaque(data)) {
    f.secrets = secrets_->Scan(entry.path, data);
    any = any || !f.secrets.empty();
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++scanned_;
  if (any) facts_[{entry.path, entry.layer}] = std::move(f);
}

void ContentScan::ScanIndex(const image::FileIndex& files) {
  for (const image::Entry& e : files.entries()) {
    if (!Wants(e)) continue;
    auto data = files.Contents(e.path);
    if (data.ok()) Visit(e, *data);
  }
}

const FileFacts* ContentScan::Find(const image::Entry& entry) const {
  auto it = facts_.find({entry.path, entry.layer});
  return it == facts_.end() ? nullptr : &it->second;
}

}  // namespace distill::audit
