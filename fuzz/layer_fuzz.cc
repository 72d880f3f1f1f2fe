// Fuzzes the layer reader and the squash step: arbitrary bytes as a layer blob (gzip, zstd or
// plain tar, sniffed), with every file captured and small limits. Must never crash or hang.
#include <cstddef>
#include <cstdint>

#include "image/layer_reader.h"
#include "image/squash.h"

using namespace distill::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ContentPlan plan;
  plan.globs = {"**"};
  plan.max_file_bytes = 1 << 20;
  LayerLimits limits;
  limits.max_tar_bytes = 16 << 20;
  limits.max_entries = 10000;
  limits.max_captured_bytes = 4 << 20;
  auto r = ReadLayer(
      std::make_unique<StringReader>(std::string(reinterpret_cast<const char*>(data), size)), plan,
      {.limits = limits});
  if (!r.ok()) return 0;
  std::vector<LayerData> layers;
  layers.push_back(std::move(*r));
  auto s = Squash(layers, false);
  if (!s.ok()) return 0;
  FileIndex idx(std::move(s->entries), {"sha256:00"}, std::move(s->contents), nullptr);
  for (const auto& e : idx.entries()) {
    (void)idx.Resolve(e.path);
    (void)idx.Contents(e.path);
  }
  return 0;
}
