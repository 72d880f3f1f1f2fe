// The SPDX License List (ids of licenses and of exceptions), for telling an SPDX id from a name.
#pragma once

#include <cstddef>

namespace distill::sbom {

extern const char* const kSpdxLicenseListVersion;  // "3.28"
extern const char* const kSpdxLicenseIds[];
extern const size_t kSpdxLicenseIdCount;
extern const char* const kSpdxExceptionIds[];
extern const size_t kSpdxExceptionIdCount;

}  // namespace distill::sbom
