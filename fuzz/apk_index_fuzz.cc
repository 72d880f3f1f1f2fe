// Fuzzes the APKINDEX / installed text reader, the world constraint parser and the resolver: the
// first line is a world, the rest an index the world is resolved against.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "imagebuild/apk/index.h"
#include "imagebuild/apk/solver.h"
#include "imagebuild/apk/world.h"

using namespace distill::imagebuild::apk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string_view world_text = nl == std::string_view::npos ? text : text.substr(0, nl);
  std::string_view index_text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
  auto entries = ParseIndex(index_text, "fuzz");
  auto world = ParseDependencies(world_text);
  if (!entries.ok() || !world.ok()) return 0;
  for (const IndexEntry& e : *entries) {
    for (const Dependency& d : e.depends) (void)VersionMatches(d, e.version);
  }
  std::vector<Repository> repos{Repository{"fuzz", "", std::move(*entries)}};
  ResolveOptions options;
  options.arch = "x86_64";
  options.max_steps = 2000;
  (void)Resolve(*world, repos, options);
  return 0;
}
