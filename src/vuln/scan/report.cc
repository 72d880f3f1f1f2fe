#include "vuln/scan/report.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "catalog/purl.h"
#include "sbom/formats.h"
#include "sbom/sbom.h"
#include "util/sarif.h"
#include "version.h"
#include "vuln/cvss.h"

namespace distill::vuln::scan {

namespace {

using match::Finding;
using match::Level;
using J = nlohmann::ordered_json;

bool IsOsType(std::string_view t) { return t == "deb" || t == "apk" || t == "rpm"; }

// Language ecosystems by purl type, named as trivy's targets are.
constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
    {"pypi", "Python"}, {"npm", "Node.js"}, {"golang", "Go"},  {"maven", "Java"},
    {"cargo", "Rust"},  {"gem", "Ruby"},    {"nuget", ".NET"}, {"composer", "PHP"},
};

// The directory a language package belongs to: its site-packages, its node_modules tree, or
// the file itself (a lock file, a Go binary, a jar).
std::string LocationRoot(std::string_view path) {
  for (std::string_view marker : {"/site-packages/", "/dist-packages/"})
    if (size_t at = path.find(marker); at != std::string_view::npos) return std::string(path.substr(0, at + marker.size() - 1));
  if (size_t at = path.find("node_modules/"); at != std::string_view::npos) return std::string(path.substr(0, at + 12));
  return std::string(path);
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

using Counts = std::array<int, 5>;  // by Level

template <typename It, typename Get>
Counts CountOf(It begin, It end, Get get) {
  Counts c{};
  for (; begin != end; ++begin) ++c[static_cast<int>(get(*begin).severity)];
  return c;
}
Counts CountOf(const std::vector<const Finding*>& fs) {
  return CountOf(fs.begin(), fs.end(), [](const Finding* f) -> const Finding& { return *f; });
}

std::string TotalLine(const Counts& c) {
  int n = 0;
  for (int x : c) n += x;
  return fmt::format("Total: {} (UNKNOWN: {}, LOW: {}, MEDIUM: {}, HIGH: {}, CRITICAL: {})", n, c[0], c[1], c[2], c[3], c[4]);
}

std::string PackageCell(const Finding& f) {
  return f.via_source.empty() ? f.package : f.package + " (source " + f.via_source + ")";
}

std::string StatusCell(const Finding& f) {
  std::string s = f.StatusText();
  if (!f.vex_status.empty()) s += " [VEX: " + f.vex_status + "]";
  return s;
}

TargetKey TargetOfFinding(const Report& r, const Finding& f) {
  return TargetOf(r.catalog ? r.catalog->distro : catalog::Distro{}, f.type, f.purl, f.location);
}

std::pair<int, int> SuppressedCounts(const Report& r) {
  int ignored = 0, vex = 0;
  for (const auto& s : r.suppressed) (s.by == "vex" ? vex : ignored)++;
  return {ignored, vex};
}

}  // namespace

TargetKey TargetOf(const catalog::Distro& distro, std::string_view type, std::string_view purl,
                   std::string_view location) {
  if (IsOsType(type)) {
    std::string release = distro.version_id.empty() ? distro.version_codename : distro.version_id;
    if (distro.empty()) return {0, fmt::format("OS packages ({})", type)};
    return {0, fmt::format("{}{}{} (OS packages)", distro.id, release.empty() ? "" : " ", release)};
  }
  std::string ptype(type);
  if (auto p = catalog::ParsePurlLenient(std::string(purl)); p.ok()) ptype = p->type;
  std::string label = ptype;
  for (const auto& [t, name] : kLanguages)
    if (t == ptype) label = fmt::format("{} ({})", name, t);
  std::string root = LocationRoot(location);
  return {1, root.empty() ? label : label + ": " + root};
}

namespace {

// "Not looked up: 3 packages (unknown ecosystem: 2, unparsable version: 1); -o json lists them".
std::string UnmatchedLine(const std::vector<match::Unmatched>& us) {
  std::map<std::string, size_t> by;
  for (const auto& u : us) ++by[u.reason];
  std::string parts;
  for (const auto& [reason, n] : by) {
    std::string words = reason;
    std::replace(words.begin(), words.end(), '-', ' ');
    parts += fmt::format("{}{}: {}", parts.empty() ? "" : ", ", words, n);
  }
  return fmt::format("Not looked up: {} package{} ({}); -o json lists them under \"unmatched\"", us.size(),
                     us.size() == 1 ? "" : "s", parts);
}

}  // namespace

void WriteTable(const Report& r, std::ostream& out) {
  std::map<TargetKey, std::vector<const Finding*>> targets;
  if (r.catalog)
    for (const auto& p : r.catalog->packages)
      if (IsOsType(p.type) || !p.purl.empty())
        targets[TargetOf(r.catalog->distro, p.type, p.purl, p.locations.empty() ? "" : p.locations.front().path)];
  for (const auto& f : r.findings) targets[TargetOfFinding(r, f)].push_back(&f);
  bool first = true;
  for (const auto& [key, fs] : targets) {
    if (!first) out << "\n";
    first = false;
    out << key.name << "\n" << std::string(key.name.size(), '=') << "\n" << TotalLine(CountOf(fs)) << "\n";
    if (fs.empty()) continue;
    std::vector<std::array<std::string, 6>> rows = {{"Package", "Installed", "Fixed in", "Vulnerability", "Severity", "Status"}};
    for (const Finding* f : fs)
      rows.push_back({PackageCell(*f), f->version, Join(f->fixed_versions, ", "), f->id,
                      std::string(LevelName(f->severity)), StatusCell(*f)});
    std::array<size_t, 6> w{};
    for (const auto& row : rows)
      for (size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
    out << "\n";
    for (const auto& row : rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], w[i]);
      out << line << "\n";
    }
  }
  if (!first) out << "\n";
  out << TotalLine(CountOf(r.findings.begin(), r.findings.end(), [](const Finding& f) -> const Finding& { return f; })) << "\n";
  if (!r.suppressed.empty()) {
    auto [ignored, vex] = SuppressedCounts(r);
    out << fmt::format("Suppressed: {} (ignore file: {}, VEX: {})\n", r.suppressed.size(), ignored, vex);
  }
  if (!r.unmatched.empty()) out << UnmatchedLine(r.unmatched) << "\n";
}

