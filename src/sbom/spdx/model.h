// The SPDX 2.3 document model (https://spdx.github.io/spdx-spec/v2.3/), built from an Sbom by
// ToDocument and written by WriteJson (json_writer.cc). The shape follows syft's spdxhelpers:
//   DOCUMENT DESCRIBES image; image CONTAINS the OS and every package; package DEPENDS_ON package;
//   package CONTAINS file (each owned file whose database records a digest); the catalog's other
//   package relationships as CONTAINS ("contains") and OTHER ("owns": files claimed by both).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sbom/sbom.h"
#include "util/result.h"

namespace distill::sbom::spdx {

struct Checksum {
  std::string algorithm;  // "SHA256", "MD5", ...
  std::string value;      // lowercase hex
};

struct ExternalRef {
  std::string category;  // "SECURITY", "PACKAGE-MANAGER"
  std::string type;      // "cpe23Type", "purl"
  std::string locator;
};

struct Package {
  std::string spdx_id, name, version;
  std::string supplier = "NOASSERTION";
  std::string download_location = "NOASSERTION";
  std::string source_info;
  std::string license_concluded = "NOASSERTION";
  std::string license_declared = "NOASSERTION";
  std::string copyright = "NOASSERTION";
  std::string purpose;  // primaryPackagePurpose, "" when not known
  std::string description;
  std::vector<Checksum> checksums;
  std::vector<ExternalRef> external_refs;
};

struct File {
  std::string spdx_id, name;  // name: "/usr/bin/ls"
  std::vector<Checksum> checksums;
};

struct Relationship {
  std::string element, type, related;
  std::string comment = "";  // optional
};

struct ExtractedLicense {
  std::string id;    // "LicenseRef-..."
  std::string name;  // the name as the package wrote it, also the extracted text
};

struct Document {
  std::string version = "SPDX-2.3";
  std::string name, namespace_, created;
  std::vector<std::string> creators;
  std::string license_list_version;
  std::string comment = "";  // optional
  std::vector<Package> packages;
  std::vector<File> files;
  std::vector<ExtractedLicense> extracted_licenses;
  std::vector<Relationship> relationships;
};

// The versions this encoder writes ("2.3").
Status CheckVersion(std::string_view version);
Result<Document> ToDocument(const Sbom& sbom, std::string_view version);
Status WriteJson(const Document& doc, std::ostream& out);
Status WriteTagValue(const Document& doc, std::ostream& out);

}  // namespace distill::sbom::spdx
