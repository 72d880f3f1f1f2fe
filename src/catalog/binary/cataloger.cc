#include "catalog/binary/cataloger.h"

#include "catalog/binary/classifier.h"
#include "catalog/binary/elf.h"
#include "catalog/golang/cataloger.h"
#include "catalog/language.h"
#include "catalog/rust/cataloger.h"
#include "util/glob.h"

namespace distill::catalog::binary {

namespace {

constexpr uint64_t kMinBinaryBytes = 64;  // shorter files are scripts' stubs, never binaries

bool Executable(const image::Entry& e) { return e.is_regular_like() && (e.mode & 0111) != 0; }

}  // namespace

std::vector<std::string> Globs() { return {"**/libpython*.so*"}; }

bool WantsContents(const image::Entry& e) {
  return Executable(e) && e.size >= kMinBinaryBytes && e.size <= kMaxBinaryBytes;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  GlobSet libs(Globs());
  for (const image::Entry& e : files.entries()) {
    bool lib = libs.Matches(e.path);
    if (!(Executable(e) || (lib && e.is_regular_like())) || e.size < kMinBinaryBytes) continue;
    if (e.size > kMaxBinaryBytes) {  // the same bound for dir: sources, which could read it
      out.unknowns.push_back({files.LocationOf(e), "executable larger than the read limit, not classified"});
      continue;
    }
    if (!files.HasCaptured(e.path) && !IsDirSource(files)) continue;
    auto bytes = files.Contents(e.path);
    if (!bytes.ok()) continue;
    std::string_view data = *bytes;
    image::Location where = files.LocationOf(e);
    if (elf::IsElf(data)) {
      auto go = golang::PackagesOfBinary(data, where);
      if (!go.ok()) out.unknowns.push_back({where, go.error().message});
      if (go.ok() && !go->empty()) {
        for (Package& p : *go) {
          p.files.push_back({e.path, "", ""});
          out.packages.push_back(std::move(p));
        }
        continue;
      }
      auto rs = rust::PackagesOfBinary(data, where);
      if (!rs.ok()) out.unknowns.push_back({where, rs.error().message});
      if (rs.ok() && !rs->empty()) {
        for (Package& p : *rs) {
          p.files.push_back({e.path, "", ""});
          out.packages.push_back(std::move(p));
        }
        continue;
      }
    }
    Package p;
    if (ClassifyFile(e.path, data, where, &p)) {
      p.files.push_back({e.path, "", ""});
      out.packages.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace distill::catalog::binary
