// Fuzzes the manifest/index/config readers every image source shares (image/manifest.h), without
// the digest checks that keep a mutated manifest or config of an archive from ever being parsed:
// the input is "INDEX\n--\nMANIFEST\n--\nCONFIG" (missing parts are empty), served as the blobs
// ResolveImage asks for. Never crash, never throw (wrong-typed fields are errors).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "image/manifest.h"

using namespace distill::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string parts[3];
  for (int i = 0; i < 3; ++i) {
    auto sep = in.find("\n--\n");
    parts[i] = std::string(in.substr(0, sep));
    in = sep == std::string_view::npos ? std::string_view() : in.substr(sep + 4);
  }
  auto fetch = [&](const Descriptor& d, BlobKind kind) -> distill::Result<std::string> {
    if (kind == BlobKind::kConfig) return parts[2];
    return IsIndexMediaType(d.media_type) ? parts[0] : parts[1];
  };
  Descriptor top;
  top.digest = "sha256:" + std::string(64, 'a');
  for (const char* mt : {"application/vnd.oci.image.index.v1+json",
                         "application/vnd.oci.image.manifest.v1+json", ""}) {
    top.media_type = mt;
    (void)ResolveImage(top, fetch, Platform{"linux", "amd64", ""}, "fuzz");
  }
  // Every part also as a lone descriptor list and a config.
  for (const auto& p : parts) {
    auto j = ParseJsonObject(p, "fuzz");
    if (!j.ok()) continue;
    (void)ParseIndexManifests(*j, "fuzz");
    (void)ParseDescriptor(*j, "fuzz");
    ImageMeta meta;
    meta.layers.resize(1);
    (void)ApplyConfig(&meta, p);
  }
  return 0;
}
