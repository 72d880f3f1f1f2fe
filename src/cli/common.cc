#include "cli/common.h"
#include "util/heap.h"
#include "util/log.h"
#include "util/units.h"

#include <ctime>

#include <fmt/format.h>

namespace distill::cli {

Result<image::LoadedImage> Load(const std::string& source, const Globals& globals,
                                image::LoadOptions opt) {
  if (!globals.platform.empty()) {
    DISTILL_TRY(opt.platform, image::Platform::Parse(globals.platform));
  }
  opt.registry = RegistryOptions(globals);
  opt.verify_diff_ids = globals.verify_diff_ids;
  if (globals.verify_diff_ids) opt.diff_ids = image::DiffIdCache::Default();
  // What follows the layers (squash, index, catalogers, encoders) allocates a few MB in small
  // pieces on this thread, one page fault per 4 KiB: in huge pages that serial end of a pull takes
  // far fewer faults. Only after the layers: from the start it saves nothing overall (the layer
  // buffers are huge pages of their own) and adds peak RSS (doc/design.md, "Footprint").
  opt.after_layers = [] { heap::BackMainArenaWithHugePages(); };
  if (!globals.from.empty()) {
    DISTILL_TRY(std::string forced, image::WithScheme(globals.from, source));
    return image::LoadImage(forced, opt);
  }
  return image::LoadImage(source, opt);
}

Result<Cataloged> LoadAndCatalog(const std::string& source, const Globals& globals,
                                 const catalog::CatalogOptions& copts) {
  image::LoadOptions opt;
  opt.plan = catalog::CatalogPlan(copts);
  opt.capabilities = false;  // (no cataloger reads xattrs)
  opt.dir_metadata = false;  // (nor the modes, owners or times of directories and symlinks)
  DISTILL_TRY(auto img, Load(source, globals, opt));
  DISTILL_TRY(auto cat, catalog::CatalogImage(img.files, copts));
  for (const auto& u : cat.unknowns) {
    const std::string& layer = u.location.layer_digest;
    log::warn("{}{}: {}", u.location.path,
              layer.empty() ? "" : " (layer " + layer.substr(0, 19) + ")", u.message);
  }
  return Cataloged{std::move(img), std::move(cat)};
}

image::registry::Options RegistryOptions(const Globals& globals) {
  image::registry::Options o;
  o.ca_cert = globals.ca_cert;
  o.insecure_hosts = globals.insecure_registries;
  if (globals.blob_cache) o.cache = BlobCache::Default();
  return o;
}

std::string HumanSize(uint64_t b) { return HumanBytes(b); }

std::string FormatTime(int64_t t) { return UtcTime(t, "%Y-%m-%d %H:%M"); }

}  // namespace distill::cli
