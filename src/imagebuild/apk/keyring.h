// The public keys APK signatures are checked against (apk-tools doc/apk-keys.5.scd): PEM RSA
// public keys, one per file, named as the `.SIGN.<ALG>.<name>` entries name them. The name is a
// hint only: a signature counts as verified by the key whose BYTES verify it (signature.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apk {

// An RSA public key, kept as its two numbers: verifying is one modular exponentiation and a
// comparison (signature.cc). Known cost: BN_CTX_new links libcrypto's library context (decoders,
// providers: +3.4 MB text, +350 KB relocated data, ~1 MB more peak RSS for every command, even
// `--version`); an in-house Montgomery exponentiation would remove it.
struct Key {
  std::string name;         // the file name ("alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub")
  std::string path;         // where it was read ("" when added from memory)
  std::string fingerprint;  // hex SHA-256 of the DER SubjectPublicKeyInfo
  std::string modulus;      // n, big-endian, no leading zero byte
  std::string exponent;     // e, big-endian
};

class Keyring {
 public:
  // Reads each path: a key file, or a directory whose files ending in ".pub" are keys (sorted by
  // name). A file that is not an RSA public key in PEM is an error naming it.
  static Result<Keyring> Load(const std::vector<std::string>& paths);
  // Adds one PEM key ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY").
  Status Add(std::string name, std::string path, std::string_view pem);
  const std::vector<Key>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<Key> keys_;
};

}  // namespace distill::imagebuild::apk
