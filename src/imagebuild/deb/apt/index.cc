#include "imagebuild/deb/apt/index.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <thread>

#include "imagebuild/deb/apt/decompress.h"
#include "imagebuild/deb/apt/download.h"
#include "imagebuild/deb/apt/packages.h"
#include "imagebuild/deb/apt/relation.h"
#include "imagebuild/deb/apt/release.h"
#include "util/blob_cache.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/log.h"
#include "vuln/version/dpkg.h"

namespace distill::imagebuild::apt {

namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxInRelease = 64ull << 20;
constexpr uint64_t kMaxPackages = 1ull << 30;

std::string CacheRoot(const IndexOptions& opt) {
  return opt.cache_dir.empty() ? BlobCache::Default().root() : opt.cache_dir;
}

std::string KeyringFor(const Source& src, const IndexOptions& opt) {
  if (!src.signed_by.empty()) return src.signed_by;
  if (!opt.keyring.empty()) return opt.keyring;
  return kDefaultKeyring;
}

// The InRelease's signed text: verified with gpgv, or (allow_unsigned, file: only) as written.
Result<std::string> SignedText(const Source& src, const std::string& path,
                               const IndexOptions& opt) {
  auto verified = VerifyInRelease(path, KeyringFor(src, opt));
  if (verified.ok() || !src.allow_unsigned) return verified;
  if (FilePathOfUri(src.uri).empty())
    return Errorf("--allow-unsigned is only for file: repositories");
  log::warn("{} {}: using the unsigned InRelease (allowed for this file: repository)", src.uri,
            src.suite);
  DISTILL_TRY(std::string text, ReadFile(path, kMaxInRelease));
  return ClearsignedText(text);
}

// The verified Release of a source, refreshed from the repository unless offline.
Result<Release> LoadRelease(const Source& src, const IndexOptions& opt) {
  std::string lists = CacheRoot(opt) + "/apt/lists";
  std::string kept = lists + "/" + ListsName(src.uri, src.suite);
  std::string base = src.uri + "/dists/" + src.suite;
  std::error_code ec;
  if (opt.offline) {
    if (!fs::is_regular_file(kept, ec))
      return Errorf("{}/InRelease: not in the cache {} (run once without offline)", base, lists);
    auto kept_text = ReadFile(kept, kMaxInRelease);
    bool plain = src.allow_unsigned && kept_text.ok() &&
                 !kept_text->starts_with("-----BEGIN PGP SIGNED MESSAGE-----");
    DISTILL_TRY(std::string text, plain ? std::move(kept_text) : SignedText(src, kept, opt));
    DISTILL_TRY(Release rel, ParseRelease(text));
    DISTILL_TRY_VOID(CheckReleaseFor(rel, src.suite, false, 0));
    return rel;
  }
  fs::create_directories(lists, ec);
  if (ec) return Errorf("{}: cannot create: {}", lists, ec.message());
  std::string tmp = fmt::format("{}.part-{}-{}", kept, ::getpid(), static_cast<const void*>(&src));
  Status got = DownloadToFile(base + "/InRelease", tmp, kMaxInRelease);
  bool plain_release = false;
  if (!got.ok() && src.allow_unsigned && IsNotFound(got.error()) &&
      !FilePathOfUri(src.uri).empty()) {
    // An unsigned local repository may have only a Release file (apt-ftparchive release).
    log::warn("{}: no InRelease; using the unsigned Release (allowed for this file: repository)",
              base);
    got = DownloadToFile(base + "/Release", tmp, kMaxInRelease);
    plain_release = true;
  }
  if (!got.ok()) return std::move(got).error();
  auto text = plain_release ? ReadFile(tmp, kMaxInRelease) : SignedText(src, tmp, opt);
  if (!text.ok()) {
    fs::remove(tmp, ec);
    return std::move(text).error();
  }
  auto rel = ParseRelease(*text);
  Status ok =
      rel.ok() ? CheckReleaseFor(*rel, src.suite, true, std::time(nullptr)) : Status(rel.error());
  if (!ok.ok()) {
    fs::remove(tmp, ec);
    return std::move(ok).error().wrap(base + "/InRelease");
  }
  fs::rename(tmp, kept, ec);
  if (ec) return Errorf("{}: cannot keep: {}", kept, ec.message());
  return rel;
}

// A cached index, checked again against the signed Release on every read (the hash is a small part
// of a LoadIndex, doc/build-apt.md), so a damaged or edited cache is refused, not used.
Result<std::string> ReadCached(const BlobCache& cache, const ReleaseFile& file) {
  std::string path = cache.PathFor(file.sha256);
  DISTILL_TRY(std::string data, ReadFile(path, kMaxPackages));
  if (data.size() != file.size || DigestHex(Sha256Digest(data)) != file.sha256)
    return Errorf("cached {} ({}) no longer matches the Release; remove it and run online",
                  file.path, path);
  return data;
}

// Downloads one listed index file, checked against the Release (size, then SHA256).
Result<std::string> DownloadChecked(const Source& src, const Release& rel,
                                    const ReleaseFile& file) {
  std::string dir = src.uri + "/dists/" + src.suite + "/";
  std::vector<std::string> urls;
  if (rel.acquire_by_hash) {
    std::string parent = file.path.substr(0, file.path.rfind('/') + 1);
    urls.push_back(dir + parent + "by-hash/SHA256/" + file.sha256);
  }
  urls.push_back(dir + file.path);
  Result<std::string> data = Errorf("{}: not found", dir + file.path);
  for (const auto& url : urls) {
    data = DownloadToString(url, file.size + 1);
    if (data.ok() || !IsNotFound(data.error())) break;
  }
  if (!data.ok()) return data;
  if (data->size() != file.size)
    return Errorf("{}{}: size {} differs from the Release's {}", dir, file.path, data->size(),
                  file.size);
  std::string got(DigestHex(Sha256Digest(*data)));
  if (got != file.sha256)
    return Errorf("{}{}: sha256 {} differs from the Release's {}", dir, file.path, got,
                  file.sha256);
  return data;
}

// The uncompressed Packages text for one "COMP/binary-ARCH/Packages", from the cache or downloaded.
Result<std::string> LoadPackagesText(const Source& src, const Release& rel,
                                     const std::string& plain, const BlobCache& cache,
                                     bool offline) {
  const ReleaseFile* plain_entry = rel.Find(plain);
  std::vector<const ReleaseFile*> variants;
  for (const char* ext : {".xz", ".gz", ""}) {
    if (const ReleaseFile* f = rel.Find(plain + ext)) variants.push_back(f);
  }
  if (variants.empty()) return Errorf("the Release lists no {}[.xz|.gz]", plain);
  // The cache key: the uncompressed file when the Release lists it, else the first compressed one.
  const ReleaseFile* key = plain_entry ? plain_entry : variants.front();
  if (cache.Has(key->sha256)) {
    DISTILL_TRY(std::string data, ReadCached(cache, *key));
    return key == plain_entry ? data : DecompressIndex(data, key->path, kMaxPackages);
  }
  if (offline)
    return Errorf("{}: not in the cache {} (run once without offline)", plain, cache.root());
  Error last = Errorf("{}: no variant could be fetched", plain);
  for (const ReleaseFile* f : variants) {
    auto data = DownloadChecked(src, rel, *f);
    if (!data.ok()) {
      if (IsNotFound(data.error())) {
        last = std::move(data).error();
        continue;  // listed but not served (Debian lists the uncompressed Packages it does not
                   // ship)
      }
      return std::move(data).error();
    }
    auto text = DecompressIndex(*data, f->path, kMaxPackages);
    if (!text.ok())
      return std::move(text).error().wrap(src.uri + "/dists/" + src.suite + "/" + f->path);
    if (plain_entry) {
      std::string got(DigestHex(Sha256Digest(*text)));
      if (text->size() != plain_entry->size || got != plain_entry->sha256)
        return Errorf("{}: decompressed {} does not match the Release's {} (sha256 {})", f->path,
                      plain, plain_entry->sha256, got);
    }
    const std::string& keep = key == plain_entry ? *text : *data;
    DISTILL_TRY(std::string tmp, cache.TempPath());
    DISTILL_TRY_VOID(WriteFileAtomic(tmp, keep));
    auto adopted = cache.Adopt(tmp, key->sha256);
    if (!adopted.ok()) return std::move(adopted).error().wrap("cache");
    return text;
  }
  return last;
}

// binary-ARCH lists arch "all" packages too; apt reads binary-all only when the Release names
// "all" among its Architectures and does not say "No-Support-for-Architecture-all: Packages"
// (bookworm says it; bookworm-security names no "all" and serves a binary-all nobody reads).
std::vector<std::string> PackagesPaths(const Release& rel, const std::string& comp,
                                       const std::string& arch) {
  std::vector<std::string> out = {comp + "/binary-" + arch + "/Packages"};
  std::string all = comp + "/binary-all/Packages";
  bool has_all = std::find(rel.architectures.begin(), rel.architectures.end(), "all") !=
                 rel.architectures.end();
  if (has_all && !rel.all_in_arch_packages &&
      (rel.Find(all) || rel.Find(all + ".xz") || rel.Find(all + ".gz")))
    out.push_back(all);
  return out;
}

int CompareVersions(const std::string& a, const std::string& b) {
  auto c = vuln::version::dpkg::Compare(a, b);
  return c.ok() ? *c : a.compare(b);
}

size_t EditDistance(std::string_view a, std::string_view b, size_t cap) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string ListsName(const std::string& uri, const std::string& suite) {
  std::string s = uri + "/dists/" + suite + "/InRelease";
  size_t scheme = s.find(':');
  s = s.substr(scheme + 1);
  while (s.starts_with("/")) s.erase(0, 1);
  for (char& c : s)
    if (c == '/' || c == ':' || c == ' ') c = '_';
  return s;
}

Result<std::vector<PackageInfo>> LoadSource(const Source& src, const IndexOptions& opt) {
  DISTILL_TRY(Release rel, LoadRelease(src, opt));
  BlobCache cache(CacheRoot(opt));
  std::vector<PackageInfo> out;
  for (const auto& comp : src.components) {
    for (const auto& plain : PackagesPaths(rel, comp, opt.arch)) {
      if (!rel.Find(plain) && !rel.Find(plain + ".xz") && !rel.Find(plain + ".gz")) {
        log::warn("{} {}: the repository has no {} (skipped, as apt does)", src.uri, src.suite,
                  plain);
        continue;
      }
      auto text = LoadPackagesText(src, rel, plain, cache, opt.offline);
      if (!text.ok()) return std::move(text).error().wrap(src.uri + " " + src.suite);
      auto pkgs = ParsePackages(*text, {src.uri, src.suite});
      if (!pkgs.ok())
        return std::move(pkgs).error().wrap(
            fmt::format("{}/dists/{}/{}", src.uri, src.suite, plain));
      if (out.empty())
        out = std::move(*pkgs);
      else
        out.insert(out.end(), std::make_move_iterator(pkgs->begin()),
                   std::make_move_iterator(pkgs->end()));
    }
  }
  return out;
}

Result<Index> LoadIndex(const std::vector<Source>& sources, const IndexOptions& opt) {
  if (sources.empty()) return Errorf("no sources");
  std::vector<Result<std::vector<PackageInfo>>> per(
      sources.size(), Result<std::vector<PackageInfo>>(Errorf("not run")));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < sources.size(); ++i)
    threads.emplace_back([&, i] { per[i] = LoadSource(sources[i], opt); });
  for (auto& t : threads) t.join();
  std::vector<PackageInfo> all;
  for (auto& r : per) {
    if (!r.ok()) return std::move(r).error();
    if (all.empty())
      all = std::move(*r);
    else
      all.insert(all.end(), std::make_move_iterator(r->begin()), std::make_move_iterator(r->end()));
  }
  return Index::From(std::move(all));
}

