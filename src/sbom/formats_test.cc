#include "sbom/formats.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

TEST(OutputSpec, FormatVersionAndFile) {
  auto s = ParseOutputSpec("cyclonedx-json@1.5=out/bom.json");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->encoder->id, "cyclonedx-json");
  EXPECT_EQ(s->version, "1.5");
  EXPECT_EQ(s->path, "out/bom.json");
}

TEST(OutputSpec, DefaultsToTheFirstVersionAndStdout) {
  auto s = ParseOutputSpec("cyclonedx-json");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->version, "1.6");
  EXPECT_EQ(s->path, "");
  auto dash = ParseOutputSpec("spdx-json=-");
  ASSERT_TRUE(dash.ok());
  EXPECT_EQ(dash->version, "2.3");
  EXPECT_EQ(dash->path, "");
}

TEST(OutputSpec, ErrorsNameTheBadPart) {
  EXPECT_EQ(ParseOutputSpec("spdx-json@2.1").error().message,
            "unsupported SPDX version '2.1' (supported: 2.3)");
  EXPECT_EQ(ParseOutputSpec("cyclonedx-json@1.4=x.json").error().message,
            "unsupported CycloneDX version '1.4' (supported: 1.6, 1.5)");
  EXPECT_EQ(ParseOutputSpec("xml").error().message,
            "unknown output format 'xml' (available: table, spdx-json, spdx-tag-value, "
            "cyclonedx-json, cyclonedx-xml, distill-json)");
  EXPECT_EQ(ParseOutputSpec("table@2").error().message,
            "output format 'table' has no versions (got '@2')");
  EXPECT_EQ(ParseOutputSpec("spdx-json=").error().message,
            "output 'spdx-json=': empty file name after '='");
}

TEST(OutputSpec, OnlyOneToStdout) {
  EXPECT_EQ(ParseOutputSpecs({"table", "spdx-json"}).error().message,
            "only one output may go to stdout; give the others a file: -o FORMAT=FILE");
  auto ok = ParseOutputSpecs({"table", "spdx-json=a.json", "cyclonedx-json@1.5=b.json"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 3u);
  auto def = ParseOutputSpecs({});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->front().encoder->id, "table");
}

TEST(Encoders, EveryEncoderIsDeterministic) {
  Sbom s = testing::SampleSbom();
  for (const Encoder& e : Encoders()) {
    for (std::string_view v : e.versions.empty() ? std::vector<std::string_view>{""} : e.versions) {
      OutputSpec spec{&e, std::string(v), ""};
      auto a = EncodeToString(s, spec);
      ASSERT_TRUE(a.ok()) << e.id << ": " << a.error().message;
      // A copy with the packages in reverse catalog order encodes to the same bytes.
      Sbom shuffled = s;
      std::reverse(shuffled.catalog.packages.begin(), shuffled.catalog.packages.end());
      auto b = EncodeToString(shuffled, spec);
      ASSERT_TRUE(b.ok());
      EXPECT_EQ(*a, *b) << e.id << "@" << v;
      EXPECT_FALSE(a->empty());
    }
  }
}

TEST(Encoders, WriteOutputsWritesFilesAndStdout) {
  Sbom s = testing::SampleSbom();
  std::string dir = ::testing::TempDir();
  auto specs = ParseOutputSpecs({"table", "distill-json=" + dir + "/sbom-formats-test.json"});
  ASSERT_TRUE(specs.ok());
  std::ostringstream out;
  ASSERT_TRUE(WriteOutputs(s, *specs, out).ok());
  EXPECT_TRUE(out.str().starts_with("NAME "));
  auto bytes = EncodeToString(s, (*specs)[1]);
  std::ifstream in(dir + "/sbom-formats-test.json");
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(file, *bytes);
}

// syft's -o names (syft/format/encoders.go): its aliases of formats we write are the same format;
// its own formats get the exact equivalent named.
TEST(OutputSpec, SyftNamesAreAcceptedOrAnswered) {
  for (auto [syft, ours] :
       std::vector<std::pair<std::string, std::string>>{{"spdx", "spdx-tag-value"},
                                                        {"spdx-tv", "spdx-tag-value"},
                                                        {"cyclonedx", "cyclonedx-xml"},
                                                        {"syft-table", "table"}}) {
    auto spec = ParseOutputSpec(syft + "=out");
    ASSERT_TRUE(spec.ok()) << syft;
    EXPECT_EQ(spec->encoder->id, ours) << syft;
    EXPECT_EQ(spec->path, "out");
  }
  EXPECT_EQ(ParseOutputSpec("cyclonedx@1.5")->version, "1.5");
  EXPECT_EQ(ParseOutputSpec("json").error().message,
            "output format 'json' is syft's own JSON schema; distill's lossless JSON is "
            "distill-json (or use spdx-json / "
            "cyclonedx-json) (available: table, spdx-json, spdx-tag-value, cyclonedx-json, "
            "cyclonedx-xml, distill-json)");
  EXPECT_NE(ParseOutputSpec("syft-json").error().message.find("distill-json"), std::string::npos);
  EXPECT_NE(ParseOutputSpec("github-json").error().message.find("spdx-json"), std::string::npos);
}

}  // namespace
}  // namespace distill::sbom
