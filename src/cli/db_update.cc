#include "cli/db_update.h"

#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "util/file.h"
#include "util/heap.h"
#include "vuln/db/artifact.h"
#include "vuln/db/paths.h"
#include "vuln/importers/update.h"

namespace distill::cli {

namespace {

constexpr uint64_t kMaxConfigBytes = 1 << 20;

std::string ImportSummary(const vuln::importers::ImportReport& report) {
  int64_t rows = 0;
  for (const auto& [kind, n] : report.rows) rows += n;
  return fmt::format("{} affected rows from {} documents", rows, report.files);
}

}  // namespace

Result<DbSetup> LoadDbSetup(const std::string& flag) {
  DbSetup s;
  std::string path = flag.empty() ? vuln::DefaultSourcesConfig() : flag;
  std::error_code ec;
  if (!flag.empty() || std::filesystem::exists(path, ec)) {
    auto text = ReadFile(path, kMaxConfigBytes);
    if (!text.ok())
      return Errorf("{}: no sources config ({}); see doc/vuln-db.md for its format", path,
                    text.error().message);
    auto config = vuln::importers::ParseSourcesConfig(*text);
    if (!config.ok()) return config.error().wrap(path);
    s.config = std::move(*config);
    s.config_path = path;
  }
  s.repository = vuln::db::DbRepository(s.config.db_repository);
  return s;
}

std::string DbUpdated::Summary(const DbSetup& setup) const {
  if (pulled)
    return fmt::format("{} {} ({})", pull.unchanged ? "already up to date with" : "pulled",
                       setup.repository, pull.digest);
  return fmt::format("built from {} sources ({} downloaded, {} unchanged): {}", sources,
                     build.fetched, build.not_modified, ImportSummary(build.import));
}

Result<DbUpdated> UpdateDatabase(const DbSetup& setup, const std::string& db_path, bool progress,
                                 const Globals& globals) {
  DbUpdated out;
  if (!setup.repository.empty()) {
    vuln::db::PullOptions opt;
    opt.registry = RegistryOptions(globals);
    opt.progress = progress;
    auto pulled = vuln::db::PullDatabase(setup.repository, db_path, opt);
    if (!pulled.ok()) return pulled.error().wrap("db-repository " + setup.repository);
    out.pulled = true;
    out.pull = *pulled;
    return out;
  }
  auto sources = vuln::importers::EffectiveSources(setup.config);
  if (sources.empty())
    return Errorf(
        "{}: include-defaults is false and no sources are listed: nothing to build the database "
        "from",
        setup.config_path);
  heap::BackMainArenaWithHugePages();  // (the caller re-executed with huge-page arenas:
                                       // db_update.h)
  vuln::importers::UpdateOptions where{db_path, vuln::DefaultDownloadDir(), progress,
                                       vuln::BuildTimeNow()};
  DISTILL_TRY(out.build, vuln::importers::Update(sources, where));
  out.sources = sources.size();
  return out;
}

}  // namespace distill::cli
