// distill audit IMAGE: is this image really distroless? Findings with evidence, a verdict and a
// score, as a table, JSON or SARIF. The image is read once: the catalogers' and the audit's files
// are kept, every other file up to the size cap streams past the content scan.
#include <iostream>

#include "audit/audit.h"
#include "audit/render.h"
#include "catalog/catalog.h"
#include "cli/audit_run.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "util/blob_cache.h"
#include "util/log.h"

namespace distill::cli {

Result<AuditedImage> LoadAndAudit(const std::string& target, const Globals& globals,
                                  const audit::Policy& policy,
                                  const std::vector<std::string>& extra_globs) {
  DISTILL_TRY(auto scanner,
              audit::SecretScanner::Create(BlobCache::Default().root() + "/hyperscan"));
  auto content = std::make_unique<audit::ContentScan>(scanner.get());
  image::LoadOptions opt;
  opt.plan.globs = catalog::CatalogGlobs();
  for (auto& glob : audit::AuditGlobs()) opt.plan.globs.push_back(glob);
  for (auto& glob : extra_globs) opt.plan.globs.push_back(glob);
  content->AddTo(&opt.plan);
  AuditedImage out;
  DISTILL_TRY(out.image, Load(target, globals, opt));
  if (out.image.meta.scheme == "dir") content->ScanIndex(out.image.files);
  DISTILL_TRY(out.catalog, catalog::CatalogOs(out.image.files));
  for (const auto& u : out.catalog.unknowns) log::warn("{}: {}", u.location.path, u.message);
  const nlohmann::json* config = nullptr;
  if (out.image.meta.scheme != "dir") {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    const auto& c = out.image.meta.config;
    config =
        c.is_object() && c.contains("config") && c["config"].is_object() ? &c["config"] : &kEmpty;
  }
  audit::AuditInput in{target, &out.image.files, config, &out.catalog, content.get(), &policy};
  out.report = audit::RunAudit(in);
  return out;
}

namespace {

struct AuditOptions {
  std::string target, output = "table", policy, fail_on;
};

int Run(const AuditOptions& options, const Globals& globals) {
  std::optional<audit::Severity> fail_on;
  if (!options.fail_on.empty()) {
    auto s = audit::ParseSeverity(options.fail_on);
    if (!s.ok()) return ReportError(s.error().wrap("--fail-on"));
    fail_on = *s;
  }
  audit::Policy policy;
  if (!options.policy.empty()) {
    auto p = audit::LoadPolicy(options.policy);
    if (!p.ok()) return ReportError(p.error().wrap("--policy"));
    policy = std::move(*p);
  }
  auto a = LoadAndAudit(options.target, globals, policy);
  if (!a.ok()) return ReportError(a.error());
  const audit::Report& r = a->report;
  if (options.output == "json")
    audit::WriteJson(r, std::cout);
  else if (options.output == "sarif")
    audit::WriteSarif(r, std::cout);
  else
    audit::WriteTable(r, std::cout);
  std::cout.flush();
  if (fail_on && audit::FailsOn(r, *fail_on)) return kExitPolicy;
  return kExitOk;
}

}  // namespace

RunFn SetupAudit(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<AuditOptions>();
  sub.add_option("target", o->target, "Image source (see distill --help)")->required();
  sub.add_option("-o,--output", o->output, "table, json or sarif (2.1.0)")
      ->check(CLI::IsMember({"table", "json", "sarif"}));
  sub.add_option("--policy", o->policy,
                 "Policy YAML: runtime, allow and deny rules (doc/audit.md)");
  sub.add_option("--fail-on", o->fail_on,
                 "Exit 1 when a finding not allowed by the policy is at or above this severity "
                 "(info, low, medium, high, critical)");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
