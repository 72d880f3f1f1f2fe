// `distill db import|status|update|sources|push|pull|export`: the offline vulnerability database
// (doc/vuln-db.md); the whole-database copies are in db_artifact.cc.

#include <unistd.h>

#include <ctime>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/db_artifact.h"
#include "cli/db_update.h"
#include "util/file.h"
#include "util/heap.h"
#include "util/log.h"
#include "util/units.h"
#include "vuln/db/bundle.h"
#include "vuln/db/database.h"
#include "vuln/db/paths.h"
#include "vuln/importers/update.h"

namespace distill::cli {

namespace {

using vuln::importers::ImportReport;

constexpr int64_t kStaleAfterSeconds = 5 * 24 * 3600;

struct DbFlags {
  std::string db;
  // import
  std::vector<std::string> inputs;
  std::string format, ecosystem;
  bool fresh = false;
  // update
  std::string sources;
  // push, pull (REF), export (FILE)
  std::string ref, file;
  // status
  std::string output = "table";
  bool quiet = false;
};

vuln::importers::UpdateOptions Where(const DbFlags& flags) {
  return {flags.db.empty() ? vuln::DefaultDbPath() : flags.db, vuln::DefaultDownloadDir(),
          !flags.quiet && ::isatty(STDERR_FILENO) == 1, vuln::BuildTimeNow()};
}

void PrintReport(const ImportReport& report, const std::string& db) {
  int64_t rows = 0;
  std::string per_kind;
  for (const auto& [kind, n] : report.rows) {
    rows += n;
    per_kind += fmt::format("{}{}: {}", per_kind.empty() ? "" : ", ", kind, n);
  }
  for (const auto& w : report.warnings) log::warn("{}", w);
  for (const auto& w : report.version_warnings) log::warn("{}", w);
  if (log::level() >= log::Level::kNormal)
    fmt::print(
        stderr, "{}: {} affected rows from {} documents ({}){}{}{}\n", db, rows, report.files,
        per_kind.empty() ? "nothing imported" : per_kind,
        report.skipped ? fmt::format("; {} files of no known format skipped", report.skipped) : "",
        report.warnings.empty() ? "" : fmt::format("; {} documents failed", report.warnings.size()),
        report.version_warnings.empty()
            ? ""
            : fmt::format("; {} malformed fixed versions", report.version_warnings.size()));
}

// A local file in zstd is an export of a whole database (`db export`), which replaces the database;
// advisory feeds are never zstd-compressed. It is imported alone, without the feed flags.
std::optional<int> ImportExport(const DbFlags& flags, const Globals& globals) {
  size_t exports = 0;
  for (const auto& in : flags.inputs) exports += vuln::db::IsDatabaseExport(in);
  if (exports == 0) return std::nullopt;
  if (flags.inputs.size() > 1)
    return ReportError(
        Errorf("{}: a database export (.tar.zst) replaces the whole database; import it alone",
               flags.inputs[0]));
  if (!flags.format.empty() || !flags.ecosystem.empty() || flags.fresh)
    return ReportError(Errorf(
        "{}: a database export (.tar.zst) replaces the whole database; --format, --ecosystem "
        "and --fresh apply to advisory feeds only",
        flags.inputs[0]));
  return RunDbImportExport(flags.db.empty() ? vuln::DefaultDbPath() : flags.db, flags.inputs[0],
                           globals);
}

int RunImport(const DbFlags& flags) {
  // An import allocates and frees large buffers on every core (inflated zip entries, whole JSON
  // documents, row batches). glibc returns each freed one to the kernel (mmap'd chunks, heap trim)
  // and the next is faulted in and zeroed again. Keeping them in the heap, and huge pages for the
  // main arena, spare that work for a little more peak RSS (doc/vuln-db.md, "Memory", has the
  // numbers). The worker threads' arenas too, which takes a re-exec: their page faults are as dear.
  heap::ReexecWithHugePageArenas();
  heap::BackMainArenaWithHugePages();
  vuln::importers::ImportOptions opts{flags.format, flags.ecosystem};
  auto where = Where(flags);
  auto report = vuln::importers::ImportInputs(flags.inputs, opts, where, flags.fresh);
  if (!report.ok()) return ReportError(report.error());
  PrintReport(*report, where.db_path);
  return kExitOk;
}

int RunUpdate(const DbFlags& flags, const Globals& globals) {
  auto setup = LoadDbSetup(flags.sources);
  if (!setup.ok()) return ReportError(setup.error());
  if (setup->repository.empty()) heap::ReexecWithHugePageArenas();  // (as RunImport)
  auto where = Where(flags);
  auto done = UpdateDatabase(*setup, where.db_path, where.progress, globals);
  if (!done.ok()) return ReportError(done.error());
  if (done->pulled) {
    if (log::level() >= log::Level::kNormal)
      fmt::print(stderr, "{}: {}\n", where.db_path, done->Summary(*setup));
    return kExitOk;
  }
  if (log::level() >= log::Level::kNormal)
    fmt::print(stderr, "{} sources: {} downloaded, {} unchanged (304)\n", done->sources,
               done->build.fetched, done->build.not_modified);
  PrintReport(done->build.import, where.db_path);
  return kExitOk;
}

// `db sources`: the effective list, built-in feeds first, then the config's own entries.
int RunSources(const DbFlags& flags) {
  auto setup = LoadDbSetup(flags.sources);
  if (!setup.ok()) return ReportError(setup.error());
  auto list = vuln::importers::EffectiveSources(setup->config);
  auto builtin = [](const std::string& name) -> const vuln::importers::BuiltinSource* {
    for (const auto& b : vuln::importers::BuiltinSources())
      if (b.name == name) return &b;
    return nullptr;
  };
  if (flags.output == "json") {
    nlohmann::ordered_json j;
    j["config"] = setup->config_path;
    j["includeDefaults"] = setup->config.include_defaults;
    j["dbRepository"] = setup->repository;
    j["sources"] = nlohmann::ordered_json::array();
    for (const auto& s : list) {
      const auto* b = builtin(s.name);
      j["sources"].push_back({{"name", s.name.empty() ? "config" : s.name},
                              {"url", s.url},
                              {"format", s.options.format},
                              {"ecosystem", b ? std::string(b->ecosystem) : s.options.ecosystem},
                              {"owner", b ? std::string(b->owner) : ""},
                              {"builtin", b != nullptr}});
    }
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  size_t w = 6;
  for (const auto& s : list) w = std::max(w, s.name.size());
  fmt::print("{:<{}}  {:<14}  {:<12}  {}\n", "NAME", w, "FORMAT", "ECOSYSTEM", "URL");
  for (const auto& s : list) {
    const auto* b = builtin(s.name);
    fmt::print(
        "{:<{}}  {:<14}  {:<12}  {}\n", s.name.empty() ? "config" : s.name, w,
        s.options.format.empty() ? "detect" : s.options.format,
        b ? std::string(b->ecosystem) : (s.options.ecosystem.empty() ? "-" : s.options.ecosystem),
        s.url);
  }
  fmt::print("\nSources config: {}\n",
             setup->config_path.empty()
                 ? "none (" + vuln::DefaultSourcesConfig() + " does not exist)"
                 : setup->config_path +
                       (setup->config.include_defaults ? "" : " (include-defaults: false)"));
  if (!setup->repository.empty())
    fmt::print("Database repository: {} (db update and scan pull from it instead of building)\n",
               setup->repository);
  return kExitOk;
}

std::string Utc(int64_t t) { return UtcTime(t); }

std::string Age(int64_t seconds) {
  if (seconds < 0) return "in the future";
  if (seconds < 3600) return fmt::format("{} minutes ago", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{} hours ago", seconds / 3600);
  return fmt::format("{} days ago", seconds / 86400);
}

void PrintStatusTable(const std::string& path, const vuln::DbInfo& info, int64_t age) {
  fmt::print("Database:  {}\nSchema:    {}\nBuilt:     {} ({})\n", path, info.schema_version,
             Utc(info.built_at), Age(age));
  fmt::print("Sources:\n");
  for (const auto& s : info.sources) fmt::print("  {:<17} {}\n", s.kind, s.origin);
  size_t w = 9;
  for (const auto& c : info.counts) w = std::max(w, c.ecosystem.size());
  fmt::print("\n{:<17} {:<{}} {:>10} {:>10}\n", "SOURCE", "ECOSYSTEM", w, "ADVISORIES", "AFFECTED");
  int64_t adv = 0, aff = 0;
  for (const auto& c : info.counts) {
    fmt::print("{:<17} {:<{}} {:>10} {:>10}\n", c.kind, c.ecosystem, w, c.advisories, c.affected);
    adv += c.advisories;
    aff += c.affected;
  }
  fmt::print("{:<17} {:<{}} {:>10} {:>10}\n", "Total", "", w, adv, aff);
  for (const auto& c : info.counts)
    if (c.malformed_fixed > 0)
      fmt::print("Malformed fixed versions (kept as written, not comparable): {} {}: {}\n", c.kind,
                 c.ecosystem, c.malformed_fixed);
}

void PrintStatusJson(const std::string& path, const vuln::DbInfo& info, int64_t age) {
  nlohmann::ordered_json j;
  j["path"] = path;
  j["schemaVersion"] = info.schema_version;
  j["builtAt"] = Utc(info.built_at);
  j["ageSeconds"] = age;
  j["stale"] = age > kStaleAfterSeconds;
  j["sources"] = nlohmann::ordered_json::array();
  for (const auto& s : info.sources)
    j["sources"].push_back({{"kind", s.kind}, {"origin", s.origin}});
  j["counts"] = nlohmann::ordered_json::array();
  for (const auto& c : info.counts)
    j["counts"].push_back({{"source", c.kind},
                           {"ecosystem", c.ecosystem},
                           {"advisories", c.advisories},
                           {"affected", c.affected},
                           {"malformedFixedVersions", c.malformed_fixed}});
  fmt::print("{}\n", j.dump(2));
}

int RunStatus(const DbFlags& flags) {
  std::string path = flags.db.empty() ? vuln::DefaultDbPath() : flags.db;
  auto db = vuln::Database::Open(path);
  if (!db.ok()) return ReportError(db.error());
  auto info = (*db)->Info();
  if (!info.ok()) return ReportError(info.error());
  // The age is the one place distill reads the clock on purpose: staleness is the question.
  int64_t age = static_cast<int64_t>(std::time(nullptr)) - info->built_at;
  if (flags.output == "json") {
    PrintStatusJson(path, *info, age);
  } else {
    PrintStatusTable(path, *info, age);
  }
  if (age > kStaleAfterSeconds)
    log::warn("the vulnerability database is {} days old; run `distill db update`", age / 86400);
  return kExitOk;
}

}  // namespace

RunFn SetupDb(CLI::App& sub, const Globals& g) {
  auto f = std::make_shared<DbFlags>();
  sub.require_subcommand(1);
  sub.add_option("--db", f->db, "Database file (default: $XDG_CACHE_HOME/distill/vuln.db)");

  CLI::App* imp = sub.add_subcommand(
      "import", "Import OSV JSON/all.zip, secdb, Wolfi advisories or Debian tracker JSON");
  imp->add_option("inputs", f->inputs,
                  "Files, directories, zip archives or URLs; or one `db export` .tar.zst")
      ->required();
  imp->add_option("--format", f->format,
                  "Skip detection: osv, secdb, wolfi-advisories, debian-tracker");
  imp->add_option("--ecosystem", f->ecosystem,
                  "Distro of secdb/advisory documents that name none (e.g. wolfi)");
  imp->add_flag("--fresh", f->fresh, "Start from an empty database instead of adding to it");

  CLI::App* upd = sub.add_subcommand("update",
                                     "Rebuild the database from the public advisory feeds (or pull "
                                     "it from DISTILL_DB_REPOSITORY)");
  upd->add_option("--sources", f->sources,
                  "Sources config (default: $XDG_CONFIG_HOME/distill/vuln-sources.yaml, optional)");

  CLI::App* src = sub.add_subcommand(
      "sources", "List the sources db update reads: the built-in feeds plus the sources config's");
  src->add_option("--sources", f->sources,
                  "Sources config (default: $XDG_CONFIG_HOME/distill/vuln-sources.yaml, optional)");
  src->add_option("-o,--output", f->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  CLI::App* st = sub.add_subcommand(
      "status", "Show schema, build time, age and counts per source and ecosystem");
  st->add_option("-o,--output", f->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  CLI::App* push =
      sub.add_subcommand("push", "Publish the database to a registry as an OCI artifact");
  push->add_option("reference", f->ref, "HOST[:PORT]/REPO[:TAG]")->required();
  CLI::App* pull = sub.add_subcommand(
      "pull", "Install the database artifact a registry holds (verified, atomic)");
  pull->add_option("reference", f->ref, "HOST[:PORT]/REPO[:TAG|@DIGEST]")->required();
  CLI::App* exp = sub.add_subcommand(
      "export", "Write the database to one .tar.zst (`db import FILE` installs it)");
  exp->add_option("file", f->file, "Output file (.tar.zst)")->required();

  for (CLI::App* s : {imp, upd, src, st, push, pull, exp})
    s->fallthrough();  // `db status --db X` works too
  const Globals* globals = &g;
  return [f, imp, upd, src, push, pull, exp, globals] {
    f->quiet = globals->quiet;
    std::string db = f->db.empty() ? vuln::DefaultDbPath() : f->db;
    if (imp->parsed()) {
      if (auto rc = ImportExport(*f, *globals)) return *rc;
      return RunImport(*f);
    }
    if (upd->parsed()) return RunUpdate(*f, *globals);
    if (src->parsed()) return RunSources(*f);
    if (push->parsed()) return RunDbPush(db, f->ref, *globals);
    if (pull->parsed()) return RunDbPull(db, f->ref, *globals);
    if (exp->parsed()) return RunDbExport(db, f->file, *globals);
    return RunStatus(*f);
  };
}

}  // namespace distill::cli
