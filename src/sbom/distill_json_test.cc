#include "sbom/distill_json.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <utility>
#include <variant>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/metadata_fields.h"
#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

std::string Encode(const Sbom& sbom) {
  std::ostringstream out;
  EXPECT_TRUE(distill_json::Encode(sbom, out).ok());
  return out.str();
}

// Calls f(std::type_identity<T>{}) for each metadata type T (every alternative but monostate).
template <class F, size_t... I>
void ForEachMetadataType(F&& fn, std::index_sequence<I...>) {
  (fn(std::type_identity<std::variant_alternative_t<I + 1, catalog::Metadata>>{}), ...);
}
template <class F>
void ForEachMetadataType(F&& fn) {
  ForEachMetadataType(fn, std::make_index_sequence<std::variant_size_v<catalog::Metadata> - 1>{});
}

// Every field of the table set to a value no default has, derived from its key and position.
template <class S, class Table>
S Populated(const Table& table) {
  S s;
  uint64_t n = 1;
  fields::ForEach(table, [&](const auto& field) {
    using Entry = std::remove_cvref_t<decltype(field)>;
    using M = typename Entry::Member;
    if constexpr (fields::kIsOptional<Entry>) {
      s.*field.present = true;
      s.*field.member = static_cast<M>(n);
    } else if constexpr (std::is_same_v<M, std::string>) {
      s.*field.member = std::string(field.key) + " \"value\" é";
    } else if constexpr (std::is_same_v<M, uint64_t>) {
      s.*field.member = (uint64_t{1} << 40) + n;
    } else {
      static_assert(std::is_same_v<M, std::vector<std::string>>,
                    "a kind this test does not populate");
      s.*field.member = {std::string(field.key) + "-1", std::string(field.key) + "-2"};
    }
    ++n;
  });
  return s;
}

// Every field a default-constructed S does not have (so a field the decoder dropped shows here).
template <class S, class Table>
void ExpectNoDefaults(const S& object, const Table& table, const std::string& what) {
  const S empty{};
  fields::ForEach(table, [&](const auto& field) {
    EXPECT_NE(object.*field.member, empty.*field.member) << what << "." << field.key;
    if constexpr (fields::kIsOptional<std::remove_cvref_t<decltype(field)>>) {
      EXPECT_TRUE(object.*field.present) << what << "." << field.key;
    }
  });
}

