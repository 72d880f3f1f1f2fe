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

bool IsOsType(std::string_view text) { return text == "deb" || text == "apk" || text == "rpm"; }

// Language ecosystems by purl type, named as trivy's targets are.
constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
    {"pypi", "Python"}, {"npm", "Node.js"}, {"golang", "Go"},  {"maven", "Java"},
    {"cargo", "Rust"},  {"gem", "Ruby"},    {"nuget", ".NET"}, {"composer", "PHP"},
};

// The directory a language package belongs to: its site-packages, its node_modules tree, or
// the file itself (a lock file, a Go binary, a jar).
std::string LocationRoot(std::string_view path) {
  for (std::string_view marker : {"/site-packages/", "/dist-packages/"})
    if (size_t at = path.find(marker); at != std::string_view::npos)
      return std::string(path.substr(0, at + marker.size() - 1));
  if (size_t at = path.find("node_modules/"); at != std::string_view::npos)
    return std::string(path.substr(0, at + 12));
  return std::string(path);
}

std::string Join(const std::vector<std::string>& strings, std::string_view sep) {
  std::string out;
  for (const auto& s : strings) out += (out.empty() ? "" : std::string(sep)) + s;
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
  return CountOf(fs.begin(), fs.end(),
                 [](const Finding* finding) -> const Finding& { return *finding; });
}

std::string TotalLine(const Counts& counts) {
  int n = 0;
  for (int x : counts) n += x;
  return fmt::format("Total: {} (UNKNOWN: {}, LOW: {}, MEDIUM: {}, HIGH: {}, CRITICAL: {})", n,
                     counts[0], counts[1], counts[2], counts[3], counts[4]);
}

std::string PackageCell(const Finding& finding) {
  return finding.via_source.empty() ? finding.package
                                    : finding.package + " (source " + finding.via_source + ")";
}

std::string StatusCell(const Finding& finding) {
  std::string s = finding.StatusText();
  if (!finding.vex_status.empty()) s += " [VEX: " + finding.vex_status + "]";
  return s;
}

TargetKey TargetOfFinding(const Report& report, const Finding& finding) {
  return TargetOf(report.catalog ? report.catalog->distro : catalog::Distro{}, finding.type,
                  finding.purl, finding.location);
}

std::pair<int, int> SuppressedCounts(const Report& report) {
  int ignored = 0, vex = 0;
  for (const auto& s : report.suppressed) (s.by == "vex" ? vex : ignored)++;
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
  return fmt::format("Not looked up: {} package{} ({}); -o json lists them under \"unmatched\"",
                     us.size(), us.size() == 1 ? "" : "s", parts);
}

}  // namespace

void WriteTable(const Report& report, std::ostream& out) {
  std::map<TargetKey, std::vector<const Finding*>> targets;
  if (report.catalog)
    for (const auto& p : report.catalog->packages)
      if (IsOsType(p.type) || !p.purl.empty())
        targets[TargetOf(report.catalog->distro, p.type, p.purl,
                         p.locations.empty() ? "" : p.locations.front().path)];
  for (const auto& f : report.findings) targets[TargetOfFinding(report, f)].push_back(&f);
  bool first = true;
  for (const auto& [key, fs] : targets) {
    if (!first) out << "\n";
    first = false;
    out << key.name << "\n"
        << std::string(key.name.size(), '=') << "\n"
        << TotalLine(CountOf(fs)) << "\n";
    if (fs.empty()) continue;
    std::vector<std::array<std::string, 6>> rows = {
        {"Package", "Installed", "Fixed in", "Vulnerability", "Severity", "Status"}};
    for (const Finding* f : fs)
      rows.push_back({PackageCell(*f), f->version, Join(f->fixed_versions, ", "), f->id,
                      std::string(LevelName(f->severity)), StatusCell(*f)});
    std::array<size_t, 6> w{};
    for (const auto& row : rows)
      for (size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
    out << "\n";
    for (const auto& row : rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i)
        line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], w[i]);
      out << line << "\n";
    }
  }
  if (!first) out << "\n";
  out << TotalLine(CountOf(report.findings.begin(), report.findings.end(),
                           [](const Finding& finding) -> const Finding& { return finding; }))
      << "\n";
  if (!report.suppressed.empty()) {
    auto [ignored, vex] = SuppressedCounts(report);
    out << fmt::format("Suppressed: {} (ignore file: {}, VEX: {})\n", report.suppressed.size(),
                       ignored, vex);
  }
  if (!report.unmatched.empty()) out << UnmatchedLine(report.unmatched) << "\n";
}

