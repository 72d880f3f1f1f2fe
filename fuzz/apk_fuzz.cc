// Fuzzes the apk installed-database parser and the apk cataloger (relationships included), and
// the etc/apk/repositories reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/apk/parse_installed.h"
#include "catalog/catalog.h"
#include "catalog/distro/release.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)catalog::apk::ParseInstalled(text);
  (void)catalog::apk::DecodeChecksum(text);
  (void)catalog::apk::SplitLicense(text);
  (void)catalog::distro::ParseApkRepositories(text);  // etc/apk/repositories
  std::vector<image::Entry> entries(4);
  const char* paths[] = {"lib", "lib/apk", "lib/apk/db", "lib/apk/db/installed"};
  for (int i = 0; i < 4; ++i) {
    entries[i].path = paths[i];
    entries[i].type = i < 3 ? image::FileType::kDirectory : image::FileType::kRegular;
  }
  image::FileIndex files(entries, {}, {{"lib/apk/db/installed", text}}, nullptr);
  (void)catalog::CatalogOs(files);
  return 0;
}
