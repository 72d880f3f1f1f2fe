#include "cli/common.h"
#include "util/units.h"

#include <ctime>

#include <fmt/format.h>

namespace distill::cli {

Result<image::LoadedImage> Load(const std::string& source, const Globals& g, image::LoadOptions opt) {
  if (!g.platform.empty()) {
    DISTILL_TRY(opt.platform, image::Platform::Parse(g.platform));
  }
  opt.registry = RegistryOptions(g);
  return image::LoadImage(source, opt);
}

image::registry::Options RegistryOptions(const Globals& g) {
  image::registry::Options o;
  o.ca_cert = g.ca_cert;
  o.insecure_hosts = g.insecure_registries;
  if (g.blob_cache) o.cache = BlobCache::Default();
  return o;
}

std::string HumanSize(uint64_t b) { return HumanBytes(b); }

std::string FormatTime(int64_t t) { return UtcTime(t, "%Y-%m-%d %H:%M"); }

}  // namespace distill::cli
