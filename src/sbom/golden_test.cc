// Golden snapshots of every encoder's output for the sample Sbom (src/sbom/testing/sample_sbom.cc).
// Nothing needs redacting: the output is deterministic by design (fixed `created`, content-derived
// ids). After an intended change, regenerate and review the diff:
//   DISTILL_UPDATE_GOLDEN=1 ./build/distill_test --gtest_filter='SbomGolden*'
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "sbom/formats.h"
#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

TEST(SbomGolden, EveryEncoderMatchesItsSnapshot) {
  const bool update = std::getenv("DISTILL_UPDATE_GOLDEN") != nullptr;
  const std::string dir = std::string(DISTILL_SOURCE_DIR) + "/src/sbom/testdata/";
  for (const Encoder& e : Encoders()) {
    for (std::string_view v : e.versions.empty() ? std::vector<std::string_view>{""} : e.versions) {
      std::string name =
          "sample." + std::string(e.id) + (v.empty() ? "" : "@" + std::string(v)) + ".golden";
      SCOPED_TRACE(name);
      auto bytes = EncodeToString(testing::SampleSbom(), {&e, std::string(v), ""});
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      if (update) {
        std::ofstream(dir + name, std::ios::binary) << *bytes;
        continue;
      }
      std::ifstream in(dir + name, std::ios::binary);
      ASSERT_TRUE(in) << "missing " << dir + name << " (run with DISTILL_UPDATE_GOLDEN=1)";
      std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(*bytes, want)
          << "regenerate with DISTILL_UPDATE_GOLDEN=1 if the change is intended";
    }
  }
}

}  // namespace
}  // namespace distill::sbom
