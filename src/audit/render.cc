#include "audit/render.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "audit/rules.h"
#include "util/sarif.h"

namespace distill::audit {

namespace {

std::string ShortLayer(const Finding& finding) {
  if (finding.layer < 0) return "-";
  std::string_view d = finding.layer_digest;
  if (d.starts_with("sha256:")) d.remove_prefix(7);
  return fmt::format("{} {}", finding.layer, d.substr(0, 12));
}

std::string Upper(std::string_view text) {
  std::string o(text);
  for (char& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}

}  // namespace

void WriteTable(const Report& report, std::ostream& out) {
  out << fmt::format("distroless: {}   score: {}/100   ({} files, {} packages)\n",
                     report.distroless ? "yes" : "no", report.score, report.files, report.packages);
  if (!report.costs.empty()) {
    out << "cost:";
    for (const RuleCost& c : report.costs) out << fmt::format(" {} -{}", c.rule_id, c.points);
    out << "\n";
  }
  if (report.findings.empty()) {
    out << "\nNo findings.\n";
    return;
  }
  std::vector<std::array<std::string, 6>> rows = {
      {"Rule", "Severity", "Path", "Layer", "Package", "Finding"}};
  for (const Finding& f : report.findings) {
    std::string what = f.message;
    if (!f.evidence.empty()) what += " [" + f.evidence + "]";
    if (!f.allowed_by.empty()) what += " (allowed: " + f.allowed_by + ")";
    rows.push_back({f.rule_id, f.allowed_by.empty() ? Upper(SeverityName(f.severity)) : "allowed",
                    f.path.empty() ? "-" : "/" + f.path, ShortLayer(f),
                    f.package.empty() ? "-" : f.package, what});
  }
  std::array<size_t, 6> w{};
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      w[i] = std::max(w[i], std::min<size_t>(row[i].size(), 60));
  out << "\n";
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], w[i]);
    out << line << "\n";
  }
  // Fix hints, once per rule.
  out << "\nFixes:\n";
  std::vector<std::string> seen;
  for (const Finding& f : report.findings) {
    if (std::find(seen.begin(), seen.end(), f.rule_id) != seen.end() || !f.allowed_by.empty())
      continue;
    seen.push_back(f.rule_id);
    out << fmt::format("  {}: {}\n", f.rule_id, f.fix);
  }
}

nlohmann::ordered_json ToJson(const Report& report) {
  using J = nlohmann::ordered_json;
  J j;
  j["target"] = report.target;
  j["distroless"] = report.distroless;
  j["score"] = report.score;
  J costs = J::array();
  for (const RuleCost& c : report.costs)
    costs.push_back({{"rule_id", c.rule_id},
                     {"severity", SeverityName(c.severity)},
                     {"points", c.points},
                     {"findings", c.findings}});
  j["costs"] = costs;
  std::map<std::string, int> counts = {
      {"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}, {"info", 0}};
  J fs = J::array();
  for (const Finding& f : report.findings) {
    if (f.allowed_by.empty()) ++counts[std::string(SeverityName(f.severity))];
    const Rule* rule = FindRule(f.rule_id);
    J o;
    o["rule_id"] = f.rule_id;
    o["title"] = rule ? std::string(rule->title) : "";
    o["family"] = rule ? std::string(FamilyName(rule->family)) : "";
    o["severity"] = SeverityName(f.severity);
    o["path"] = f.path.empty() ? J(nullptr) : J(f.path);
    o["layer"] = f.layer < 0 ? J(nullptr) : J(f.layer);
    o["layer_digest"] = f.layer_digest.empty() ? J(nullptr) : J(f.layer_digest);
    o["package"] = f.package.empty() ? J(nullptr) : J(f.package);
    o["message"] = f.message;
    o["evidence"] = f.evidence;
    o["fix"] = f.fix;
    o["allowed_by"] = f.allowed_by.empty() ? J(nullptr) : J(f.allowed_by);
    fs.push_back(std::move(o));
  }
  j["summary"] = {{"files", report.files},       {"files_scanned", report.files_scanned},
                  {"packages", report.packages}, {"critical", counts["critical"]},
                  {"high", counts["high"]},      {"medium", counts["medium"]},
                  {"low", counts["low"]},        {"info", counts["info"]}};
  j["findings"] = fs;
  return j;
}

void WriteJson(const Report& report, std::ostream& out) { out << ToJson(report).dump(2) << "\n"; }

namespace {

std::string_view SarifLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    default:
      return "note";
  }
}

std::string_view SecuritySeverity(Severity s) {
  static constexpr std::string_view kBy[] = {"0.0", "2.0", "5.5", "8.0", "9.5"};
  return kBy[static_cast<int>(s)];
}

}  // namespace

// One SARIF rule per audit rule (the whole table, so ruleIndex is stable), one result per finding.
void WriteSarif(const Report& report, std::ostream& out) {
  using J = nlohmann::ordered_json;
  J rules = J::array(), results = J::array();
  std::map<std::string_view, size_t> index;
  for (const Rule& rule : Rules()) {
    index[rule.id] = rules.size();
    rules.push_back({{"id", rule.id},
                     {"name", rule.title},
                     {"shortDescription", {{"text", rule.title}}},
                     {"help", {{"text", rule.fix}}},
                     {"defaultConfiguration", {{"level", SarifLevel(rule.severity)}}},
                     {"properties",
                      {{"security-severity", SecuritySeverity(rule.severity)},
                       {"tags", {"distroless", std::string(FamilyName(rule.family))}}}}});
  }
  for (const Finding& f : report.findings) {
    std::string msg = f.message;
    if (!f.evidence.empty()) msg += " (" + f.evidence + ")";
    if (!f.package.empty()) msg += "; package " + f.package;
    msg += ". Fix: " + f.fix;
    int line = 0;
    if (f.evidence.starts_with("line ")) line = std::atoi(f.evidence.c_str() + 5);
    std::string uri = f.path.empty() ? report.target : f.path;
    J res = {
        {"ruleId", f.rule_id},
        {"level", SarifLevel(f.severity)},
        {"message", {{"text", msg}}},
        {"locations", J::array({sarif::Location(
                          uri, line, f.layer_digest.empty() ? "" : "layer " + f.layer_digest)})}};
    if (auto it = index.find(f.rule_id); it != index.end()) res["ruleIndex"] = it->second;
    if (!f.allowed_by.empty())
      res["suppressions"] = J::array({{{"kind", "external"}, {"justification", f.allowed_by}}});
    results.push_back(std::move(res));
  }
  out << sarif::Log(std::move(rules), std::move(results)).dump(2) << "\n";
}

}  // namespace distill::audit