namespace {

J FindingJson(const Report& r, const Finding& f) {
  J m;
  m["target"] = TargetOfFinding(r, f).name;
  m["package"] = {{"name", f.package}, {"version", f.version}, {"type", f.type}, {"purl", f.purl}};
  if (!f.via_source.empty()) m["package"]["source"] = f.via_source;
  m["matchedVersion"] = f.matched_version;
  m["ecosystem"] = f.ecosystem;
  m["vulnerability"] = {{"id", f.id}, {"ids", f.ids}, {"severity", LevelName(f.severity)},
                        {"severitySource", f.severity_source}, {"severityType", f.severity_type}};
  if (f.score >= 0) m["vulnerability"]["cvssV3Score"] = f.score;
  if (!f.cvss_vector.empty()) m["vulnerability"]["cvssV3Vector"] = f.cvss_vector;
  m["vulnerability"]["summary"] = f.summary;
  m["vulnerability"]["dataSources"] = f.sources;
  if (!f.advisories.empty()) m["vulnerability"]["advisories"] = f.advisories;
  m["state"] = FixStateName(f.state);
  if (!f.state_note.empty()) m["stateNote"] = f.state_note;
  m["status"] = f.StatusText();
  m["fixedIn"] = f.fixed_versions;
  if (!f.vex_status.empty()) m["vexStatus"] = f.vex_status;
  return m;
}

J Total(const Counts& c) {
  return {{"all", c[0] + c[1] + c[2] + c[3] + c[4]}, {"UNKNOWN", c[0]}, {"LOW", c[1]}, {"MEDIUM", c[2]}, {"HIGH", c[3]}, {"CRITICAL", c[4]}};
}

}  // namespace