Index Index::From(std::vector<PackageInfo> pkgs) {
  // Sorts positions, not the ~600-byte records; stable, so that among equal name+version+arch the
  // first source wins. Versions are compared (dpkg order) only between equal names.
  std::vector<uint32_t> order(pkgs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const DebRef& a = pkgs[x].ref;
    const DebRef& b = pkgs[y].ref;
    if (int c = a.name.compare(b.name)) return c < 0;
    if (a.version == b.version) return false;
    return CompareVersions(a.version, b.version) > 0;
  });
  Index idx;
  idx.packages.reserve(pkgs.size());
  for (uint32_t k : order) {
    PackageInfo& p = pkgs[k];
    if (!idx.packages.empty()) {
      const auto& last = idx.packages.back().ref;
      if (last.name == p.ref.name && last.version == p.ref.version && last.arch == p.ref.arch)
        continue;
    }
    idx.packages.push_back(std::move(p));
  }
  for (size_t i = 0; i < idx.packages.size(); ++i) {
    const PackageInfo& p = idx.packages[i];
    bool candidate = i == 0 || idx.packages[i - 1].ref.name != p.ref.name;
    if (!candidate || p.provides.empty()) continue;
    auto rels = ParseRelations(p.provides, p.ref.arch);
    if (!rels.ok()) continue;  // a malformed Provides provides nothing
    for (const auto& clause : *rels)
      for (const auto& r : clause.alternatives) {
        auto& v = idx.provided_by_[r.name];
        if (v.empty() || v.back() != i) v.push_back(i);
      }
  }
  return idx;
}

