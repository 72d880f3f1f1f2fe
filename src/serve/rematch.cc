#include "serve/rematch.h"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "serve/api/protocol.h"
#include "serve/api/report.h"
#include "vuln/match/matcher.h"
#include "vuln/scan/sbom_input.h"

namespace distill::serve {

namespace {

// The vulnerability ids of a rendered report (to tell whether the findings changed).
std::set<std::string> Ids(const std::string& report) {
  std::set<std::string> out;
  auto j = nlohmann::json::parse(report, nullptr, false);
  if (!j.is_object() || !j.contains("vulnerabilities")) return out;
  for (const auto& v : j["vulnerabilities"])
    if (v.is_object())
      out.insert(v.value("id", "") + " " + v.value("package", "") + " " + v.value("version", ""));
  return out;
}

}  // namespace

std::string ChangeJson(const FindingsChange& c, const std::string& generation) {
  nlohmann::ordered_json j;
  j["type"] = "distill.findings.changed";
  j["db_generation"] = generation;
  j["artifact"] = {{"repository", c.repository}, {"digest", c.digest}, {"tag", c.tag}};
  j["added"] = c.added;
  j["removed"] = c.removed;
  return j.dump();
}

Result<RematchStats> RematchBatch(PgConnection& pg, vuln::Database& db,
                                  const std::string& generation, int batch) {
  RematchStats stats;
  const std::string vuln_kind(TypeOf(ReportKind::kVulnerability).name);
  std::string limit = std::to_string(batch);
  DISTILL_TRY(PgRows todo,
              pg.Exec("rematch: stored SBOMs without a report of this generation",
                      "SELECT s.manifest_digest, s.sbom FROM sboms s WHERE NOT EXISTS (SELECT 1 "
                      "FROM reports r WHERE r.manifest_digest = s.manifest_digest AND r.kind = $1 "
                      "AND r.db_generation = $2) ORDER BY s.manifest_digest LIMIT $3",
                      {PgText(vuln_kind), PgText(generation), PgText(limit)},
                      /*binary_result=*/true));
  stats.more = static_cast<int>(todo.rows.size()) == batch;
  for (const auto& row : todo.rows) {
    if (!row[0] || !row[1]) continue;
    const std::string& digest = *row[0];
    DISTILL_TRY(catalog::Catalog cat,
                vuln::scan::CatalogFromSbom(*row[1], "stored SBOM " + digest));
    DISTILL_TRY(auto match, vuln::match::Match(cat, db));
    DISTILL_TRY(PgRows last, pg.Exec("rematch: the digest's last job",
                                     "SELECT repository, tag, mime_type FROM jobs WHERE "
                                     "manifest_digest = $1 AND state = 'done' ORDER BY "
                                     "finished_at DESC LIMIT 1",
                                     {PgText(digest)}));
    ReportContext context;
    context.artifact.digest = digest;
    if (!last.rows.empty()) {
      context.artifact.repository = last.rows[0][0].value_or("");
      context.artifact.tag = last.rows[0][1].value_or("");
      context.artifact.mime_type = last.rows[0][2].value_or("");
    }
    context.generated_at = ::time(nullptr);
    DISTILL_TRY(PgRows previous,
                pg.Exec("rematch: the previous vulnerability report",
                        "SELECT body FROM reports WHERE manifest_digest = $1 AND kind = $2 AND "
                        "db_generation <> $3 ORDER BY created_at DESC LIMIT 1",
                        {PgText(digest), PgText(vuln_kind), PgText(generation)},
                        /*binary_result=*/true));
    std::string report =
        RenderVulnerabilityReport(context, match.findings, ReportKind::kVulnerability);
    if (!previous.rows.empty() && previous.rows[0][0]) {
      std::set<std::string> before = Ids(*previous.rows[0][0]), after = Ids(report);
      if (before != after) {
        FindingsChange c{digest, context.artifact.repository, context.artifact.tag, {}, {}};
        std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                            std::back_inserter(c.added));
        std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                            std::back_inserter(c.removed));
        stats.changed.push_back(std::move(c));
      }
    }
    DISTILL_TRY_VOID(pg.ExecScript("rematch: begin", "BEGIN"));
    auto body = [&]() -> Status {
      for (ReportKind kind : {ReportKind::kVulnerability, ReportKind::kVulnerabilityLegacy}) {
        std::string text = kind == ReportKind::kVulnerability
                               ? report
                               : RenderVulnerabilityReport(context, match.findings, kind);
        DISTILL_TRY(PgRows unused,
                    pg.Exec("rematch: store a report",
                            "INSERT INTO reports (manifest_digest, kind, db_generation, body) "
                            "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                            {PgText(digest), PgText(std::string(TypeOf(kind).name)),
                             PgText(generation), PgBytes(text)}));
      }
      // The SBOM reports do not depend on the database: carried over.
      DISTILL_TRY(PgRows unused1,
                  pg.Exec("rematch: carry the SBOM reports over",
                          "INSERT INTO reports (manifest_digest, kind, db_generation, body) "
                          "SELECT DISTINCT ON (kind) manifest_digest, kind, $2, body FROM reports "
                          "WHERE manifest_digest = $1 AND kind LIKE 'sbom-%' ORDER BY kind, "
                          "created_at DESC ON CONFLICT DO NOTHING",
                          {PgText(digest), PgText(generation)}));
      DISTILL_TRY(PgRows unused2,
                  pg.Exec("rematch: the digest's jobs move to the new generation",
                          "UPDATE jobs SET db_generation = $2 WHERE manifest_digest = $1 AND "
                          "state = 'done'",
                          {PgText(digest), PgText(generation)}));
      return {};
    }();
    if (!body.ok()) {
      (void)pg.ExecScript("rematch: rollback", "ROLLBACK");
      return body.error();
    }
    DISTILL_TRY_VOID(pg.ExecScript("rematch: commit", "COMMIT"));
    ++stats.matched;
  }
  return stats;
}

}  // namespace distill::serve
