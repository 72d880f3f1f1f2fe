// distill.lock: "# distill.lock v1" then one line per package, fields separated by one space:
//   NAME VERSION ARCH SHA256 SIZE URL
// sorted by name then arch. Versions, hex digests and URLs never contain spaces, so the format
// needs no quoting and diffs line by line.
#include <algorithm>
#include <charconv>

#include "imagebuild/deb/apt/apt.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/text.h"

namespace distill::imagebuild::apt {

namespace {

constexpr std::string_view kHeader = "# distill.lock v1";

bool HasSpace(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) <= ' ') return true;
  return false;
}

}  // namespace

Result<std::vector<DebRef>> ReadLock(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 64 << 20));
  std::vector<DebRef> out;
  Error err;
  bool failed = false, header = false;
  ForEachLine(text, [&](int n, std::string_view line) {
    auto fail = [&](std::string_view what) {
      err = Errorf("{}:{}: {}", path, n, what);
      failed = true;
      return false;
    };
    if (n == 1) {
      if (line != kHeader) return fail(fmt::format("expected '{}'", kHeader));
      header = true;
      return true;
    }
    if (Trim(line).empty() || line.front() == '#') return true;
    std::vector<std::string_view> f = Split(line, ' ');
    if (f.size() != 6) return fail("expected 'NAME VERSION ARCH SHA256 SIZE URL'");
    for (auto v : f)
      if (v.empty()) return fail("empty field");
    DebRef r{std::string(f[0]), std::string(f[1]), std::string(f[2]),
             std::string(f[5]), std::string(f[3]), 0};
    if (!IsSha256Hex(r.sha256)) return fail("SHA256: expected 64 lowercase hex digits");
    auto [p, ec] = std::from_chars(f[4].data(), f[4].data() + f[4].size(), r.size);
    if (ec != std::errc() || p != f[4].data() + f[4].size()) return fail("SIZE: not a number");
    out.push_back(std::move(r));
    return true;
  });
  if (failed) return err;
  if (!header) return Errorf("{}: empty (expected '{}')", path, kHeader);
  return out;
}

Status WriteLock(const std::string& path, const std::vector<DebRef>& refs) {
  std::vector<DebRef> sorted = refs;
  std::sort(sorted.begin(), sorted.end(), [](const DebRef& a, const DebRef& b) {
    return std::tie(a.name, a.arch, a.version) < std::tie(b.name, b.arch, b.version);
  });
  std::string out(kHeader);
  out += "\n";
  for (const auto& r : sorted) {
    for (const std::string* f : {&r.name, &r.version, &r.arch, &r.url})
      if (f->empty() || HasSpace(*f))
        return Errorf("{} {}: field '{}' is empty or has spaces", r.name, r.version, *f);
    if (!IsSha256Hex(r.sha256))
      return Errorf("{} {}: '{}' is not a sha256 hex digest", r.name, r.version, r.sha256);
    out += fmt::format("{} {} {} {} {} {}\n", r.name, r.version, r.arch, r.sha256, r.size, r.url);
  }
  return WriteFileAtomic(path, out);
}

}  // namespace distill::imagebuild::apt
