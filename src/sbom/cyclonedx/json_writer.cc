// CycloneDX document → JSON (schema/bom-1.6.schema.json, bom-1.5.schema.json).
#include <nlohmann/json.hpp>

#include "sbom/cyclonedx/model.h"

namespace distill::sbom::cyclonedx {

namespace {

using Json = nlohmann::ordered_json;

Json LicensesJson(const Licenses& l) {
  Json out = Json::array();
  if (!l.expression.empty()) {
    out.push_back({{"expression", l.expression}});
    return out;
  }
  for (const auto& x : l.list) {
    out.push_back({{"license", {{x.kind == License::Kind::kId ? "id" : "name", x.value}}}});
  }
  return out;
}

Json Properties(const std::vector<Property>& props) {
  Json out = Json::array();
  for (const auto& p : props) out.push_back({{"name", p.name}, {"value", p.value}});
  return out;
}

Json ComponentJson(const Component& c) {
  Json j = {{"bom-ref", c.bom_ref}, {"type", c.type}};
  if (!c.publisher.empty()) j["publisher"] = c.publisher;
  j["name"] = c.name;
  if (!c.version.empty()) j["version"] = c.version;
  if (!c.description.empty()) j["description"] = c.description;
  if (!c.hashes.empty()) {
    Json hashes = Json::array();
    for (const auto& h : c.hashes) hashes.push_back({{"alg", h.alg}, {"content", h.content}});
    j["hashes"] = hashes;
  }
  if (!c.licenses.expression.empty() || !c.licenses.list.empty()) j["licenses"] = LicensesJson(c.licenses);
  if (!c.cpe.empty()) j["cpe"] = c.cpe;
  if (!c.purl.empty()) j["purl"] = c.purl;
  if (!c.properties.empty()) j["properties"] = Properties(c.properties);
  return j;
}

}  // namespace

Status WriteJson(const Document& d, std::ostream& out) {
  Json tool = {{"type", "application"}, {"name", d.tool_name}};
  if (!d.tool_version.empty()) tool["version"] = d.tool_version;
  Json metadata = {{"timestamp", d.timestamp}, {"tools", {{"components", Json::array({tool})}}},
                   {"component", ComponentJson(d.root)}};
  if (!d.metadata_properties.empty()) metadata["properties"] = Properties(d.metadata_properties);
  Json components = Json::array(), deps = Json::array();
  for (const auto& c : d.components) components.push_back(ComponentJson(c));
  for (const auto& dep : d.dependencies) deps.push_back({{"ref", dep.ref}, {"dependsOn", dep.depends_on}});
  Json doc = {{"$schema", "http://cyclonedx.org/schema/bom-" + d.spec_version + ".schema.json"},
              {"bomFormat", "CycloneDX"},
              {"specVersion", d.spec_version},
              {"serialNumber", d.serial_number},
              {"version", 1},
              {"metadata", metadata},
              {"components", components},
              {"dependencies", deps}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  if (!out) return InternalErrorf("cyclonedx-json: write failed");
  return {};
}

}  // namespace distill::sbom::cyclonedx
