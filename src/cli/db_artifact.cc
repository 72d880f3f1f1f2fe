#include "cli/db_artifact.h"

#include <unistd.h>

#include <fmt/format.h>

#include "cli/common.h"
#include "util/digest.h"
#include "util/log.h"
#include "util/units.h"
#include "vuln/db/artifact.h"
#include "vuln/db/bundle.h"

namespace distill::cli {

namespace {

bool Chatty(const Globals& globals) {
  return !globals.quiet && log::level() >= log::Level::kNormal;
}

}  // namespace

int RunDbPush(const std::string& db, const std::string& ref, const Globals& globals) {
  vuln::db::PushOptions opt;
  opt.registry = RegistryOptions(globals);
  auto r = vuln::db::PushDatabase(db, ref, opt);
  if (!r.ok()) return ReportError(r.error());
  if (Chatty(globals))
    fmt::print(stderr, "pushed {} as {}: {} → {} (zstd)\n", db, ref, HumanBytes(r->db_size),
               HumanBytes(r->layer_size));
  fmt::print("{}\n", r->digest);
  return kExitOk;
}

int RunDbPull(const std::string& db, const std::string& ref, const Globals& globals) {
  vuln::db::PullOptions opt;
  opt.registry = RegistryOptions(globals);
  opt.progress = !globals.quiet && ::isatty(STDERR_FILENO) == 1;
  auto r = vuln::db::PullDatabase(ref, db, opt);
  if (!r.ok()) return ReportError(r.error());
  if (Chatty(globals))
    fmt::print(stderr, "{}: {} ({}, schema {}, built {})\n", db,
               r->unchanged ? "unchanged" : "pulled " + ref, ShortDigest(r->digest),
               r->schema_version, UtcTime(r->built_at));
  fmt::print("{}\n", r->digest);
  return kExitOk;
}

int RunDbExport(const std::string& db, const std::string& file, const Globals& globals) {
  auto m = vuln::db::ExportDatabase(db, file);
  if (!m.ok()) return ReportError(m.error());
  if (Chatty(globals))
    fmt::print(stderr, "exported {} to {} ({}, built {})\n", db, file, ShortDigest(m->digest),
               m->built_at);
  return kExitOk;
}

int RunDbImportExport(const std::string& db, const std::string& file, const Globals& globals) {
  auto r = vuln::db::ImportDatabase(file, db);
  if (!r.ok()) return ReportError(r.error());
  if (Chatty(globals))
    fmt::print(stderr, "{}: imported from {} ({}, schema {}, built {})\n", db, file,
               ShortDigest(r->manifest.digest), r->manifest.schema_version, r->manifest.built_at);
  return kExitOk;
}

}  // namespace distill::cli
