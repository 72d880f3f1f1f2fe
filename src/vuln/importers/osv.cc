#include "vuln/importers/osv.h"

#include <map>

#include <nlohmann/json.hpp>

#include "vuln/cvss.h"
#include "vuln/db/ecosystem.h"

namespace distill::vuln::importers {

namespace {

using Json = nlohmann::json;

// The database an OSV id comes from, by its prefix (https://ossf.github.io/osv-schema/#id-modified-fields).
constexpr std::pair<std::string_view, std::string_view> kIdPrefixes[] = {
    {"GHSA-", "ghsa"},     {"CGA-", "chainguard"}, {"DEBIAN-", "debian"}, {"DSA-", "debian"},
    {"DLA-", "debian"},    {"UBUNTU-", "ubuntu"},  {"USN-", "ubuntu"},    {"ALSA-", "almalinux"},
    {"ALBA-", "almalinux"}, {"ALEA-", "almalinux"}, {"GO-", "go"},        {"PYSEC-", "pypa"},
    {"RUSTSEC-", "rustsec"}, {"ALPINE-", "alpine"}, {"RLSA-", "rocky"},   {"MAL-", "ossf-malicious"},
    {"BIT-", "bitnami"},   {"OSV-", "osv"},        {"CURL-", "curl"},     {"PSF-", "psf"},
};

std::string_view Publisher(std::string_view id) {
  for (const auto& [prefix, name] : kIdPrefixes)
    if (id.starts_with(prefix)) return name;
  return "osv";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optional string field: absent → "", wrong type → error.
Result<std::string> OptString(const Json& o, const char* key, std::string_view path) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Errorf("{}{}: not a string", path, key);
  return it->get<std::string>();
}

Result<std::vector<std::string>> OptStrings(const Json& o, const char* key, std::string_view path) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return out;
  if (!it->is_array()) return Errorf("{}{}: not an array", path, key);
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return Errorf("{}{}[{}]: not a string", path, key, i);
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Result<const Json*> OptArray(const Json& o, const char* key, std::string_view path) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return static_cast<const Json*>(nullptr);
  if (!it->is_array()) return Errorf("{}{}: not an array", path, key);
  return &*it;
}

Result<Severity> ParseSeverity(const Json& s, std::string_view publisher, std::string_view path) {
  if (!s.is_object()) return Errorf("{}: not an object", path);
  DISTILL_TRY(std::string type, OptString(s, "type", std::string(path) + "."));
  DISTILL_TRY(std::string score, OptString(s, "score", std::string(path) + "."));
  Severity sev{std::string(publisher), type, score, -1, ""};
  if (type == "CVSS_V3" || type == "CVSS_V2") {
    // A vector we cannot score is kept unscored: the vulnerability matters more than its score.
    auto cvss = type == "CVSS_V3" ? CvssV3BaseScore(score) : CvssV2BaseScore(score);
    if (cvss.ok()) {
      sev.score = cvss->base;
      sev.rating = cvss->rating;
    }
  } else if (type != "CVSS_V4") {
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

Result<Range> ParseRange(const Json& r, const std::string& path, bool* keep) {
  if (!r.is_object()) return Errorf("{}: not an object", path);
  DISTILL_TRY(std::string type, OptString(r, "type", path + "."));
  *keep = type == "ECOSYSTEM" || type == "SEMVER";
  Range range{type, {}};
  DISTILL_TRY(const Json* events, OptArray(r, "events", path + "."));
  if (!events) return Errorf("{}.events: missing", path);
  for (size_t i = 0; i < events->size(); ++i) {
    const Json& e = (*events)[i];
    std::string epath = fmt::format("{}.events[{}]", path, i);
    if (!e.is_object() || e.size() != 1) return Errorf("{}: not an object with one event", epath);
    auto kind = ParseEventKind(e.begin().key());
    if (!kind) return Errorf("{}: unknown event \"{}\"", epath, e.begin().key());
    if (!e.begin()->is_string()) return Errorf("{}.{}: not a string", epath, e.begin().key());
    range.events.push_back({*kind, e.begin()->get<std::string>()});
  }
  return range;
}

// Adds one affected[] entry's ranges and versions to `a` (entries for the same package merge).
Status AddAffected(const Json& aff, const std::string& path, std::string_view publisher,
                   Advisory& a) {
  DISTILL_TRY(const Json* ranges, OptArray(aff, "ranges", path + "."));
  for (size_t i = 0; ranges && i < ranges->size(); ++i) {
    bool keep = false;
    DISTILL_TRY(Range r, ParseRange((*ranges)[i], fmt::format("{}.ranges[{}]", path, i), &keep));
    if (!keep) continue;
    for (const auto& e : r.events)
      if (e.kind == Event::kFixed) a.fixed_versions.push_back(e.version);
    a.ranges.push_back(std::move(r));
  }
  DISTILL_TRY(auto versions, OptStrings(aff, "versions", path + "."));
  a.versions.insert(a.versions.end(), versions.begin(), versions.end());
  DISTILL_TRY(const Json* sevs, OptArray(aff, "severity", path + "."));
  for (size_t i = 0; sevs && i < sevs->size(); ++i) {
    DISTILL_TRY(Severity s, ParseSeverity((*sevs)[i], publisher, fmt::format("{}.severity[{}]", path, i)));
    if (std::find(a.severities.begin(), a.severities.end(), s) == a.severities.end())
      a.severities.push_back(std::move(s));
  }
  return {};
}

// The fields every affected package of the record shares.
Result<Advisory> ParseCommon(const Json& j) {
  Advisory a;
  a.source = std::string(kOsvKind);
  DISTILL_TRY(a.id, OptString(j, "id", ""));
  if (a.id.empty()) return Errorf("id: missing");
  DISTILL_TRY(a.aliases, OptStrings(j, "aliases", ""));
  // Chainguard's "upstream" ids are the vulnerabilities the record is about: aliases for us.
  DISTILL_TRY(auto upstream, OptStrings(j, "upstream", ""));
  a.aliases.insert(a.aliases.end(), upstream.begin(), upstream.end());
  NormalizeAliases(a.aliases, a.id);
  DISTILL_TRY(a.summary, OptString(j, "summary", ""));
  if (a.summary.empty()) {
    DISTILL_TRY(std::string details, OptString(j, "details", ""));
    a.summary = details.substr(0, details.find('\n'));
  }
  DISTILL_TRY(a.published, OptString(j, "published", ""));
  DISTILL_TRY(a.modified, OptString(j, "modified", ""));
  std::string_view publisher = Publisher(a.id);
  DISTILL_TRY(const Json* sevs, OptArray(j, "severity", ""));
  for (size_t i = 0; sevs && i < sevs->size(); ++i) {
    DISTILL_TRY(Severity s, ParseSeverity((*sevs)[i], publisher, fmt::format("severity[{}]", i)));
    a.severities.push_back(std::move(s));
  }
  if (auto ds = j.find("database_specific"); ds != j.end() && ds->is_object())
    if (auto s = ds->find("severity"); s != ds->end() && s->is_string() && !s->get<std::string>().empty())
      a.severities.push_back({std::string(publisher), "vendor", "", -1, VendorRating(s->get<std::string>())});
  DISTILL_TRY(const Json* refs, OptArray(j, "references", ""));
  for (size_t i = 0; refs && i < refs->size(); ++i) {
    const Json& r = (*refs)[i];
    if (!r.is_object()) return Errorf("references[{}]: not an object", i);
    std::string path = fmt::format("references[{}].", i);
    DISTILL_TRY(std::string type, OptString(r, "type", path));
    DISTILL_TRY(std::string url, OptString(r, "url", path));
    a.references.push_back({type, url});
  }
  return a;
}

Status ParseRecord(const Json& j, const Sink& sink) {
  if (!j.is_object()) return Errorf("not an OSV record (expected a JSON object)");
  if (j.contains("withdrawn") && !j["withdrawn"].is_null()) return {};
  DISTILL_TRY(Advisory common, ParseCommon(j));
  DISTILL_TRY(const Json* affected, OptArray(j, "affected", ""));
  std::map<std::pair<std::string, std::string>, Advisory> by_package;  // sorted: deterministic
  for (size_t i = 0; affected && i < affected->size(); ++i) {
    const Json& aff = (*affected)[i];
    std::string path = fmt::format("affected[{}]", i);
    if (!aff.is_object()) return Errorf("{}: not an object", path);
    auto pkg = aff.find("package");
    if (pkg == aff.end() || !pkg->is_object()) continue;  // OSV allows affected without package
    DISTILL_TRY(std::string eco, OptString(*pkg, "ecosystem", path + ".package."));
    DISTILL_TRY(std::string name, OptString(*pkg, "name", path + ".package."));
    if (eco.empty() || name.empty()) return Errorf("{}.package: ecosystem and name are required", path);
    std::string key = NormalizeEcosystem(eco);
    std::string pname = NormalizePackageName(key, name);
    auto [it, fresh] = by_package.try_emplace({key, pname}, common);
    if (fresh) {
      it->second.ecosystem = key;
      it->second.package = pname;
    }
    DISTILL_TRY_VOID(AddAffected(aff, path, Publisher(common.id), it->second));
  }
  for (auto& [key, a] : by_package) {
    if (a.ranges.empty() && a.versions.empty()) continue;
    a.state = a.fixed_versions.empty() ? FixState::kNotFixed : FixState::kFixed;
    DISTILL_TRY_VOID(sink(std::move(a)));
  }
  return {};
}

}  // namespace

Status ParseOsv(std::string_view json, const Sink& sink) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Errorf("not valid JSON");
  Status st = ParseRecord(j, sink);
  if (!st.ok() && j.is_object() && j.contains("id") && j["id"].is_string())
    return std::move(st).error().wrap(j["id"].get<std::string>());
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
