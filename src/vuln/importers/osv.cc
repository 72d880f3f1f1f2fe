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

// The record is parsed with simdjson (DOM): OSV imports are bound by inflating and parsing, and
// one all.zip holds tens of thousands of 3-8 KB records. Each object is walked once for all the
// members wanted (at_key walks it once per key), and one Advisory per thread is filled record
// after record, so its strings and vectors keep their buffers (doc/vuln-db.md, "Performance").

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

// A member found by Members: absent or null → nullopt.
using Member = std::optional<Element>;

// The members of `o` named `names`, in one pass: out[i] is names[i]'s value. The first of a
// repeated key counts, as with at_key.
template <size_t N>
void Members(Object o, const std::string_view (&names)[N], Member (&out)[N]) {
  bool seen[N] = {};
  for (auto [key, value] : o)
    for (size_t i = 0; i < N; ++i)
      if (!seen[i] && key == names[i]) {
        seen[i] = true;
        if (!value.is_null()) out[i] = value;
        break;
      }
}

// Optional string: absent → "", wrong type → error.
Result<std::string_view> OptString(const Member& e, std::string_view key, const Path* path) {
  std::string_view v;
  if (e && e->get_string().get(v) != simdjson::SUCCESS)
    return Errorf("{}{}: not a string", Prefix(path), key);
  return v;
}

// Appends the strings of an optional array to `out`.
Status AppendStrings(const Member& e, std::string_view key, const Path* path,
                     std::vector<std::string>& out) {
  if (!e) return {};
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
  return {};
}

Result<std::optional<Array>> OptArray(const Member& e, std::string_view key, const Path* path) {
  if (!e) return std::optional<Array>();
  Array a;
  if (e->get_array().get(a) != simdjson::SUCCESS)
    return Errorf("{}{}: not an array", Prefix(path), key);
  return std::optional<Array>(a);
}

// CVSS vector → (base score, rating), -1 when it cannot be scored. Vectors repeat (a few
// thousand distinct ones in all of GHSA): scored once per thread.
const std::pair<double, std::string>& Score(int kind, std::string_view vector) {
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  using Memo =
      std::unordered_map<std::string, std::pair<double, std::string>, Hash, std::equal_to<>>;
  static thread_local Memo memos[3];
  Memo& memo = memos[kind];
  auto it = memo.find(vector);
  if (it == memo.end()) {
    if (memo.size() > 100000) memo.clear();
    auto cvss = kind == 0   ? CvssV2BaseScore(std::string(vector))
                : kind == 1 ? CvssV3BaseScore(std::string(vector))
                            : CvssV4Score(std::string(vector));
    it = memo.emplace(std::string(vector), cvss.ok() ? std::pair(cvss->base, cvss->rating)
                                                     : std::pair(-1.0, std::string()))
             .first;
  }
  return it->second;
}

Result<Severity> ParseSeverity(Element e, std::string_view publisher, const Path& path) {
  Object s;
  if (e.get_object().get(s) != simdjson::SUCCESS) return Errorf("{}: not an object", path.str());
  static constexpr std::string_view kNames[] = {"type", "score"};
  Member m[2];
  Members(s, kNames, m);
  DISTILL_TRY(std::string_view type, OptString(m[0], "type", &path));
  DISTILL_TRY(std::string_view score, OptString(m[1], "score", &path));
  if (type == "CVSS_V3" || type == "CVSS_V2" || type == "CVSS_V4") {
    // A vector we cannot score is kept unscored: the vulnerability matters more than its score.
    const auto& [base, rating] = Score(type == "CVSS_V2" ? 0 : type == "CVSS_V3" ? 1 : 2, score);
    return Severity{std::string(publisher), std::string(type), std::string(score), base, rating};
  }
  // Vendor ratings in the severity array (Ubuntu: {"type": "Ubuntu", "score": "medium"}).
  return Severity{Lower(std::string(type)), "vendor", "", -1, Lower(std::string(score))};
}

// GHSA's database_specific.severity: LOW / MODERATE / HIGH / CRITICAL.
std::string VendorRating(std::string s) {
  s = Lower(std::move(s));
  return s == "moderate" ? "medium" : s;
}

