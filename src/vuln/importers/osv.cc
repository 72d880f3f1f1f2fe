#include "vuln/importers/osv.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include <simdjson.h>

#include "util/text.h"
#include "vuln/cvss.h"
#include "vuln/cvss4.h"
#include "vuln/db/ecosystem.h"

namespace distill::vuln::importers {

namespace {

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;
using Array = simdjson::dom::array;

// The database an OSV id comes from, by its prefix
// (https://ossf.github.io/osv-schema/#id-modified-fields).
constexpr std::pair<std::string_view, std::string_view> kIdPrefixes[] = {
    {"GHSA-", "ghsa"},          {"CGA-", "chainguard"}, {"DEBIAN-", "debian"},
    {"DSA-", "debian"},         {"DLA-", "debian"},     {"UBUNTU-", "ubuntu"},
    {"USN-", "ubuntu"},         {"ALSA-", "almalinux"}, {"ALBA-", "almalinux"},
    {"ALEA-", "almalinux"},     {"GO-", "go"},          {"PYSEC-", "pypa"},
    {"RUSTSEC-", "rustsec"},    {"ALPINE-", "alpine"},  {"RLSA-", "rocky"},
    {"MAL-", "ossf-malicious"}, {"BIT-", "bitnami"},    {"OSV-", "osv"},
    {"CURL-", "curl"},          {"PSF-", "psf"},
};

std::string_view Publisher(std::string_view id) {
  for (const auto& [prefix, name] : kIdPrefixes)
    if (id.starts_with(prefix)) return name;
  return "osv";
}

std::string Lower(std::string s) {
  AsciiLowerInPlace(s);
  return s;
}

// The record is parsed with simdjson (DOM): OSV imports are bound by JSON parsing, and one
// all.zip holds tens of thousands of 3-8 KB records.

// Where a value is in the record, for errors: "affected[0].ranges[1]". Built only when an error
// names it (formatting it for every field was a tenth of an OSV record's allocations).
struct Path {
  const Path* parent = nullptr;
  std::string_view field;
  long index = -1;  // -1: a field, not an element
  std::string str() const {
    std::string out = parent ? parent->str() + "." : std::string();
    out += field;
    if (index >= 0) out += fmt::format("[{}]", index);
    return out;
  }
};
// "" at the root, else "<path>." (the prefix of a member's name).
std::string Prefix(const Path* path) { return path ? path->str() + "." : std::string(); }

// Optional member: absent or null → nullopt.
std::optional<Element> Member(Object o, std::string_view key) {
  Element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

// Optional string field: absent → "", wrong type → error.
Result<std::string> OptString(Object o, std::string_view key, const Path* path) {
  auto e = Member(o, key);
  if (!e) return std::string();
  std::string_view v;
  if (e->get_string().get(v) != simdjson::SUCCESS)
    return Errorf("{}{}: not a string", Prefix(path), key);
  return std::string(v);
}

Result<std::vector<std::string>> OptStrings(Object o, std::string_view key, const Path* path) {
  std::vector<std::string> out;
  auto e = Member(o, key);
  if (!e) return out;
  Array a;
  if (e->get_array().get(a) != simdjson::SUCCESS)
    return Errorf("{}{}: not an array", Prefix(path), key);
  size_t i = 0;
  for (Element x : a) {
    std::string_view v;
    if (x.get_string().get(v) != simdjson::SUCCESS)
      return Errorf("{}{}[{}]: not a string", Prefix(path), key, i);
    out.emplace_back(v);
    ++i;
  }
  return out;
}

Result<std::optional<Array>> OptArray(Object o, std::string_view key, const Path* path) {
  auto e = Member(o, key);
  if (!e) return std::optional<Array>();
  Array a;
  if (e->get_array().get(a) != simdjson::SUCCESS)
    return Errorf("{}{}: not an array", Prefix(path), key);
  return std::optional<Array>(a);
}

Result<Severity> ParseSeverity(Element e, std::string_view publisher, const Path& path) {
  Object s;
  if (e.get_object().get(s) != simdjson::SUCCESS) return Errorf("{}: not an object", path.str());
  DISTILL_TRY(std::string type, OptString(s, "type", &path));
  DISTILL_TRY(std::string score, OptString(s, "score", &path));
  Severity sev{std::string(publisher), type, score, -1, ""};
  if (type == "CVSS_V3" || type == "CVSS_V2" || type == "CVSS_V4") {
    // A vector we cannot score is kept unscored: the vulnerability matters more than its score.
    // Vectors repeat (a few thousand distinct ones in all of GHSA): scored once per thread.
    static thread_local std::unordered_map<std::string, std::pair<double, std::string>> memos[3];
    int kind = type == "CVSS_V2" ? 0 : type == "CVSS_V3" ? 1 : 2;
    auto& memo = memos[kind];
    auto it = memo.find(score);
    if (it == memo.end()) {
      if (memo.size() > 100000) memo.clear();
      auto cvss = kind == 0   ? CvssV2BaseScore(score)
                  : kind == 1 ? CvssV3BaseScore(score)
                              : CvssV4Score(score);
      it = memo.emplace(score, cvss.ok() ? std::pair(cvss->base, cvss->rating)
                                         : std::pair(-1.0, std::string()))
               .first;
    }
    sev.score = it->second.first;
    sev.rating = it->second.second;
  } else {
    // Vendor ratings in the severity array (Ubuntu: {"type": "Ubuntu", "score": "medium"}).
    sev = Severity{Lower(type), "vendor", "", -1, Lower(score)};
  }
  return sev;
}

// GHSA's database_specific.severity: LOW / MODERATE / HIGH / CRITICAL.
std::string VendorRating(std::string s) {
  s = Lower(std::move(s));
  return s == "moderate" ? "medium" : s;
}

Result<Range> ParseRange(Element e, const Path& path, bool* keep) {
  Object r;
  if (e.get_object().get(r) != simdjson::SUCCESS) return Errorf("{}: not an object", path.str());
  DISTILL_TRY(std::string type, OptString(r, "type", &path));
  *keep = type == "ECOSYSTEM" || type == "SEMVER";
  Range range{type, {}};
  DISTILL_TRY(auto events, OptArray(r, "events", &path));
  if (!events) return Errorf("{}.events: missing", path.str());
  size_t i = 0;
  for (Element x : *events) {
    auto epath = [&, n = i++] { return Path{&path, "events", static_cast<long>(n)}.str(); };
    Object ev;
    if (x.get_object().get(ev) != simdjson::SUCCESS || ev.size() != 1)
      return Errorf("{}: not an object with one event", epath());
    auto [key, value] = *ev.begin();
    auto kind = ParseEventKind(key);
    if (!kind) return Errorf("{}: unknown event \"{}\"", epath(), key);
    std::string_view v;
    if (value.get_string().get(v) != simdjson::SUCCESS)
      return Errorf("{}.{}: not a string", epath(), key);
    range.events.push_back({*kind, std::string(v)});
  }
  return range;
}

// Adds one affected[] entry's ranges and versions to `a` (entries for the same package merge).
Status AddAffected(Object aff, const Path& path, std::string_view publisher, Advisory& advisory) {
  DISTILL_TRY(auto ranges, OptArray(aff, "ranges", &path));
  size_t i = 0;
  if (ranges)
    for (Element x : *ranges) {
      bool keep = false;
      DISTILL_TRY(Range r, ParseRange(x, Path{&path, "ranges", static_cast<long>(i++)}, &keep));
      if (!keep) continue;
      for (const auto& e : r.events)
        if (e.kind == Event::kFixed) advisory.fixed_versions.push_back(e.version);
      advisory.ranges.push_back(std::move(r));
    }
  DISTILL_TRY(auto versions, OptStrings(aff, "versions", &path));
  advisory.versions.insert(advisory.versions.end(), versions.begin(), versions.end());
  DISTILL_TRY(auto sevs, OptArray(aff, "severity", &path));
  i = 0;
  if (sevs)
    for (Element x : *sevs) {
      DISTILL_TRY(Severity s,
                  ParseSeverity(x, publisher, Path{&path, "severity", static_cast<long>(i++)}));
      if (std::find(advisory.severities.begin(), advisory.severities.end(), s) ==
          advisory.severities.end())
        advisory.severities.push_back(std::move(s));
    }
  return {};
}

// The fields every affected package of the record shares.
Result<Advisory> ParseCommon(Object j) {
  Advisory a;
  a.source = std::string(kOsvKind);
  DISTILL_TRY(a.id, OptString(j, "id", nullptr));
  if (a.id.empty()) return Errorf("id: missing");
  DISTILL_TRY(a.aliases, OptStrings(j, "aliases", nullptr));
  // Chainguard's "upstream" ids are the vulnerabilities the record is about: aliases for us.
  DISTILL_TRY(auto upstream, OptStrings(j, "upstream", nullptr));
  a.aliases.insert(a.aliases.end(), upstream.begin(), upstream.end());
  NormalizeAliases(a.aliases, a.id);
  DISTILL_TRY(a.summary, OptString(j, "summary", nullptr));
  if (a.summary.empty()) {  // the first line of the details (without copying them whole)
    std::string_view details;
    if (auto d = Member(j, "details"); d && d->get_string().get(details) != simdjson::SUCCESS)
      return Errorf("details: not a string");
    a.summary = details.substr(0, details.find('\n'));
  }
  DISTILL_TRY(a.published, OptString(j, "published", nullptr));
  DISTILL_TRY(a.modified, OptString(j, "modified", nullptr));
  std::string_view publisher = Publisher(a.id);
  DISTILL_TRY(auto sevs, OptArray(j, "severity", nullptr));
  size_t i = 0;
  if (sevs)
    for (Element x : *sevs) {
      DISTILL_TRY(Severity s,
                  ParseSeverity(x, publisher, Path{nullptr, "severity", static_cast<long>(i++)}));
      a.severities.push_back(std::move(s));
    }
  Object ds;
  std::string_view sev;
  if (auto d = Member(j, "database_specific"); d && d->get_object().get(ds) == simdjson::SUCCESS)
    if (ds.at_key("severity").get_string().get(sev) == simdjson::SUCCESS && !sev.empty())
      a.severities.push_back(
          {std::string(publisher), "vendor", "", -1, VendorRating(std::string(sev))});
  DISTILL_TRY(auto refs, OptArray(j, "references", nullptr));
  i = 0;
  if (refs) a.references.reserve(refs->size());
  if (refs)
    for (Element x : *refs) {
      Object r;
      if (x.get_object().get(r) != simdjson::SUCCESS)
        return Errorf("references[{}]: not an object", i);
      Reference ref;
      for (auto [key, field] : {std::pair{"type", &ref.type}, std::pair{"url", &ref.url}}) {
        auto e = Member(r, key);
        std::string_view v;
        if (e && e->get_string().get(v) != simdjson::SUCCESS)
          return Errorf("references[{}].{}: not a string", i, key);
        field->assign(v);
      }
      a.references.push_back(std::move(ref));
      ++i;
    }
  return a;
}

Status ParseRecord(Element root, const Sink& sink) {
  Object j;
  if (root.get_object().get(j) != simdjson::SUCCESS)
    return Errorf("not an OSV record (expected a JSON object)");
  if (Member(j, "withdrawn")) return {};
  DISTILL_TRY(Advisory common, ParseCommon(j));
  DISTILL_TRY(auto affected, OptArray(j, "affected", nullptr));
  // Per package, only what its affected[] entries add; the common fields are joined at the end
  // (moved into the last package: most records name one).
  std::map<std::pair<std::string, std::string>, Advisory> by_package;  // sorted: deterministic
  size_t i = 0;
  if (affected)
    for (Element x : *affected) {
      Path path{nullptr, "affected", static_cast<long>(i++)}, package{&path, "package"};
      Object aff, pkg;
      if (x.get_object().get(aff) != simdjson::SUCCESS)
        return Errorf("{}: not an object", path.str());
      auto p = Member(aff, "package");
      if (!p || p->get_object().get(pkg) != simdjson::SUCCESS)
        continue;  // OSV allows affected without package
      DISTILL_TRY(std::string eco, OptString(pkg, "ecosystem", &package));
      DISTILL_TRY(std::string name, OptString(pkg, "name", &package));
      if (eco.empty() || name.empty())
        return Errorf("{}: ecosystem and name are required", package.str());
      std::string key = NormalizeEcosystem(eco);
      std::string pname = NormalizePackageName(key, name);
      auto [it, fresh] = by_package.try_emplace({std::move(key), std::move(pname)});
      DISTILL_TRY_VOID(AddAffected(aff, path, Publisher(common.id), it->second));
    }
  size_t left = by_package.size();
  for (auto& [key, part] : by_package) {
    --left;
    if (part.ranges.empty() && part.versions.empty()) continue;
    Advisory a = left == 0 ? std::move(common) : common;
    a.ecosystem = key.first, a.package = key.second;
    a.fixed_versions = std::move(part.fixed_versions);
    a.ranges = std::move(part.ranges);
    a.versions = std::move(part.versions);
    for (auto& sev : part.severities)  // affected[].severity, unless the record states it already
      if (std::find(a.severities.begin(), a.severities.end(), sev) == a.severities.end())
        a.severities.push_back(std::move(sev));
    a.state = a.fixed_versions.empty() ? FixState::kNotFixed : FixState::kFixed;
    DISTILL_TRY_VOID(sink(std::move(a)));
  }
  return {};
}

}  // namespace

Status ParseOsv(std::string_view json, const Sink& sink, bool padded) {
  // One parser per thread: its buffers are reused from record to record.
  static thread_local simdjson::dom::parser parser;
  Element root;
  if (parser.parse(json.data(), json.size(), /*realloc_if_needed=*/!padded).get(root) !=
      simdjson::SUCCESS)
    return Errorf("not valid JSON");
  Status st = ParseRecord(root, sink);
  std::string_view id;
  if (!st.ok() && root.is_object() && root["id"].get_string().get(id) == simdjson::SUCCESS)
    return std::move(st).error().wrap(std::string(id));
  return st;
}

bool LooksLikeOsv(std::string_view json) {
  size_t i = json.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || json[i] != '{') return false;
  std::string_view head = json.substr(0, 4096);
  return head.find("\"id\"") != std::string_view::npos &&
         (json.find("\"affected\"") != std::string_view::npos ||
          json.find("\"modified\"") != std::string_view::npos);
}

}  // namespace distill::vuln::importers
