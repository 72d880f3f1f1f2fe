// Sbom → CycloneDX document (convert; json_writer.cc serializes).
#include "sbom/cyclonedx/model.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sbom/content_id.h"

namespace distill::sbom::cyclonedx {

namespace {

bool IsOsPackageType(const std::string& type) {
  return type == "deb" || type == "apk" || type == "rpm";
}

std::string PackageRef(const catalog::Package& package) {
  return fmt::format("pkg-{}-{}-{}", SanitizeId(package.type), SanitizeId(package.name),
                     ShortHash(PackageKey(package)));
}

std::string Publisher(const catalog::Package& package) {
  if (auto* d = std::get_if<catalog::DpkgMetadata>(&package.metadata)) return d->maintainer;
  if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata)) return a->maintainer;
  if (auto* r = std::get_if<catalog::RpmMetadata>(&package.metadata)) return r->vendor;
  return "";
}

Component PackageComponent(const catalog::Package& package) {
  Component c;
  c.bom_ref = PackageRef(package);
  c.type = "library";
  c.name = package.name;
  c.version = package.version;
  c.publisher = Publisher(package);
  if (auto* a = std::get_if<catalog::ApkMetadata>(&package.metadata))
    c.description = a->description;
  c.purl = package.purl;
  if (!package.cpes.empty()) c.cpe = package.cpes.front();
  c.licenses = ToLicenses(package.licenses);
  auto prop = [&](std::string name, const std::string& value) {
    if (!value.empty()) c.properties.push_back({std::move(name), value});
  };
  prop("distill:package:type", package.type);
  prop("distill:package:foundBy", package.found_by);
  prop("distill:package:arch", package.arch);
  prop("distill:package:sourceName", package.source_name);
  prop("distill:package:sourceVersion", package.source_version);
  for (size_t i = 1; i < package.cpes.size(); ++i) prop("distill:cpe23", package.cpes[i]);
  for (size_t i = 0; i < package.locations.size(); ++i) {
    prop(fmt::format("distill:location:{}:path", i), "/" + package.locations[i].path);
    prop(fmt::format("distill:location:{}:layerDigest", i), package.locations[i].layer_digest);
  }
  return c;
}

Component RootComponent(const SourceInfo& src) {
  Component c;
  bool dir = src.type == "dir";
  c.bom_ref = (dir ? "directory-" : "image-") + ShortHash(src.name + "\n" + src.manifest_digest);
  c.type = dir ? "file" : "container";
  c.name = src.name.empty() ? "unknown" : src.name;
  c.version = src.manifest_digest;
  c.purl = ImagePurl(src);
  if (src.manifest_digest.starts_with("sha256:"))
    c.hashes.push_back({"SHA-256", src.manifest_digest.substr(7)});
  auto prop = [&](std::string name, const std::string& value) {
    if (!value.empty()) c.properties.push_back({std::move(name), value});
  };
  prop("distill:image:sourceType", src.type);
  prop("distill:image:configDigest", src.config_digest);
  prop("distill:image:platform", src.platform);
  for (const auto& tag : src.repo_tags) prop("distill:image:repoTag", tag);
  return c;
}

Component OsComponent(const catalog::Distro& distro) {
  Component c;
  c.bom_ref = "os-" + SanitizeId(distro.id + "-" + distro.version_id);
  c.type = "operating-system";
  c.name = distro.id;
  c.version = distro.version_id;
  c.description = distro.pretty_name;
  if (!distro.version_codename.empty())
    c.properties.push_back({"distill:distro:versionCodename", distro.version_codename});
  if (!distro.id_like.empty()) c.properties.push_back({"distill:distro:idLike", distro.id_like});
  return c;
}

}  // namespace

Licenses ToLicenses(const std::vector<std::string>& raw) {
  Licenses out;
  std::vector<License> all;
  bool expression = false;
  for (const auto& r : raw) {
    License l = ClassifyLicense(r);
    if (l.value.empty() || std::find(all.begin(), all.end(), l) != all.end()) continue;
    expression |= l.kind == License::Kind::kExpression;
    all.push_back(std::move(l));
  }
  if (expression)
    out.expression = JoinedExpression(all);
  else
    out.list = std::move(all);
  return out;
}

Status CheckVersion(std::string_view version) {
  if (version != "1.6" && version != "1.5") {
    return Errorf("unsupported CycloneDX version '{}' (supported: 1.6, 1.5)", version);
  }
  return {};
}

Result<Document> ToDocument(const Sbom& sbom, std::string_view version) {
  DISTILL_TRY_VOID(CheckVersion(version));
  Document d;
  d.spec_version = std::string(version);
  d.serial_number = "urn:uuid:" + ContentUuid(sbom, "cyclonedx", version);
  d.timestamp = FormatTimestamp(sbom.created);
  d.tool_name = sbom.tool_name;
  d.tool_version = sbom.tool_version;
  d.root = RootComponent(sbom.source);
  std::vector<std::string> root_deps, os_deps;
  bool has_os = !sbom.catalog.distro.empty();
  if (has_os) {
    d.components.push_back(OsComponent(sbom.catalog.distro));
    root_deps.push_back(d.components.back().bom_ref);
  }
  std::map<std::string, std::string> refs;  // PackageKey → bom-ref
  auto packages = UniquePackages(sbom.catalog);
  for (const auto* p : packages) refs[PackageKey(*p)] = PackageRef(*p);
  auto graph = DependencyGraph(sbom.catalog);
  std::vector<Dependency> deps;
  for (const auto* p : packages) {
    d.components.push_back(PackageComponent(*p));
    (has_os && IsOsPackageType(p->type) ? os_deps : root_deps).push_back(refs[PackageKey(*p)]);
    Dependency dep{refs[PackageKey(*p)], {}};
    for (const auto& to : graph[PackageKey(*p)]) dep.depends_on.push_back(refs[to]);
    std::sort(dep.depends_on.begin(), dep.depends_on.end());
    dep.depends_on.erase(std::unique(dep.depends_on.begin(), dep.depends_on.end()),
                         dep.depends_on.end());
    deps.push_back(std::move(dep));
  }
  std::sort(root_deps.begin(), root_deps.end());
  std::sort(os_deps.begin(), os_deps.end());
  deps.push_back({d.root.bom_ref, root_deps});
  if (has_os) deps.push_back({d.components.front().bom_ref, os_deps});
  std::sort(deps.begin(), deps.end(), [](const auto& a, const auto& b) { return a.ref < b.ref; });
  d.dependencies = std::move(deps);
  std::vector<const catalog::Unknown*> unknowns;
  for (const auto& u : sbom.catalog.unknowns) unknowns.push_back(&u);
  std::sort(unknowns.begin(), unknowns.end(), [](auto* a, auto* b) {
    return std::tie(a->location, a->message) < std::tie(b->location, b->message);
  });
  for (size_t i = 0; i < unknowns.size(); ++i) {
    d.metadata_properties.push_back(
        {fmt::format("distill:unknown:{}:path", i), "/" + unknowns[i]->location.path});
    if (!unknowns[i]->location.layer_digest.empty()) {
      d.metadata_properties.push_back(
          {fmt::format("distill:unknown:{}:layerDigest", i), unknowns[i]->location.layer_digest});
    }
    d.metadata_properties.push_back(
        {fmt::format("distill:unknown:{}:message", i), unknowns[i]->message});
  }
  return d;
}

}  // namespace distill::sbom::cyclonedx
