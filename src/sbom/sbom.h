// The document every SBOM encoder reads: what was scanned (SourceInfo), what was found in it
// (catalog::Catalog), and when/by what. Encoders convert this into their format's model and then
// serialize it (see formats.h); none of them reads the image again.
//
// Invariant: encoding is a pure function of Sbom. The same Sbom gives the same bytes: packages and
// files are sorted, document ids (SPDX documentNamespace, CycloneDX serialNumber) are UUIDv5 of the
// content, and the only timestamp is `created`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::sbom {

struct SourceInfo {
  std::string name;  // the image as the user named it: "debian:12", "app.tar", "dir:/rootfs"
  std::string type;  // "docker-archive", "oci-archive", "oci-dir", "dir"
  std::string manifest_digest;         // "sha256:..." ("" for dir:)
  std::string config_digest;           // "sha256:..." — the image id ("" for dir:)
  std::vector<std::string> repo_tags;  // "debian:12", from the archive's manifest/index
  std::string platform;                // "linux/amd64" ("" when unknown)
};

struct Sbom {
  SourceInfo source;
  catalog::Catalog catalog;
  // Seconds since the Unix epoch: SOURCE_DATE_EPOCH when set; 0 means "no time was given" and
  // encoders write the fixed value kFixedTimestamp (see doc/formats/README.md for why).
  int64_t created = 0;
  std::string tool_name = "distill";
  std::string tool_version;
};

// What encoders write when Sbom::created is 0: the Unix epoch, chosen because no reader can mistake
// it for the time of the scan, and because a wall-clock time would make every run's bytes differ.
inline constexpr const char* kFixedTimestamp = "1970-01-01T00:00:00Z";

// "2024-05-01T12:00:00Z" for created (kFixedTimestamp for 0).
std::string FormatTimestamp(int64_t created);

// SOURCE_DATE_EPOCH as https://reproducible-builds.org/specs/source-date-epoch/ defines it: unset
// or empty gives 0; anything but a non-negative decimal integer is an error naming the variable.
Result<int64_t> CreatedFromEnvironment();
Result<int64_t> ParseSourceDateEpoch(std::string_view value);

// A stable, format-independent key for a package (its Package::id()).
std::string PackageKey(const catalog::Package& package);

// Packages in the order every encoder writes them: (type, name, version, arch, first location).
std::vector<const catalog::Package*> SortedPackages(const catalog::Catalog& cat);
// The same without exact duplicates (same PackageKey: same record at the same location), which
// SPDX and CycloneDX could not tell apart (their ids would collide).
std::vector<const catalog::Package*> UniquePackages(const catalog::Catalog& cat);

// The dependency graph between catalogued packages, keyed by PackageKey, each list sorted and
// without duplicates: the catalog's "depends-on" relationships, plus the clauses of
// Package::depends_on and of the metadata (dpkg Depends/Pre-Depends, apk depends, rpm Requires)
// resolved to packages of the same type by name or by what they provide (each '|' alternative;
// the name part before any ' ', '(', ':' arch or version operator). Unresolvable names are
// dropped: they are not in the image.
std::map<std::string, std::vector<std::string>> DependencyGraph(const catalog::Catalog& cat);

// The image as a purl, as syft writes it: pkg:oci/<repo name>@<manifest digest>?arch=..&
// repository_url=..&tag=.. (from the first repo tag and the platform); "" without a manifest
// digest.
std::string ImagePurl(const SourceInfo& source);

// Replaces every character outside [A-Za-z0-9.-] with '-' (SPDX ids, bom-refs, URI parts).
std::string SanitizeId(std::string_view text);

// A short, stable hex tag of text (first 16 hex digits of its SHA-256), for ids that must be unique
// and deterministic but need not be readable.
std::string ShortHash(std::string_view text);

}  // namespace distill::sbom
