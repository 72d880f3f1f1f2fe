// Where `distill db update` (and `scan`'s first run) gets advisory data: the built-in list of
// public advisory feeds (THE table, kBuiltinSources in sources.cc: name, url, owner, format,
// ecosystem), plus or instead of the entries of the optional sources config
// ($XDG_CONFIG_HOME/distill/vuln-sources.yaml; doc/vuln-db.md):
//
//   include-defaults: false        # optional: the config's list replaces the built-in one
//   db-repository: HOST/REPO:TAG   # optional: pull the database instead of building it
//   sources:                       # optional: added to (or replacing) the built-in list
//     - url: https://host/path/PyPI/all.zip     # OSV all.zip, a JSON record, a secdb, ...
//     - url: https://host/path/security.json
//       ecosystem: wolfi                          # optional: overrides the distro
//       format: secdb                             # optional: skips format detection
//     - https://host/path/other.json              # a bare URL is fine too
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "vuln/importers/import.h"

namespace distill::vuln::importers {

// One public advisory feed of the built-in list.
struct BuiltinSource {
  std::string_view name;    // short and unique: "debian-tracker", "alpine-v3.22-main", "osv-pypi"
  std::string_view url;     // the feed's public URL
  std::string_view owner;   // who publishes the data
  std::string_view format;  // importer kind (import.h Formats()): osv, secdb, debian-tracker
  std::string_view ecosystem;  // what it fills ("debian:*", "alpine:3.22", "pypi"); for secdb
                               // feeds without a distroversion also the --ecosystem passed
};

std::span<const BuiltinSource> BuiltinSources();

struct SourceSpec {
  std::string url;
  ImportOptions options;
  std::string name;  // the built-in source's name, "" for a config entry
};

struct SourcesConfig {
  bool include_defaults = true;
  std::string db_repository;        // the `db-repository:` key
  std::vector<SourceSpec> sources;  // the config's own entries
};

// Parses the sources config; unknown keys are errors naming them and their line.
Result<SourcesConfig> ParseSourcesConfig(std::string_view yaml);

// The list `db update` reads: the built-in sources (unless include-defaults is false), then the
// config's entries; a config entry with a built-in source's URL replaces it in place (its
// format/ecosystem win), so a URL is never fetched twice.
std::vector<SourceSpec> EffectiveSources(const SourcesConfig& config);

}  // namespace distill::vuln::importers
