#include "sbom/content_id.h"

#include <fmt/format.h>

#include "sbom/distill_json.h"
#include "sbom/uuid.h"

namespace distill::sbom {

std::string ContentUuid(const Sbom& sbom, std::string_view format, std::string_view version) {
  std::string name = fmt::format("{}@{}\n{}\n{}", format, version, sbom.source.manifest_digest,
                                 distill_json::Sha256Of(sbom));
  return UuidV5(kDistillUuidNamespace, name);
}

}  // namespace distill::sbom
