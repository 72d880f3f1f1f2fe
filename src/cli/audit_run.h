// Loading an image and auditing it, shared by `audit` and `compare`.
#pragma once

#include <string>
#include <vector>

#include "audit/audit.h"
#include "catalog/package.h"
#include "cli/app.h"
#include "image/image.h"

namespace distill::cli {

struct AuditedImage {
  image::LoadedImage image;
  catalog::Catalog catalog;
  audit::Report report;
};

// Reads the image once (catalog globs + audit globs + extra_globs kept; the rest streamed past
// the content scan), catalogs its OS packages and runs the audit.
Result<AuditedImage> LoadAndAudit(const std::string& target, const Globals& globals,
                                  const audit::Policy& policy,
                                  const std::vector<std::string>& extra_globs = {});

}  // namespace distill::cli
