#include "sbom/distill_json.h"

#include <algorithm>
#include <tuple>
#include <type_traits>
#include <variant>

#include "catalog/metadata_fields.h"
#include "sbom/json_out.h"
#include "util/digest.h"

namespace distill::sbom::distill_json {

namespace {

using catalog::Package;

void WriteLocation(JsonOut& json, const image::Location& location) {
  json.BeginObject();
  json.Field("path", location.path);
  json.Field("layerDigest", location.layer_digest);
  json.EndObject();
}

// One field of a field table (catalog::kDpkgFields, ...), by the kind its member is.
template <class S, class Entry>
void WriteField(JsonOut& json, const S& object, const Entry& field) {
  using M = typename Entry::Member;
  const M& v = object.*field.member;
  if constexpr (fields::kIsOptional<Entry>) {
    json.Key(field.key);
    if (object.*field.present)
      json.UInt(v);
    else
      json.Null();
  } else if constexpr (fields::kIsOmitEmpty<Entry>) {
    if (!v.empty()) json.Field(field.key, v);
  } else if constexpr (std::is_same_v<M, std::string>) {
    json.Field(field.key, v);
  } else if constexpr (std::is_same_v<M, uint64_t>) {
    json.FieldUInt(field.key, v);
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    json.FieldStrings(field.key, v);
  } else {
    static_assert(sizeof(M) == 0, "distill-json: no encoding for this field's type");
  }
}

// The fields of object that its table lists, as a JSON object.
template <class S, class Table>
void WriteObject(JsonOut& json, const S& object, const Table& table) {
  json.BeginObject();
  fields::ForEach(table, [&](const auto& field) { WriteField(json, object, field); });
  json.EndObject();
}

void WriteMetadata(JsonOut& json, const catalog::Metadata& metadata) {
  std::visit(
      [&json]<class T>(const T& value) {
        if constexpr (std::is_same_v<T, std::monostate>) {
          json.Null();
        } else {
          WriteObject(json, value, catalog::MetadataKind<T>::kFields);
        }
      },
      metadata);
}

const char* MetadataType(const catalog::Metadata& metadata) {
  return std::visit(
      []<class T>(const T&) -> const char* {
        if constexpr (std::is_same_v<T, std::monostate>)
          return nullptr;
        else
          return catalog::MetadataKind<T>::kName;
      },
      metadata);
}

void WritePackage(JsonOut& json, const Package& package) {
  json.BeginObject();
  json.Field("id", package.id());
  json.Field("name", package.name);
  json.Field("version", package.version);
  json.Field("type", package.type);
  json.Field("foundBy", package.found_by);
  json.Field("arch", package.arch);
  json.Field("sourceName", package.source_name);
  json.Field("sourceVersion", package.source_version);
  json.FieldStrings("licenses", package.licenses);
  json.Field("purl", package.purl);
  json.FieldStrings("cpes", package.cpes);
  json.Key("locations");
  json.BeginArray();
  for (const auto& l : package.locations) WriteLocation(json, l);
  json.EndArray();
  json.Key("files");
  json.BeginArray();
  for (const auto& f : package.files) {
    json.BeginObject();
    json.Field("path", f.path);
    json.Field("algorithm", f.algorithm);
    json.Field("digest", f.digest);
    json.EndObject();
  }
  json.EndArray();
  json.FieldStrings("dependsOn", package.depends_on);
  json.Key("metadataType");
  if (const char* mt = MetadataType(package.metadata))
    json.String(mt);
  else
    json.Null();
  json.Key("metadata");
  WriteMetadata(json, package.metadata);
  json.EndObject();
}

void WriteSource(JsonOut& json, const SourceInfo& src) {
  json.Key("source");
  json.BeginObject();
  json.Field("name", src.name);
  json.Field("type", src.type);
  json.Field("manifestDigest", src.manifest_digest);
  json.Field("configDigest", src.config_digest);
  json.FieldStrings("repoTags", src.repo_tags);
  json.Field("platform", src.platform);
  json.EndObject();
}

void WriteDistro(JsonOut& json, const catalog::Distro& distro) {
  json.Key("distro");
  WriteObject(json, distro, catalog::kDistroFields);
}

void WriteGraph(JsonOut& json, const catalog::Catalog& cat) {
  std::vector<const catalog::Relationship*> rels;
  for (const auto& r : cat.relationships) rels.push_back(&r);
  std::sort(rels.begin(), rels.end(), [](auto* a, auto* b) {
    return std::tie(a->from, a->to, a->type) < std::tie(b->from, b->to, b->type);
  });
  json.Key("relationships");
  json.BeginArray();
  for (const auto* r : rels) {
    json.BeginObject();
    json.Field("from", r->from);
    json.Field("to", r->to);
    json.Field("type", r->type);
    json.EndObject();
  }
  json.EndArray();
  std::vector<const catalog::Unknown*> unknowns;
  for (const auto& u : cat.unknowns) unknowns.push_back(&u);
  std::sort(unknowns.begin(), unknowns.end(), [](auto* a, auto* b) {
    return std::tie(a->location, a->message) < std::tie(b->location, b->message);
  });
  json.Key("unknowns");
  json.BeginArray();
  for (const auto* u : unknowns) {
    json.BeginObject();
    json.Key("location");
    WriteLocation(json, u->location);
    json.Field("message", u->message);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace

namespace {
void WriteDocument(JsonOut& json, const Sbom& sbom) {
  json.BeginObject();
  json.Field("format", "distill-json");
  json.Field("formatVersion", kFormatVersion);
  json.Key("tool");
  json.BeginObject();
  json.Field("name", sbom.tool_name);
  json.Field("version", sbom.tool_version);
  json.EndObject();
  json.Field("created", FormatTimestamp(sbom.created));
  WriteSource(json, sbom.source);
  WriteDistro(json, sbom.catalog.distro);
  json.Key("packages");
  json.BeginArray();
  for (const Package* p : SortedPackages(sbom.catalog)) WritePackage(json, *p);
  json.EndArray();
  WriteGraph(json, sbom.catalog);
  json.EndObject();
}
}  // namespace

std::string EncodeString(const Sbom& sbom) {
  JsonOut j(2);
  WriteDocument(j, sbom);
  std::string out = j.take();
  out += '\n';
  return out;
}

std::string Sha256Of(const Sbom& sbom) {
  Sha256 h;
  JsonOut j(2, [&h](std::string_view chunk) { h.update(chunk); });
  WriteDocument(j, sbom);
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
