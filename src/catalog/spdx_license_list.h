// The SPDX License List (ids of licenses and of exceptions), generated: the data behind
// catalog/spdx_list.h's lookups and the SPDX writer's licenseListVersion.
#pragma once

#include <cstddef>

namespace distill::catalog {

extern const char* const kSpdxLicenseListVersion;  // "3.28"
extern const char* const kSpdxLicenseIds[];
extern const size_t kSpdxLicenseIdCount;
extern const char* const kSpdxExceptionIds[];
extern const size_t kSpdxExceptionIdCount;

}  // namespace distill::catalog
