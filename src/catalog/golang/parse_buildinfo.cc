#include "catalog/golang/parse_buildinfo.h"

#include <cstring>
#include <optional>

#include "util/elf.h"
#include "util/text.h"

namespace distill::catalog::golang {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr uint8_t kFlagsVersionInline = 0x2;

// An unsigned LEB128 varint at *pos, advancing it; false past the end or on overflow.
bool Uvarint(std::string_view data, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= data.size()) return false;
    uint8_t b = static_cast<uint8_t>(data[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

bool LengthPrefixed(std::string_view data, size_t* pos, std::string_view* out) {
  uint64_t n = 0;
  if (!Uvarint(data, pos, &n) || n > data.size() - *pos) return false;
  *out = data.substr(*pos, n);
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

void AppendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    *out += static_cast<char>(c);
  } else if (c < 0x800) {
    *out += static_cast<char>(0xc0 | (c >> 6)), *out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    *out += static_cast<char>(0xe0 | (c >> 12)),
        *out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    *out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    *out += static_cast<char>(0xf0 | (c >> 18)),
        *out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    *out += static_cast<char>(0x80 | ((c >> 6) & 0x3f)),
        *out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// `n` digits of base `base` at text[*pos], advancing *pos; false if there are fewer.
bool Digits(std::string_view text, size_t* pos, int n, int base, uint32_t* out) {
  uint32_t v = 0;
  for (int k = 0; k < n; ++k, ++*pos) {
    if (*pos >= text.size()) return false;
    char c = text[*pos];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    if (d >= base) return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

// A Go string literal (strconv.Quote's output, or a `raw` one) at the start of text: its value, and
// in *used how many bytes of text it spans; nullopt when text does not start with a valid literal.
std::optional<std::string> GoUnquotePrefix(std::string_view text, size_t* used) {
  if (text.empty() || (text[0] != '"' && text[0] != '`')) return std::nullopt;
  if (text[0] == '`') {
    size_t end = text.find('`', 1);
    if (end == std::string_view::npos) return std::nullopt;
    *used = end + 1;
    return std::string(text.substr(1, end - 1));
  }
  std::string out;
  for (size_t i = 1; i < text.size();) {
    char c = text[i++];
    if (c == '"') {
      *used = i;
      return out;
    }
    if (c == '\n') return std::nullopt;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i >= text.size()) return std::nullopt;
    char e = text[i++];
    uint32_t v = 0;
    static constexpr std::string_view kSimple = "abfnrtv\\\"'", kValue = "\a\b\f\n\r\t\v\\\"'";
    if (size_t k = kSimple.find(e); k != std::string_view::npos) {
      out += kValue[k];
      continue;
    }
    if (e >= '0' && e <= '7') --i;  // \ooo: three octal digits, the first one read already
    bool ok = e == 'x'   ? Digits(text, &i, 2, 16, &v)
              : e == 'u' ? Digits(text, &i, 4, 16, &v)
              : e == 'U' ? Digits(text, &i, 8, 16, &v)
                         : e >= '0' && e <= '7' && Digits(text, &i, 3, 8, &v) && v <= 0xff;
    if (!ok || v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return std::nullopt;
    if (e == 'u' || e == 'U')
      AppendUtf8(v, &out);
    else
      out += static_cast<char>(v);  // a byte
  }
  return std::nullopt;
}

// A "build" line's key=value, quoted as runtime/debug.BuildInfo.String() quotes them (a key or
// value with spaces, quotes or '=' in a key is a Go string literal); false when malformed.
bool ParseSetting(std::string_view kv, std::string* key, std::string* value) {
  size_t eq = 0;
  if (!kv.empty() && (kv[0] == '"' || kv[0] == '`')) {
    auto k = GoUnquotePrefix(kv, &eq);
    if (!k || eq >= kv.size() || kv[eq] != '=') return false;
    *key = std::move(*k);
  } else {
    eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    *key = std::string(kv.substr(0, eq));
  }
  std::string_view raw = kv.substr(eq + 1);
  if (!raw.empty() && (raw[0] == '"' || raw[0] == '`')) {
    size_t used = 0;
    auto v = GoUnquotePrefix(raw, &used);
    if (!v || used != raw.size()) return false;
    *value = std::move(*v);
  } else {
    *value = std::string(raw);
  }
  return true;
}

}  // namespace

bool MayHoldBuildInfo(std::string_view window) {
  return window.find(kMagic) != std::string_view::npos;
}

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
      Module m{
          std::string(f[1]), std::string(f[2]), f.size() >= 4 ? std::string(f[3]) : "", "", "", ""};
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
      std::string key, value;
      if (ParseSetting(line.substr(6), &key, &value))
        bi.settings.emplace_back(std::move(key), std::move(value));
    }
    return true;
  });
  if (!bad.ok()) return bad.error();
  return bi;
}

namespace {

// A pointer-size integer of the header's byte order at the start of bytes (which holds one).
uint64_t Pointer(std::string_view bytes, int size, bool big_endian) {
  uint64_t v = 0;
  for (int i = 0; i < size; ++i)
    v = (v << 8) | static_cast<uint8_t>(bytes[big_endian ? i : size - 1 - i]);
  return v;
}

// A Go string variable at virtual address `addr` (a {data pointer, length} header) and its bytes,
// both read through the ELF file's load segments. A variable or bytes without file bytes read as
// "", as Go's debug/buildinfo reads them: an uninitialised runtime.modinfo (GOPATH builds) is in
// .bss, and so the empty string.
Result<std::string_view> GoStringAt(std::string_view binary, uint64_t addr, int ptr_size,
                                    bool big_endian) {
  const uint64_t n = 2 * static_cast<uint64_t>(ptr_size);
  DISTILL_TRY(auto header, elf::AtAddress(binary, addr, n));
  if (!header || header->size() < n) return std::string_view{};
  uint64_t data = Pointer(*header, ptr_size, big_endian),
           len = Pointer(header->substr(ptr_size), ptr_size, big_endian);
  if (len == 0) return std::string_view{};
  DISTILL_TRY(auto bytes, elf::AtAddress(binary, data, len));
  if (!bytes || bytes->size() < len) return std::string_view{};
  return *bytes;
}

// Go 1.13 to 1.17: after the magic, the pointer size (4 or 8) and the byte order (0 little, 1
// big), then the addresses of the runtime.buildVersion and runtime.modinfo string variables.
Status ReadPointerFormat(std::string_view binary, std::string_view header,
                         std::string_view* version, std::string_view* mod) {
  const int ptr_size = static_cast<uint8_t>(header[14]);
  const bool big_endian = header[15] != 0;
  if (ptr_size != 4 && ptr_size != 8) return Errorf("pointer size {} (neither 4 nor 8)", ptr_size);
  if (!elf::IsElf(binary)) return Errorf("pointer-format build info outside an ELF file");
  auto v =
      GoStringAt(binary, Pointer(header.substr(16), ptr_size, big_endian), ptr_size, big_endian);
  if (!v.ok()) return std::move(v).error().wrap("runtime.buildVersion");
  auto m = GoStringAt(binary, Pointer(header.substr(16 + ptr_size), ptr_size, big_endian), ptr_size,
                      big_endian);
  if (!m.ok()) return std::move(m).error().wrap("runtime.modinfo");
  *version = *v, *mod = *m;
  return {};
}

}  // namespace

std::string_view ToolchainVersion(std::string_view go_version) {
  return go_version.substr(0, go_version.find(' '));
}

Result<BuildInfo> ReadBuildInfo(std::string_view binary) {
  std::string_view h = FindHeader(binary);
  if (h.empty()) return BuildInfo{};
  if (h.size() < 32 || !h.starts_with(kMagic)) return Errorf(".go.buildinfo: no build info header");
  uint8_t flags = static_cast<uint8_t>(h[15]);
  std::string_view version, mod;
  if (flags & kFlagsVersionInline) {
    size_t pos = 32;
    if (!LengthPrefixed(h, &pos, &version) || !LengthPrefixed(h, &pos, &mod))
      return Errorf(".go.buildinfo: truncated version or module strings");
  } else {
    Status st = ReadPointerFormat(binary, h, &version, &mod);
    if (!st.ok()) return std::move(st).error().wrap(".go.buildinfo");
    if (version.empty()) return BuildInfo{};  // as Go's debug/buildinfo: not a Go executable
  }
  // The module text is framed by 16-byte sentinels.
  if (mod.size() >= 33 && mod[mod.size() - 17] == '\n') mod = mod.substr(16, mod.size() - 32);
  auto bi = ParseModInfo(mod);
  if (!bi.ok()) return std::move(bi).error().wrap(".go.buildinfo");
  bi->go_version = std::string(version);
  return bi;
}

}  // namespace distill::catalog::golang
