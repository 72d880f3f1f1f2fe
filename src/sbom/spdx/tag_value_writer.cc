// SPDX 2.3 document → tag-value (https://spdx.github.io/spdx-spec/v2.3/conformance/ §4.3).
// Files are written before any package: in tag-value a file that follows a package is read as
// part of it, and ours are related explicitly (package CONTAINS file) instead.
#include <fmt/format.h>

#include "sbom/spdx/model.h"

namespace distill::sbom::spdx {

namespace {

// Multi-line values must be wrapped in <text>; single-line ones are written as they are.
std::string Text(const std::string& value) {
  if (value.find('\n') == std::string::npos && value.find("<text>") == std::string::npos)
    return value;
  return "<text>" + value + "</text>";
}

// "##### Package: <name>" comment lines must stay one line whatever the name holds.
std::string OneLine(std::string v) {
  for (char& c : v) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return v;
}

void Line(std::ostream& out, std::string_view tag, const std::string& value) {
  if (!value.empty()) out << tag << ": " << Text(value) << '\n';
}

void WritePackage(std::ostream& out, const Package& package) {
  out << "##### Package: " << OneLine(package.name) << "\n\n";
  Line(out, "PackageName", package.name);
  Line(out, "SPDXID", package.spdx_id);
  Line(out, "PackageVersion", package.version);
  Line(out, "PackageSupplier", package.supplier);
  Line(out, "PackageDownloadLocation", package.download_location);
  Line(out, "PrimaryPackagePurpose", package.purpose);
  out << "FilesAnalyzed: false\n";
  for (const auto& c : package.checksums)
    out << "PackageChecksum: " << c.algorithm << ": " << c.value << '\n';
  Line(out, "PackageSourceInfo", package.source_info);
  Line(out, "PackageLicenseConcluded", package.license_concluded);
  Line(out, "PackageLicenseDeclared", package.license_declared);
  Line(out, "PackageCopyrightText", package.copyright);
  Line(out, "PackageDescription", package.description);
  for (const auto& r : package.external_refs)
    out << "ExternalRef: " << r.category << ' ' << r.type << ' ' << r.locator << '\n';
  out << '\n';
}

}  // namespace

Status WriteTagValue(const Document& doc, std::ostream& out) {
  out << "SPDXVersion: " << doc.version << "\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n";
  Line(out, "DocumentName", doc.name);
  Line(out, "DocumentNamespace", doc.namespace_);
  Line(out, "DocumentComment", doc.comment);
  Line(out, "LicenseListVersion", doc.license_list_version);
  for (const auto& c : doc.creators) Line(out, "Creator", c);
  Line(out, "Created", doc.created);
  out << '\n';
  for (const auto& f : doc.files) {
    out << "##### File: " << OneLine(f.name) << "\n\n";
    Line(out, "FileName", f.name);
    Line(out, "SPDXID", f.spdx_id);
    for (const auto& c : f.checksums)
      out << "FileChecksum: " << c.algorithm << ": " << c.value << '\n';
    out << "LicenseConcluded: NOASSERTION\nFileCopyrightText: NOASSERTION\n\n";
  }
  for (const auto& p : doc.packages) WritePackage(out, p);
  if (!doc.extracted_licenses.empty()) {
    out << "##### Other licenses\n\n";
    for (const auto& l : doc.extracted_licenses) {
      Line(out, "LicenseID", l.id);
      out << "ExtractedText: <text>" << l.name << "</text>\n";
      Line(out, "LicenseName", l.name);
      out << '\n';
    }
  }
  out << "##### Relationships\n\n";
  for (const auto& r : doc.relationships) {
    out << "Relationship: " << r.element << ' ' << r.type << ' ' << r.related << '\n';
    Line(out, "RelationshipComment", r.comment);
  }
  if (!out) return InternalErrorf("spdx-tag-value: write failed");
  return {};
}

}  // namespace distill::sbom::spdx
