#include "catalog/golang/parse_buildinfo.h"

#include <cstring>

#include "catalog/binary/elf.h"
#include "util/text.h"

namespace distill::catalog::golang {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr uint8_t kFlagsVersionInline = 0x2;

// An unsigned LEB128 varint at *pos, advancing it; false past the end or on overflow.
bool Uvarint(std::string_view d, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= d.size()) return false;
    uint8_t b = static_cast<uint8_t>(d[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

bool LengthPrefixed(std::string_view d, size_t* pos, std::string_view* out) {
  uint64_t n = 0;
  if (!Uvarint(d, pos, &n) || n > d.size() - *pos) return false;
  *out = d.substr(*pos, n);
  *pos += n;
  return true;
}

// The first 16-byte aligned magic in the first max bytes of data.
std::string_view FindMagic(std::string_view data, size_t max) {
  std::string_view scan = data.substr(0, max);
  for (size_t off = 0; off + kMagic.size() <= scan.size(); off += 16) {
    off = scan.find(kMagic, off);
    if (off == std::string_view::npos) break;
    if (off % 16 == 0) return data.substr(off);
    off = (off / 16) * 16;  // keep scanning from the next aligned offset
  }
  return {};
}

// Where the 32-byte header starts, found as Go's debug/buildinfo finds it: in an ELF file the
// .go.buildinfo section, else the first 64 KiB of the first writable data segment (so a large
// C binary costs a section lookup, not a scan); in any other file the first aligned magic.
std::string_view FindHeader(std::string_view binary) {
  if (!elf::IsElf(binary)) return FindMagic(binary, binary.size());
  auto sec = elf::Section(binary, kBuildInfoSection);
  if (sec.ok() && sec->has_value()) return **sec;
  auto seg = elf::FirstDataSegment(binary);
  if (!seg.ok() || !seg->has_value()) return {};
  std::string_view data = **seg;
  std::string_view h = FindMagic(data, kDataSegmentWindow);
  // The header's strings follow it in the file, beyond the segment's first 64 KiB if need be.
  return h.empty() ? h : binary.substr(static_cast<size_t>(h.data() - binary.data()));
}

}  // namespace

bool MayHoldBuildInfo(std::string_view window) { return window.find(kMagic) != std::string_view::npos; }

std::string BuildInfo::Setting(std::string_view key) const {
  for (const auto& [k, v] : settings)
    if (k == key) return v;
  return "";
}

Result<BuildInfo> ParseModInfo(std::string_view text) {
  BuildInfo bi;
  Module* last = nullptr;
  Status bad;
  ForEachLine(text, [&](int n, std::string_view line) {
    if (line.empty()) return true;
    auto f = Split(line, '\t');
    if (f[0] == "path" && f.size() >= 2) {
      bi.path = std::string(f[1]);
    } else if ((f[0] == "mod" || f[0] == "dep") && f.size() >= 3) {
      Module m{std::string(f[1]), std::string(f[2]), f.size() >= 4 ? std::string(f[3]) : "", "", "", ""};
      if (f[0] == "mod") {
        bi.main = std::move(m);
        last = &bi.main;
      } else {
        bi.deps.push_back(std::move(m));
        last = &bi.deps.back();
      }
    } else if (f[0] == "=>" && f.size() >= 2) {
      if (!last) {
        bad = Errorf("line {}: replacement without a module", n);
        return false;
      }
      last->replace_path = std::string(f[1]);
      last->replace_version = f.size() >= 3 ? std::string(f[2]) : "";
      last->replace_sum = f.size() >= 4 ? std::string(f[3]) : "";
    } else if (f[0] == "build" && f.size() >= 2) {
      size_t eq = f[1].find('=');
      if (eq != std::string_view::npos) bi.settings.emplace_back(std::string(f[1].substr(0, eq)), std::string(f[1].substr(eq + 1)));
    }
    return true;
  });
  if (!bad.ok()) return bad.error();
  return bi;
}

Result<BuildInfo> ReadBuildInfo(std::string_view binary) {
  std::string_view h = FindHeader(binary);
  if (h.empty()) return BuildInfo{};
  if (h.size() < 32 || !h.starts_with(kMagic)) return Errorf(".go.buildinfo: no build info header");
  uint8_t flags = static_cast<uint8_t>(h[15]);
  if (!(flags & kFlagsVersionInline))
    return Errorf(".go.buildinfo: pointer-format build info (Go before 1.18) is not supported");
  size_t pos = 32;
  std::string_view version, mod;
  if (!LengthPrefixed(h, &pos, &version) || !LengthPrefixed(h, &pos, &mod))
    return Errorf(".go.buildinfo: truncated version or module strings");
  // The module text is framed by 16-byte sentinels.
  if (mod.size() >= 33 && mod[mod.size() - 17] == '\n') mod = mod.substr(16, mod.size() - 32);
  auto bi = ParseModInfo(mod);
  if (!bi.ok()) return std::move(bi).error().wrap(".go.buildinfo");
  bi->go_version = std::string(version);
  return bi;
}

}  // namespace distill::catalog::golang
