// Name-based UUIDs (RFC 9562 §5.5, version 5: SHA-1 of namespace + name), so that document ids are
// a function of the content and never random.
#pragma once

#include <string>
#include <string_view>

namespace distill::sbom {

// The namespace of every id distill derives: UUIDv5(RFC 9562 URL namespace, "distill:sbom").
extern const char* const kDistillUuidNamespace;

// "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" (lowercase); namespace_uuid must be a canonical UUID.
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);

}  // namespace distill::sbom
