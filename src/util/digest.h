// Content digests as OCI writes them: "sha256:<64 lowercase hex>".
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill {

// Incremental SHA-256 with libcrypto's low-level SHA256_* (the same assembly, SHA extensions when
// the CPU has them). Not EVP: OpenSSL 3's EVP initializes its provider machinery on first use,
// which costs peak RSS and start-up time in every process (doc/design.md, "Footprint") for a hash
// we can call directly.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t n);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // "sha256:<hex>"; the hasher cannot be updated afterwards.
  std::string digest();
  // The 32 raw bytes; the hasher cannot be updated afterwards.
  std::array<unsigned char, 32> raw();

 private:
  alignas(8) unsigned char state_[112];  // SHA256_CTX (size checked in digest.cc)
};

std::string Sha256Digest(std::string_view data);
// SHA-1 of the concatenation of parts (name-based UUIDs need it, and APK v2, whose identities,
// RSA signatures and per-file checksums are SHA-1: imagebuild/apk).
std::array<unsigned char, 20> Sha1Raw(std::initializer_list<std::string_view> parts);
std::string HexEncode(const unsigned char* bytes, size_t n);

// Validates "algorithm:hex" as the OCI descriptor spec defines it; only sha256 (and sha512) are
// accepted, with the exact hex length. The hex part can name a file, so this is also a path guard.
Status ValidateDigest(std::string_view digest);
// True for exactly 64 lowercase hex digits (a sha256 in hex, as caches and lock files name it).
bool IsSha256Hex(std::string_view hex);
// The hex part of a validated digest.
std::string_view DigestHex(std::string_view digest);
// "sha256:ab12cd34ef56" — short form for messages and tables.
std::string ShortDigest(std::string_view digest);

}  // namespace distill