void WriteJson(const Report& r, std::ostream& out) {
  J j;
  j["target"] = r.target;
  if (r.catalog && !r.catalog->distro.empty())
    j["distro"] = {{"id", r.catalog->distro.id}, {"versionId", r.catalog->distro.version_id}};
  auto& ms = j["matches"] = J::array();
  for (const auto& f : r.findings) ms.push_back(FindingJson(r, f));
  auto& ss = j["suppressed"] = J::array();
  for (const auto& s : r.suppressed) {
    J m = FindingJson(r, s.finding);
    m["suppression"] = {{"by", s.by}, {"status", s.status}, {"reason", s.reason}};
    ss.push_back(std::move(m));
  }
  j["total"] = Total(CountOf(r.findings.begin(), r.findings.end(), [](const Finding& f) -> const Finding& { return f; }));
  auto [ignored, vex] = SuppressedCounts(r);
  j["total"]["suppressed"] = {{"all", ignored + vex}, {"ignoreFile", ignored}, {"vex", vex}};
  auto& us = j["unmatched"] = J::array();
  for (const auto& u : r.unmatched) {
    J m;
    m["package"] = {{"name", u.package}, {"version", u.version}, {"type", u.type}, {"purl", u.purl}};
    if (!u.location.empty()) m["location"] = u.location;
    m["reason"] = u.reason;
    m["detail"] = u.detail;
    us.push_back(std::move(m));
  }
  j["total"]["unmatched"] = r.unmatched.size();
  out << j.dump(2) << "\n";
}

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one rule per vulnerability id,
// one result per finding, located at the package's record in the image. GitHub code scanning
// reads `security-severity` (the CVSS score, else a score for the rating) and `level`.
namespace {

std::string_view SarifLevel(Level l) {
  switch (l) {
    case Level::kCritical:
    case Level::kHigh: return "error";
    case Level::kMedium: return "warning";
    default: return "note";
  }
}

std::string SecuritySeverity(const Finding& f) {
  if (f.score >= 0) return fmt::format("{:.1f}", f.score);
  static constexpr std::string_view kByLevel[] = {"0.0", "2.0", "5.5", "8.0", "9.5"};
  return std::string(kByLevel[static_cast<int>(f.severity)]);
}

}  // namespace

