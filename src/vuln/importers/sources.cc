#include "vuln/importers/sources.h"

#include <yaml-cpp/yaml.h>

#include "util/yaml.h"

#include <algorithm>

#include <fmt/format.h>

namespace distill::vuln::importers {

namespace {

// THE built-in list (OSV.dev publishes one all.zip of every record per ecosystem in its bucket,
// https://google.github.io/osv.dev/data/): every public advisory feed whose records the importers
// read and the matcher looks up. Only ecosystems with a version order and a matcher target are
// listed (doc/vuln-db.md, "Built-in sources", says which OSV ecosystems are left out and why).
// Alpine branches: those with a published secdb on 2026-12-07 that images are still built on, v3.20
// to v3.23, and edge.
constexpr BuiltinSource kBuiltinSources[] = {
    // ---- distributions ----
    {"debian-tracker", "https://security-tracker.debian.org/tracker/data/json",
     "Debian Security Team (security tracker)", "debian-tracker", "debian:*"},
    {"ubuntu", "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip",
     "Canonical Ubuntu Security (UBUNTU-CVE, USN), via OSV.dev", "osv", "ubuntu:*"},
    {"alpine-v3.20-main", "https://secdb.alpinelinux.org/v3.20/main.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.20"},
    {"alpine-v3.20-community", "https://secdb.alpinelinux.org/v3.20/community.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.20"},
    {"alpine-v3.21-main", "https://secdb.alpinelinux.org/v3.21/main.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.21"},
    {"alpine-v3.21-community", "https://secdb.alpinelinux.org/v3.21/community.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.21"},
    {"alpine-v3.22-main", "https://secdb.alpinelinux.org/v3.22/main.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.22"},
    {"alpine-v3.22-community", "https://secdb.alpinelinux.org/v3.22/community.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.22"},
    {"alpine-v3.23-main", "https://secdb.alpinelinux.org/v3.23/main.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.23"},
    {"alpine-v3.23-community", "https://secdb.alpinelinux.org/v3.23/community.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:3.23"},
    {"alpine-edge-main", "https://secdb.alpinelinux.org/edge/main.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:edge"},
    {"alpine-edge-community", "https://secdb.alpinelinux.org/edge/community.json",
     "Alpine Linux security team (secdb)", "secdb", "alpine:edge"},
    {"wolfi", "https://packages.wolfi.dev/os/security.json",
     "Chainguard, for the Wolfi project (secdb)", "secdb", "wolfi"},
    {"chainguard", "https://packages.cgr.dev/chainguard/security.json", "Chainguard (secdb)",
     "secdb", "chainguard"},
    {"almalinux", "https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip",
     "AlmaLinux OS Foundation (ALSA), via OSV.dev", "osv", "almalinux:*"},
    {"rocky", "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip",
     "Rocky Enterprise Software Foundation (RLSA), via OSV.dev", "osv", "rocky:*"},
    {"redhat", "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip",
     "Red Hat Product Security (RHSA), via OSV.dev", "osv", "redhat:*"},
    // ---- language ecosystems (OSV.dev aggregates GHSA and each ecosystem's own database) ----
    {"osv-pypi", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
     "GitHub Advisory Database + PyPA advisory-database, via OSV.dev", "osv", "pypi"},
    {"osv-npm", "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
     "GitHub Advisory Database, via OSV.dev", "osv", "npm"},
    {"osv-go", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
     "Go vulnerability database (GO-) + GitHub Advisory Database, via OSV.dev", "osv", "golang"},
    {"osv-maven", "https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip",
     "GitHub Advisory Database, via OSV.dev", "osv", "maven"},
    {"osv-crates.io", "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
     "RustSec advisory-db + GitHub Advisory Database, via OSV.dev", "osv", "cargo"},
    {"osv-nuget", "https://osv-vulnerabilities.storage.googleapis.com/NuGet/all.zip",
     "GitHub Advisory Database, via OSV.dev", "osv", "nuget"},
    {"osv-rubygems", "https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip",
     "GitHub Advisory Database + rubysec, via OSV.dev", "osv", "gem"},
    {"osv-hex", "https://osv-vulnerabilities.storage.googleapis.com/Hex/all.zip",
     "GitHub Advisory Database + Erlang Ecosystem Foundation, via OSV.dev", "osv", "hex"},
    {"osv-pub", "https://osv-vulnerabilities.storage.googleapis.com/Pub/all.zip",
     "GitHub Advisory Database, via OSV.dev", "osv", "pub"},
};

Error AtLine(const YAML::Node& node, std::string message) {
  return Errorf("line {}: {}", node.Mark().line + 1, message);
}

Result<SourceSpec> EntryOf(const YAML::Node& node, size_t i) {
  SourceSpec s;
  if (node.IsScalar()) {
    s.url = node.Scalar();
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (key != "url" && key != "format" && key != "ecosystem")
        return AtLine(
            kv.first,
            fmt::format("sources[{}]: unknown key \"{}\" (url, format, ecosystem)", i, key));
    }
    s.url = ScalarAt(node, "url");
    s.options.format = ScalarAt(node, "format");
    s.options.ecosystem = ScalarAt(node, "ecosystem");
  }
  if (s.url.empty()) return AtLine(node, fmt::format("sources[{}]: url missing", i));
  return s;
}

Result<SourcesConfig> FromNode(const YAML::Node& root) {
  SourcesConfig out;
  if (root.IsNull()) return out;  // an empty file: the built-in list
  if (!root.IsMap())
    return Errorf("expected a mapping (sources:, include-defaults:, db-repository:)");
  for (const auto& kv : root) {
    std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "include-defaults") {
      if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false"))
        return AtLine(v, "include-defaults: expected true or false");
      out.include_defaults = v.Scalar() == "true";
    } else if (key == "db-repository") {
      if (!v.IsScalar()) return AtLine(v, "db-repository: expected HOST/REPOSITORY[:TAG]");
      out.db_repository = v.Scalar();
    } else if (key == "sources") {
      if (v.IsNull()) continue;
      if (!v.IsSequence()) return AtLine(v, "sources: expected a list");
      for (size_t i = 0; i < v.size(); ++i) {
        DISTILL_TRY(SourceSpec s, EntryOf(v[i], i));
        out.sources.push_back(std::move(s));
      }
    } else {
      return AtLine(
          kv.first,
          fmt::format("unknown key \"{}\" (sources, include-defaults, db-repository)", key));
    }
  }
  return out;
}

}  // namespace

std::span<const BuiltinSource> BuiltinSources() { return kBuiltinSources; }

Result<SourcesConfig> ParseSourcesConfig(std::string_view yaml) {
  try {  // yaml-cpp throws; this is the boundary.
    return FromNode(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    return Errorf("line {}: {}", e.mark.line + 1, e.msg);
  }
}

std::vector<SourceSpec> EffectiveSources(const SourcesConfig& config) {
  std::vector<SourceSpec> out;
  if (config.include_defaults)
    for (const BuiltinSource& b : kBuiltinSources) {
      SourceSpec s{std::string(b.url), {std::string(b.format), ""}, std::string(b.name)};
      // Wolfi's and Chainguard's secdb name no distroversion: say which distro they are for.
      if (b.format == "secdb" && b.ecosystem.find(':') == std::string_view::npos)
        s.options.ecosystem = std::string(b.ecosystem);
      out.push_back(std::move(s));
    }
  for (const SourceSpec& s : config.sources) {
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const SourceSpec& spec) { return spec.url == s.url; });
    if (same == out.end()) {
      out.push_back(s);
    } else {
      same->options = s.options;
    }
  }
  return out;
}

}  // namespace distill::vuln::importers
