#include "serve/store/credential.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include <fmt/format.h>

namespace distill::serve {

namespace {

constexpr int kNonce = 12, kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

Result<std::string> SealCredential(std::string_view key, std::string_view job_id,
                                   std::string_view plaintext) {
  if (key.size() != kCredentialKeySize) {
    return Errorf("credential key: {} bytes, want {}", key.size(), kCredentialKeySize);
  }
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  if (RAND_bytes(U(out), kNonce) != 1) return InternalErrorf("seal credential: no randomness");
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0, fin = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(out)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(job_id), static_cast<int>(job_id.size())) !=
          1 ||
      EVP_EncryptUpdate(ctx.get(), U(out) + kNonce, &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), U(out) + kNonce + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                          U(out) + kNonce + plaintext.size()) != 1) {
    return InternalErrorf("seal credential: AES-256-GCM failed");
  }
  return out;
}

Result<std::string> OpenCredential(std::string_view key, std::string_view job_id,
                                   std::string_view sealed) {
  if (key.size() != kCredentialKeySize) {
    return Errorf("credential key: {} bytes, want {}", key.size(), kCredentialKeySize);
  }
  if (sealed.size() < kNonce + kTag) {
    return Errorf("job {}: sealed credential too short ({} bytes)", job_id, sealed.size());
  }
  size_t n = sealed.size() - kNonce - kTag;
  std::string out(n, '\0');
  std::string tag(sealed.substr(kNonce + n));
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0, fin = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(sealed)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(job_id), static_cast<int>(job_id.size())) !=
          1 ||
      EVP_DecryptUpdate(ctx.get(), U(out), &len, U(sealed) + kNonce, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, U(tag)) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), U(out) + len, &fin) != 1) {
    return Errorf("job {}: the sealed credential does not open with this server's key", job_id);
  }
  return out;
}

std::string RandomUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) std::abort();  // no entropy: nothing sane to continue with
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

}  // namespace distill::serve
