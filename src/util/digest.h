// Content digests as OCI writes them: "sha256:<64 lowercase hex>".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

struct evp_md_ctx_st;

namespace distill {

// Incremental SHA-256 (OpenSSL's EVP, which uses the CPU's SHA extensions when present).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // "sha256:<hex>"; the hasher cannot be updated afterwards.
  std::string digest();

 private:
  evp_md_ctx_st* ctx_;
};

std::string Sha256Digest(std::string_view data);
std::string HexEncode(const unsigned char* p, size_t n);

// Validates "algorithm:hex" as the OCI descriptor spec defines it; only sha256 (and sha512) are
// accepted, with the exact hex length. The hex part can name a file, so this is also a path guard.
Status ValidateDigest(std::string_view digest);
// The hex part of a validated digest.
std::string_view DigestHex(std::string_view digest);
// "sha256:ab12cd34ef56" — short form for messages and tables.
std::string ShortDigest(std::string_view digest);

}  // namespace distill
