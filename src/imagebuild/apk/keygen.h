// RSA keys for signing APK packages and indexes, as melange and abuild make them: a private key in
// PEM (PKCS#1 "RSA PRIVATE KEY", mode 0600) and its public key NAME.rsa.pub (SubjectPublicKeyInfo
// "PUBLIC KEY"). The public key's file name is the key's name: a signature is stored as
// `.SIGN.RSA256.<that name>`, and apk-tools looks the key up by it in /etc/apk/keys
// (apk-tools:doc/apk-keys.5.scd). Signatures are RSA PKCS#1 v1.5 over SHA-256 (`RSA256`).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::imagebuild::apk {

inline constexpr int kDefaultKeyBits = 4096;  // melange keygen's default

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

// A fresh RSA key pair of `bits` bits (2048 to 16384).
Result<KeyPair> GenerateKeyPair(int bits = kDefaultKeyBits);

// Writes DIR/NAME.rsa (0600) and DIR/NAME.rsa.pub (0644), each atomically; refuses to overwrite
// either. Returns the private key's path.
Result<std::string> WriteKeyPair(const KeyPair& keys, const std::string& dir,
                                 const std::string& name);

// A private key loaded for signing, and the name its signatures carry: the private key's file name
// plus ".pub" (melange's rule: melange.rsa signs as melange.rsa.pub).
class SigningKey {
 public:
  static Result<SigningKey> Load(const std::string& private_key_path);
  static Result<SigningKey> FromPem(std::string_view pem, std::string key_name);
  const std::string& key_name() const { return key_name_; }
  // RSA PKCS#1 v1.5 signature over SHA-256(data).
  Result<std::string> SignSha256(std::string_view data) const;
  // The public key in PEM, as NAME.rsa.pub holds it.
  Result<std::string> PublicPem() const;

 private:
  struct Free {
    void operator()(void* pkey) const;
  };
  std::unique_ptr<void, Free> pkey_;  // EVP_PKEY
  std::string key_name_;
};

}  // namespace distill::imagebuild::apk
