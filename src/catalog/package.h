// The one package model every cataloger produces and every encoder and matcher consumes
// (syft's pkg.Package, minus its `any`: metadata is a closed, typed variant).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "image/file_index.h"
#include "util/compact_string.h"

namespace distill::catalog {

// A digest algorithm's name ("md5", "sha1", "sha256", ...), interned: every owned file of a
// package database records one, and they are a handful of distinct names.
class AlgorithmName {
 public:
  AlgorithmName() = default;
  AlgorithmName(std::string_view name);  // NOLINT: reads and assigns like a string
  AlgorithmName(const char* name) : AlgorithmName(std::string_view(name)) {}
  AlgorithmName(const std::string& name) : AlgorithmName(std::string_view(name)) {}
  std::string_view view() const { return name_; }
  operator std::string_view() const { return name_; }  // NOLINT
  std::string str() const { return std::string(name_); }
  bool empty() const { return name_.empty(); }
  bool operator==(const AlgorithmName& other) const { return name_ == other.name_; }
  bool operator==(std::string_view name) const { return name_ == name; }
  bool operator==(const char* name) const { return name_ == name; }

 private:
  std::string_view name_;  // a known name's literal, or an entry of the process-wide intern set
};
inline std::ostream& operator<<(std::ostream& os, const AlgorithmName& name) {
  return os << name.view();
}

// A file a package says it owns, with the digest the package database records for it. 48 bytes:
// a dpkg image lists ~8k of these (the rows the SBOM's file section and ownership come from).
struct OwnedFile {
  std::string path;         // image-relative, normalized
  AlgorithmName algorithm;  // "md5", "sha1", "sha256", "" when none recorded
  CompactString digest;     // hex
  bool operator==(const OwnedFile&) const = default;
};

// Debian binary package control data,
// https://www.debian.org/doc/debian-policy/ch-controlfields.html
struct DpkgMetadata {
  std::string maintainer;
  std::string status;  // "install ok installed"; empty in the distroless status.d layout
  uint64_t installed_size_kib = 0;
  std::string multi_arch;
  std::vector<std::string> pre_depends, depends, provides;  // raw clauses as written
  std::vector<std::string> license_names;  // copyright License: names as written ("GPL-2+")
  std::string archive_sha256;              // .deb SHA256 from var/lib/dpkg/available, if listed
  std::vector<std::string> slices;         // chisel: the package's slices installed ("libc6_libs")
  bool operator==(const DpkgMetadata&) const = default;
};

// Alpine installed-db record, https://wiki.alpinelinux.org/wiki/Apk_spec
struct ApkMetadata {
  std::string origin, maintainer, url, description, checksum;  // checksum: "Q1..." (C: field)
  std::string git_commit;  // c: field, the aports commit the package was built from
  uint64_t size = 0, installed_size = 0;
  std::vector<std::string> depends, provides;
  bool operator==(const ApkMetadata&) const = default;
};

// RPM header data.
struct RpmMetadata {
  uint32_t epoch = 0;
  bool has_epoch = false;
  std::string release, source_rpm, vendor;
  std::string modularity_label;  // e.g. "nodejs:16:8060020220601143347:ad008a3a"
  std::vector<std::string> requires_, provides;
  bool operator==(const RpmMetadata&) const = default;
};

// Language ecosystems keep what their encoders and matchers need beyond the common fields.
struct LanguageMetadata {
  std::string ecosystem_id;  // e.g. maven "groupId:artifactId", go module path, npm scope
  std::string integrity;     // e.g. go.sum h1: hash, npm integrity
  bool operator==(const LanguageMetadata&) const = default;
};

using Metadata =
    std::variant<std::monostate, DpkgMetadata, ApkMetadata, RpmMetadata, LanguageMetadata>;

struct Package {
  std::string name;
  std::string version;
  std::string type;  // syft's package types: "deb", "apk", "rpm", "python", "npm", "java-archive",
                     // "go-module", ...
  std::string found_by;  // the cataloger's name, e.g. "dpkg-db-cataloger"
  std::string arch;
  std::string source_name;  // Debian Source: / apk origin / rpm source name; empty if same as name
  std::string source_version;  // Debian binNMU: "5.2.15-2" for binary "5.2.15-2+b8"; empty if same
  std::vector<std::string> licenses;  // SPDX ids or expressions where known, else as written
  std::string purl;
  std::vector<std::string> cpes;
  std::vector<image::Location> locations;  // where the package's database record was found
  std::vector<OwnedFile> files;            // files the package owns
  std::vector<std::string> depends_on;     // names (or provides) of packages it depends on
  Metadata metadata;

  // A stable identity: type/name@version/arch plus the first location.
  std::string id() const;
};

// A database entry or file that could not be read: recorded, and the scan goes on.
struct Unknown {
  image::Location location;
  std::string message;
};

// What operating system the image says it is.
struct Distro {
  std::string id;                // "debian", "alpine", "ubuntu", "rhel", ...
  std::string version_id;        // "12", "3.19.1"
  std::string version_codename;  // "bookworm"
  std::string pretty_name;
  std::string id_like;     // space-separated, as os-release writes it: "rhel fedora"
  std::string version;     // VERSION: "13 (trixie)", "15-SP2"
  std::string build_id;    // BUILD_ID: "rolling"
  std::string variant_id;  // VARIANT_ID: "container"
  std::string cpe_name;    // CPE_NAME or etc/system-release-cpe
  // Alpine: the branch etc/apk/repositories names ("3.18", "edge") when it is not os-release's
  // (apko images: os-release 3.16, packages from edge); "" otherwise. The matcher uses it.
  std::string apk_branch;
  bool empty() const { return id.empty(); }
  // The purl `distro` qualifier as syft and trivy write it: "debian-12.5", or "debian" alone.
  std::string purl_qualifier() const { return version_id.empty() ? id : id + "-" + version_id; }
  bool operator==(const Distro&) const = default;
};

struct Relationship {
  std::string from, to;  // Package::id()
  std::string type;      // "depends-on", "contains", "owns"
};

struct Catalog {
  Distro distro;
  std::vector<Package> packages;  // sorted by (type, name, version, arch, location)
  std::vector<Relationship> relationships;
  std::vector<Unknown> unknowns;
};

}  // namespace distill::catalog
