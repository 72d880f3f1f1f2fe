#include "imagebuild/apk/installed_db.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <set>

#include <fmt/ranges.h>

#include "catalog/apk/records.h"
#include "image/registry/auth.h"
#include "util/text.h"

namespace distill::imagebuild::apk {

namespace {

using catalog::apk::ParseNumber;
using catalog::apk::SplitWords;

std::string Clean(std::string_view p) {
  while (p.ends_with('/')) p.remove_suffix(1);
  while (p.starts_with("./")) p.remove_prefix(2);
  while (p.starts_with('/')) p.remove_prefix(1);
  return std::string(p);
}

// apko's pathCompare: compares the first component where the paths differ (or the last one of the
// shorter); within one directory a non-directory sorts before a directory. It is not a strict weak
// order (a directory ties with everything below it), so the sort algorithm decides what ties
// become: hence GoStableSort below, not std::stable_sort.
int PathCompare(const InstalledFile& a, const InstalledFile& b) {
  std::string ac = Clean(a.path), bc = Clean(b.path);
  if (ac == bc) return 0;
  auto at = Split(ac, '/'), bt = Split(bc, '/');
  size_t n = 0;
  for (; n + 1 < at.size() && n + 1 < bt.size(); ++n) {
    int r = at[n].compare(bt[n]);
    if (r != 0) return r < 0 ? -1 : 1;
  }
  bool adir = n + 1 < at.size() || a.dir, bdir = n + 1 < bt.size() || b.dir;
  if (adir == bdir) {
    int r = at[n].compare(bt[n]);
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  }
  return adir ? 1 : -1;
}

// Go's sort.Stable (insertion sort of 20-element blocks, then SymMerge), step for step, so that a
// comparison that is not a strict weak order gives the order apko's binary gives.
class GoStableSort {
 public:
  using Less = std::function<bool(size_t, size_t)>;
  GoStableSort(std::vector<InstalledFile>* v, Less less) : v_(*v), less_(std::move(less)) {}

  void Run() {
    size_t n = v_.size(), block = 20, a = 0, b = block;
    for (; b <= n; a = b, b += block) Insertion(a, b);
    Insertion(a, n);
    while (block < n) {
      a = 0, b = 2 * block;
      for (; b <= n; a = b, b += 2 * block) SymMerge(a, a + block, b);
      if (a + block < n) SymMerge(a, a + block, n);
      block *= 2;
    }
  }

