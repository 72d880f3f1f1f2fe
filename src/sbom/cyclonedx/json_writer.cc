// CycloneDX document → JSON (schema/bom-1.6.schema.json, bom-1.5.schema.json).
#include "sbom/cyclonedx/model.h"
#include "sbom/json_out.h"

namespace distill::sbom::cyclonedx {

namespace {

void WriteLicenses(JsonOut& j, const Licenses& l) {
  j.Key("licenses");
  j.BeginArray();
  if (!l.expression.empty()) {
    j.BeginObject();
    j.Field("expression", l.expression);
    j.EndObject();
  } else {
    for (const auto& x : l.list) {
      j.BeginObject();
      j.Key("license");
      j.BeginObject();
      j.Field(x.kind == License::Kind::kId ? "id" : "name", x.value);
      j.EndObject();
      j.EndObject();
    }
  }
  j.EndArray();
}

void WriteProperties(JsonOut& j, const std::vector<Property>& props) {
  j.Key("properties");
  j.BeginArray();
  for (const auto& p : props) {
    j.BeginObject();
    j.Field("name", p.name);
    j.Field("value", p.value);
    j.EndObject();
  }
  j.EndArray();
}

void WriteComponent(JsonOut& j, const Component& c) {
  j.BeginObject();
  j.Field("bom-ref", c.bom_ref);
  j.Field("type", c.type);
  if (!c.publisher.empty()) j.Field("publisher", c.publisher);
  j.Field("name", c.name);
  if (!c.version.empty()) j.Field("version", c.version);
  if (!c.description.empty()) j.Field("description", c.description);
  if (!c.hashes.empty()) {
    j.Key("hashes");
    j.BeginArray();
    for (const auto& h : c.hashes) {
      j.BeginObject();
      j.Field("alg", h.alg);
      j.Field("content", h.content);
      j.EndObject();
    }
    j.EndArray();
  }
  if (!c.licenses.expression.empty() || !c.licenses.list.empty()) WriteLicenses(j, c.licenses);
  if (!c.cpe.empty()) j.Field("cpe", c.cpe);
  if (!c.purl.empty()) j.Field("purl", c.purl);
  if (!c.properties.empty()) WriteProperties(j, c.properties);
  j.EndObject();
}

void WriteMetadata(JsonOut& j, const Document& d) {
  j.Key("metadata");
  j.BeginObject();
  j.Field("timestamp", d.timestamp);
  j.Key("tools");
  j.BeginObject();
  j.Key("components");
  j.BeginArray();
  j.BeginObject();
  j.Field("type", "application");
  j.Field("name", d.tool_name);
  if (!d.tool_version.empty()) j.Field("version", d.tool_version);
  j.EndObject();
  j.EndArray();
  j.EndObject();
  j.Key("component");
  WriteComponent(j, d.root);
  if (!d.metadata_properties.empty()) WriteProperties(j, d.metadata_properties);
  j.EndObject();
}

}  // namespace

Status WriteJson(const Document& d, std::ostream& out) {
  JsonOut j(2, [&out](std::string_view chunk) { out.write(chunk.data(), chunk.size()); });
  j.BeginObject();
  j.Field("$schema", "http://cyclonedx.org/schema/bom-" + d.spec_version + ".schema.json");
  j.Field("bomFormat", "CycloneDX");
  j.Field("specVersion", d.spec_version);
  j.Field("serialNumber", d.serial_number);
  j.Key("version");
  j.Int(1);
  WriteMetadata(j, d);
  j.Key("components");
  j.BeginArray();
  for (const auto& c : d.components) WriteComponent(j, c);
  j.EndArray();
  j.Key("dependencies");
  j.BeginArray();
  for (const auto& dep : d.dependencies) {
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
