// distill scan IMAGE|sbom:FILE: the vulnerabilities of an image's packages, from the offline
// database (`distill db`), as a table like trivy's, or JSON.
#include <algorithm>
#include <array>
#include <ctime>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/purl.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "sbom/distill_json.h"
#include "util/file.h"
#include "util/log.h"
#include "util/sarif.h"
#include "vuln/db/database.h"
#include "vuln/db/paths.h"
#include "vuln/match/matcher.h"
#include "version.h"

namespace distill::cli {

namespace {

using vuln::match::Finding;
using vuln::match::Level;

struct ScanOptions {
  std::string target, db, output = "table", severity, fail_on;
  bool only_fixed = false;
};

constexpr uint64_t kMaxSbomBytes = 512ull << 20;
constexpr int64_t kStaleSeconds = 5 * 86400;  // as `distill db status`

// A CycloneDX JSON component's property, distill's or trivy's spelling.
std::string Property(const nlohmann::json& c, std::initializer_list<std::string_view> names) {
  if (!c.contains("properties") || !c["properties"].is_array()) return "";
  for (const auto& p : c["properties"])
    for (std::string_view n : names)
      if (p.value("name", "") == n && p["value"].is_string()) return p["value"].get<std::string>();
  return "";
}

// CycloneDX JSON (distill, syft, trivy): the operating-system component gives the distro, every
// component with a purl a package; source packages from the purl's `upstream` qualifier or the
// tools' properties.
Result<catalog::Catalog> FromCycloneDx(const nlohmann::json& doc, const std::string& path) {
  catalog::Catalog cat;
  if (!doc.contains("components")) return cat;
  if (!doc["components"].is_array()) return Errorf("{}: components: not an array", path);
  size_t i = 0;
  for (const auto& c : doc["components"]) {
    std::string where = fmt::format("{}: components[{}]", path, i++);
    if (!c.is_object()) return Errorf("{}: not an object", where);
    std::string type = c.value("type", "");
    if (type == "operating-system") {
      cat.distro.id = c.value("name", ""), cat.distro.version_id = c.value("version", "");
      cat.distro.version_codename = Property(c, {"distill:distro:versionCodename"});
      continue;
    }
    if (!c.contains("purl") || !c["purl"].is_string()) continue;
    auto purl = catalog::ParsePurlLenient(c["purl"].get<std::string>());
    if (!purl.ok()) return std::move(purl).error().wrap(where + ": purl");
    catalog::Package p;
    p.name = c.value("name", purl->name);
    p.version = c.value("version", purl->version);
    p.type = purl->type;
    p.purl = c["purl"].get<std::string>();
    p.source_name = Property(c, {"distill:package:sourceName", "aquasecurity:trivy:SrcName"});
    p.source_version = Property(c, {"distill:package:sourceVersion", "aquasecurity:trivy:SrcVersion"});
    if (auto up = purl->qualifiers.find("upstream"); p.source_name.empty() && up != purl->qualifiers.end()) {
      std::string_view u = up->second;  // "src" or "src@version" (distill, syft)
      p.source_name = std::string(u.substr(0, u.find('@')));
      if (u.find('@') != std::string_view::npos) p.source_version = std::string(u.substr(u.find('@') + 1));
    }
    if (p.source_name == p.name) p.source_name.clear();
    if (p.source_version == p.version) p.source_version.clear();
    if (auto d = purl->qualifiers.find("distro"); cat.distro.empty() && d != purl->qualifiers.end()) {
      // "debian-12", "alpine-3.19.1" (distill, syft)
      size_t dash = d->second.find('-');
      cat.distro.id = d->second.substr(0, dash);
      if (dash != std::string::npos) cat.distro.version_id = d->second.substr(dash + 1);
    }
    cat.packages.push_back(std::move(p));
  }
  return cat;
}

Result<catalog::Catalog> FromSbom(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, kMaxSbomBytes));
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Errorf("{}: not a JSON SBOM (distill-json or CycloneDX JSON)", path);
  if (doc.value("bomFormat", "") == "CycloneDX") return FromCycloneDx(doc, path);
  auto sb = sbom::distill_json::Decode(text);
  if (!sb.ok()) return std::move(sb).error().wrap(path + " (distill-json)");
  return std::move(sb->catalog);
}

