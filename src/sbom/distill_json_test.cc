#include "sbom/distill_json.h"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

std::string Encode(const Sbom& s) {
  std::ostringstream out;
  EXPECT_TRUE(distill_json::Encode(s, out).ok());
  return out.str();
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
                           [&](const catalog::Package& q) { return q.id() == p.id(); });
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
  EXPECT_EQ(distill_json::Decode(j.dump()).error().message, "distill-json: unsupported distill-json version '9'");
  EXPECT_EQ(distill_json::Decode("{").error().message, "distill-json: not valid JSON");
}

}  // namespace
}  // namespace distill::sbom
