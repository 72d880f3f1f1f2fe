#include "sbom/distill_json.h"

#include <algorithm>
#include <tuple>

#include "sbom/json_out.h"
#include "util/digest.h"

namespace distill::sbom::distill_json {

namespace {

using catalog::Package;

void WriteLocation(JsonOut& j, const image::Location& l) {
  j.BeginObject();
  j.Field("path", l.path);
  j.Field("layerDigest", l.layer_digest);
  j.EndObject();
}

void WriteMetadata(JsonOut& j, const catalog::Metadata& m) {
  if (auto* d = std::get_if<catalog::DpkgMetadata>(&m)) {
    j.BeginObject();
    j.Field("maintainer", d->maintainer);
    j.Field("status", d->status);
    j.FieldUInt("installedSizeKiB", d->installed_size_kib);
    j.Field("multiArch", d->multi_arch);
    j.FieldStrings("preDepends", d->pre_depends);
    j.FieldStrings("depends", d->depends);
    j.FieldStrings("provides", d->provides);
    j.FieldStrings("licenseNames", d->license_names);
    j.Field("archiveSha256", d->archive_sha256);
    j.FieldStrings("slices", d->slices);
    j.EndObject();
  } else if (auto* a = std::get_if<catalog::ApkMetadata>(&m)) {
    j.BeginObject();
    j.Field("origin", a->origin);
    j.Field("maintainer", a->maintainer);
    j.Field("url", a->url);
    j.Field("description", a->description);
    j.Field("checksum", a->checksum);
    j.Field("gitCommit", a->git_commit);
    j.FieldUInt("size", a->size);
    j.FieldUInt("installedSize", a->installed_size);
    j.FieldStrings("depends", a->depends);
    j.FieldStrings("provides", a->provides);
    j.EndObject();
  } else if (auto* r = std::get_if<catalog::RpmMetadata>(&m)) {
    j.BeginObject();
    j.Key("epoch");
    if (r->has_epoch) j.UInt(r->epoch);
    else j.Null();
    j.Field("release", r->release);
    j.Field("sourceRpm", r->source_rpm);
    j.Field("vendor", r->vendor);
    j.Field("modularityLabel", r->modularity_label);
    j.FieldStrings("requires", r->requires_);
    j.FieldStrings("provides", r->provides);
    j.EndObject();
  } else if (auto* l = std::get_if<catalog::LanguageMetadata>(&m)) {
    j.BeginObject();
    j.Field("ecosystemId", l->ecosystem_id);
    j.Field("integrity", l->integrity);
    j.EndObject();
  } else {
    j.Null();
  }
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

void WritePackage(JsonOut& j, const Package& p) {
  j.BeginObject();
  j.Field("id", p.id());
  j.Field("name", p.name);
  j.Field("version", p.version);
  j.Field("type", p.type);
  j.Field("foundBy", p.found_by);
  j.Field("arch", p.arch);
  j.Field("sourceName", p.source_name);
  j.Field("sourceVersion", p.source_version);
  j.FieldStrings("licenses", p.licenses);
  j.Field("purl", p.purl);
  j.FieldStrings("cpes", p.cpes);
  j.Key("locations");
  j.BeginArray();
  for (const auto& l : p.locations) WriteLocation(j, l);
  j.EndArray();
  j.Key("files");
  j.BeginArray();
  for (const auto& f : p.files) {
    j.BeginObject();
    j.Field("path", f.path);
    j.Field("algorithm", f.algorithm);
    j.Field("digest", f.digest);
    j.EndObject();
  }
  j.EndArray();
  j.FieldStrings("dependsOn", p.depends_on);
  j.Key("metadataType");
  if (const char* mt = MetadataType(p.metadata)) j.String(mt);
  else j.Null();
  j.Key("metadata");
  WriteMetadata(j, p.metadata);
  j.EndObject();
}

void WriteSource(JsonOut& j, const SourceInfo& src) {
  j.Key("source");
  j.BeginObject();
  j.Field("name", src.name);
  j.Field("type", src.type);
  j.Field("manifestDigest", src.manifest_digest);
  j.Field("configDigest", src.config_digest);
  j.FieldStrings("repoTags", src.repo_tags);
  j.Field("platform", src.platform);
  j.EndObject();
}

void WriteDistro(JsonOut& j, const catalog::Distro& d) {
  j.Key("distro");
  j.BeginObject();
  j.Field("id", d.id);
  j.Field("versionId", d.version_id);
  j.Field("versionCodename", d.version_codename);
  j.Field("prettyName", d.pretty_name);
  j.Field("idLike", d.id_like);
  j.Field("version", d.version);
  j.Field("buildId", d.build_id);
  j.Field("variantId", d.variant_id);
  j.Field("cpeName", d.cpe_name);
  if (!d.apk_branch.empty()) j.Field("apkBranch", d.apk_branch);  // only when it differs from versionId
  j.EndObject();
}

void WriteGraph(JsonOut& j, const catalog::Catalog& c) {
  std::vector<const catalog::Relationship*> rels;
  for (const auto& r : c.relationships) rels.push_back(&r);
  std::sort(rels.begin(), rels.end(), [](auto* a, auto* b) {
    return std::tie(a->from, a->to, a->type) < std::tie(b->from, b->to, b->type);
  });
  j.Key("relationships");
  j.BeginArray();
  for (const auto* r : rels) {
    j.BeginObject();
    j.Field("from", r->from);
    j.Field("to", r->to);
    j.Field("type", r->type);
    j.EndObject();
  }
  j.EndArray();
  std::vector<const catalog::Unknown*> unknowns;
  for (const auto& u : c.unknowns) unknowns.push_back(&u);
  std::sort(unknowns.begin(), unknowns.end(), [](auto* a, auto* b) {
    return std::tie(a->location, a->message) < std::tie(b->location, b->message);
  });
  j.Key("unknowns");
  j.BeginArray();
  for (const auto* u : unknowns) {
    j.BeginObject();
    j.Key("location");
    WriteLocation(j, u->location);
    j.Field("message", u->message);
    j.EndObject();
  }
  j.EndArray();
}

}  // namespace

namespace {
void WriteDocument(JsonOut& j, const Sbom& s) {
  j.BeginObject();
  j.Field("format", "distill-json");
  j.Field("formatVersion", kFormatVersion);
  j.Key("tool");
  j.BeginObject();
  j.Field("name", s.tool_name);
  j.Field("version", s.tool_version);
  j.EndObject();
  j.Field("created", FormatTimestamp(s.created));
  WriteSource(j, s.source);
  WriteDistro(j, s.catalog.distro);
  j.Key("packages");
  j.BeginArray();
  for (const Package* p : SortedPackages(s.catalog)) WritePackage(j, *p);
  j.EndArray();
  WriteGraph(j, s.catalog);
  j.EndObject();
}
}  // namespace

std::string EncodeString(const Sbom& s) {
  JsonOut j(2);
  WriteDocument(j, s);
  std::string out = j.take();
  out += '\n';
  return out;
}

std::string Sha256Of(const Sbom& s) {
  Sha256 h;
  JsonOut j(2, [&h](std::string_view chunk) { h.update(chunk); });
  WriteDocument(j, s);
  j.Flush();
  h.update("\n");
  return h.digest();
}

Status Encode(const Sbom& sbom, std::ostream& out) {
  JsonOut j(2, [&out](std::string_view chunk) { out.write(chunk.data(), chunk.size()); });
  WriteDocument(j, sbom);
  j.Flush();
  out << '\n';
  if (!out) return InternalErrorf("distill-json: write failed");
  return {};
}

}  // namespace distill::sbom::distill_json
