#include "catalog/testing/expected.h"

#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::testing {

nlohmann::json Expected(std::string_view fixture) {
  static const nlohmann::json kAll =
      nlohmann::json::parse(ReadFile(FixtureDir() + "/vectors/EXPECTED.json").value());
  for (const auto& e : kAll)
    if (e["fixture"] == fixture) return e["expected"];
  return nullptr;
}

}  // namespace distill::catalog::testing
