// Fuzz target: the two manifests a copied database arrives with (src/vuln/db/artifact.h,
// bundle.h): a registry's artifact manifest (`db pull`) and an export's manifest.json (`db import
// FILE`). The first byte picks which. Any input must parse or give an error, never a crash or an
// exception (wrong-typed fields are errors); what parses must round-trip: an artifact manifest
// built from the parsed fields parses to the same fields, and so does a rendered manifest.json.
// Build: see osv_fuzz.cc. Seeds: fuzz/make_seeds.py (dbartifact/).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/db/artifact.h"
#include "vuln/db/bundle.h"

using namespace distill::vuln::db;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto a = ParseArtifactManifest(in, "fuzz");
    if (!a.ok()) return 0;
    DbDescription d = a->described;
    d.schema_version = a->layer_schema;
    auto again = ParseArtifactManifest(
        BuildArtifactManifest(d, a->layer_digest, a->layer_size < 0 ? 0 : a->layer_size), "fuzz");
    if (!again.ok() || again->layer_digest != a->layer_digest ||
        again->described.sources_digest != d.sources_digest || again->described.size != d.size)
      std::abort();
  } else {
    auto m = ParseBundleManifest(in, "fuzz");
    if (!m.ok()) return 0;
    auto again = ParseBundleManifest(RenderBundleManifest(*m), "fuzz");
    if (!again.ok() || again->digest != m->digest || again->size != m->size ||
        again->built_at != m->built_at || again->sources_digest != m->sources_digest)
      std::abort();
  }
  return 0;
}
