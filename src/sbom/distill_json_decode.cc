// distill-json decoding: the inverse of Encode (sbom/distill_json.cc), for round trips and for
// commands that read an SBOM instead of an image.
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "catalog/metadata_fields.h"
#include "sbom/distill_json.h"

namespace distill::sbom::distill_json {

namespace {

using Json = nlohmann::json;

// Reads typed fields and remembers the first error with its JSON path ("packages[3].name").
class Reader {
 public:
  std::string Str(const Json& value, const std::string& path, const char* key) {
    const Json* v = Field(value, path, key);
    if (!v) return "";
    if (!v->is_string()) return Fail(path + "." + key, "a string"), "";
    return v->get<std::string>();
  }
  uint64_t U64(const Json& value, const std::string& path, const char* key) {
    const Json* v = Field(value, path, key);
    if (!v) return 0;
    if (!v->is_number_unsigned()) return Fail(path + "." + key, "a non-negative integer"), 0;
    return v->get<uint64_t>();
  }
  std::vector<std::string> Strs(const Json& value, const std::string& path, const char* key) {
    std::vector<std::string> out;
    for (const Json* v : Array(value, path, key)) {
      if (!v->is_string()) return Fail(path + "." + key, "an array of strings"), out;
      out.push_back(v->get<std::string>());
    }
    return out;
  }
  std::vector<const Json*> Array(const Json& value, const std::string& path, const char* key) {
    std::vector<const Json*> out;
    const Json* v = Field(value, path, key);
    if (!v) return out;
    if (!v->is_array()) return Fail(path + "." + key, "an array"), out;
    for (const auto& e : *v) out.push_back(&e);
    return out;
  }
  const Json* Object(const Json& value, const std::string& path, const char* key) {
    const Json* v = Field(value, path, key);
    if (v && !v->is_object()) return Fail(path + "." + key, "an object"), nullptr;
    return v;
  }
  const Json* Field(const Json& value, const std::string& path, const char* key) {
    if (!value.is_object() || !value.contains(key))
      return Fail(path + "." + key, "present"), nullptr;
    return &value[key];
  }
  void Fail(const std::string& path, const char* want) {
    if (error.empty()) error = "field " + path + ": must be " + want;
  }
  std::string error;
};

image::Location ReadLocation(Reader& reader, const Json& value, const std::string& path) {
  return {reader.Str(value, path, "path"), reader.Str(value, path, "layerDigest")};
}

// One field of a field table (catalog::kDpkgFields, ...), by the kind its member is.
template <class S, class Entry>
void ReadField(Reader& reader, const Json& json, const std::string& path, S& object,
               const Entry& field) {
  using M = typename Entry::Member;
  M& v = object.*field.member;
  if constexpr (fields::kIsOptional<Entry>) {
    const Json* value = reader.Field(json, path, field.key);
    if (value && !value->is_null()) {
      object.*field.present = true;
      v = static_cast<M>(reader.U64(json, path, field.key));
    }
  } else if constexpr (fields::kIsOmitEmpty<Entry>) {
    if (json.contains(field.key)) v = reader.Str(json, path, field.key);
  } else if constexpr (std::is_same_v<M, std::string>) {
    v = reader.Str(json, path, field.key);
  } else if constexpr (std::is_same_v<M, uint64_t>) {
    v = reader.U64(json, path, field.key);
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    v = reader.Strs(json, path, field.key);
  } else {
    static_assert(sizeof(M) == 0, "distill-json: no decoding for this field's type");
  }
}

// object's fields, as its table lists them, from the object value at path.
template <class S, class Table>
void ReadObject(Reader& reader, const Json& value, const std::string& path, S& object,
                const Table& table) {
  fields::ForEach(table, [&](const auto& field) { ReadField(reader, value, path, object, field); });
}

// The metadata alternative named `type` (catalog::MetadataKind<T>::kName), read from `value` by its
// field table; false when no alternative has that name.
template <size_t I = 1>
bool ReadMetadataAs(Reader& reader, const std::string& type, const Json& value,
                    const std::string& path, catalog::Metadata& out) {
  if constexpr (I == std::variant_size_v<catalog::Metadata>) {
    return false;
  } else {
    using T = std::variant_alternative_t<I, catalog::Metadata>;
    if (type != catalog::MetadataKind<T>::kName)
      return ReadMetadataAs<I + 1>(reader, type, value, path, out);
    T v;
    ReadObject(reader, value, path, v, catalog::MetadataKind<T>::kFields);
    out = std::move(v);
    return true;
  }
}

// "dpkg, apk, rpm, language": the names ReadMetadataAs knows.
template <size_t I = 1>
std::string MetadataNames() {
  if constexpr (I == std::variant_size_v<catalog::Metadata>) {
    return "";
  } else {
    using T = std::variant_alternative_t<I, catalog::Metadata>;
    std::string rest = MetadataNames<I + 1>();
    return catalog::MetadataKind<T>::kName + (rest.empty() ? "" : ", " + rest);
  }
}

catalog::Metadata ReadMetadata(Reader& reader, const Json& package, const std::string& path) {
  const Json* type = reader.Field(package, path, "metadataType");
  const Json* m = reader.Field(package, path, "metadata");
  if (!type || !m || type->is_null()) return std::monostate{};
  std::string t = type->is_string() ? type->get<std::string>() : "";
  catalog::Metadata out;
  if (ReadMetadataAs(reader, t, *m, path + ".metadata", out)) return out;
  static const std::string kWant = "one of " + MetadataNames() + " or null";
  reader.Fail(path + ".metadataType", kWant.c_str());
  return std::monostate{};
}

catalog::Package ReadPackage(Reader& reader, const Json& package, const std::string& path) {
  catalog::Package p;
  p.name = reader.Str(package, path, "name");
  p.version = reader.Str(package, path, "version");
  p.type = reader.Str(package, path, "type");
  p.found_by = reader.Str(package, path, "foundBy");
  p.arch = reader.Str(package, path, "arch");
  p.source_name = reader.Str(package, path, "sourceName");
  p.source_version = reader.Str(package, path, "sourceVersion");
  p.licenses = reader.Strs(package, path, "licenses");
  p.purl = reader.Str(package, path, "purl");
  p.cpes = reader.Strs(package, path, "cpes");
  int i = 0;
  for (const Json* l : reader.Array(package, path, "locations"))
    p.locations.push_back(
        ReadLocation(reader, *l, path + ".locations[" + std::to_string(i++) + "]"));
  i = 0;
  for (const Json* f : reader.Array(package, path, "files")) {
    std::string fp = path + ".files[" + std::to_string(i++) + "]";
    p.files.push_back({reader.Str(*f, fp, "path"), reader.Str(*f, fp, "algorithm"),
                       reader.Str(*f, fp, "digest")});
  }
  p.depends_on = reader.Strs(package, path, "dependsOn");
  p.metadata = ReadMetadata(reader, package, path);
  return p;
}

void ReadCatalog(Reader& reader, const Json& doc, catalog::Catalog& cat) {
  if (const Json* d = reader.Object(doc, "", "distro"))
    ReadObject(reader, *d, ".distro", cat.distro, catalog::kDistroFields);
  int i = 0;
  for (const Json* p : reader.Array(doc, "", "packages"))
    cat.packages.push_back(ReadPackage(reader, *p, ".packages[" + std::to_string(i++) + "]"));
  i = 0;
  for (const Json* x : reader.Array(doc, "", "relationships")) {
    std::string path = ".relationships[" + std::to_string(i++) + "]";
    cat.relationships.push_back(
        {reader.Str(*x, path, "from"), reader.Str(*x, path, "to"), reader.Str(*x, path, "type")});
  }
  i = 0;
  for (const Json* u : reader.Array(doc, "", "unknowns")) {
    std::string path = ".unknowns[" + std::to_string(i++) + "]";
    const Json* loc = reader.Object(*u, path, "location");
    cat.unknowns.push_back(
        {loc ? ReadLocation(reader, *loc, path + ".location") : image::Location{},
         reader.Str(*u, path, "message")});
  }
}

Result<int64_t> ParseTimestamp(const std::string& ts) {
  struct tm tm {};
  int y, mo, d, h, mi, s;
  char z = 0;
  if (sscanf(ts.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
      z != 'Z') {
    return Errorf("field .created: '{}' is not a UTC timestamp (YYYY-MM-DDThh:mm:ssZ)", ts);
  }
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi,
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

Result<Sbom> Decode(std::string_view json_text) {
  Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Errorf("distill-json: not valid JSON");
  Reader r;
  if (r.Str(doc, "", "format") != "distill-json")
    return Errorf("distill-json: field .format: must be \"distill-json\"");
  std::string version = r.Str(doc, "", "formatVersion");
  if (version != kFormatVersion)
    return Errorf("distill-json: unsupported distill-json version '{}'", version);
  Sbom s;
  if (const Json* tool = r.Object(doc, "", "tool")) {
    s.tool_name = r.Str(*tool, ".tool", "name");
    s.tool_version = r.Str(*tool, ".tool", "version");
  }
  DISTILL_TRY(s.created, ParseTimestamp(r.Str(doc, "", "created")));
  if (const Json* src = r.Object(doc, "", "source")) {
    s.source = {r.Str(*src, ".source", "name"),           r.Str(*src, ".source", "type"),
                r.Str(*src, ".source", "manifestDigest"), r.Str(*src, ".source", "configDigest"),
                r.Strs(*src, ".source", "repoTags"),      r.Str(*src, ".source", "platform")};
  }
  ReadCatalog(r, doc, s.catalog);
  if (!r.error.empty()) return Errorf("distill-json: {}", r.error);
  return s;
}

}  // namespace distill::sbom::distill_json
