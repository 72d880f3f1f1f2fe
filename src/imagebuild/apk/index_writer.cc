#include "imagebuild/apk/index_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "image/writer_tar.h"
#include "imagebuild/apk/checksum.h"
#include "imagebuild/apk/writer.h"
#include "util/digest.h"
#include "util/file.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxMember = 64ull << 20;   // inflated signature or control member
constexpr uint64_t kMaxApkBytes = 4ull << 30;  // a package file read whole

struct WholeMember {
  size_t compressed_size = 0;
  std::string raw;
};

// Inflates the gzip member starting at in[0]; its compressed size is where the next one begins.
Result<WholeMember> InflateWholeMember(std::string_view in) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return InternalErrorf("zlib: cannot initialize");
  WholeMember m;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Errorf("gzip data {}", rc == Z_BUF_ERROR ? "truncated" : "corrupt");
    }
    m.raw.append(buf, sizeof buf - z.avail_out);
    if (m.raw.size() > kMaxMember) {
      inflateEnd(&z);
      return Errorf("gzip member inflates past {} MiB", kMaxMember >> 20);
    }
  }
  m.compressed_size = z.total_in;
  inflateEnd(&z);
  return m;
}

uint64_t Octal(std::string_view field) {
  uint64_t v = 0;
  for (char c : field) {
    if (c == ' ' || c == '\0') {
      if (v) break;
      continue;
    }
    if (c < '0' || c > '7') return UINT64_MAX;
    if (v > (UINT64_MAX >> 3)) return UINT64_MAX;
    v = v * 8 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// The names and contents of the entries of a tar fragment (pax and GNU long-name headers are
// applied to the entry after them). Enough for a control or signature member.
Result<std::vector<std::pair<std::string, std::string_view>>> TarEntries(std::string_view tar) {
  std::vector<std::pair<std::string, std::string_view>> out;
  std::string long_name;
  size_t at = 0;
  while (at + 512 <= tar.size()) {
    std::string_view h = tar.substr(at, 512);
    if (h.find_first_not_of('\0') == std::string_view::npos) break;  // end blocks
    uint64_t size = Octal(h.substr(124, 12));
    if (size == UINT64_MAX || size > tar.size() - at - 512)
      return Errorf("tar entry at byte {}: size field beyond the member", at);
    std::string_view body = tar.substr(at + 512, size);
    char type = h[156];
    std::string_view field = h.substr(0, 100);
    std::string name(field.substr(0, field.find('\0')));
    at += 512 + (size + 511) / 512 * 512;
    if (type == 'x') {
      // "LEN path=VALUE\n" records: only the path matters here.
      size_t p = body.find(" path=");
      if (p != std::string_view::npos) {
        size_t e = body.find('\n', p);
        long_name = std::string(body.substr(p + 6, e == std::string_view::npos ? e : e - p - 6));
      }
      continue;
    }
    if (type == 'L') {
      long_name = std::string(body.substr(0, body.find('\0')));
      continue;
    }
    if (!long_name.empty()) name = std::move(long_name), long_name.clear();
    out.emplace_back(std::move(name), body);
  }
  return out;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Joined(const std::multimap<std::string, std::string>& info, const std::string& key) {
  std::string out;
  auto [b, e] = info.equal_range(key);
  for (auto i = b; i != e; ++i) {
    if (i->second.empty()) continue;
    if (!out.empty()) out += ' ';
    out += i->second;
  }
  return out;
}

std::string First(const std::multimap<std::string, std::string>& info, const std::string& key) {
  auto i = info.find(key);
  return i == info.end() ? "" : i->second;
}

struct Indexed {
  std::string name, version, file, entry;
};

}  // namespace

Result<ApkControl> ReadApkControl(std::string_view apk) {
  ApkControl out;
  size_t at = 0;
  for (int member = 0; member < 2; ++member) {
    if (at >= apk.size()) return Errorf("no control member (.PKGINFO)");
    auto m = InflateWholeMember(apk.substr(at));
    if (!m.ok()) return Errorf("member {} at byte {}: {}", member, at, m.error().message);
    DISTILL_TRY(auto entries, TarEntries(m->raw));
    if (entries.empty()) return Errorf("member {} at byte {}: no tar entry", member, at);
    if (entries[0].first.starts_with(".SIGN.")) {
      if (member == 1) return Errorf("member 1 at byte {}: a second signature member", at);
      at += m->compressed_size;
      continue;
    }
    for (const auto& [name, body] : entries)
      if (name == ".PKGINFO") out.pkginfo = std::string(body);
    if (out.pkginfo.empty())
      return Errorf("member {} at byte {}: control member without .PKGINFO (first entry '{}')",
                    member, at, entries[0].first);
    out.control_member = std::string(apk.substr(at, m->compressed_size));
    out.data_offset = at + m->compressed_size;
    return out;
  }
  return Errorf("no control member (.PKGINFO)");
}

Result<std::multimap<std::string, std::string>> PkgInfoFields(std::string_view text) {
  std::multimap<std::string, std::string> out;
  size_t line_no = 0, at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (TrimBlanks(line).empty() || TrimBlanks(line).front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return Errorf(".PKGINFO:{}: expected 'key = value'", line_no);
    std::string_view key = TrimBlanks(line.substr(0, eq));
    if (key.empty()) return Errorf(".PKGINFO:{}: empty key", line_no);
    out.emplace(std::string(key), std::string(TrimBlanks(line.substr(eq + 1))));
  }
  return out;
}

Result<std::string> IndexEntry(std::string_view apk, uint64_t file_size) {
  DISTILL_TRY(ApkControl c, ReadApkControl(apk));
  DISTILL_TRY(auto info, PkgInfoFields(c.pkginfo));
  std::string name = First(info, "pkgname"), version = First(info, "pkgver");
  if (name.empty() || version.empty()) return Errorf(".PKGINFO: no pkgname or pkgver");
  std::string datahash = First(info, "datahash");
  if (!datahash.empty()) {
    std::string actual(DigestHex(Sha256Digest(apk.substr(c.data_offset))));
    if (actual != datahash)
      return Errorf("datahash {} in .PKGINFO, but the data member's SHA-256 is {}", datahash,
                    actual);
  }
  std::string out;
  auto field = [&out](char key, std::string_view v, bool always = false) {
    if (always || !v.empty()) out += fmt::format("{}:{}\n", key, v);
  };
  field('C', ApkIdentity(c.control_member), true);
  field('P', name);
  field('V', version);
  field('A', First(info, "arch"));
  field('S', std::to_string(file_size));
  field('I', First(info, "size").empty() ? "0" : First(info, "size"));
  field('T', First(info, "pkgdesc"), true);
  field('U', First(info, "url"));
  field('L', First(info, "license"));
  field('o', First(info, "origin"));
  field('m', First(info, "maintainer"));
  field('t', First(info, "builddate").empty() ? "0" : First(info, "builddate"));
  field('c', First(info, "commit"));
  std::string prio = First(info, "provider_priority");
  field('k', prio == "0" ? "" : prio);
  field('D', Joined(info, "depend"));
  field('p', Joined(info, "provides"));
  field('i', Joined(info, "install_if"));
  out += '\n';
  return out;
}

Result<IndexResult> BuildIndex(const std::string& dir, const IndexOptions& opt) {
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".apk" && it->is_regular_file(ec))
      files.push_back(it->path().string());
  if (ec) return Errorf("{}: {}", dir, ec.message());
  std::vector<Indexed> all;
  for (const auto& f : files) {
    DISTILL_TRY(std::string bytes, ReadFile(f, kMaxApkBytes));
    auto entry = IndexEntry(bytes, bytes.size());
    if (!entry.ok()) return std::move(entry).error().wrap(f);
    auto info = PkgInfoFields(ReadApkControl(bytes)->pkginfo);
    all.push_back({First(*info, "pkgname"), First(*info, "pkgver"), f, std::move(*entry)});
  }
  std::sort(all.begin(), all.end(), [](const Indexed& a, const Indexed& b) {
    if (a.name != b.name) return a.name < b.name;
    if (int c = vuln::version::apk::Compare(a.version, b.version); c != 0) return c < 0;
    return a.file < b.file;
  });
  for (size_t i = 1; i < all.size(); ++i)
    if (all[i].name == all[i - 1].name && all[i].version == all[i - 1].version)
      return Errorf("{} and {}: both are {}-{}", all[i - 1].file, all[i].file, all[i].name,
                    all[i].version);
  IndexResult r;
  for (const auto& p : all) r.text += p.entry;
  r.packages = all.size();
  std::vector<image::TarItem> items(2);
  items[0].path = "APKINDEX";
  items[0].data = r.text;
  items[1].path = "DESCRIPTION";
  items[1].data = opt.description;
  DISTILL_TRY(std::string tar, image::WriteTar(std::move(items), opt.source_date_epoch));
  std::string index = GzipOneMember(tar);
  if (opt.key) {
    DISTILL_TRY(r.archive, SignatureMember(*opt.key, index, opt.source_date_epoch));
  }
  r.archive += index;
  return r;
}

Result<IndexResult> WriteIndex(const std::string& dir, const IndexOptions& opt) {
  DISTILL_TRY(IndexResult r, BuildIndex(dir, opt));
  DISTILL_TRY_VOID(WriteFileAtomic((fs::path(dir) / "APKINDEX.tar.gz").string(), r.archive));
  return r;
}

}  // namespace distill::imagebuild::apk
