// The fields of each metadata type (and of Distro), declared once: name in distill-json, member,
// in output order (doc/formats/distill-json.md). distill-json's encoder (sbom/distill_json.cc)
// and decoder (sbom/distill_json_decode.cc) walk these tables; neither lists a field itself.
// A member added to a struct in package.h without an entry here fails that struct's static_assert.
//
// Kept out of package.h so that the ~250 files that include it do not also compile the tables.
#pragma once

#include <tuple>

#include "catalog/package.h"
#include "util/fields.h"

namespace distill::catalog {

// Each metadata alternative's name (distill-json's "metadataType") and its field table, declared
// below with the table: what an encoder or decoder walks to handle every alternative of Metadata.
template <class T>
struct MetadataKind;

inline constexpr auto kDpkgFields = std::tuple{
    fields::Field("maintainer", &DpkgMetadata::maintainer),
    fields::Field("status", &DpkgMetadata::status),
    fields::Field("installedSizeKiB", &DpkgMetadata::installed_size_kib),
    fields::Field("multiArch", &DpkgMetadata::multi_arch),
    fields::Field("preDepends", &DpkgMetadata::pre_depends),
    fields::Field("depends", &DpkgMetadata::depends),
    fields::Field("provides", &DpkgMetadata::provides),
    fields::Field("licenseNames", &DpkgMetadata::license_names),
    fields::Field("archiveSha256", &DpkgMetadata::archive_sha256),
    fields::Field("slices", &DpkgMetadata::slices),
};
static_assert(fields::CoversAllMembers<DpkgMetadata>(kDpkgFields),
              "a member of DpkgMetadata has no entry in kDpkgFields");
template <>
struct MetadataKind<DpkgMetadata> {
  static constexpr const char* kName = "dpkg";
  static constexpr const auto& kFields = kDpkgFields;
};

inline constexpr auto kApkFields = std::tuple{
    fields::Field("origin", &ApkMetadata::origin),
    fields::Field("maintainer", &ApkMetadata::maintainer),
    fields::Field("url", &ApkMetadata::url),
    fields::Field("description", &ApkMetadata::description),
    fields::Field("checksum", &ApkMetadata::checksum),
    fields::Field("gitCommit", &ApkMetadata::git_commit),
    fields::Field("size", &ApkMetadata::size),
    fields::Field("installedSize", &ApkMetadata::installed_size),
    fields::Field("depends", &ApkMetadata::depends),
    fields::Field("provides", &ApkMetadata::provides),
};
static_assert(fields::CoversAllMembers<ApkMetadata>(kApkFields),
              "a member of ApkMetadata has no entry in kApkFields");
template <>
struct MetadataKind<ApkMetadata> {
  static constexpr const char* kName = "apk";
  static constexpr const auto& kFields = kApkFields;
};

inline constexpr auto kRpmFields = std::tuple{
    fields::OptionalField("epoch", &RpmMetadata::epoch, &RpmMetadata::has_epoch),
    fields::Field("release", &RpmMetadata::release),
    fields::Field("sourceRpm", &RpmMetadata::source_rpm),
    fields::Field("vendor", &RpmMetadata::vendor),
    fields::Field("modularityLabel", &RpmMetadata::modularity_label),
    fields::Field("requires", &RpmMetadata::requires_),
    fields::Field("provides", &RpmMetadata::provides),
};
static_assert(fields::CoversAllMembers<RpmMetadata>(kRpmFields),
              "a member of RpmMetadata has no entry in kRpmFields");
template <>
struct MetadataKind<RpmMetadata> {
  static constexpr const char* kName = "rpm";
  static constexpr const auto& kFields = kRpmFields;
};

inline constexpr auto kLanguageFields = std::tuple{
    fields::Field("ecosystemId", &LanguageMetadata::ecosystem_id),
    fields::Field("integrity", &LanguageMetadata::integrity),
};
static_assert(fields::CoversAllMembers<LanguageMetadata>(kLanguageFields),
              "a member of LanguageMetadata has no entry in kLanguageFields");
template <>
struct MetadataKind<LanguageMetadata> {
  static constexpr const char* kName = "language";
  static constexpr const auto& kFields = kLanguageFields;
};

inline constexpr auto kDistroFields = std::tuple{
    fields::Field("id", &Distro::id),
    fields::Field("versionId", &Distro::version_id),
    fields::Field("versionCodename", &Distro::version_codename),
    fields::Field("prettyName", &Distro::pretty_name),
    fields::Field("idLike", &Distro::id_like),
    fields::Field("version", &Distro::version),
    fields::Field("buildId", &Distro::build_id),
    fields::Field("variantId", &Distro::variant_id),
    fields::Field("cpeName", &Distro::cpe_name),
    fields::OmitEmptyField("apkBranch",
                           &Distro::apk_branch),  // only when it differs from versionId
};
static_assert(fields::CoversAllMembers<Distro>(kDistroFields),
              "a member of Distro has no entry in kDistroFields");

}  // namespace distill::catalog
