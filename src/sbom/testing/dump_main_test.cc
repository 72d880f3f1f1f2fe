// Writes every encoder's output of the sample to $DISTILL_DUMP_DIR (a manual aid; skipped unless set).
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "sbom/formats.h"
#include "sbom/testing/sample_sbom.h"

namespace distill::sbom {
namespace {

TEST(SbomDump, WritesSampleOutputs) {
  const char* dir = std::getenv("DISTILL_DUMP_DIR");
  if (!dir) GTEST_SKIP() << "set DISTILL_DUMP_DIR to write the sample outputs";
  for (const Encoder& e : Encoders()) {
    for (std::string_view v : e.versions.empty() ? std::vector<std::string_view>{""} : e.versions) {
      auto bytes = EncodeToString(testing::SampleSbom(), {&e, std::string(v), ""});
      ASSERT_TRUE(bytes.ok());
      std::ofstream(std::string(dir) + "/" + std::string(e.id) + (v.empty() ? "" : "@" + std::string(v))) << *bytes;
    }
  }
}

}  // namespace
}  // namespace distill::sbom
