// The CycloneDX document model (https://cyclonedx.org/docs/1.6/json/), 1.6 by default and 1.5 on
// request, built from an Sbom by ToDocument and written by WriteJson (json_writer.cc) or WriteXml
// (xml_writer.cc).
//   metadata.component: the image (type container; "file" for a dir: source)
//   components: the OS (type operating-system) and every package (type library, with purl, cpe,
//     licenses and distill:* properties for what CycloneDX has no field for: source package,
//     cataloger, locations)
//   dependencies: image → OS → its OS packages, image → other packages, package → its dependencies
//     (every component listed, with an empty dependsOn when it has none, as the spec asks).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sbom/license.h"
#include "sbom/sbom.h"
#include "util/result.h"

namespace distill::sbom::cyclonedx {

struct Property {
  std::string name, value;
};

struct Hash {
  std::string alg;  // "SHA-256"
  std::string content;
};

// Either a list of licenses (each an SPDX id or a name) or exactly one expression (the schema's
// licenseChoice is one or the other).
struct Licenses {
  std::vector<License> list;  // kind kId or kName
  std::string expression;
};

struct Component {
  std::string bom_ref, type, name, version, publisher, description, purl, cpe;
  Licenses licenses;
  std::vector<Hash> hashes;
  std::vector<Property> properties;
};

struct Dependency {
  std::string ref;
  std::vector<std::string> depends_on;
};

struct Document {
  std::string spec_version;   // "1.6", "1.5"
  std::string serial_number;  // "urn:uuid:..."
  std::string timestamp;
  std::string tool_name, tool_version;
  Component root;
  std::vector<Property> metadata_properties;
  std::vector<Component> components;
  std::vector<Dependency> dependencies;
};

Status CheckVersion(std::string_view version);
Result<Document> ToDocument(const Sbom& sbom, std::string_view version);
Status WriteJson(const Document& doc, std::ostream& out);
// CycloneDX XML (schema/bom-1.6.xsd, bom-1.5.xsd), the same document.
Status WriteXml(const Document& doc, std::ostream& out);

// A package's licenses as CycloneDX must hold them (see Licenses).
Licenses ToLicenses(const std::vector<std::string>& raw);

}  // namespace distill::sbom::cyclonedx
