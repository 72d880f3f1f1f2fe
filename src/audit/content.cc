#include "audit/content.h"

namespace distill::audit {

namespace {

bool Executable(const image::Entry& e) { return (e.mode & 0111) != 0; }

// Contents a text pattern cannot see into, or that only hold translations: compressed data (gzip,
// xz, zstd, bzip2) and gettext .mo catalogs. Skipping them keeps the scan off ~25% of a Debian
// image's bytes (bench/audit.sh).
bool Opaque(std::string_view d) {
  auto magic = [&](std::string_view m) { return d.starts_with(m); };
  return magic("\x1f\x8b") ||
         magic(
             "\xfd"
             "7zXZ") ||
         magic("\x28\xb5\x2f\xfd") || magic("BZh") || magic("\xde\x12\x04\x95") ||
         magic("\x95\x04\x12\xde");
}

}  // namespace

void ContentScan::AddTo(image::ContentPlan* plan) {
  plan->visit = [this](const image::Entry& e) { return Wants(e); };
  plan->visitor = [this](const image::Entry& e, std::string_view data) { Visit(e, data); };
}

bool ContentScan::Wants(const image::Entry& e) const {
  if (e.type != image::FileType::kRegular) return false;
  if (e.size <= limits_.max_secret_file_bytes) return true;
  return Executable(e) && e.size <= limits_.max_exec_file_bytes;
}

void ContentScan::Visit(const image::Entry& e, std::string_view data) {
  FileFacts f;
  bool any = false;
  if (Executable(e)) {
    if (elf::IsElf(data)) {
      f.elf = any = true;
      auto info = elf::ReadLinkInfo(data);
      if (info.ok())
        f.elf_info = std::move(*info);
      else
        f.elf_error = info.error().message;
    } else if (data.starts_with("#!")) {
      std::string_view line =
          data.substr(2, data.find('\n') == std::string_view::npos ? 256 : data.find('\n') - 2);
      size_t b = line.find_first_not_of(" \t");
      if (b != std::string_view::npos) {
        line = line.substr(b);
        f.shebang = std::string(line.substr(0, line.find_first_of(" \t\r")));
        any = !f.shebang.empty();
      }
    }
  }
  if (secrets_ && data.size() <= limits_.max_secret_file_bytes && !Opaque(data)) {
    f.secrets = secrets_->Scan(e.path, data);
    any = any || !f.secrets.empty();
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++scanned_;
  if (any) facts_[{e.path, e.layer}] = std::move(f);
}

void ContentScan::ScanIndex(const image::FileIndex& files) {
  for (const image::Entry& e : files.entries()) {
    if (!Wants(e)) continue;
    auto data = files.Contents(e.path);
    if (data.ok()) Visit(e, *data);
  }
}

const FileFacts* ContentScan::Find(const image::Entry& e) const {
  auto it = facts_.find({e.path, e.layer});
  return it == facts_.end() ? nullptr : &it->second;
}

}  // namespace distill::audit
