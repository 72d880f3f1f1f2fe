// CycloneDX document → JSON (schema/bom-1.6.schema.json, bom-1.5.schema.json).
#include "sbom/cyclonedx/model.h"
#include "sbom/json_out.h"

namespace distill::sbom::cyclonedx {

namespace {

void WriteLicenses(JsonOut& json, const Licenses& licenses) {
  json.Key("licenses");
  json.BeginArray();
  if (!licenses.expression.empty()) {
    json.BeginObject();
    json.Field("expression", licenses.expression);
    json.EndObject();
  } else {
    for (const auto& x : licenses.list) {
      json.BeginObject();
      json.Key("license");
      json.BeginObject();
      json.Field(x.kind == License::Kind::kId ? "id" : "name", x.value);
      json.EndObject();
      json.EndObject();
    }
  }
  json.EndArray();
}

void WriteProperties(JsonOut& json, const std::vector<Property>& props) {
  json.Key("properties");
  json.BeginArray();
  for (const auto& p : props) {
    json.BeginObject();
    json.Field("name", p.name);
    json.Field("value", p.value);
    json.EndObject();
  }
  json.EndArray();
}

void WriteComponent(JsonOut& json, const Component& component) {
  json.BeginObject();
  json.Field("bom-ref", component.bom_ref);
  json.Field("type", component.type);
  if (!component.publisher.empty()) json.Field("publisher", component.publisher);
  json.Field("name", component.name);
  if (!component.version.empty()) json.Field("version", component.version);
  if (!component.description.empty()) json.Field("description", component.description);
  if (!component.hashes.empty()) {
    json.Key("hashes");
    json.BeginArray();
    for (const auto& h : component.hashes) {
      json.BeginObject();
      json.Field("alg", h.alg);
      json.Field("content", h.content);
      json.EndObject();
    }
    json.EndArray();
  }
  if (!component.licenses.expression.empty() || !component.licenses.list.empty())
    WriteLicenses(json, component.licenses);
  if (!component.cpe.empty()) json.Field("cpe", component.cpe);
  if (!component.purl.empty()) json.Field("purl", component.purl);
  if (!component.properties.empty()) WriteProperties(json, component.properties);
  json.EndObject();
}

void WriteMetadata(JsonOut& json, const Document& doc) {
  json.Key("metadata");
  json.BeginObject();
  json.Field("timestamp", doc.timestamp);
  json.Key("tools");
  json.BeginObject();
  json.Key("components");
  json.BeginArray();
  json.BeginObject();
  json.Field("type", "application");
  json.Field("name", doc.tool_name);
  if (!doc.tool_version.empty()) json.Field("version", doc.tool_version);
  json.EndObject();
  json.EndArray();
  json.EndObject();
  json.Key("component");
  WriteComponent(json, doc.root);
  if (!doc.metadata_properties.empty()) WriteProperties(json, doc.metadata_properties);
  json.EndObject();
}

}  // namespace

Status WriteJson(const Document& doc, std::ostream& out) {
  JsonOut j(2, [&out](std::string_view chunk) { out.write(chunk.data(), chunk.size()); });
  j.BeginObject();
  j.Field("$schema", "http://cyclonedx.org/schema/bom-" + doc.spec_version + ".schema.json");
  j.Field("bomFormat", "CycloneDX");
  j.Field("specVersion", doc.spec_version);
  j.Field("serialNumber", doc.serial_number);
  j.Key("version");
  j.Int(1);
  WriteMetadata(j, doc);
  j.Key("components");
  j.BeginArray();
  for (const auto& c : doc.components) WriteComponent(j, c);
  j.EndArray();
  j.Key("dependencies");
  j.BeginArray();
  for (const auto& dep : doc.dependencies) {
    j.BeginObject();
    j.Field("ref", dep.ref);
    j.FieldStrings("dependsOn", dep.depends_on);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Flush();
  out << '\n';
  if (!out) return InternalErrorf("cyclonedx-json: write failed");
  return {};
}

}  // namespace distill::sbom::cyclonedx
