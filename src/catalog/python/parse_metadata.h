// Python core metadata (https://packaging.python.org/en/latest/specifications/core-metadata/):
// METADATA / PKG-INFO headers, RECORD rows, and PEP 503 name normalization.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"
#include "util/result.h"

namespace distill::catalog::python {

struct CoreMetadata {
  std::string name, version, license, license_expression;
  std::vector<std::string>
      license_classifiers;  // "BSD License" from "License :: OSI Approved :: BSD License"
  std::vector<std::string> requires_dist, provides_extra;
  std::string requires_python;
};

// Email-style headers up to the first blank line; continuation lines (leading space/tab) are
// joined to the previous field. A line that is neither is an error naming the line.
Result<CoreMetadata> ParseCoreMetadata(std::string_view text);

// RECORD (CSV: path,sha256=<urlsafe base64>,size), paths resolved against `base` (the
// site-packages directory). Rows that climb above the root are skipped.
std::vector<OwnedFile> ParseRecord(std::string_view text, std::string_view base);

// PEP 503: lowercase, runs of '-', '_', '.' become one '-'.
std::string NormalizeName(std::string_view name);

// The licenses syft reports: License-Expression, else License (unless UNKNOWN/empty), else the
// classifiers' last segments.
std::vector<std::string> Licenses(const CoreMetadata& metadata);

}  // namespace distill::catalog::python
