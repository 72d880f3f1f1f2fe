#include "sbom/distill_json.h"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

namespace distill::sbom::distill_json {

namespace {

using Json = nlohmann::ordered_json;
using catalog::Package;

Json LocationJson(const image::Location& l) { return {{"path", l.path}, {"layerDigest", l.layer_digest}}; }

Json MetadataJson(const catalog::Metadata& m) {
  if (auto* d = std::get_if<catalog::DpkgMetadata>(&m)) {
    return {{"maintainer", d->maintainer}, {"status", d->status}, {"installedSizeKiB", d->installed_size_kib},
            {"multiArch", d->multi_arch},   {"preDepends", d->pre_depends}, {"depends", d->depends},
            {"provides", d->provides}};
  }
  if (auto* a = std::get_if<catalog::ApkMetadata>(&m)) {
    return {{"origin", a->origin},     {"maintainer", a->maintainer}, {"url", a->url},
            {"description", a->description}, {"checksum", a->checksum}, {"size", a->size},
            {"installedSize", a->installed_size}, {"depends", a->depends}, {"provides", a->provides}};
  }
  if (auto* r = std::get_if<catalog::RpmMetadata>(&m)) {
    return {{"epoch", r->has_epoch ? Json(r->epoch) : Json(nullptr)}, {"release", r->release},
            {"sourceRpm", r->source_rpm}, {"vendor", r->vendor}, {"requires", r->requires_},
            {"provides", r->provides}};
  }
  if (auto* l = std::get_if<catalog::LanguageMetadata>(&m)) {
    return {{"ecosystemId", l->ecosystem_id}, {"integrity", l->integrity}};
  }
  return nullptr;
}

const char* MetadataType(const catalog::Metadata& m) {
  switch (m.index()) {
    case 1: return "dpkg";
    case 2: return "apk";
    case 3: return "rpm";
    case 4: return "language";
    default: return nullptr;
  }
}

Json PackageJson(const Package& p) {
  Json locations = Json::array(), files = Json::array();
  for (const auto& l : p.locations) locations.push_back(LocationJson(l));
  for (const auto& f : p.files) files.push_back({{"path", f.path}, {"algorithm", f.algorithm}, {"digest", f.digest}});
  const char* mt = MetadataType(p.metadata);
  return {{"id", p.id()},          {"name", p.name},         {"version", p.version},
          {"type", p.type},        {"foundBy", p.found_by},  {"arch", p.arch},
          {"sourceName", p.source_name}, {"sourceVersion", p.source_version},
          {"licenses", p.licenses}, {"purl", p.purl},       {"cpes", p.cpes},
          {"locations", locations}, {"files", files},        {"dependsOn", p.depends_on},
          {"metadataType", mt ? Json(mt) : Json(nullptr)},   {"metadata", MetadataJson(p.metadata)}};
}

Json DocumentJson(const Sbom& s) {
  const auto& c = s.catalog;
  Json packages = Json::array(), relationships = Json::array(), unknowns = Json::array();
  for (const Package* p : SortedPackages(c)) packages.push_back(PackageJson(*p));
  std::vector<const catalog::Relationship*> rels;
  for (const auto& r : c.relationships) rels.push_back(&r);
  std::sort(rels.begin(), rels.end(), [](auto* a, auto* b) {
    return std::tie(a->from, a->to, a->type) < std::tie(b->from, b->to, b->type);
  });
  for (const auto* r : rels) relationships.push_back({{"from", r->from}, {"to", r->to}, {"type", r->type}});
  std::vector<const catalog::Unknown*> unk;
  for (const auto& u : c.unknowns) unk.push_back(&u);
  std::sort(unk.begin(), unk.end(), [](auto* a, auto* b) {
    return std::tie(a->location, a->message) < std::tie(b->location, b->message);
  });
  for (const auto* u : unk) unknowns.push_back({{"location", LocationJson(u->location)}, {"message", u->message}});
  const auto& d = c.distro;
  return {{"format", "distill-json"},
          {"formatVersion", kFormatVersion},
          {"tool", {{"name", s.tool_name}, {"version", s.tool_version}}},
          {"created", FormatTimestamp(s.created)},
          {"source",
           {{"name", s.source.name}, {"type", s.source.type}, {"manifestDigest", s.source.manifest_digest},
            {"configDigest", s.source.config_digest}, {"repoTags", s.source.repo_tags},
            {"platform", s.source.platform}}},
          {"distro",
           {{"id", d.id}, {"versionId", d.version_id}, {"versionCodename", d.version_codename},
            {"prettyName", d.pretty_name}, {"idLike", d.id_like}}},
          {"packages", packages},
          {"relationships", relationships},
          {"unknowns", unknowns}};
}

}  // namespace

Status Encode(const Sbom& sbom, std::ostream& out) {
  out << DocumentJson(sbom).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  if (!out) return InternalErrorf("distill-json: write failed");
  return {};
}

}  // namespace distill::sbom::distill_json
