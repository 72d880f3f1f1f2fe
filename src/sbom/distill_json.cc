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

void WriteLocation(JsonOut& j, const image::Location& l) {
  j.BeginObject();
  j.Field("path", l.path);
  j.Field("layerDigest", l.layer_digest);
  j.EndObject();
}

// One field of a field table (catalog::kDpkgFields, ...), by the kind its member is.
template <class S, class Entry>
void WriteField(JsonOut& j, const S& s, const Entry& f) {
  using M = typename Entry::Member;
  const M& v = s.*f.member;
  if constexpr (fields::kIsOptional<Entry>) {
    j.Key(f.key);
    if (s.*f.present) j.UInt(v);
    else j.Null();
  } else if constexpr (fields::kIsOmitEmpty<Entry>) {
    if (!v.empty()) j.Field(f.key, v);
  } else if constexpr (std::is_same_v<M, std::string>) {
    j.Field(f.key, v);
  } else if constexpr (std::is_same_v<M, uint64_t>) {
    j.FieldUInt(f.key, v);
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    j.FieldStrings(f.key, v);
  } else {
    static_assert(sizeof(M) == 0, "distill-json: no encoding for this field's type");
  }
}

// s as an object of the fields its table lists.
template <class S, class Table>
void WriteObject(JsonOut& j, const S& s, const Table& table) {
  j.BeginObject();
  fields::ForEach(table, [&](const auto& f) { WriteField(j, s, f); });
  j.EndObject();
}

void WriteMetadata(JsonOut& j, const catalog::Metadata& m) {
  std::visit(
      [&j]<class T>(const T& v) {
        if constexpr (std::is_same_v<T, std::monostate>) {
          j.Null();
        } else {
          WriteObject(j, v, catalog::MetadataKind<T>::kFields);
        }
      },
      m);
}

const char* MetadataType(const catalog::Metadata& m) {
  return std::visit(
      []<class T>(const T&) -> const char* {
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else return catalog::MetadataKind<T>::kName;
      },
      m);
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
  WriteObject(j, d, catalog::kDistroFields);
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
