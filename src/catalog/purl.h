// Package URLs, https://github.com/package-url/purl-spec (ECMA-427) — parsed and built in the
// canonical form: lowercased type, type-specific name normalization (pypi, deb, apk, ...),
// percent-encoded parts, qualifiers sorted by key with empty values dropped, subpath segments
// cleaned of "", "." and "..".
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::catalog {

struct Purl {
  std::string type;  // "deb", "apk", "rpm", "pypi", "npm", "maven", "golang", ...
  std::string
      namespace_;  // "debian", "alpine", "@scope", "org.apache.commons", ... ('/'-separated)
  std::string name;
  std::string version;
  std::map<std::string, std::string> qualifiers;  // sorted by key, as the spec requires
  std::string subpath;

  // The canonical string form: Normalize() applied to a copy, then every part percent-encoded.
  // (Validity — a type and a name — is MakePurl's job; ToString prints whatever it is given.)
  std::string ToString() const;
  // Applies the spec's normalization: lowercased type and qualifier keys, the type's name and
  // namespace rules, empty qualifiers dropped, subpath segments cleaned.
  void Normalize();
  bool operator==(const Purl&) const = default;

 private:
  std::string Encode() const;  // encodes the parts as they are
};

// Strict parse, as the purl-spec "required" tests define it: qualifier keys must already be
// lowercase. Returns the normalized components (type lowercased, type rules applied).
Result<Purl> ParsePurl(std::string_view text);

// Lenient parse for input written by other tools: also accepts mixed-case qualifier keys and
// lowercases them (the purl-spec "recommended" normalization).
Result<Purl> ParsePurlLenient(std::string_view text);

// Validates and normalizes components into a purl (the purl-spec "build" operation): a type and a
// name are required, the type must be letters, digits, '.', '+', '-' not starting with a digit,
// qualifier keys letters, digits, '.', '-', '_'.
Result<Purl> MakePurl(Purl p);

// Percent-encodes everything outside the purl spec's unreserved set (ALPHA DIGIT - . _ ~). The
// spec says ':' is never encoded, separator or not; keep_colon=false exists only for callers that
// need a strict RFC 3986 segment.
std::string PurlEncode(std::string_view text, bool keep_colon = true);

// The `distro` qualifier of deb, apk and rpm purls. distill writes what syft writes:
// "<os-release ID>-<VERSION_ID>", the Debian point release from etc/debian_version included
// ("debian-12.12", "alpine-3.16.0", "wolfi-20221230"; the ID alone without a VERSION_ID), which
// is also trivy's deb form and carries the release every matcher keys on (Debian's major,
// Alpine's major.minor). DistroFromQualifier reads that and the other forms in use:
//   "3.16"       trivy's apk purls: the release alone, the ID is the purl's namespace;
//   "jessie"     purl-spec's deb example: a codename, the ID is the namespace;
//   "opensuse-leap-15.2"  the last '-' before a digit separates ID and release.
// Empty value: an empty Distro.
Distro DistroFromQualifier(std::string_view value, std::string_view purl_namespace);

}  // namespace distill::catalog