// Appends one range to `ranges` (and its fixed versions to `fixed`) unless it is not a version
// range (GIT).
Status AddRange(Element e, const Path& path, std::vector<Range>& ranges,
                std::vector<std::string>& fixed) {
  Object r;
  if (e.get_object().get(r) != simdjson::SUCCESS) return Errorf("{}: not an object", path.str());
  static constexpr std::string_view kNames[] = {"type", "events"};
  Member m[2];
  Members(r, kNames, m);
  DISTILL_TRY(std::string_view type, OptString(m[0], "type", &path));
  bool keep = type == "ECOSYSTEM" || type == "SEMVER";
  DISTILL_TRY(auto events, OptArray(m[1], "events", &path));
  if (!events) return Errorf("{}.events: missing", path.str());
  Range range{std::string(type), {}};
  range.events.reserve(events->size());
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
  if (!keep) return {};
  for (const auto& ev : range.events)
    if (ev.kind == Event::kFixed) fixed.push_back(ev.version);
  ranges.push_back(std::move(range));
  return {};
}

// One affected[] entry's members.
enum { kPackage, kRanges, kVersions, kAffectedSeverity, kAffectedMembers };
constexpr std::string_view kAffectedNames[] = {"package", "ranges", "versions", "severity"};

// Adds one affected[] entry's ranges and versions to `a` (entries for the same package merge).
Status AddAffected(const Member (&aff)[kAffectedMembers], const Path& path,
                   std::string_view publisher, Advisory& advisory) {
  DISTILL_TRY(auto ranges, OptArray(aff[kRanges], "ranges", &path));
  size_t i = 0;
  if (ranges)
    for (Element x : *ranges)
      DISTILL_TRY_VOID(AddRange(x, Path{&path, "ranges", static_cast<long>(i++)}, advisory.ranges,
                                advisory.fixed_versions));
  DISTILL_TRY_VOID(AppendStrings(aff[kVersions], "versions", &path, advisory.versions));
  DISTILL_TRY(auto sevs, OptArray(aff[kAffectedSeverity], "severity", &path));
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

// The record's members.
enum {
  kId,
  kAliases,
  kUpstream,
  kSummary,
  kDetails,
  kPublished,
  kModified,
  kSeverity,
  kDatabaseSpecific,
  kReferences,
  kAffected,
  kWithdrawn,
  kRecordMembers
};
constexpr std::string_view kRecordNames[] = {
    "id",       "aliases",  "upstream",          "summary",    "details",  "published",
    "modified", "severity", "database_specific", "references", "affected", "withdrawn"};
using Record = Member[kRecordMembers];

Status ParseReferences(const Member& member, std::vector<Reference>& out) {
  DISTILL_TRY(auto refs, OptArray(member, "references", nullptr));
  size_t n = refs ? refs->size() : 0;
  // Filled in place: the Reference strings of the previous record keep their buffers.
  if (out.size() < n) out.resize(n);
  size_t i = 0;
  if (refs)
    for (Element x : *refs) {
      Object r;
      if (x.get_object().get(r) != simdjson::SUCCESS)
        return Errorf("references[{}]: not an object", i);
      static constexpr std::string_view kNames[] = {"type", "url"};
      Member m[2];
      Members(r, kNames, m);
      Reference& ref = out[i];
      for (int k = 0; k < 2; ++k) {
        std::string_view v;
        if (m[k] && m[k]->get_string().get(v) != simdjson::SUCCESS)
          return Errorf("references[{}].{}: not a string", i, kNames[k]);
        (k == 0 ? ref.type : ref.url).assign(v);
      }
      ++i;
    }
  out.resize(i);
  return {};
}

// The fields every affected package of the record shares, into `a` (cleared first).
Status ParseCommon(const Record& j, Advisory& a) {
  a.source = kOsvKind;
  a.ecosystem.clear(), a.package.clear(), a.state = FixState::kNotFixed, a.state_note.clear();
  a.fixed_versions.clear(), a.ranges.clear(), a.versions.clear();
  DISTILL_TRY(std::string_view id, OptString(j[kId], "id", nullptr));
  if (id.empty()) return Errorf("id: missing");
  a.id.assign(id);
  a.aliases.clear();
  DISTILL_TRY_VOID(AppendStrings(j[kAliases], "aliases", nullptr, a.aliases));
  // Chainguard's "upstream" ids are the vulnerabilities the record is about: aliases for us.
  DISTILL_TRY_VOID(AppendStrings(j[kUpstream], "upstream", nullptr, a.aliases));
  NormalizeAliases(a.aliases, a.id);
  DISTILL_TRY(std::string_view summary, OptString(j[kSummary], "summary", nullptr));
  if (summary.empty()) {  // the first line of the details
    std::string_view details;
    if (j[kDetails] && j[kDetails]->get_string().get(details) != simdjson::SUCCESS)
      return Errorf("details: not a string");
    summary = details.substr(0, details.find('\n'));
  }
  a.summary.assign(summary);
  DISTILL_TRY(std::string_view published, OptString(j[kPublished], "published", nullptr));
  a.published.assign(published);
  DISTILL_TRY(std::string_view modified, OptString(j[kModified], "modified", nullptr));
  a.modified.assign(modified);
  std::string_view publisher = Publisher(a.id);
  a.severities.clear();
  DISTILL_TRY(auto sevs, OptArray(j[kSeverity], "severity", nullptr));
  size_t i = 0;
  if (sevs)
    for (Element x : *sevs) {
      DISTILL_TRY(Severity s,
                  ParseSeverity(x, publisher, Path{nullptr, "severity", static_cast<long>(i++)}));
      a.severities.push_back(std::move(s));
    }
  Object ds;
  std::string_view sev;
  if (j[kDatabaseSpecific] && j[kDatabaseSpecific]->get_object().get(ds) == simdjson::SUCCESS)
    if (ds.at_key("severity").get_string().get(sev) == simdjson::SUCCESS && !sev.empty())
      a.severities.push_back(
          {std::string(publisher), "vendor", "", -1, VendorRating(std::string(sev))});
  return ParseReferences(j[kReferences], a.references);
}

// A record naming one package (most do): its entry is added to `common` itself, which goes to
// the sink. Otherwise each package gets a copy of the common fields (the last one `common`).
Status EmitPackages(Array affected, Advisory& common, const Sink& sink) {
  std::string_view publisher = Publisher(common.id);
  // Per package, only what its affected[] entries add, sorted (deterministic).
  std::map<std::pair<std::string, std::string>, Advisory> by_package;
  bool one = affected.size() == 1;
  size_t i = 0;
  for (Element x : affected) {
    Path path{nullptr, "affected", static_cast<long>(i++)}, package{&path, "package"};
    Object aff, pkg;
    if (x.get_object().get(aff) != simdjson::SUCCESS)
      return Errorf("{}: not an object", path.str());
    Member m[kAffectedMembers];
    Members(aff, kAffectedNames, m);
    if (!m[kPackage] || m[kPackage]->get_object().get(pkg) != simdjson::SUCCESS)
      continue;  // OSV allows affected without package
    static constexpr std::string_view kNames[] = {"ecosystem", "name"};
    Member p[2];
    Members(pkg, kNames, p);
    DISTILL_TRY(std::string_view eco, OptString(p[0], "ecosystem", &package));
    DISTILL_TRY(std::string_view name, OptString(p[1], "name", &package));
    if (eco.empty() || name.empty())
      return Errorf("{}: ecosystem and name are required", package.str());
    std::string key = NormalizeEcosystem(eco);
    std::string pname = NormalizePackageName(key, name);
    if (one) {
      common.ecosystem = std::move(key), common.package = std::move(pname);
      DISTILL_TRY_VOID(AddAffected(m, path, publisher, common));
      if (common.ranges.empty() && common.versions.empty()) return {};
      common.state = common.fixed_versions.empty() ? FixState::kNotFixed : FixState::kFixed;
      return sink(std::move(common));
    }
    auto [it, fresh] = by_package.try_emplace({std::move(key), std::move(pname)});
    DISTILL_TRY_VOID(AddAffected(m, path, publisher, it->second));
  }
  size_t left = by_package.size();
  for (auto& [key, part] : by_package) {
    --left;
    if (part.ranges.empty() && part.versions.empty()) continue;
    Advisory copy;
    if (left != 0) copy = common;
    Advisory& a = left == 0 ? common : copy;
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

Status ParseRecord(Element root, const Sink& sink) {
  Object o;
  if (root.get_object().get(o) != simdjson::SUCCESS)
    return Errorf("not an OSV record (expected a JSON object)");
  Record j;
  Members(o, kRecordNames, j);
  if (j[kWithdrawn]) return {};
  static thread_local Advisory common;  // reused: its buffers outlive the record
  DISTILL_TRY_VOID(ParseCommon(j, common));
  DISTILL_TRY(auto affected, OptArray(j[kAffected], "affected", nullptr));
  if (!affected) return {};
  return EmitPackages(*affected, common, sink);
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
