// The registry credential of a scan request (`registry.authorization`, e.g. "Basic <b64>") must
// reach a worker in another process, so it is stored in the job's row until the job ends. With a
// server key it is sealed with AES-256-GCM (OpenSSL), bound to the job's id so a sealed value
// copied to another row does not open; without one it is stored as is (and still erased).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::serve {

inline constexpr size_t kCredentialKeySize = 32;

// nonce(12) || ciphertext || tag(16). `key` is kCredentialKeySize bytes.
Result<std::string> SealCredential(std::string_view key, std::string_view job_id,
                                   std::string_view plaintext);
// The error never contains the credential.
Result<std::string> OpenCredential(std::string_view key, std::string_view job_id,
                                   std::string_view sealed);

// 16 random bytes as a UUID v4 ("0f1e…-…"), for job and request ids.
std::string RandomUuid();

}  // namespace distill::serve