Result<catalog::Catalog> CatalogOf(const std::string& target, const Globals& g) {
  if (target.starts_with("sbom:")) return FromSbom(target.substr(5));
  image::LoadOptions opt;
  opt.plan.globs = catalog::CatalogGlobs();
  DISTILL_TRY(auto img, Load(target, g, opt));
  DISTILL_TRY(auto cat, catalog::CatalogOs(img.files));
  for (const auto& u : cat.unknowns) log::warn("{}: {}", u.location.path, u.message);
  return cat;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

using Counts = std::array<int, 5>;  // by Level

Counts CountOf(const std::vector<Finding>& fs) {
  Counts c{};
  for (const auto& f : fs) ++c[static_cast<int>(f.severity)];
  return c;
}

std::string TotalLine(const Counts& c) {
  int n = 0;
  for (int x : c) n += x;
  return fmt::format("Total: {} (UNKNOWN: {}, LOW: {}, MEDIUM: {}, HIGH: {}, CRITICAL: {})", n, c[0], c[1], c[2], c[3], c[4]);
}

std::string PackageCell(const Finding& f) {
  return f.via_source.empty() ? f.package : f.package + " (source " + f.via_source + ")";
}

void WriteTable(const std::vector<Finding>& fs, std::ostream& out) {
  std::vector<std::array<std::string, 6>> rows = {{"Package", "Installed", "Fixed in", "Vulnerability", "Severity", "Status"}};
  for (const auto& f : fs)
    rows.push_back({PackageCell(f), f.version, Join(f.fixed_versions, ", "), f.id,
                    std::string(LevelName(f.severity)), f.StatusText()});
  std::array<size_t, 6> w{};
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i)
      line += i + 1 == r.size() ? r[i] : fmt::format("{:<{}}  ", r[i], w[i]);
    out << line << "\n";
  }
  out << TotalLine(CountOf(fs)) << "\n";
}

void WriteJson(const std::string& target, const catalog::Catalog& cat, const std::vector<Finding>& fs, std::ostream& out) {
  nlohmann::ordered_json j;
  j["target"] = target;
  if (!cat.distro.empty()) j["distro"] = {{"id", cat.distro.id}, {"versionId", cat.distro.version_id}};
  auto& ms = j["matches"] = nlohmann::ordered_json::array();
  for (const auto& f : fs) {
    nlohmann::ordered_json m;
    m["package"] = {{"name", f.package}, {"version", f.version}, {"type", f.type}, {"purl", f.purl}};
    if (!f.via_source.empty()) m["package"]["source"] = f.via_source;
    m["matchedVersion"] = f.matched_version;
    m["ecosystem"] = f.ecosystem;
    m["vulnerability"] = {{"id", f.id}, {"ids", f.ids}, {"severity", LevelName(f.severity)},
                          {"severitySource", f.severity_source}, {"severityType", f.severity_type}};
    if (f.score >= 0) m["vulnerability"]["cvssV3Score"] = f.score;
    m["vulnerability"]["summary"] = f.summary;
    m["vulnerability"]["dataSources"] = f.sources;
    m["state"] = vuln::FixStateName(f.state);
    if (!f.state_note.empty()) m["stateNote"] = f.state_note;
    m["status"] = f.StatusText();
    m["fixedIn"] = f.fixed_versions;
    ms.push_back(std::move(m));
  }
  Counts c = CountOf(fs);
  j["total"] = {{"all", c[0] + c[1] + c[2] + c[3] + c[4]}, {"UNKNOWN", c[0]}, {"LOW", c[1]}, {"MEDIUM", c[2]}, {"HIGH", c[3]}, {"CRITICAL", c[4]}};
  out << j.dump(2) << "\n";
}

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one rule per vulnerability id,
// one result per finding, located at the package's record in the image. GitHub code scanning
// reads `security-severity` (the CVSS score, else a score for the rating) and `level`.
std::string_view SarifLevel(Level l) {
  switch (l) {
    case Level::kCritical:
    case Level::kHigh: return "error";
    case Level::kMedium: return "warning";
    default: return "note";
  }
}

bool IsOs(const Finding& f) { return f.type == "deb" || f.type == "apk" || f.type == "rpm"; }

std::string SecuritySeverity(const Finding& f) {
  if (f.score >= 0) return fmt::format("{:.1f}", f.score);
  static constexpr std::string_view kByLevel[] = {"0.0", "2.0", "5.5", "8.0", "9.5"};
  return std::string(kByLevel[static_cast<int>(f.severity)]);
}

