// SPDX 2.3 document → JSON (https://github.com/spdx/spdx-spec/blob/v2.3/schemas/spdx-schema.json).
#include <nlohmann/json.hpp>

#include "sbom/spdx/model.h"

namespace distill::sbom::spdx {

namespace {

using Json = nlohmann::ordered_json;

Json Checksums(const std::vector<Checksum>& cs) {
  Json out = Json::array();
  for (const auto& c : cs) out.push_back({{"algorithm", c.algorithm}, {"checksumValue", c.value}});
  return out;
}

Json PackageJson(const Package& p) {
  Json j = {{"name", p.name}, {"SPDXID", p.spdx_id}};
  if (!p.version.empty()) j["versionInfo"] = p.version;
  j["supplier"] = p.supplier;
  j["downloadLocation"] = p.download_location;
  j["filesAnalyzed"] = false;
  if (!p.checksums.empty()) j["checksums"] = Checksums(p.checksums);
  if (!p.source_info.empty()) j["sourceInfo"] = p.source_info;
  j["licenseConcluded"] = p.license_concluded;
  j["licenseDeclared"] = p.license_declared;
  j["copyrightText"] = p.copyright;
  if (!p.description.empty()) j["description"] = p.description;
  if (!p.external_refs.empty()) {
    Json refs = Json::array();
    for (const auto& r : p.external_refs) {
      refs.push_back({{"referenceCategory", r.category}, {"referenceType", r.type}, {"referenceLocator", r.locator}});
    }
    j["externalRefs"] = refs;
  }
  if (!p.purpose.empty()) j["primaryPackagePurpose"] = p.purpose;
  return j;
}

}  // namespace

Status WriteJson(const Document& d, std::ostream& out) {
  Json doc = {{"spdxVersion", d.version}, {"dataLicense", "CC0-1.0"}, {"SPDXID", "SPDXRef-DOCUMENT"},
              {"name", d.name}, {"documentNamespace", d.namespace_}};
  doc["creationInfo"] = {{"licenseListVersion", d.license_list_version}, {"creators", d.creators}, {"created", d.created}};
  if (!d.comment.empty()) doc["comment"] = d.comment;
  Json packages = Json::array(), files = Json::array(), rels = Json::array();
  for (const auto& p : d.packages) packages.push_back(PackageJson(p));
  for (const auto& f : d.files) {
    files.push_back({{"fileName", f.name}, {"SPDXID", f.spdx_id}, {"checksums", Checksums(f.checksums)},
                     {"licenseConcluded", "NOASSERTION"}, {"copyrightText", "NOASSERTION"}});
  }
  for (const auto& r : d.relationships) {
    rels.push_back({{"spdxElementId", r.element}, {"relatedSpdxElement", r.related}, {"relationshipType", r.type}});
  }
  doc["packages"] = packages;
  if (!files.empty()) doc["files"] = files;
  if (!d.extracted_licenses.empty()) {
    Json lic = Json::array();
    for (const auto& l : d.extracted_licenses) {
      lic.push_back({{"licenseId", l.id}, {"extractedText", l.name}, {"name", l.name}});
    }
    doc["hasExtractedLicensingInfos"] = lic;
  }
  doc["relationships"] = rels;
  out << doc.dump(1, ' ', false, Json::error_handler_t::replace) << '\n';
  if (!out) return InternalErrorf("spdx-json: write failed");
  return {};
}

}  // namespace distill::sbom::spdx
