// Fuzzes the dpkg parsers: the input is a status file, an md5sums file, a .list and a copyright
// file at once, and the whole dpkg cataloger over a file view holding it as status and status.d.
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/catalog.h"
#include "catalog/dpkg/parse_status.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<Error> errors;
  for (const auto& p : catalog::dpkg::ParseControl(text, &errors)) {
    auto e = catalog::dpkg::EntryFromParagraph(p);
    if (e.ok())
      (void)catalog::dpkg::IsInstalled(e->meta.status, catalog::dpkg::Database::kStatusFile);
    if (e.ok()) (void)catalog::dpkg::CheckVersion(*e);
  }
  (void)catalog::dpkg::ParseMd5sums(text);
  (void)catalog::dpkg::ParseList(text);
  (void)catalog::dpkg::ParseCopyright(text);
  (void)catalog::dpkg::DependencyNames(text);

  std::vector<image::Entry> entries(6);
  const char* paths[] = {"var",
                         "var/lib",
                         "var/lib/dpkg",
                         "var/lib/dpkg/status.d",
                         "var/lib/dpkg/status",
                         "var/lib/dpkg/status.d/pkg"};
  for (int i = 0; i < 6; ++i) {
    entries[i].path = paths[i];
    entries[i].type = i < 4 ? image::FileType::kDirectory : image::FileType::kRegular;
  }
  image::FileIndex files(entries, {"sha256:fuzz"},
                         {{"var/lib/dpkg/status", text}, {"var/lib/dpkg/status.d/pkg", text}},
                         nullptr);
  (void)catalog::CatalogOs(files);
  return 0;
}
