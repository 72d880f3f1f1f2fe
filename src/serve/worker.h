// One scan job's work, for `distill serve` (doc/serve.md): the image a scan request names is pulled
// from its registry with the request's credential only (never the server's own, never stored),
// catalogued as `distill sbom` catalogues it, and matched against the vulnerability database as
// `distill scan` matches it. The result is what the reports are rendered from; the SBOM is also
// what the store keeps, so a new database re-matches it without pulling the image again.
#pragma once

#include <string>

#include "sbom/sbom.h"
#include "util/result.h"
#include "vuln/db/database.h"
#include "vuln/match/matcher.h"

namespace distill::serve {

struct ScanTarget {
  // Harbor's registry.url: "http://core:8080", "https://registry.example:5000" (a scheme-less
  // "host:port" is taken as https).
  std::string registry_url;
  // Harbor's registry.authorization: "Basic <base64 user:password>", "Bearer <token>", or "".
  std::string authorization;
  std::string repository;  // "library/app"
  std::string digest;      // "sha256:…" of the manifest
};

struct Scanned {
  sbom::Sbom sbom;  // the catalog and where it came from (source.name = "HOST/REPO@DIGEST")
  vuln::match::MatchResult match;
};

struct WorkerOptions {
  std::string ca_cert;  // to verify an https registry ("" = the system's)
  int threads = 0;
};

// The registry's host ("core:8080") and whether it speaks plain http, from registry.url; an error
// for a URL that is neither http(s) nor a bare host.
struct RegistryHost {
  std::string host;
  bool plain_http = false;
};
Result<RegistryHost> ParseRegistryUrl(std::string_view url);

// Pulls and catalogues the image (its manifest's digest must be the one asked for).
Result<sbom::Sbom> CatalogTarget(const ScanTarget& target, const WorkerOptions& opt);

// Matches a catalogued image (freshly pulled, or an SBOM the store kept) against `db`.
Result<vuln::match::MatchResult> MatchSbom(const sbom::Sbom& doc, vuln::Database& db);

// CatalogTarget, then MatchSbom.
Result<Scanned> Scan(const ScanTarget& target, vuln::Database& db, const WorkerOptions& opt);

}  // namespace distill::serve