namespace {

J FindingJson(const Report& report, const Finding& finding) {
  J m;
  m["target"] = TargetOfFinding(report, finding).name;
  m["package"] = {{"name", finding.package},
                  {"version", finding.version},
                  {"type", finding.type},
                  {"purl", finding.purl}};
  if (!finding.via_source.empty()) m["package"]["source"] = finding.via_source;
  m["matchedVersion"] = finding.matched_version;
  m["ecosystem"] = finding.ecosystem;
  m["vulnerability"] = {{"id", finding.id},
                        {"ids", finding.ids},
                        {"severity", LevelName(finding.severity)},
                        {"severitySource", finding.severity_source},
                        {"severityType", finding.severity_type}};
  if (finding.score >= 0) m["vulnerability"]["cvssV3Score"] = finding.score;
  if (!finding.cvss_vector.empty()) m["vulnerability"]["cvssV3Vector"] = finding.cvss_vector;
  m["vulnerability"]["summary"] = finding.summary;
  m["vulnerability"]["dataSources"] = finding.sources;
  if (!finding.advisories.empty()) m["vulnerability"]["advisories"] = finding.advisories;
  m["state"] = FixStateName(finding.state);
  if (!finding.state_note.empty()) m["stateNote"] = finding.state_note;
  m["status"] = finding.StatusText();
  m["fixedIn"] = finding.fixed_versions;
  if (!finding.vex_status.empty()) m["vexStatus"] = finding.vex_status;
  return m;
}

J Total(const Counts& counts) {
  return {{"all", counts[0] + counts[1] + counts[2] + counts[3] + counts[4]},
          {"UNKNOWN", counts[0]},
          {"LOW", counts[1]},
          {"MEDIUM", counts[2]},
          {"HIGH", counts[3]},
          {"CRITICAL", counts[4]}};
}

}  // namespace

void WriteJson(const Report& report, std::ostream& out) {
  J j;
  j["target"] = report.target;
  if (report.catalog && !report.catalog->distro.empty())
    j["distro"] = {{"id", report.catalog->distro.id},
                   {"versionId", report.catalog->distro.version_id}};
  auto& ms = j["matches"] = J::array();
  for (const auto& f : report.findings) ms.push_back(FindingJson(report, f));
  auto& ss = j["suppressed"] = J::array();
  for (const auto& s : report.suppressed) {
    J m = FindingJson(report, s.finding);
    m["suppression"] = {{"by", s.by}, {"status", s.status}, {"reason", s.reason}};
    ss.push_back(std::move(m));
  }
  j["total"] = Total(CountOf(report.findings.begin(), report.findings.end(),
                             [](const Finding& finding) -> const Finding& { return finding; }));
  auto [ignored, vex] = SuppressedCounts(report);
  j["total"]["suppressed"] = {{"all", ignored + vex}, {"ignoreFile", ignored}, {"vex", vex}};
  auto& us = j["unmatched"] = J::array();
  for (const auto& u : report.unmatched) {
    J m;
    m["package"] = {
        {"name", u.package}, {"version", u.version}, {"type", u.type}, {"purl", u.purl}};
    if (!u.location.empty()) m["location"] = u.location;
    m["reason"] = u.reason;
    m["detail"] = u.detail;
    us.push_back(std::move(m));
  }
  j["total"]["unmatched"] = report.unmatched.size();
  out << j.dump(2) << "\n";
}

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one rule per vulnerability id,
// one result per finding, located at the package's record in the image. GitHub code scanning
// reads `security-severity` (the CVSS score, else a score for the rating) and `level`.
namespace {

std::string_view SarifLevel(Level l) {
  switch (l) {
    case Level::kCritical:
    case Level::kHigh:
      return "error";
    case Level::kMedium:
      return "warning";
    default:
      return "note";
  }
}

std::string SecuritySeverity(const Finding& finding) {
  if (finding.score >= 0) return fmt::format("{:.1f}", finding.score);
  static constexpr std::string_view kByLevel[] = {"0.0", "2.0", "5.5", "8.0", "9.5"};
  return std::string(kByLevel[static_cast<int>(finding.severity)]);
}

}  // namespace

