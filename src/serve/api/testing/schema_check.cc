#include "serve/api/testing/schema_check.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/shell.h"

namespace distill::serve::testing {

namespace {

namespace fs = std::filesystem;

std::string Check(const std::string& command_prefix, const std::vector<std::string>& documents) {
  static std::atomic<int> counter{0};
  fs::path dir =
      fs::path(::testing::TempDir()) /
      ("distill-serve-schema-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  std::string cmd = command_prefix;
  for (size_t i = 0; i < documents.size(); ++i) {
    fs::path file = dir / (std::to_string(i) + ".json");
    std::ofstream(file, std::ios::binary) << documents[i];
    cmd += " '" + file.string() + "'";
  }
  distill::testing::Ran ran = distill::testing::Run(cmd);
  fs::remove_all(dir);
  if (ran.rc == 0) return "";
  return ran.out + ran.err + "(exit " + std::to_string(ran.rc) + ")";
}

}  // namespace

std::string Python() {
  return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

std::string HarborSchemaErrors(const std::string& component,
                               const std::vector<std::string>& documents) {
  return Check(Python() + " '" + DISTILL_SOURCE_DIR + "/src/testing/harbor_schema.py' " + component,
               documents);
}

std::string SbomSchemaErrors(const std::string& schema, const std::vector<std::string>& documents) {
  return Check(Python() + " '" + DISTILL_SOURCE_DIR + "/tests/fixtures/schemas/validate.py' '" +
                   schema + "'",
               documents);
}

}  // namespace distill::serve::testing