void WriteSarif(const Report& r, std::ostream& out) {
  J rules = J::array(), results = J::array();
  std::map<std::string, size_t> rule_index;  // findings are sorted by package: rules by first use
  auto add = [&](const Finding& f, const Suppressed* s) {
    auto [it, fresh] = rule_index.try_emplace(f.id, rule_index.size());
    if (fresh) {
      std::string text = f.summary.empty() ? f.id : f.summary.substr(0, f.summary.find('\n'));
      rules.push_back({{"id", f.id},
                       {"name", IsOsType(f.type) ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability"},
                       {"shortDescription", {{"text", text}}},
                       {"fullDescription", {{"text", f.summary.empty() ? f.id : f.summary}}},
                       {"defaultConfiguration", {{"level", SarifLevel(f.severity)}}},
                       {"properties", {{"security-severity", SecuritySeverity(f)},
                                       {"tags", {"vulnerability", "security", std::string(LevelName(f.severity))}},
                                       {"aliases", f.ids}}}});
      if (f.id.starts_with("CVE-")) rules.back()["helpUri"] = "https://nvd.nist.gov/vuln/detail/" + f.id;
    }
    std::string msg = fmt::format("Package: {}\nInstalled Version: {}\nVulnerability: {}\nSeverity: {}\nFixed Version: {}\nStatus: {}",
                                  PackageCell(f), f.version, Join(f.ids, ", "), LevelName(f.severity),
                                  Join(f.fixed_versions, ", "), StatusCell(f));
    J result = {{"ruleId", f.id},
                {"ruleIndex", it->second},
                {"level", SarifLevel(f.severity)},
                {"message", {{"text", msg}}},
                {"locations", {sarif::Location(f.location.empty() ? r.target : f.location, 0,
                                               f.purl.empty() ? f.package + "@" + f.version : f.purl)}}};
    if (s != nullptr) {
      std::string why = s->by == "vex" ? "VEX " + s->status : "ignore file";
      if (!s->reason.empty()) why += ": " + s->reason;
      result["suppressions"] = {{{"kind", "external"}, {"status", "accepted"}, {"justification", why}}};
    }
    results.push_back(std::move(result));
  };
  for (const auto& f : r.findings) add(f, nullptr);
  for (const auto& s : r.suppressed) add(s.finding, &s);
  out << sarif::Log(std::move(rules), std::move(results)).dump(2) << "\n";
}

// CycloneDX 1.6: the SBOM (sbom::cyclonedx, as `distill sbom -o cyclonedx-json` writes it) plus
// one `vulnerabilities` entry per vulnerability id, whose `affects` point at the packages'
// bom-refs (installed version affected, the fix versions unaffected); suppressed findings carry
// an `analysis` (not_affected / resolved, with the reason).
namespace {

std::string_view CdxSeverity(Level l) {
  static constexpr std::string_view kNames[] = {"unknown", "low", "medium", "high", "critical"};
  return kNames[static_cast<int>(l)];
}

J VulnSource(const std::string& id) {
  if (id.starts_with("CVE-")) return {{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/" + id}};
  if (id.starts_with("GHSA-")) return {{"name", "GitHub Advisory Database"}, {"url", "https://github.com/advisories/" + id}};
  if (id.starts_with("GO-")) return {{"name", "Go Vulnerability Database"}, {"url", "https://pkg.go.dev/vuln/" + id}};
  return {{"name", "OSV"}, {"url", "https://osv.dev/vulnerability/" + id}};
}

// VEX justifications → CycloneDX impact analysis justifications, where one corresponds.
std::string CdxJustification(std::string_view vex) {
  if (vex == "component_not_present") return "code_not_present";
  if (vex == "vulnerable_code_not_present") return "code_not_present";
  if (vex == "vulnerable_code_not_in_execute_path") return "code_not_reachable";
  if (vex == "vulnerable_code_cannot_be_controlled_by_adversary") return "requires_environment";
  if (vex == "inline_mitigations_already_exist") return "protected_by_mitigating_control";
  return "";
}

}  // namespace

Status WriteCycloneDx(const Report& r, std::ostream& out) {
  sbom::Sbom sb;
  sb.source.name = r.target;
  if (r.catalog) sb.catalog = *r.catalog;
  sb.created = r.created;
  sb.tool_version = DISTILL_VERSION;
  DISTILL_TRY(auto spec, sbom::ParseOutputSpec("cyclonedx-json@1.6"));
  DISTILL_TRY(std::string text, sbom::EncodeToString(sb, spec));
  J doc = J::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Errorf("internal: the CycloneDX encoder wrote invalid JSON");
  // Components by purl, and by name@version for packages without one.
  std::map<std::string, std::string> refs;
  if (doc.contains("components"))
    for (const auto& c : doc["components"]) {
      std::string ref = c.value("bom-ref", "");
      if (c.contains("purl")) refs.try_emplace(c["purl"].get<std::string>(), ref);
      refs.try_emplace(c.value("name", "") + "@" + c.value("version", ""), ref);
    }
  auto ref_of = [&](const Finding& f) {
    if (auto it = refs.find(f.purl); !f.purl.empty() && it != refs.end()) return it->second;
    auto it = refs.find(f.package + "@" + f.version);
    return it != refs.end() ? it->second : std::string();
  };
  // One entry per (id, suppression): affects lists every package.
  struct Entry {
    const Finding* first;
    const Suppressed* suppressed;
    J affects = J::array();
  };
  std::map<std::pair<std::string, std::string>, Entry> entries;
  auto add = [&](const Finding& f, const Suppressed* s) {
    std::string key2 = s ? s->by + "/" + s->status + "/" + s->reason : "";
    auto [it, fresh] = entries.try_emplace({f.id, key2}, Entry{&f, s});
    std::string ref = ref_of(f);
    if (ref.empty()) return;
    J versions = J::array({{{"version", f.version}, {"status", "affected"}}});
    for (const auto& v : f.fixed_versions) versions.push_back({{"version", v}, {"status", "unaffected"}});
    it->second.affects.push_back({{"ref", ref}, {"versions", versions}});
  };
  for (const auto& f : r.findings) add(f, nullptr);
  for (const auto& s : r.suppressed) add(s.finding, &s);
  J vulns = J::array();
  std::map<std::string, int> seen;  // bom-refs must be unique
  for (auto& [key, e] : entries) {
    const Finding& f = *e.first;
    int n = seen[f.id]++;
    J v;
    v["bom-ref"] = n == 0 ? "vuln-" + f.id : fmt::format("vuln-{}-{}", f.id, n);
    v["id"] = f.id;
    v["source"] = VulnSource(f.id);
    J refs_j = J::array();
    for (const auto& id : f.ids)
      if (id != f.id) refs_j.push_back({{"id", id}, {"source", VulnSource(id)}});
    if (!refs_j.empty()) v["references"] = refs_j;
    // The rating the report uses (vendor first), then the CVSS (v3, else v4) score when that was not it.
    J ratings = J::array();
    J cvss = {{"source", {{"name", f.cvss_source.empty() ? "distill" : f.cvss_source}}}, {"score", f.score},
              {"severity", f.score >= 0 ? std::string(CvssRating(f.score)) : std::string("unknown")},
              {"method", f.cvss_vector.starts_with("CVSS:4.0/")   ? "CVSSv4"
                         : f.cvss_vector.starts_with("CVSS:3.0/") ? "CVSSv3"
                                                                   : "CVSSv31"}};
    if (!f.cvss_vector.empty()) cvss["vector"] = f.cvss_vector;
    if (f.severity_type == "CVSS_V3" || f.severity_type == "CVSS_V4") {
      ratings.push_back(cvss);
    } else {
      ratings.push_back({{"source", {{"name", f.severity_source.empty() ? "distill" : f.severity_source}}},
                         {"severity", CdxSeverity(f.severity)}, {"method", "other"}});
      if (f.score >= 0) ratings.push_back(cvss);
    }
    v["ratings"] = ratings;
    if (!f.summary.empty()) v["description"] = f.summary;
    if (!f.fixed_versions.empty()) v["recommendation"] = "Upgrade to " + Join(f.fixed_versions, " or ");
    if (!f.advisories.empty()) {
      J adv = J::array();
      for (const auto& u : f.advisories) adv.push_back({{"url", u}});
      v["advisories"] = adv;
    }
    if (e.suppressed) {
      const Suppressed& s = *e.suppressed;
      J analysis;
      if (s.by == "vex" && s.status == "fixed") analysis["state"] = "resolved";
      else if (s.by == "vex") analysis["state"] = "not_affected";
      // An ignore rule is the user's decision, not a statement of (non-)exploitability: no state.
      if (std::string j = CdxJustification(s.reason.substr(0, s.reason.find(':'))); !j.empty()) analysis["justification"] = j;
      analysis["detail"] = (s.by == "vex" ? "VEX " + s.status : std::string("distill ignore file")) +
                           (s.reason.empty() ? "" : ": " + s.reason);
      v["analysis"] = analysis;
    }
    v["affects"] = e.affects;
    vulns.push_back(std::move(v));
  }
  doc["vulnerabilities"] = vulns;
  out << doc.dump(2) << "\n";
  return {};
}

}  // namespace distill::vuln::scan
