// SPDX 2.3 document → JSON (https://github.com/spdx/spdx-spec/blob/v2.3/schemas/spdx-schema.json).
#include "sbom/json_out.h"
#include "sbom/spdx/model.h"

namespace distill::sbom::spdx {

namespace {

void WriteChecksums(JsonOut& j, const std::vector<Checksum>& cs) {
  j.Key("checksums");
  j.BeginArray();
  for (const auto& c : cs) {
    j.BeginObject();
    j.Field("algorithm", c.algorithm);
    j.Field("checksumValue", c.value);
    j.EndObject();
  }
  j.EndArray();
}

void WritePackage(JsonOut& j, const Package& p) {
  j.BeginObject();
  j.Field("name", p.name);
  j.Field("SPDXID", p.spdx_id);
  if (!p.version.empty()) j.Field("versionInfo", p.version);
  j.Field("supplier", p.supplier);
  j.Field("downloadLocation", p.download_location);
  j.FieldBool("filesAnalyzed", false);
  if (!p.checksums.empty()) WriteChecksums(j, p.checksums);
  if (!p.source_info.empty()) j.Field("sourceInfo", p.source_info);
  j.Field("licenseConcluded", p.license_concluded);
  j.Field("licenseDeclared", p.license_declared);
  j.Field("copyrightText", p.copyright);
  if (!p.description.empty()) j.Field("description", p.description);
  if (!p.external_refs.empty()) {
    j.Key("externalRefs");
    j.BeginArray();
    for (const auto& r : p.external_refs) {
      j.BeginObject();
      j.Field("referenceCategory", r.category);
      j.Field("referenceType", r.type);
      j.Field("referenceLocator", r.locator);
      j.EndObject();
    }
    j.EndArray();
  }
  if (!p.purpose.empty()) j.Field("primaryPackagePurpose", p.purpose);
  j.EndObject();
}

void WriteFiles(JsonOut& j, const std::vector<File>& files) {
  j.Key("files");
  j.BeginArray();
  for (const auto& f : files) {
    j.BeginObject();
    j.Field("fileName", f.name);
    j.Field("SPDXID", f.spdx_id);
    WriteChecksums(j, f.checksums);
    j.Field("licenseConcluded", "NOASSERTION");
    j.Field("copyrightText", "NOASSERTION");
    j.EndObject();
  }
  j.EndArray();
}

void WriteExtractedLicenses(JsonOut& j, const std::vector<ExtractedLicense>& licenses) {
  j.Key("hasExtractedLicensingInfos");
  j.BeginArray();
  for (const auto& l : licenses) {
    j.BeginObject();
    j.Field("licenseId", l.id);
    j.Field("extractedText", l.name);
    j.Field("name", l.name);
    j.EndObject();
  }
  j.EndArray();
}

}  // namespace

Status WriteJson(const Document& d, std::ostream& out) {
  JsonOut j(1, [&out](std::string_view chunk) { out.write(chunk.data(), chunk.size()); });
  j.BeginObject();
  j.Field("spdxVersion", d.version);
  j.Field("dataLicense", "CC0-1.0");
  j.Field("SPDXID", "SPDXRef-DOCUMENT");
  j.Field("name", d.name);
  j.Field("documentNamespace", d.namespace_);
  j.Key("creationInfo");
  j.BeginObject();
  j.Field("licenseListVersion", d.license_list_version);
  j.FieldStrings("creators", d.creators);
  j.Field("created", d.created);
  j.EndObject();
  if (!d.comment.empty()) j.Field("comment", d.comment);
  j.Key("packages");
  j.BeginArray();
  for (const auto& p : d.packages) WritePackage(j, p);
  j.EndArray();
  if (!d.files.empty()) WriteFiles(j, d.files);
  if (!d.extracted_licenses.empty()) WriteExtractedLicenses(j, d.extracted_licenses);
  j.Key("relationships");
  j.BeginArray();
  for (const auto& r : d.relationships) {
    j.BeginObject();
    j.Field("spdxElementId", r.element);
    j.Field("relatedSpdxElement", r.related);
    j.Field("relationshipType", r.type);
    if (!r.comment.empty()) j.Field("comment", r.comment);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Flush();
  out << '\n';
  if (!out) return InternalErrorf("spdx-json: write failed");
  return {};
}

}  // namespace distill::sbom::spdx
