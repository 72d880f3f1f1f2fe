#include "vuln/scan/sbom_input.h"

#include <initializer_list>

#include <nlohmann/json.hpp>

#include "catalog/purl.h"
#include "sbom/distill_json.h"

namespace distill::vuln::scan {

namespace {

using Json = nlohmann::json;

std::string Str(const Json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : "";
}

// A CycloneDX component's property, by any of the tools' names ("" when absent).
std::string Property(const Json& component, std::initializer_list<std::string_view> names) {
  auto ps = component.find("properties");
  if (ps == component.end() || !ps->is_array()) return "";
  for (const auto& p : *ps)
    for (std::string_view n : names)
      if (p.is_object() && Str(p, "name") == n) return Str(p, "value");
  return "";
}

std::string Unslash(std::string p) { return p.starts_with('/') ? p.substr(1) : p; }

// Fills what the purl says and the package does not: type, source package (`upstream`
// qualifier, "src" or "src@version"), and the distro (`distro` qualifier: "debian-12",
// trivy's apk "3.16", ...; catalog::DistroFromQualifier).
Status FromPurl(const std::string& where, catalog::Package& package, catalog::Distro& distro) {
  auto purl = catalog::ParsePurlLenient(package.purl);
  if (!purl.ok()) return std::move(purl).error().wrap(where + ": purl");
  package.type = purl->type;
  if (package.name.empty()) package.name = purl->name;
  if (package.version.empty()) package.version = purl->version;
  if (auto up = purl->qualifiers.find("upstream");
      package.source_name.empty() && up != purl->qualifiers.end()) {
    std::string_view u = up->second;
    size_t at = u.find('@');
    package.source_name = std::string(u.substr(0, at));
    if (at != std::string_view::npos) package.source_version = std::string(u.substr(at + 1));
  }
  if (auto d = purl->qualifiers.find("distro"); distro.empty() && d != purl->qualifiers.end())
    distro = catalog::DistroFromQualifier(d->second, purl->namespace_);
  return {};
}

void Tidy(catalog::Package& package) {
  if (package.source_name == package.name) package.source_name.clear();
  if (package.source_version == package.version) package.source_version.clear();
}

Result<catalog::Catalog> FromCycloneDx(const Json& doc, const std::string& path) {
  catalog::Catalog cat;
  if (!doc.contains("components")) return cat;
  if (!doc["components"].is_array()) return Errorf("{}: components: not an array", path);
  size_t i = 0;
  for (const auto& c : doc["components"]) {
    std::string where = fmt::format("{}: components[{}]", path, i++);
    if (!c.is_object()) return Errorf("{}: not an object", where);
    if (Str(c, "type") == "operating-system") {
      cat.distro.id = Str(c, "name"), cat.distro.version_id = Str(c, "version");
      cat.distro.version_codename = Property(c, {"distill:distro:versionCodename"});
      continue;
    }
    catalog::Package p;
    p.purl = Str(c, "purl");
    if (p.purl.empty()) continue;
    p.name = Str(c, "name"), p.version = Str(c, "version");
    p.source_name = Property(c, {"distill:package:sourceName", "aquasecurity:trivy:SrcName"});
    p.source_version =
        Property(c, {"distill:package:sourceVersion", "aquasecurity:trivy:SrcVersion"});
    DISTILL_TRY_VOID(FromPurl(where, p, cat.distro));
    std::string loc = Property(
        c, {"distill:location:0:path", "syft:location:0:path", "aquasecurity:trivy:FilePath"});
    if (!loc.empty()) p.locations.push_back({Unslash(loc), ""});
    Tidy(p);
    cat.packages.push_back(std::move(p));
  }
  return cat;
}

// "…; built from source package bash 5.2.15-2" (distill), "built package from: bash 5.2.15-2"
// (trivy): the source name and version.
void SourceFromInfo(std::string_view info, catalog::Package& package) {
  for (std::string_view marker : {"built from source package ", "built package from: "}) {
    size_t at = info.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = info.substr(at + marker.size());
    rest = rest.substr(0, rest.find(';'));
    size_t space = rest.find(' ');
    if (package.source_name.empty()) package.source_name = std::string(rest.substr(0, space));
    if (space != std::string_view::npos && package.source_version.empty())
      package.source_version = std::string(rest.substr(space + 1));
    return;
  }
}

// "acquired package info from DPKG DB: /var/lib/dpkg/status" (syft, distill): the first path.
std::string LocationFromInfo(std::string_view info) {
  size_t at = info.find(": /");
  if (at == std::string_view::npos) return "";
  std::string_view rest = info.substr(at + 3);
  return std::string(rest.substr(0, rest.find_first_of(",;")));
}

Result<catalog::Catalog> FromSpdx(const Json& doc, const std::string& path) {
  catalog::Catalog cat;
  if (!doc.contains("packages")) return cat;
  if (!doc["packages"].is_array()) return Errorf("{}: packages: not an array", path);
  size_t i = 0;
  for (const auto& s : doc["packages"]) {
    std::string where = fmt::format("{}: packages[{}]", path, i++);
    if (!s.is_object()) return Errorf("{}: not an object", where);
    std::string purpose = Str(s, "primaryPackagePurpose");
    if (purpose == "OPERATING_SYSTEM" || purpose == "OPERATING-SYSTEM") {
      cat.distro.id = Str(s, "name"), cat.distro.version_id = Str(s, "versionInfo");
      continue;
    }
    catalog::Package p;
    if (auto refs = s.find("externalRefs"); refs != s.end() && refs->is_array())
      for (const auto& r : *refs)
        if (r.is_object() && Str(r, "referenceType") == "purl") {
          p.purl = Str(r, "referenceLocator");
          break;
        }
    if (p.purl.empty() || p.purl.starts_with("pkg:oci/") || p.purl.starts_with("pkg:docker/"))
      continue;
    p.name = Str(s, "name"), p.version = Str(s, "versionInfo");
    std::string info = Str(s, "sourceInfo");
    SourceFromInfo(info, p);
    DISTILL_TRY_VOID(FromPurl(where, p, cat.distro));
    if (std::string loc = LocationFromInfo(info); !loc.empty())
      p.locations.push_back({Unslash(loc), ""});
    Tidy(p);
    cat.packages.push_back(std::move(p));
  }
  return cat;
}

}  // namespace

Result<catalog::Catalog> CatalogFromSbom(std::string_view text, const std::string& path) {
  auto doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Errorf("{}: not a JSON SBOM (distill-json, CycloneDX JSON or SPDX 2.3 JSON)", path);
  if (Str(doc, "bomFormat") == "CycloneDX") return FromCycloneDx(doc, path);
  if (Str(doc, "spdxVersion").starts_with("SPDX-2.")) return FromSpdx(doc, path);
  auto sb = sbom::distill_json::Decode(text);
  if (!sb.ok()) return std::move(sb).error().wrap(path + " (distill-json)");
  return std::move(sb->catalog);
}

}  // namespace distill::vuln::scan