const PackageInfo* Index::Find(std::string_view name) const {
  auto it =
      std::lower_bound(packages.begin(), packages.end(), name,
                       [](const PackageInfo& p, std::string_view n) { return p.ref.name < n; });
  return it != packages.end() && it->ref.name == name ? &*it : nullptr;
}

std::vector<const PackageInfo*> Index::Versions(std::string_view name) const {
  std::vector<const PackageInfo*> out;
  auto it =
      std::lower_bound(packages.begin(), packages.end(), name,
                       [](const PackageInfo& p, std::string_view n) { return p.ref.name < n; });
  for (; it != packages.end() && it->ref.name == name; ++it) out.push_back(&*it);
  return out;
}

std::vector<const PackageInfo*> Index::Providers(std::string_view virtual_name) const {
  std::vector<const PackageInfo*> out;
  auto it = provided_by_.find(std::string(virtual_name));
  if (it == provided_by_.end()) return out;
  for (size_t i : it->second) out.push_back(&packages[i]);
  return out;
}

std::vector<std::string> Index::CloseMatches(std::string_view name, size_t n) const {
  size_t cap = std::max<size_t>(2, name.size() / 3);
  std::vector<std::pair<size_t, std::string_view>> scored;
  for (size_t i = 0; i < packages.size(); ++i) {
    std::string_view cand = packages[i].ref.name;
    if (i > 0 && packages[i - 1].ref.name == cand) continue;
    size_t len_gap =
        cand.size() > name.size() ? cand.size() - name.size() : name.size() - cand.size();
    size_t d = len_gap > cap ? cap + 1 : EditDistance(name, cand, cap);
    if (d <= cap)
      scored.emplace_back(d, cand);
    else if (name.size() >= 3 && cand.find(name) != std::string_view::npos)
      scored.emplace_back(cap + 1, cand);
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second.size() != b.second.size()) return a.second.size() < b.second.size();
    return a.second < b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && out.size() < n; ++i) out.emplace_back(scored[i].second);
  return out;
}

}  // namespace distill::imagebuild::apt