void WriteSarif(const Report& report, std::ostream& out) {
  J rules = J::array(), results = J::array();
  std::map<std::string, size_t> rule_index;  // findings are sorted by package: rules by first use
  auto add = [&](const Finding& finding, const Suppressed* suppressed) {
    auto [it, fresh] = rule_index.try_emplace(finding.id, rule_index.size());
    if (fresh) {
      std::string text = finding.summary.empty()
                             ? finding.id
                             : finding.summary.substr(0, finding.summary.find('\n'));
      rules.push_back(
          {{"id", finding.id},
           {"name", IsOsType(finding.type) ? "OsPackageVulnerability"
                                           : "LanguageSpecificPackageVulnerability"},
           {"shortDescription", {{"text", text}}},
           {"fullDescription", {{"text", finding.summary.empty() ? finding.id : finding.summary}}},
           {"defaultConfiguration", {{"level", SarifLevel(finding.severity)}}},
           {"properties",
            {{"security-severity", SecuritySeverity(finding)},
             {"tags", {"vulnerability", "security", std::string(LevelName(finding.severity))}},
             {"aliases", finding.ids}}}});
      if (finding.id.starts_with("CVE-"))
        rules.back()["helpUri"] = "https://nvd.nist.gov/vuln/detail/" + finding.id;
    }
    std::string msg = fmt::format(
        "Package: {}\nInstalled Version: {}\nVulnerability: {}\nSeverity: {}\nFixed Version: "
        "{}\nStatus: {}",
        PackageCell(finding), finding.version, Join(finding.ids, ", "), LevelName(finding.severity),
        Join(finding.fixed_versions, ", "), StatusCell(finding));
    J result = {{"ruleId", finding.id},
                {"ruleIndex", it->second},
                {"level", SarifLevel(finding.severity)},
                {"message", {{"text", msg}}},
                {"locations",
                 {sarif::Location(finding.location.empty() ? report.target : finding.location, 0,
                                  finding.purl.empty() ? finding.package + "@" + finding.version
                                                       : finding.purl)}}};
    if (suppressed != nullptr) {
      std::string why = suppressed->by == "vex" ? "VEX " + suppressed->status : "ignore file";
      if (!suppressed->reason.empty()) why += ": " + suppressed->reason;
      result["suppressions"] = {
          {{"kind", "external"}, {"status", "accepted"}, {"justification", why}}};
    }
    results.push_back(std::move(result));
  };
  for (const auto& f : report.findings) add(f, nullptr);
  for (const auto& s : report.suppressed) add(s.finding, &s);
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
  if (id.starts_with("CVE-"))
    return {{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/" + id}};
  if (id.starts_with("GHSA-"))
    return {{"name", "GitHub Advisory Database"}, {"url", "https://github.com/advisories/" + id}};
  if (id.starts_with("GO-"))
    return {{"name", "Go Vulnerability Database"}, {"url", "https://pkg.go.dev/vuln/" + id}};
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

Status WriteCycloneDx(const Report& report, std::ostream& out) {
  sbom::Sbom sb;
  sb.source.name = report.target;
  if (report.catalog) sb.catalog = *report.catalog;
  sb.created = report.created;
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
  auto ref_of = [&](const Finding& finding) {
    if (auto it = refs.find(finding.purl); !finding.purl.empty() && it != refs.end())
      return it->second;
    auto it = refs.find(finding.package + "@" + finding.version);
    return it != refs.end() ? it->second : std::string();
  };
  // One entry per (id, suppression): affects lists every package.
  struct Entry {
    const Finding* first;
    const Suppressed* suppressed;
    J affects = J::array();
  };
  std::map<std::pair<std::string, std::string>, Entry> entries;
  auto add = [&](const Finding& finding, const Suppressed* suppressed) {
    std::string key2 =
        suppressed ? suppressed->by + "/" + suppressed->status + "/" + suppressed->reason : "";
    auto [it, fresh] = entries.try_emplace({finding.id, key2}, Entry{&finding, suppressed});
    std::string ref = ref_of(finding);
    if (ref.empty()) return;
    J versions = J::array({{{"version", finding.version}, {"status", "affected"}}});
    for (const auto& v : finding.fixed_versions)
      versions.push_back({{"version", v}, {"status", "unaffected"}});
    it->second.affects.push_back({{"ref", ref}, {"versions", versions}});
  };
  for (const auto& f : report.findings) add(f, nullptr);
  for (const auto& s : report.suppressed) add(s.finding, &s);
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
    // The rating the report uses (vendor first), then the CVSS (v3, else v4) score when that was
    // not it.
    J ratings = J::array();
    J cvss = {
        {"source", {{"name", f.cvss_source.empty() ? "distill" : f.cvss_source}}},
        {"score", f.score},
        {"severity", f.score >= 0 ? std::string(CvssRating(f.score)) : std::string("unknown")},
        {"method", f.cvss_vector.starts_with("CVSS:4.0/")   ? "CVSSv4"
                   : f.cvss_vector.starts_with("CVSS:3.0/") ? "CVSSv3"
                                                            : "CVSSv31"}};
    if (!f.cvss_vector.empty()) cvss["vector"] = f.cvss_vector;
    if (f.severity_type == "CVSS_V3" || f.severity_type == "CVSS_V4") {
      ratings.push_back(cvss);
    } else {
      ratings.push_back(
          {{"source", {{"name", f.severity_source.empty() ? "distill" : f.severity_source}}},
           {"severity", CdxSeverity(f.severity)},
           {"method", "other"}});
      if (f.score >= 0) ratings.push_back(cvss);
    }
    v["ratings"] = ratings;
    if (!f.summary.empty()) v["description"] = f.summary;
    if (!f.fixed_versions.empty())
      v["recommendation"] = "Upgrade to " + Join(f.fixed_versions, " or ");
    if (!f.advisories.empty()) {
      J adv = J::array();
      for (const auto& u : f.advisories) adv.push_back({{"url", u}});
      v["advisories"] = adv;
    }
    if (e.suppressed) {
      const Suppressed& s = *e.suppressed;
      J analysis;
      if (s.by == "vex" && s.status == "fixed")
        analysis["state"] = "resolved";
      else if (s.by == "vex")
        analysis["state"] = "not_affected";
      // An ignore rule is the user's decision, not a statement of (non-)exploitability: no state.
      if (std::string j = CdxJustification(s.reason.substr(0, s.reason.find(':'))); !j.empty())
        analysis["justification"] = j;
      analysis["detail"] =
          (s.by == "vex" ? "VEX " + s.status : std::string("distill ignore file")) +
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
