// Real peer comparison: trivy's OS analyzers (the trivy-cdxgen build that get-peers.sh
// installs; set DISTILL_PEERS to its directory) on the same rootfs. The deb package sets and
// purls must be equal; license differences are printed (see README.md for who is right).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/catalog.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog {
namespace {

namespace fs = std::filesystem;

// Our deb purl in trivy's form, for the two documented differences (README.md): trivy writes no
// upstream qualifier, and moves the epoch out of the version into an epoch= qualifier.
std::string AsTrivyWrites(std::string purl) {
  if (size_t up = purl.find("&upstream="); up != std::string::npos)
    purl.erase(up, purl.find('&', up + 1) - up);
  size_t at = purl.find('@'), colon = purl.find(':', at);
  size_t q = purl.find('?');
  if (colon != std::string::npos && colon < q) {
    std::string epoch = purl.substr(at + 1, colon - at - 1);
    purl.erase(at + 1, colon - at);
    purl += "&epoch=" + epoch;  // sorts after arch= and distro=, as trivy writes it
  }
  return purl;
}

TEST(RealTrivyPeer, DebPackagesAndPurlsEqual) {
  const char* peers = std::getenv("DISTILL_PEERS");
  const char* images = std::getenv("DISTILL_TEST_IMAGES");
  std::string root = std::string(images && *images ? images : "/var/cache/distill/test-images") +
                     "/rootfs-pyflask";
  if (!peers || !fs::exists(std::string(peers) + "/trivy-cdxgen") || !fs::exists(root))
    GTEST_SKIP() << "set DISTILL_PEERS to the get-peers.sh directory and make the test images";
  std::string out = ::testing::TempDir() + "/trivy.cdx.json";
  std::string cmd =
      std::string(peers) + "/trivy-cdxgen rootfs --output " + out + " " + root + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto text = ReadFile(out);
  ASSERT_TRUE(text.ok());
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  std::map<std::string, std::pair<std::string, std::set<std::string>>>
      trivy;  // name -> purl, licenses
  for (const auto& c : doc["components"]) {
    std::string purl = c.value("purl", "");
    if (!purl.starts_with("pkg:deb/")) continue;
    std::set<std::string> lic;
    for (const auto& l : c.value("licenses", nlohmann::json::array())) {
      const auto& x = l["license"];
      lic.insert(x.contains("id") ? x["id"].get<std::string>() : "name:" + x.value("name", ""));
    }
    trivy[c["name"].get<std::string>()] = {purl, lic};
  }
  image::ContentPlan plan;
  plan.globs = CatalogGlobs();
  auto cat = CatalogOs(testing::IndexFromDir(root, plan));
  ASSERT_TRUE(cat.ok());
  std::map<std::string, std::pair<std::string, std::set<std::string>>> ours;
  for (const Package& p : cat->packages)
    ours[p.name] = {p.purl, {p.licenses.begin(), p.licenses.end()}};
  std::set<std::string> trivy_names, our_names;
  for (auto& [n, v] : trivy) trivy_names.insert(n);
  for (auto& [n, v] : ours) our_names.insert(n);
  EXPECT_EQ(our_names, trivy_names);
  int same = 0;
  for (auto& [name, v] : ours) {
    auto it = trivy.find(name);
    if (it == trivy.end()) continue;
    EXPECT_EQ(AsTrivyWrites(v.first), it->second.first) << name;
    if (v.second == it->second.second) {
      ++same;
      continue;
    }
    std::string a, b;
    for (auto& l : v.second) a += l + " ";
    for (auto& l : it->second.second) b += l + " ";
    std::printf("licenses %-28s ours: %-50s trivy: %s\n", name.c_str(), a.c_str(), b.c_str());
  }
  std::printf("%d of %zu packages with identical license sets\n", same, ours.size());
}

}  // namespace
}  // namespace distill::catalog
