// SPDX 2.3 document → tag-value (https://spdx.github.io/spdx-spec/v2.3/conformance/ §4.3).
// Files are written before any package: in tag-value a file that follows a package is read as
// part of it, and ours are related explicitly (package CONTAINS file) instead.
#include <fmt/format.h>

#include "sbom/spdx/model.h"

namespace distill::sbom::spdx {

namespace {

// Multi-line values must be wrapped in <text>; single-line ones are written as they are.
std::string Text(const std::string& v) {
  if (v.find('\n') == std::string::npos && v.find("<text>") == std::string::npos) return v;
  return "<text>" + v + "</text>";
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

void WritePackage(std::ostream& out, const Package& p) {
  out << "##### Package: " << OneLine(p.name) << "\n\n";
  Line(out, "PackageName", p.name);
  Line(out, "SPDXID", p.spdx_id);
  Line(out, "PackageVersion", p.version);
  Line(out, "PackageSupplier", p.supplier);
  Line(out, "PackageDownloadLocation", p.download_location);
  Line(out, "PrimaryPackagePurpose", p.purpose);
  out << "FilesAnalyzed: false\n";
  for (const auto& c : p.checksums) out << "PackageChecksum: " << c.algorithm << ": " << c.value << '\n';
  Line(out, "PackageSourceInfo", p.source_info);
  Line(out, "PackageLicenseConcluded", p.license_concluded);
  Line(out, "PackageLicenseDeclared", p.license_declared);
  Line(out, "PackageCopyrightText", p.copyright);
  Line(out, "PackageDescription", p.description);
  for (const auto& r : p.external_refs) out << "ExternalRef: " << r.category << ' ' << r.type << ' ' << r.locator << '\n';
  out << '\n';
}

}  // namespace

Status WriteTagValue(const Document& d, std::ostream& out) {
  out << "SPDXVersion: " << d.version << "\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n";
  Line(out, "DocumentName", d.name);
  Line(out, "DocumentNamespace", d.namespace_);
  Line(out, "DocumentComment", d.comment);
  Line(out, "LicenseListVersion", d.license_list_version);
  for (const auto& c : d.creators) Line(out, "Creator", c);
  Line(out, "Created", d.created);
  out << '\n';
  for (const auto& f : d.files) {
    out << "##### File: " << OneLine(f.name) << "\n\n";
    Line(out, "FileName", f.name);
    Line(out, "SPDXID", f.spdx_id);
    for (const auto& c : f.checksums) out << "FileChecksum: " << c.algorithm << ": " << c.value << '\n';
    out << "LicenseConcluded: NOASSERTION\nFileCopyrightText: NOASSERTION\n\n";
  }
  for (const auto& p : d.packages) WritePackage(out, p);
  if (!d.extracted_licenses.empty()) {
    out << "##### Other licenses\n\n";
    for (const auto& l : d.extracted_licenses) {
      Line(out, "LicenseID", l.id);
      out << "ExtractedText: <text>" << l.name << "</text>\n";
      Line(out, "LicenseName", l.name);
      out << '\n';
    }
  }
  out << "##### Relationships\n\n";
  for (const auto& r : d.relationships) {
    out << "Relationship: " << r.element << ' ' << r.type << ' ' << r.related << '\n';
    Line(out, "RelationshipComment", r.comment);
  }
  if (!out) return InternalErrorf("spdx-tag-value: write failed");
  return {};
}

}  // namespace distill::sbom::spdx