 private:
  void Swap(size_t i, size_t j) { std::swap(v_[i], v_[j]); }
  void Insertion(size_t a, size_t b) {
    for (size_t i = a + 1; i < b; ++i)
      for (size_t j = i; j > a && less_(j, j - 1); --j) Swap(j, j - 1);
  }
  void SwapRange(size_t a, size_t b, size_t n) {
    for (size_t i = 0; i < n; ++i) Swap(a + i, b + i);
  }
  void Rotate(size_t a, size_t m, size_t b) {
    size_t i = m - a, j = b - m;
    while (i != j) {
      if (i > j) {
        SwapRange(m - i, m, j);
        i -= j;
      } else {
        SwapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    SwapRange(m - i, m, i);
  }
  void SymMerge(size_t a, size_t m, size_t b) {
    if (m - a == 1) {
      size_t i = m, j = b;
      while (i < j) {
        size_t h = (i + j) / 2;
        if (less_(h, a))
          i = h + 1;
        else
          j = h;
      }
      for (size_t k = a; k + 1 < i; ++k) Swap(k, k + 1);
      return;
    }
    if (b - m == 1) {
      size_t i = a, j = m;
      while (i < j) {
        size_t h = (i + j) / 2;
        if (!less_(m, h))
          i = h + 1;
        else
          j = h;
      }
      for (size_t k = m; k > i; --k) Swap(k, k - 1);
      return;
    }
    size_t mid = (a + b) / 2, n = mid + m, start, r;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    size_t p = n - 1;
    while (start < r) {
      size_t c = (start + r) / 2;
      if (!less_(p - c, c))
        start = c + 1;
      else
        r = c;
    }
    size_t end = n - start;
    if (start < m && m < end) Rotate(start, m, end);
    if (a < start && start < mid) SymMerge(a, start, mid);
    if (mid < end && end < b) SymMerge(mid, end, b);
  }

  std::vector<InstalledFile>& v_;
  Less less_;
};

std::string Octal4(uint32_t mode) { return fmt::format("{:04o}", mode & 07777); }

std::string LastPathPart(std::string_view p) {
  size_t slash = p.find_last_of('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

// "uid:gid:mode" of an M: or a: line.
bool Acl(std::string_view v, InstalledFile* f) {
  auto parts = Split(v, ':');
  return parts.size() == 3 && ParseNumber(parts[0], &f->uid) && ParseNumber(parts[1], &f->gid) &&
         std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), f->mode, 8).ec ==
             std::errc() &&
         !parts[2].empty();
}

constexpr size_t kNoFile = SIZE_MAX;

// One record of the database being read: the package, and where its F:/R: lines are.
struct RecordReader {
  InstalledPackage pkg;
  std::string dir;
  size_t last_dir = kNoFile, last_file = kNoFile;  // indices into pkg.files

  // Applies one field; false when its value is malformed.
  bool Apply(char key, std::string_view v);
};

bool RecordReader::Apply(char key, std::string_view v) {
  switch (key) {
    case 'P':
      pkg.name = v;
      break;
    case 'V':
      pkg.version = v;
      break;
    case 'A':
      pkg.arch = v;
      break;
    case 'L':
      pkg.license = v;
      break;
    case 'T':
      pkg.description = v;
      break;
    case 'o':
      pkg.origin = v;
      break;
    case 'm':
      pkg.maintainer = v;
      break;
    case 'U':
      pkg.url = v;
      break;
    case 'c':
      pkg.commit = v;
      break;
    case 'C':
      pkg.checksum = v;
      break;
    case 'D':
      pkg.depends = SplitWords(v);
      break;
    case 'p':
      pkg.provides = SplitWords(v);
      break;
    case 'r':
      pkg.replaces = SplitWords(v);
      break;
    case 'i':
      pkg.install_if = v == "[]" ? std::vector<std::string>{} : SplitWords(v);
      break;
    case 't':
      return ParseNumber(v, &pkg.build_time);
    case 'S':
      return ParseNumber(v, &pkg.size);
    case 'I':
      return ParseNumber(v, &pkg.installed_size);
    case 'k':
      return ParseNumber(v, &pkg.provider_priority);
    case 'F':
      dir = Clean(v);
      last_file = last_dir = kNoFile;
      if (!dir.empty()) {
        pkg.files.push_back({dir, true, 0755, 0, 0, ""});
        last_dir = pkg.files.size() - 1;
      }
      break;
    case 'M':
      return last_dir != kNoFile && Acl(v, &pkg.files[last_dir]);
    case 'R':
      if (v.empty() || v.find('/') != std::string_view::npos) return false;
      pkg.files.push_back(
          {dir.empty() ? std::string(v) : dir + "/" + std::string(v), false, 0644, 0, 0, ""});
      last_file = pkg.files.size() - 1;
      last_dir = kNoFile;
      break;
    case 'a':
      return last_file != kNoFile && Acl(v, &pkg.files[last_file]);
    case 'Z':
      if (last_file == kNoFile) return false;
      pkg.files[last_file].checksum = v;
      break;
    default:
      break;  // q, s, f and other apk-tools fields distill does not write
  }
  return true;
}

}  // namespace

std::vector<InstalledFile> InstalledOrder(const std::vector<InstalledFile>& files) {
  std::vector<InstalledFile> v = files;
  GoStableSort(&v, [&v](size_t i, size_t j) { return PathCompare(v[i], v[j]) < 0; }).Run();
  std::set<std::string> dirs;
  for (const auto& f : v)
    if (f.dir) dirs.insert(Clean(f.path));
  std::vector<InstalledFile> out;
  for (auto& f : v) {
    std::string p = Clean(f.path);
    bool orphan = false;
    for (size_t s = p.rfind('/'); s != std::string::npos && s > 0; s = p.rfind('/', s - 1))
      if (!dirs.contains(p.substr(0, s))) orphan = true;
    if (!orphan) out.push_back(std::move(f));
  }
  return out;
}

std::string RenderInstalledRecord(const InstalledPackage& p) {
  std::string out =
      fmt::format("P:{}\nV:{}\nA:{}\nL:{}\nT:{}\no:{}\nm:{}\nU:{}\nD:{}\np:{}\n", p.name, p.version,
                  p.arch, p.license, p.description, p.origin, p.maintainer, p.url,
                  fmt::join(p.depends, " "), fmt::join(p.provides, " "));
  if (!p.replaces.empty()) out += fmt::format("r:{}\n", fmt::join(p.replaces, " "));
  out += "c:" + p.commit + "\n";
  // apko prints the Go slice ("[]" when empty); a listed install_if is written as apk-tools reads
  // it (doc/build-apk.md).
  if (p.install_if.empty())
    out += "i:[]\n";
  else
    out += fmt::format("i:{}\n", fmt::join(p.install_if, " "));
  out += fmt::format("t:{}\nS:{}\nI:{}\nk:{}\n", p.build_time, p.size, p.installed_size,
                     p.provider_priority);
  if (!p.checksum.empty()) out += "C:" + p.checksum + "\n";
  bool top_dir_needed = true;
  for (const auto& f : InstalledOrder(p.files)) {
    uint32_t perm = f.mode & 07777;
    if (f.dir) {
      out += "F:" + Clean(f.path) + "\n";
      if (perm != 0755 || f.uid != 0 || f.gid != 0)
        out += fmt::format("M:{}:{}:{}\n", f.uid, f.gid, Octal4(perm));
      top_dir_needed = false;
      continue;
    }
    if (top_dir_needed) out += "F:\n";
    top_dir_needed = false;
    out += "R:" + LastPathPart(Clean(f.path)) + "\n";
    if (perm != 0644 || f.uid != 0 || f.gid != 0)
      out += fmt::format("a:{}:{}:{}\n", f.uid, f.gid, Octal4(perm));
    if (!f.checksum.empty()) out += "Z:" + f.checksum + "\n";
  }
  return out + "\n";
}

std::string RenderInstalled(const std::vector<InstalledPackage>& pkgs) {
  std::string out;
  for (const auto& p : pkgs) out += RenderInstalledRecord(p);
  return out;
}

std::string Q1FromHex(std::string_view hex) {
  if (hex.starts_with("Q1")) return std::string(hex);
  if (hex.size() != 40) return "";
  std::string raw;
  for (size_t i = 0; i < 40; i += 2) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc() || end != hex.data() + i + 2) return "";
    raw += static_cast<char>(v);
  }
  return "Q1" + image::registry::Base64Encode(raw);
}

Result<std::vector<InstalledPackage>> ParseInstalledDb(std::string_view text) {
  std::vector<InstalledPackage> out;
  auto record = [&out](const catalog::apk::RawRecord& r) -> Status {
    RecordReader reader;
    for (const auto& f : r.fields)
      if (!reader.Apply(f.key, f.value))
        return Errorf("line {}: bad '{}:' line: '{}'", f.line, f.key, f.value.substr(0, 60));
    if (r.bad_line != 0)
      return Errorf("line {}: expected 'K:value', got '{}'", r.bad_line, r.bad_text.substr(0, 60));
    out.push_back(std::move(reader.pkg));
    return {};
  };
  DISTILL_TRY_VOID(catalog::apk::ForEachRecord(text, record));
  return out;
}

}  // namespace distill::imagebuild::apk
