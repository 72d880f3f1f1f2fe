#include "sbom/sbom.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "catalog/purl.h"
#include "util/digest.h"
#include "util/text.h"

namespace distill::sbom {

std::string FormatTimestamp(int64_t created) {
  if (created <= 0) return kFixedTimestamp;
  time_t t = static_cast<time_t>(created);
  struct tm tm {};
  if (!gmtime_r(&t, &tm)) return kFixedTimestamp;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<int64_t> ParseSourceDateEpoch(std::string_view value) {
  if (value.empty()) return int64_t{0};
  int64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  // Year 9999 is the last that ISO 8601 timestamps without extension can name.
  if (ec != std::errc() || end != value.data() + value.size() || v < 0 || v > 253402300799) {
    return Errorf("SOURCE_DATE_EPOCH: '{}' is not a number of seconds since 1970-01-01", value);
  }
  return v;
}

Result<int64_t> CreatedFromEnvironment() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  return ParseSourceDateEpoch(v ? v : "");
}

std::string PackageKey(const catalog::Package& package) { return package.id(); }

std::vector<const catalog::Package*> SortedPackages(const catalog::Catalog& cat) {
  std::vector<const catalog::Package*> out;
  out.reserve(cat.packages.size());
  for (const auto& p : cat.packages) out.push_back(&p);
  auto key = [](const catalog::Package* package) {
    static const image::Location kNone;
    const image::Location& loc = package->locations.empty() ? kNone : package->locations.front();
    return std::tie(package->type, package->name, package->version, package->arch, loc.path,
                    loc.layer_digest);
  };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
  return out;
}

std::vector<const catalog::Package*> UniquePackages(const catalog::Catalog& cat) {
  std::vector<const catalog::Package*> out;
  std::set<std::string> seen;
  for (const auto* p : SortedPackages(cat)) {
    if (seen.insert(PackageKey(*p)).second) out.push_back(p);
  }
  return out;
}

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "libc6 (>= 2.34)" → "libc6"; "libssl3:amd64" → "libssl3"; "so:libc.musl-x86_64.so.1=1" →
// "so:libc.musl-x86_64.so.1" (apk names provided files with a "so:", "cmd:" or "pc:" prefix).
std::string DependencyName(std::string_view clause) {
  clause = Trim(clause);
  size_t colon = clause.find(':');
  bool apk_prefix = colon != std::string_view::npos &&
                    (clause.substr(0, colon) == "so" || clause.substr(0, colon) == "cmd" ||
                     clause.substr(0, colon) == "pc");
  size_t end = clause.find_first_of(apk_prefix ? " (<>=~" : " (<>=~:");
  return std::string(clause.substr(0, end));
}

std::vector<std::string> Provides(const catalog::Package& package) {
  if (auto* d = std::get_if<catalog::DpkgMetadata>(&package.metadata)) return d->provides;
  if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata)) return a->provides;
  if (auto* r = std::get_if<catalog::RpmMetadata>(&package.metadata)) return r->provides;
  return {};
}

// Every dependency clause a package states: Package::depends_on and its metadata's own lists
// (dpkg Depends/Pre-Depends, apk D:, rpm Requires), each split at ',' in case a cataloger kept a
// whole field as one string.
std::vector<std::string_view> DependencyClauses(const catalog::Package& package) {
  std::vector<const std::vector<std::string>*> lists = {&package.depends_on};
  if (auto* d = std::get_if<catalog::DpkgMetadata>(&package.metadata))
    lists.insert(lists.end(), {&d->depends, &d->pre_depends});
  if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata)) lists.push_back(&a->depends);
  if (auto* r = std::get_if<catalog::RpmMetadata>(&package.metadata))
    lists.push_back(&r->requires_);
  std::vector<std::string_view> out;
  for (const auto* list : lists) {
    for (const auto& field : *list) {
      std::string_view rest = field;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        out.push_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
  }
  return out;
}

// Each '|' alternative of a clause ("default-mta | mail-transport-agent").
std::vector<std::string_view> Alternatives(std::string_view clause) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= clause.size()) {
    size_t j = clause.find('|', i);
    if (j == std::string_view::npos) j = clause.size();
    out.push_back(clause.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::map<std::string, std::vector<std::string>> DependencyGraph(const catalog::Catalog& cat) {
  std::map<std::string, std::set<std::string>> edges;
  std::set<std::string> known;
  // (type, name or provided name) → keys of the packages answering to it.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> by_name;
  for (const auto& p : cat.packages) {
    std::string key = PackageKey(p);
    known.insert(key);
    edges[key];
    by_name[{p.type, p.name}].insert(key);
    for (const auto& provided : Provides(p))
      by_name[{p.type, DependencyName(provided)}].insert(key);
  }
  for (const auto& r : cat.relationships) {
    if (r.type == "depends-on" && known.count(r.from) && known.count(r.to) && r.from != r.to) {
      edges[r.from].insert(r.to);
    }
  }
  for (const auto& p : cat.packages) {
    std::string key = PackageKey(p);
    for (std::string_view clause : DependencyClauses(p)) {
      for (std::string_view alt : Alternatives(clause)) {
        auto it = by_name.find({p.type, DependencyName(alt)});
        if (it == by_name.end()) continue;
        for (const auto& to : it->second) {
          if (to != key) edges[key].insert(to);
        }
      }
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [k, v] : edges) out[k] = std::vector<std::string>(v.begin(), v.end());
  return out;
}

std::string ShortHash(std::string_view text) {
  Sha256 h;
  h.update(text);
  auto md = h.raw();
  return HexEncode(md.data(), 8);
}

}  // namespace distill::sbom

namespace distill::sbom {

std::string ImagePurl(const SourceInfo& source) {
  if (source.manifest_digest.empty()) return "";
  catalog::Purl p;
  p.type = "oci";
  p.version = source.manifest_digest;
  std::string repo;
  if (!source.repo_tags.empty()) {
    const std::string& ref = source.repo_tags.front();
    size_t slash = ref.rfind('/');
    size_t colon = ref.rfind(':');
    bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    repo = has_tag ? ref.substr(0, colon) : ref;
    if (has_tag) p.qualifiers["tag"] = ref.substr(colon + 1);
    if (repo.find('/') != std::string::npos) p.qualifiers["repository_url"] = repo;
  }
  if (repo.empty()) {
    std::string_view n = source.name;
    if (size_t c = n.find(':');
        c != std::string_view::npos && n.substr(0, c).find('/') == std::string_view::npos) {
      n.remove_prefix(c + 1);  // "docker-archive:app.tar" → "app.tar"
    }
    if (size_t s = n.rfind('/'); s != std::string_view::npos) n.remove_prefix(s + 1);
    repo = std::string(n.empty() ? "image" : n);
  }
  p.name = repo.substr(repo.rfind('/') == std::string::npos ? 0 : repo.rfind('/') + 1);
  AsciiLowerInPlace(p.name);
  if (size_t s = source.platform.find('/'); s != std::string::npos) {
    std::string arch = source.platform.substr(s + 1);
    p.qualifiers["arch"] = arch.substr(0, arch.find('/'));
  }
  return p.ToString();
}

std::string SanitizeId(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '-';
  return out;
}

}  // namespace distill::sbom