void WriteSarif(const std::string& target, const std::vector<Finding>& fs, std::ostream& out) {
  using J = nlohmann::ordered_json;
  J rules = J::array(), results = J::array();
  std::map<std::string, size_t> rule_index;  // findings are sorted by package: rules by first use
  for (const auto& f : fs) {
    auto [it, fresh] = rule_index.try_emplace(f.id, rule_index.size());
    if (fresh) {
      std::string text = f.summary.empty() ? f.id : f.summary.substr(0, f.summary.find('\n'));
      rules.push_back({{"id", f.id},
                       {"name", IsOs(f) ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability"},
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
                                  Join(f.fixed_versions, ", "), f.StatusText());
    results.push_back({{"ruleId", f.id},
                       {"ruleIndex", it->second},
                       {"level", SarifLevel(f.severity)},
                       {"message", {{"text", msg}}},
                       {"locations", J::array({sarif::Location(f.location.empty() ? target : f.location, 0,
                                                      f.purl.empty() ? f.package + "@" + f.version : f.purl)})}});
  }
  out << sarif::Log(std::move(rules), std::move(results)).dump(2) << "\n";
}

Result<std::set<Level>> ParseLevels(const std::string& list) {
  std::set<Level> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string part = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) {
      DISTILL_TRY(Level l, vuln::match::ParseLevel(part));
      out.insert(l);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

int Run(const ScanOptions& o, const Globals& g) {
  // Check everything the user typed before reading a byte of the image.
  std::set<Level> levels;
  if (!o.severity.empty()) {
    auto l = ParseLevels(o.severity);
    if (!l.ok()) return ReportError(l.error().wrap("--severity"));
    levels = *l;
  }
  std::optional<Level> fail_on;
  if (!o.fail_on.empty()) {
    auto l = vuln::match::ParseLevel(o.fail_on);
    if (!l.ok()) return ReportError(l.error().wrap("--fail-on"));
    fail_on = *l;
  }
  auto db = vuln::Database::Open(o.db.empty() ? vuln::DefaultDbPath() : o.db);
  if (!db.ok()) return ReportError(db.error());
  if (auto info = (*db)->Info(); info.ok() && info->built_at > 0) {
    int64_t age = static_cast<int64_t>(std::time(nullptr)) - info->built_at;
    if (age > kStaleSeconds) log::warn("the vulnerability database is {} days old; run `distill db update`", age / 86400);
  }
  auto cat = CatalogOf(o.target, g);
  if (!cat.ok()) return ReportError(cat.error());
  std::vector<std::string> warnings;
  auto found = vuln::match::Match(*cat, **db, {&warnings});
  if (!found.ok()) return ReportError(found.error());
  for (const auto& w : warnings) log::warn("{}", w);
  std::vector<Finding> fs;
  for (auto& f : *found) {
    if (!levels.empty() && !levels.contains(f.severity)) continue;
    if (o.only_fixed && f.state != vuln::FixState::kFixed) continue;
    fs.push_back(std::move(f));
  }
  if (o.output == "json") WriteJson(o.target, *cat, fs, std::cout);
  else if (o.output == "sarif") WriteSarif(o.target, fs, std::cout);
  else WriteTable(fs, std::cout);
  std::cout.flush();
  if (fail_on)
    for (const auto& f : fs)
      if (f.severity >= *fail_on) return kExitPolicy;
  return kExitOk;
}

}  // namespace

RunFn SetupScan(CLI::App& sub, const Globals& g) {
  auto o = std::make_shared<ScanOptions>();
  sub.add_option("target", o->target, "Image source (see distill --help) or sbom:FILE (distill-json or CycloneDX JSON)")->required();
  sub.add_option("--db", o->db, "Database file (default: $XDG_CACHE_HOME/distill/vuln.db)");
  sub.add_option("-o,--output", o->output, "table, json or sarif (2.1.0)")->check(CLI::IsMember({"table", "json", "sarif"}));
  sub.add_option("--severity", o->severity, "Only these severities, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL)");
  sub.add_flag("--only-fixed", o->only_fixed, "Only vulnerabilities with a fixed version available");
  sub.add_option("--fail-on", o->fail_on, "Exit 1 when a reported vulnerability is at or above this severity");
  return [o, &g] { return Run(*o, g); };
}

}  // namespace distill::cli
