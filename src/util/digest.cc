#include "util/digest.h"

#include <openssl/evp.h>

namespace distill {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }
void Sha256::update(const void* data, size_t n) { EVP_DigestUpdate(ctx_, data, n); }

std::string Sha256::digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, md, &len);
  return "sha256:" + HexEncode(md, len);
}

std::string Sha256Digest(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.digest();
}

std::string HexEncode(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 15];
  }
  return out;
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