TEST(DistillJson, EveryTableFieldRoundTrips) {
  Sbom s;
  s.catalog.distro = Populated<catalog::Distro>(catalog::kDistroFields);
  ForEachMetadataType([&]<class T>(std::type_identity<T>) {
    catalog::Package p;
    p.name = catalog::MetadataKind<T>::kName;
    p.type = "t";
    p.metadata = Populated<T>(catalog::MetadataKind<T>::kFields);
    s.catalog.packages.push_back(p);
  });
  std::string bytes = Encode(s);
  auto back = distill_json::Decode(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(Encode(*back), bytes);
  EXPECT_EQ(back->catalog.distro, s.catalog.distro);
  ExpectNoDefaults(back->catalog.distro, catalog::kDistroFields, "distro");
  ASSERT_EQ(back->catalog.packages.size(), std::variant_size_v<catalog::Metadata> - 1);
  ForEachMetadataType([&]<class T>(std::type_identity<T>) {
    auto it = std::find_if(back->catalog.packages.begin(), back->catalog.packages.end(),
                           [](const catalog::Package& package) {
                             return package.name == catalog::MetadataKind<T>::kName;
                           });
    ASSERT_NE(it, back->catalog.packages.end()) << catalog::MetadataKind<T>::kName;
    const T* m = std::get_if<T>(&it->metadata);
    ASSERT_NE(m, nullptr) << catalog::MetadataKind<T>::kName;
    EXPECT_EQ(*m, Populated<T>(catalog::MetadataKind<T>::kFields));
    ExpectNoDefaults(*m, catalog::MetadataKind<T>::kFields, catalog::MetadataKind<T>::kName);
  });
}

// The JSON Schema (doc/formats/distill-json-1.schema.json) requires exactly the tables' keys, in
// their order: a field added to a table and not to the schema (or the reverse) fails here.
TEST(DistillJson, FieldTablesMatchTheSchema) {
  std::ifstream in(std::string(DISTILL_SOURCE_DIR) + "/doc/formats/distill-json-1.schema.json");
  ASSERT_TRUE(in);
  auto schema = nlohmann::json::parse(in);
  // The keys always written (required in the schema); with all = true also those written only when
  // not empty (OmitEmptyField: properties, not required).
  auto keys = [](const auto& table, bool all = false) {
    std::vector<std::string> out;
    fields::ForEach(table, [&out, all](const auto& field) {
      if (all || !fields::kIsOmitEmpty<std::remove_cvref_t<decltype(field)>>)
        out.push_back(field.key);
    });
    return out;
  };
  const nlohmann::json& distro = schema["properties"]["distro"];
  EXPECT_EQ(distro["required"].get<std::vector<std::string>>(), keys(catalog::kDistroFields));
  std::vector<std::string> properties;
  for (const auto& [key, value] : distro["properties"].items()) properties.push_back(key);
  std::vector<std::string> declared = keys(catalog::kDistroFields, true);
  std::sort(properties.begin(), properties.end());
  std::sort(declared.begin(), declared.end());
  EXPECT_EQ(properties, declared);
  ForEachMetadataType([&]<class T>(std::type_identity<T>) {
    const nlohmann::json& def = schema["definitions"][catalog::MetadataKind<T>::kName];
    ASSERT_TRUE(def.is_object()) << catalog::MetadataKind<T>::kName;
    EXPECT_EQ(def["required"].template get<std::vector<std::string>>(),
              keys(catalog::MetadataKind<T>::kFields))
        << catalog::MetadataKind<T>::kName;
    EXPECT_EQ(def["properties"].size(), def["required"].size()) << catalog::MetadataKind<T>::kName;
  });
}

TEST(DistillJson, LosslessRoundTrip) {
  Sbom s = testing::SampleSbom();
  std::string bytes = Encode(s);
  auto back = distill_json::Decode(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(Encode(*back), bytes);
  // Field by field, not only through the encoder.
  ASSERT_EQ(back->catalog.packages.size(), s.catalog.packages.size());
  for (const auto& p : s.catalog.packages) {
    auto it = std::find_if(back->catalog.packages.begin(), back->catalog.packages.end(),
                           [&](const catalog::Package& package) { return package.id() == p.id(); });
    ASSERT_NE(it, back->catalog.packages.end()) << p.id();
    EXPECT_EQ(it->licenses, p.licenses);
    EXPECT_EQ(it->files, p.files);
    EXPECT_EQ(it->depends_on, p.depends_on);
    EXPECT_EQ(it->metadata, p.metadata);
    EXPECT_EQ(it->locations, p.locations);
    EXPECT_EQ(it->source_name, p.source_name);
    EXPECT_EQ(it->source_version, p.source_version);
    EXPECT_EQ(it->cpes, p.cpes);
  }
  EXPECT_EQ(back->created, s.created);
  EXPECT_EQ(back->source.repo_tags, s.source.repo_tags);
  EXPECT_EQ(back->catalog.unknowns.size(), 1u);
}

// The Alpine branch the matcher uses survives the SBOM, so `scan sbom:` matches as `scan IMAGE`.
TEST(DistillJson, ApkBranchRoundTrips) {
  Sbom s;
  s.catalog.distro.id = "alpine", s.catalog.distro.version_id = "3.16.0";
  EXPECT_EQ(Encode(s).find("apkBranch"), std::string::npos);  // absent unless set
  s.catalog.distro.apk_branch = "edge";
  auto back = distill_json::Decode(Encode(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->catalog.distro, s.catalog.distro);
}

TEST(DistillJson, RpmEpochNullVsZero) {
  Sbom s;
  catalog::Package a, b;
  a.name = "a", a.type = "rpm", a.metadata = catalog::RpmMetadata{};
  catalog::RpmMetadata with_epoch;
  with_epoch.has_epoch = true;  // epoch 0, stated
  b.name = "b", b.type = "rpm", b.metadata = with_epoch;
  s.catalog.packages = {a, b};
  auto back = distill_json::Decode(Encode(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->catalog.packages[0].metadata, a.metadata);
  EXPECT_EQ(back->catalog.packages[1].metadata, b.metadata);
}

TEST(DistillJson, DecodeErrorsNameTheField) {
  auto j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  j["packages"][2]["name"] = 7;
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: field .packages[2].name: must be a string");
  j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  j["formatVersion"] = "9";
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: unsupported distill-json version '9'");
  EXPECT_EQ(distill_json::Decode("{").error().message, "distill-json: not valid JSON");
}

TEST(DistillJson, DecodeErrorsNameTheMetadataField) {
  auto j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  ASSERT_EQ(j["packages"][0]["metadataType"], "apk");
  j["packages"][0]["metadata"]["size"] = "12";
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: field .packages[0].metadata.size: must be a non-negative integer");
  j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  j["packages"][1]["metadata"].erase("slices");
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: field .packages[1].metadata.slices: must be present");
  j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  j["packages"][1]["metadataType"] = "deb";
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: field .packages[1].metadataType: must be one of dpkg, apk, rpm, "
            "language or null");
  j = nlohmann::json::parse(Encode(testing::SampleSbom()));
  j["distro"]["idLike"] = nullptr;
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message,
            "distill-json: field .distro.idLike: must be a string");
}

}  // namespace
}  // namespace distill::sbom
