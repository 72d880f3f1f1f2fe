// distill compare A B: two images side by side (sizes, layers, files, packages, vulnerabilities
// with --db, audit verdict), as a table, JSON, Markdown, and/or a self-contained HTML report.
#include <iostream>
#include <sstream>

#include "cli/audit_run.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "compare/compare.h"
#include "util/file.h"
#include "util/log.h"
#include "vuln/db/database.h"
#include "vuln/match/matcher.h"

namespace distill::cli {

namespace {

struct CompareOptions {
  std::string a, b, output = "table", html, db, policy;
};

Result<compare::Side> Side(const std::string& target, const Globals& globals,
                           const audit::Policy& policy, vuln::Database* db) {
  DISTILL_TRY(auto a, LoadAndAudit(target, globals, policy));
  compare::Side s = compare::Summarize(target, a.image, a.catalog, a.report);
  if (db) {
    auto found = vuln::match::Match(a.catalog, *db);
    if (!found.ok()) return std::move(found).error().wrap(target);
    for (const auto& w : found->warnings) log::debug("{}: {}", target, w);
    compare::VulnCounts v{};
    for (const auto& f : found->findings) ++v[static_cast<int>(f.severity)];
    s.vulns = v;
  }
  return s;
}

int Run(const CompareOptions& options, const Globals& globals) {
  audit::Policy policy;
  if (!options.policy.empty()) {
    auto p = audit::LoadPolicy(options.policy);
    if (!p.ok()) return ReportError(p.error().wrap("--policy"));
    policy = std::move(*p);
  }
  std::unique_ptr<vuln::Database> db;
  if (!options.db.empty()) {
    auto d = vuln::Database::Open(options.db);
    if (!d.ok()) return ReportError(d.error().wrap("--db"));
    db = std::move(*d);
  }
  auto a = Side(options.a, globals, policy, db.get());
  if (!a.ok()) return ReportError(a.error());
  auto b = Side(options.b, globals, policy, db.get());
  if (!b.ok()) return ReportError(b.error());
  compare::Comparison c = compare::Compare(std::move(*a), std::move(*b));
  if (!options.html.empty()) {
    std::ostringstream html;
    compare::WriteHtml(c, html);
    auto st = WriteFileAtomic(options.html, html.str());
    if (!st.ok()) return ReportError(st.error().wrap("--html"));
  }
  if (options.output == "json")
    std::cout << compare::ToJson(c).dump(2) << "\n";
  else if (options.output == "markdown")
    compare::WriteMarkdown(c, std::cout);
  else
    compare::WriteTable(c, std::cout);
  std::cout.flush();
  return kExitOk;
}

}  // namespace

RunFn SetupCompare(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<CompareOptions>();
  sub.add_option("a", o->a, "The first image (the baseline)")->required();
  sub.add_option("b", o->b, "The second image")->required();
  sub.add_option("-o,--output", o->output, "table, json or markdown")
      ->check(CLI::IsMember({"table", "json", "markdown"}));
  sub.add_option("--html", o->html,
                 "Also write a self-contained HTML report (charts, package diff) to FILE");
  sub.add_option("--db", o->db,
                 "Vulnerability database (distill db): adds vulnerabilities by severity");
  sub.add_option("--policy", o->policy, "Audit policy YAML (see distill audit)");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
