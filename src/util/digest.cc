#include "util/digest.h"

// The low-level API is deprecated in OpenSSL 3 in favour of EVP, but it is kept, exact and fast;
// see digest.h for why we avoid EVP here.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace distill {

static_assert(sizeof(SHA256_CTX) <= 112 && alignof(SHA256_CTX) <= 8);
#define DISTILL_SHA256_CTX reinterpret_cast<SHA256_CTX*>(state_)

Sha256::Sha256() { SHA256_Init(DISTILL_SHA256_CTX); }
void Sha256::update(const void* data, size_t n) { SHA256_Update(DISTILL_SHA256_CTX, data, n); }

std::array<unsigned char, 32> Sha256::raw() {
  std::array<unsigned char, 32> md;
  SHA256_Final(md.data(), DISTILL_SHA256_CTX);
  return md;
}

std::string Sha256::digest() {
  auto md = raw();
  return "sha256:" + HexEncode(md.data(), md.size());
}

std::array<unsigned char, 20> Sha1Raw(std::initializer_list<std::string_view> parts) {
  SHA_CTX c;
  SHA1_Init(&c);
  for (auto p : parts) SHA1_Update(&c, p.data(), p.size());
  std::array<unsigned char, 20> md;
  SHA1_Final(md.data(), &c);
  return md;
}

std::string Sha256Digest(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.digest();
}

std::string HexEncode(const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

bool IsSha256Hex(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Status ValidateDigest(std::string_view digest) {
  auto colon = digest.find(':');
  if (colon == std::string_view::npos) return Errorf("invalid digest '{}': no algorithm", digest);
  auto algo = digest.substr(0, colon);
  auto hex = digest.substr(colon + 1);
  size_t want = algo == "sha256" ? 64 : algo == "sha512" ? 128 : 0;
  if (want == 0) return Errorf("unsupported digest algorithm '{}' in '{}'", algo, digest);
  if (hex.size() != want) return Errorf("invalid digest '{}': want {} hex digits", digest, want);
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return Errorf("invalid digest '{}': not lowercase hex", digest);
  return {};
}

std::string_view DigestHex(std::string_view digest) {
  auto colon = digest.find(':');
  return colon == std::string_view::npos ? digest : digest.substr(colon + 1);
}

std::string ShortDigest(std::string_view digest) {
  auto colon = digest.find(':');
  if (colon == std::string_view::npos) return std::string(digest.substr(0, 12));
  return std::string(digest.substr(0, colon + 1 + 12));
}

}  // namespace distill
