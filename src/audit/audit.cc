#include "audit/audit.h"

#include <algorithm>
#include <map>

#include "audit/rules.h"

namespace distill::audit {

std::vector<std::string> AuditGlobs() {
  // etc/ld-musl-ARCH.path: musl's library search path (checks_content.cc MuslLibraryDirs).
  return {"etc/passwd", "etc/ld.so.conf", "etc/ld.so.conf.d/*", "etc/ld-musl-*.path"};
}

Report RunAudit(const AuditInput& in) {
  static const nlohmann::json kNull;
  static const Policy kNoPolicy;
  static const catalog::Catalog kNoCatalog;
  ContentScan no_content(nullptr);
  Context c{*in.files,
            in.config ? *in.config : kNull,
            in.config != nullptr,
            in.catalog ? *in.catalog : kNoCatalog,
            in.content ? *in.content : no_content,
            in.policy ? *in.policy : kNoPolicy,
            {},
            {}};
  c.Prepare();
  Report rep;
  rep.target = in.target;
  rep.files = in.files->size();
  rep.files_scanned = in.content ? in.content->files_scanned() : 0;
  rep.packages = c.catalog.packages.size();
  for (const Rule& rule : Rules()) {
    std::vector<Finding> found;
    rule.check(c, rule, &found);
    std::stable_sort(found.begin(), found.end(),
                     [](const Finding& a, const Finding& b) { return a.path < b.path; });
    for (auto& f : found) rep.findings.push_back(std::move(f));
  }
  ApplyPolicy(c.policy, &rep.findings);
  rep.distroless = true;
  std::map<std::string_view, size_t> cost_at;
  for (const Finding& f : rep.findings) {
    if (!f.allowed_by.empty()) continue;
    const Rule* rule = FindRule(f.rule_id);
    if (rule && rule->breaks_distroless) rep.distroless = false;
    auto [it, fresh] = cost_at.try_emplace(rule ? rule->id : std::string_view(), rep.costs.size());
    if (fresh) rep.costs.push_back({f.rule_id, f.severity, 0, 0});
    RuleCost& rc = rep.costs[it->second];
    rc.severity = std::max(rc.severity, f.severity);
    ++rc.findings;
  }
  int total = 0;
  for (RuleCost& rc : rep.costs) total += rc.points = SeverityCost(rc.severity);
  rep.score = std::max(0, 100 - total);
  return rep;
}

bool FailsOn(const Report& report, Severity s) {
  for (const Finding& f : report.findings)
    if (f.allowed_by.empty() && f.severity >= s) return true;
  return false;
}

}  // namespace distill::audit
