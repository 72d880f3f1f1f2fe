// Importing a path into the database: a single file, a directory tree, or a zip archive (OSV
// publishes one all.zip per ecosystem). Each file's format is recognised from its content by
// the table in import.cc (bloaty's TryOpen chain); `--format` skips the guessing.
//
// A single file that cannot be read or parsed is an error. Inside a directory or an archive,
// files of no known format are skipped and counted, and a file that fails to parse becomes a
// warning (named with its path and the parser's reason) while the import goes on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"
#include "vuln/db/writer.h"
#include "vuln/importers/sink.h"

namespace distill::vuln::importers {

struct ImportOptions {
  std::string format;     // "" = detect; else a kind from Formats()
  std::string ecosystem;  // overrides the distro of secdb / Wolfi documents
};

struct ImportReport {
  int64_t files = 0;                    // documents parsed
  int64_t skipped = 0;                  // files of no known format (directories and archives only)
  std::map<std::string, int64_t> rows;  // importer kind → affected rows written
  std::vector<std::string> warnings;    // "<path>: <reason>" for documents that failed
  // "<path>: <package>: <what>" for fixed versions a feed wrote that its version scheme rejects,
  // repaired or kept as written (secdb.h RepairApkVersion); the documents themselves imported.
  std::vector<std::string> version_warnings;
};

// The importer kinds, in detection order.
std::vector<std::string_view> Formats();

// Parses one document of a known kind (or detects it when `kind` is empty).
// Returns the kind it used. `padded`: simdjson::SIMDJSON_PADDING bytes after `text` are readable.
// `warnings` (when given) collects the parser's notes on versions it repaired or kept.
Result<std::string_view> ParseDocument(std::string_view name, std::string_view text,
                                       const ImportOptions& opts, std::string_view kind,
                                       const Sink& sink, bool padded = false,
                                       std::vector<std::string>* warnings = nullptr);

// Imports `path` into the writer under `origin` (the path itself, or the URL it came from).
Status ImportPath(const std::string& path, const std::string& origin, const ImportOptions& opts,
                  Writer& writer, ImportReport* report);

// Imports several inputs, in order, as ImportPath would one after another; their parsing
// overlaps (all of it runs on every core, the writing in input order).
struct ImportInput {
  std::string path, origin;
  ImportOptions opts;
};
Status ImportPaths(const std::vector<ImportInput>& inputs, Writer& writer, ImportReport* report);
// The same with the inputs given one at a time, as they become available: `next` returns the
// next one, nullopt after the last, or an error that ends the import with it (`db update`
// downloads a source while the ones before it are imported). Its argument becomes true when the
// import fails meanwhile: `next` should then return nullopt at once.
using NextInput = std::function<Result<std::optional<ImportInput>>(const std::atomic<bool>&)>;
Status ImportPaths(const NextInput& next, Writer& writer, ImportReport* report);

}  // namespace distill::vuln::importers
