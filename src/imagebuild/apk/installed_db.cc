#include "imagebuild/apk/installed_db.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <set>

#include "image/registry/auth.h"
#include "util/text.h"

namespace distill::imagebuild::apk {

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

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

template <typename T>
bool Number(std::string_view v, T* out) {
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
  return !v.empty() && ec == std::errc() && end == v.data() + v.size();
}

// "uid:gid:mode" of an M: or a: line.
bool Acl(std::string_view v, InstalledFile* f) {
  auto parts = Split(v, ':');
  return parts.size() == 3 && Number(parts[0], &f->uid) && Number(parts[1], &f->gid) &&
         std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), f->mode, 8).ec ==
             std::errc() &&
         !parts[2].empty();
}

std::vector<std::string> Words(std::string_view v) {
  std::vector<std::string> out;
  for (auto w : Split(v, ' '))
    if (!w.empty()) out.emplace_back(w);
  return out;
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
  std::string out = fmt::format("P:{}\nV:{}\nA:{}\nL:{}\nT:{}\no:{}\nm:{}\nU:{}\nD:{}\np:{}\n",
                                p.name, p.version, p.arch, p.license, p.description, p.origin,
                                p.maintainer, p.url, Join(p.depends), Join(p.provides));
  if (!p.replaces.empty()) out += "r:" + Join(p.replaces) + "\n";
  out += "c:" + p.commit + "\n";
  // apko prints the Go slice ("[]" when empty); a listed install_if is written as apk-tools reads
  // it (doc/build-apk.md).
  out += "i:" + (p.install_if.empty() ? std::string("[]") : Join(p.install_if)) + "\n";
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
  InstalledPackage cur;
  bool any = false;
  std::string dir;
  constexpr size_t kNone = SIZE_MAX;
  size_t last_dir = kNone, last_file = kNone;  // indices into cur.files
  std::string error;
  auto flush = [&] {
    if (any) out.push_back(std::move(cur));
    cur = InstalledPackage{};
    any = false;
    dir.clear();
    last_dir = last_file = kNone;
  };
  ForEachLine(text, [&](int n, std::string_view line) {
    if (line.empty()) {
      flush();
      return true;
    }
    if (line.size() < 2 || line[1] != ':') {
      error = fmt::format("line {}: expected 'K:value', got '{}'", n, line.substr(0, 60));
      return false;
    }
    any = true;
    std::string_view v = line.substr(2);
    bool ok = true;
    switch (line[0]) {
      case 'P':
        cur.name = v;
        break;
      case 'V':
        cur.version = v;
        break;
      case 'A':
        cur.arch = v;
        break;
      case 'L':
        cur.license = v;
        break;
      case 'T':
        cur.description = v;
        break;
      case 'o':
        cur.origin = v;
        break;
      case 'm':
        cur.maintainer = v;
        break;
      case 'U':
        cur.url = v;
        break;
      case 'c':
        cur.commit = v;
        break;
      case 'C':
        cur.checksum = v;
        break;
      case 'D':
        cur.depends = Words(v);
        break;
      case 'p':
        cur.provides = Words(v);
        break;
      case 'r':
        cur.replaces = Words(v);
        break;
      case 'i':
        cur.install_if = v == "[]" ? std::vector<std::string>{} : Words(v);
        break;
      case 't':
        ok = Number(v, &cur.build_time);
        break;
      case 'S':
        ok = Number(v, &cur.size);
        break;
      case 'I':
        ok = Number(v, &cur.installed_size);
        break;
      case 'k':
        ok = Number(v, &cur.provider_priority);
        break;
      case 'F':
        dir = Clean(v);
        last_file = last_dir = kNone;
        if (!dir.empty()) {
          cur.files.push_back({dir, true, 0755, 0, 0, ""});
          last_dir = cur.files.size() - 1;
        }
        break;
      case 'M':
        ok = last_dir != kNone && Acl(v, &cur.files[last_dir]);
        break;
      case 'R':
        if (v.empty() || v.find('/') != std::string_view::npos) {
          ok = false;
          break;
        }
        cur.files.push_back(
            {dir.empty() ? std::string(v) : dir + "/" + std::string(v), false, 0644, 0, 0, ""});
        last_file = cur.files.size() - 1;
        last_dir = kNone;
        break;
      case 'a':
        ok = last_file != kNone && Acl(v, &cur.files[last_file]);
        break;
      case 'Z':
        ok = last_file != kNone;
        if (ok) cur.files[last_file].checksum = v;
        break;
      default:
        break;  // q, s, f and other apk-tools fields distill does not write
    }
    if (!ok) {
      error = fmt::format("line {}: bad '{}:' line: '{}'", n, line[0], v.substr(0, 60));
      return false;
    }
    return true;
  });
  if (!error.empty()) return Errorf("{}", error);
  flush();
  return out;
}

}  // namespace distill::imagebuild::apk
