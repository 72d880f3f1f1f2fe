#include "cli/common.h"

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

std::string HumanSize(uint64_t b) {
  if (b < 1000) return fmt::format("{} B", b);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double v = static_cast<double>(b);
  int u = -1;
  while (v >= 1000 && u < 3) {
    v /= 1000;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::string FormatTime(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

}  // namespace distill::cli
