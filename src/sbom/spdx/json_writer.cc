// SPDX 2.3 document → JSON (https://github.com/spdx/spdx-spec/blob/v2.3/schemas/spdx-schema.json).
#include "sbom/json_out.h"
#include "sbom/spdx/model.h"

namespace distill::sbom::spdx {

namespace {

void WriteChecksums(JsonOut& json, const std::vector<Checksum>& cs) {
  json.Key("checksums");
  json.BeginArray();
  for (const auto& c : cs) {
    json.BeginObject();
    json.Field("algorithm", c.algorithm);
    json.Field("checksumValue", c.value);
    json.EndObject();
  }
  json.EndArray();
}

void WritePackage(JsonOut& json, const Package& package) {
  json.BeginObject();
  json.Field("name", package.name);
  json.Field("SPDXID", package.spdx_id);
  if (!package.version.empty()) json.Field("versionInfo", package.version);
  json.Field("supplier", package.supplier);
  json.Field("downloadLocation", package.download_location);
  json.FieldBool("filesAnalyzed", false);
  if (!package.checksums.empty()) WriteChecksums(json, package.checksums);
  if (!package.source_info.empty()) json.Field("sourceInfo", package.source_info);
  json.Field("licenseConcluded", package.license_concluded);
  json.Field("licenseDeclared", package.license_declared);
  json.Field("copyrightText", package.copyright);
  if (!package.description.empty()) json.Field("description", package.description);
  if (!package.external_refs.empty()) {
    json.Key("externalRefs");
    json.BeginArray();
    for (const auto& r : package.external_refs) {
      json.BeginObject();
      json.Field("referenceCategory", r.category);
      json.Field("referenceType", r.type);
      json.Field("referenceLocator", r.locator);
      json.EndObject();
    }
    json.EndArray();
  }
  if (!package.purpose.empty()) json.Field("primaryPackagePurpose", package.purpose);
  json.EndObject();
}

void WriteFiles(JsonOut& json, const std::vector<File>& files) {
  json.Key("files");
  json.BeginArray();
  for (const auto& f : files) {
    json.BeginObject();
    json.Field("fileName", f.name);
    json.Field("SPDXID", f.spdx_id);
    WriteChecksums(json, f.checksums);
    json.Field("licenseConcluded", "NOASSERTION");
    json.Field("copyrightText", "NOASSERTION");
    json.EndObject();
  }
  json.EndArray();
}

void WriteExtractedLicenses(JsonOut& json, const std::vector<ExtractedLicense>& licenses) {
  json.Key("hasExtractedLicensingInfos");
  json.BeginArray();
  for (const auto& l : licenses) {
    json.BeginObject();
    json.Field("licenseId", l.id);
    json.Field("extractedText", l.name);
    json.Field("name", l.name);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace

Status WriteJson(const Document& doc, std::ostream& out) {
  JsonOut j(1, [&out](std::string_view chunk) { out.write(chunk.data(), chunk.size()); });
  j.BeginObject();
  j.Field("spdxVersion", doc.version);
  j.Field("dataLicense", "CC0-1.0");
  j.Field("SPDXID", "SPDXRef-DOCUMENT");
  j.Field("name", doc.name);
  j.Field("documentNamespace", doc.namespace_);
  j.Key("creationInfo");
  j.BeginObject();
  j.Field("licenseListVersion", doc.license_list_version);
  j.FieldStrings("creators", doc.creators);
  j.Field("created", doc.created);
  j.EndObject();
  if (!doc.comment.empty()) j.Field("comment", doc.comment);
  j.Key("packages");
  j.BeginArray();
  for (const auto& p : doc.packages) WritePackage(j, p);
  j.EndArray();
  if (!doc.files.empty()) WriteFiles(j, doc.files);
  if (!doc.extracted_licenses.empty()) WriteExtractedLicenses(j, doc.extracted_licenses);
  j.Key("relationships");
  j.BeginArray();
  for (const auto& r : doc.relationships) {
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
