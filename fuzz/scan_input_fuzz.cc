// Fuzz target: what `distill scan` reads from users besides images (src/vuln/scan/,
// src/vuln/importers/zip.*): SBOM input (distill-json, CycloneDX, SPDX), .distill-ignore.yaml,
// OpenVEX documents and OSV zip archives. The first byte picks the parser; any input must give a
// value or an error, never a crash, hang or sanitizer report.
// Seeds: fuzz/make_seeds.py (scan_input/).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "vuln/importers/zip.h"
#include "vuln/scan/sbom_input.h"
#include "vuln/scan/suppress.h"

namespace scan = distill::vuln::scan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)scan::CatalogFromSbom(text, "fuzz.json");
      break;
    case 1:
      (void)scan::ParseIgnoreFile(text, ".distill-ignore.yaml");
      break;
    case 2:
      (void)scan::ParseOpenVex(text, "fuzz.vex.json");
      break;
    case 3: {
      static const std::string path =
          "/tmp/distill-scan-input-fuzz-" + std::to_string(::getpid()) + ".zip";
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f) return 0;
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
      (void)distill::vuln::importers::zip::ForEachFile(
          path, 1 << 20, [](std::string_view) { return true; },
          [](std::string_view, std::string_view) -> distill::Status { return {}; });
      // The importer's way: the entries read from one window of the archive (import.cc).
      if (auto archive = distill::vuln::importers::zip::Archive::Open(path); archive.ok()) {
        std::vector<const distill::vuln::importers::zip::Entry*> entries;
        for (const auto& e : (*archive)->entries()) entries.push_back(&e);
        auto window = (*archive)->ReadWindow(entries, 1 << 20);
        std::string buffer;
        std::vector<uint8_t> scratch;
        for (const auto* e : entries)
          (void)(*archive)->ReadPadded(*e, 1 << 20, buffer, scratch, &window);
      }
      break;
    }
  }
  return 0;
}
