// Fuzzes the apt client's parsers: the input is read as a Packages index (then indexed and
// resolved), a Release file, a clearsigned InRelease, relationship fields, and both sources
// formats.
#include <cstddef>
#include <cstdint>
#include <string>

#include "imagebuild/deb/apt/apt.h"
#include "imagebuild/deb/apt/packages.h"
#include "imagebuild/deb/apt/relation.h"
#include "imagebuild/deb/apt/release.h"
#include "imagebuild/deb/apt/sources.h"

using namespace distill;
using namespace distill::imagebuild::apt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto pkgs = ParsePackages(text, {"file:/r", "s"});
  if (pkgs.ok() && !pkgs->empty()) {
    std::string first = (*pkgs)[0].ref.name;
    Index idx = Index::From(std::move(*pkgs));
    (void)Resolve(idx, {first}, {});
    (void)idx.CloseMatches(first.substr(0, 64));
  }
  auto rel = ParseRelease(text);
  if (rel.ok()) (void)CheckReleaseFor(*rel, "bookworm", true, 0);
  (void)ClearsignedText(text);
  (void)ParseRelations(text, "amd64");
  (void)ParseDeb822Sources(text, "fuzz.sources");
  (void)ParseOneLineSources(text, "fuzz.list");
  return 0;
}
