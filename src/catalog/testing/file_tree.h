// Test helpers: FileIndex values built in memory from a directory on disk, a txtar archive, or
// a path -> contents map. Compiled into distill_test only.
#pragma once

#include <map>
#include <string>

#include "image/file_index.h"

namespace distill::catalog::testing {

// The fixture root: DISTILL_SOURCE_DIR/tests/fixtures/sbom.
std::string FixtureDir();
// Every entry under root (files captured, symlinks kept as links, directories listed).
image::FileIndex IndexFromDir(const std::string& root);
// The same walk capturing only the files `plan` wants, as the image reader does.
image::FileIndex IndexFromDir(const std::string& root, const image::ContentPlan& plan);
// "-- path --" sections of a txtar archive (https://pkg.go.dev/golang.org/x/tools/txtar).
image::FileIndex IndexFromTxtar(const std::string& archive);
// Regular files with these contents (parent directories added), in layer 0 "sha256:test".
image::FileIndex IndexFromFiles(const std::map<std::string, std::string>& files);

}  // namespace distill::catalog::testing
