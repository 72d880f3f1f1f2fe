// distill scan IMAGE|sbom:FILE: the vulnerabilities of an image's packages, from the offline
// database (`distill db`), as tables per target like trivy's, JSON, SARIF or CycloneDX; ignore
// rules and OpenVEX statements suppress findings before --fail-on (src/vuln/scan/).
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>

#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/db_update.h"
#include "sbom/sbom.h"
#include "util/file.h"
#include "util/heap.h"
#include "util/keep.h"
#include "util/log.h"
#include "vuln/db/database.h"
#include "vuln/db/paths.h"
#include "vuln/match/matcher.h"
#include "vuln/scan/report.h"
#include "vuln/scan/sbom_input.h"
#include "vuln/scan/suppress.h"

namespace distill::cli {

namespace {

using vuln::match::Finding;
using vuln::match::Level;

struct ScanOptions {
  std::string target, db, output = "table", severity, fail_on, ignore_file;
  std::vector<std::string> vex;
  bool only_fixed = false;
  std::string db_max_age = "24h";
  bool offline = false, skip_db_update = false;
};

constexpr uint64_t kMaxSbomBytes = 512ull << 20;
constexpr uint64_t kMaxPolicyBytes = 64ull << 20;
constexpr const char* kDefaultIgnoreFile = ".distill-ignore.yaml";

Result<catalog::Catalog> CatalogOf(const std::string& target, const Globals& g) {
  if (target.starts_with("sbom:")) {
    std::string path = target.substr(5);
    DISTILL_TRY(std::string text, ReadFile(path, kMaxSbomBytes));
    return vuln::scan::CatalogFromSbom(text, path);
  }
  // OS and language packages and binaries, as `distill sbom` lists them (OS-owned copies once).
  DISTILL_TRY(Cataloged c, LoadAndCatalog(target, g, catalog::CatalogOptions{}));
  return std::move(c.catalog);
}

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// The ignore rules (--ignore-file, else ./.distill-ignore.yaml when it exists) and VEX statements.
Status LoadPolicies(const ScanOptions& o, std::vector<vuln::scan::IgnoreRule>* rules,
                    std::vector<vuln::scan::VexStatement>* vex) {
  std::string ignore = o.ignore_file;
  std::error_code ec;
  if (ignore.empty() && std::filesystem::exists(kDefaultIgnoreFile, ec))
    ignore = kDefaultIgnoreFile;
  if (!ignore.empty()) {
    DISTILL_TRY(std::string text, ReadFile(ignore, kMaxPolicyBytes));
    DISTILL_TRY(*rules, vuln::scan::ParseIgnoreFile(text, ignore));
  }
  for (const auto& f : o.vex) {
    DISTILL_TRY(std::string text, ReadFile(f, kMaxPolicyBytes));
    DISTILL_TRY(auto statements, vuln::scan::ParseOpenVex(text, f));
    vex->insert(vex->end(), statements.begin(), statements.end());
  }
  return {};
}

// "24h", "90m", "7d", "3600s" → seconds.
Result<int64_t> ParseDuration(std::string_view s) {
  int64_t n = 0;
  size_t i = 0;
  for (; i < s.size() && i < 9 && s[i] >= '0' && s[i] <= '9'; ++i) n = n * 10 + (s[i] - '0');
  std::string_view unit = s.substr(i);
  if (i == 0 || unit.size() != 1)
    return Errorf("\"{}\": expected a number and a unit: 30m, 24h, 7d", s);
  switch (unit[0]) {
    case 's':
      return n;
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
  }
  return Errorf("\"{}\": unknown unit (s, m, h, d)", s);
}

std::string AgeText(int64_t seconds) {
  if (seconds < 2 * 3600) return fmt::format("{} minutes", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{} hours", seconds / 3600);
  return fmt::format("{} days", seconds / 86400);
}

// The database's age in seconds, or why there is none this distill can read.
Result<int64_t> DbAge(const std::string& path) {
  DISTILL_TRY(auto db, vuln::Database::Open(path));
  DISTILL_TRY(int64_t built, db->BuiltAt());
  return static_cast<int64_t>(std::time(nullptr)) - built;
}

// Before a scan: the database distill manages (no --db) is built, or pulled from the database
// repository, when there is none or it is older than --db-max-age; --offline and
// --skip-db-update never update it, and a database named with --db is the user's, used as it is.
// A failed update with an old database warns, naming its age, and the scan goes on with it.
Status PrepareDatabase(const ScanOptions& o, const std::string& path, const Globals& g) {
  auto max_age = ParseDuration(o.db_max_age);
  if (!max_age.ok()) return max_age.error().wrap("--db-max-age");
  auto readable = DbAge(path);
  std::optional<int64_t> age;
  if (readable.ok()) age = *readable;
  bool want = !age || *age > *max_age;
  if (!want) return {};
  if (!o.db.empty() || o.offline || o.skip_db_update) {
    if (age)
      log::warn("the vulnerability database is {} old; run `distill db update`", AgeText(*age));
    return {};  // (no database at all: opening it says so)
  }
  DISTILL_TRY(DbSetup setup, LoadDbSetup(""));
  if (setup.repository.empty())
    heap::ReexecWithHugePageArenas();  // (db_update.h; before any output)
  bool normal = log::level() >= log::Level::kNormal;
  if (normal)
    fmt::print(stderr, "{}: {}; {} it (--skip-db-update skips this)\n", path,
               age ? fmt::format("the vulnerability database is {} old", AgeText(*age))
               : std::filesystem::exists(path)
                   ? "cannot use the database (" + readable.error().message + ")"
                   : std::string("no vulnerability database yet"),
               setup.repository.empty() ? "building" : "pulling");
  auto done = UpdateDatabase(setup, path, !g.quiet && ::isatty(STDERR_FILENO) == 1, g);
  if (!done.ok()) {
    if (!age) return done.error().wrap("no vulnerability database, and getting one failed");
    log::warn(
        "could not update the vulnerability database ({}); scanning with the one built {} ago",
        done.error().message, AgeText(*age));
    return {};
  }
  for (const auto& w : done->build.import.warnings) log::warn("{}", w);
  if (normal) fmt::print(stderr, "{}: {}\n", path, done->Summary(setup));
  return {};
}

Result<std::set<Level>> ParseLevels(const std::string& list) {
  std::set<Level> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string part =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
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
  // Matching builds and drops many small records: a third of it was page faults (util/heap.h).
  heap::BackMainArenaWithHugePages();
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
  std::vector<vuln::scan::IgnoreRule> rules;
  std::vector<vuln::scan::VexStatement> vex;
  if (auto st = LoadPolicies(o, &rules, &vex); !st.ok()) return ReportError(st.error());
  auto created = sbom::CreatedFromEnvironment();
  if (!created.ok()) return ReportError(created.error());
  // The target before the database: a missing image or SBOM is named before any update runs.
  auto cat = CatalogOf(o.target, g);
  if (!cat.ok()) return ReportError(cat.error());
  std::string db_path = o.db.empty() ? vuln::DefaultDbPath() : o.db;
  if (auto st = PrepareDatabase(o, db_path, g); !st.ok()) return ReportError(st.error());
  auto db = vuln::Database::Open(db_path);
  if (!db.ok()) return ReportError(db.error());
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  auto found = vuln::match::Match(*cat, **db);
  if (!found.ok()) return ReportError(found.error());
  log::debug(
      "matched {} packages in {:.1f} ms ({:.1f} ms CPU; {} findings)", cat->packages.size(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
      1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC, found->findings.size());
  for (const auto& w : found->warnings) log::warn("{}", w);
  std::vector<Finding> fs;
  for (auto& f : found->findings) {
    if (!levels.empty() && !levels.contains(f.severity)) continue;
    if (o.only_fixed && f.state != vuln::FixState::kFixed) continue;
    fs.push_back(std::move(f));
  }
  // Ignore rules and VEX come before --fail-on: a suppressed finding never fails the run.
  auto filtered = vuln::scan::Apply(std::move(fs), rules, vex, Today());
  for (const auto& w : filtered.warnings) log::warn("{}", w);
  vuln::scan::Report report{o.target,
                            &*cat,
                            std::move(filtered.kept),
                            std::move(filtered.suppressed),
                            std::move(found->unmatched),
                            *created};
  if (o.output == "json")
    vuln::scan::WriteJson(report, std::cout);
  else if (o.output == "sarif")
    vuln::scan::WriteSarif(report, std::cout);
  else if (o.output == "cyclonedx-json") {
    if (auto st = vuln::scan::WriteCycloneDx(report, std::cout); !st.ok())
      return ReportError(st.error());
  } else
    vuln::scan::WriteTable(report, std::cout);
  std::cout.flush();
  KeepUntilExit(std::move(found->looked_up));  // (the findings were copied out of them)
  if (fail_on)
    for (const auto& f : report.findings)
      if (f.severity >= *fail_on) return kExitPolicy;
  return kExitOk;
}

}  // namespace

RunFn SetupScan(CLI::App& sub, const Globals& g) {
  auto o = std::make_shared<ScanOptions>();
  sub.add_option("target", o->target,
                 "Image source (see distill --help) or sbom:FILE (distill-json, CycloneDX JSON or "
                 "SPDX 2.3 JSON)")
      ->required();
  sub.add_option("--db", o->db,
                 "Database file, used as it is (default: $XDG_CACHE_HOME/distill/vuln.db, built or "
                 "pulled when missing or stale)");
  sub.add_option(
      "--db-max-age", o->db_max_age,
      "Update the default database first when it is older than this (default 24h; s, m, h, d)");
  sub.add_flag("--skip-db-update", o->skip_db_update, "Never update the database before scanning");
  sub.add_flag("--offline", o->offline,
               "Never touch the network for the database (as --skip-db-update)");
  sub.add_option("-o,--output", o->output,
                 "table, json, sarif (2.1.0) or cyclonedx-json (1.6, with vulnerabilities)")
      ->check(CLI::IsMember({"table", "json", "sarif", "cyclonedx-json"}));
  sub.add_option("--severity", o->severity,
                 "Only these severities, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL)");
  sub.add_flag("--only-fixed", o->only_fixed,
               "Only vulnerabilities with a fixed version available");
  sub.add_option("--fail-on", o->fail_on,
                 "Exit 1 when a reported vulnerability is at or above this severity");
  sub.add_option("--ignore-file", o->ignore_file,
                 "Ignore rules (default: ./.distill-ignore.yaml when present; see doc/vuln-db.md)");
  sub.add_option("--vex", o->vex,
                 "OpenVEX document: not_affected/fixed statements suppress findings (repeatable)")
      ->allow_extra_args(false);  // one file per --vex: the target may follow
  return [o, &g] { return Run(*o, g); };
}

}  // namespace distill::cli
