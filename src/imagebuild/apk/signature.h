// APK v2 signatures (apk-tools doc/apk-v2.5.scd, src/extract_v2.c): `.SIGN.<ALG>.<keyname>` tar
// entries holding an RSA PKCS#1 v1.5 signature over the digest of the signed COMPRESSED bytes:
// RSA = SHA-1, RSA256 = SHA-256 (RSA512 and DSA are reported as unsupported, as apko skips them).
// A signature is verified by the keyring key whose bytes verify it; the key name in the entry only
// says which key to try first. A key with the right name but other bytes is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/apk/keyring.h"

namespace distill::imagebuild::apk {

struct Signature {
  std::string entry;      // ".SIGN.RSA256.melange.rsa.pub"
  std::string algorithm;  // "RSA256"
  std::string key_name;   // "melange.rsa.pub"
  std::string bytes;      // the signature
};
// Splits a `.SIGN.<ALG>.<keyname>` entry name; false for any other name.
bool ParseSignatureName(std::string_view entry, Signature* out);

enum class Verdict { kVerified, kBadSignature, kNoTrustedKey, kUnsigned, kUnsupported };
// "verified", "bad-signature", "no-trusted-key", "unsigned", "unsupported".
std::string_view VerdictName(Verdict v);

// What became of one signature.
struct SignatureCheck {
  std::string entry;
  Verdict verdict = Verdict::kNoTrustedKey;
  std::string key, key_path;  // kVerified: the key that verified; kBadSignature: the named key
  std::string detail;         // one sentence for messages
};

struct Verification {
  Verdict verdict = Verdict::kUnsigned;
  std::string key, key_path;  // of the first signature that verified
  std::vector<SignatureCheck> checks;
  std::string reason;  // why nothing verified ("" when verified)
  bool ok() const { return verdict == Verdict::kVerified; }
};

// Checks every signature over signed_bytes (described as signed_what in messages, e.g. "the
// control member (bytes 648-3657)"). One verified signature verifies the file.
Verification VerifySignatures(const std::vector<Signature>& signatures,
                              std::string_view signed_bytes, std::string_view signed_what,
                              const Keyring& keyring);

// An error "FILE: <reason>" unless v verified.
Status RequireVerified(const Verification& v, std::string_view file);

}  // namespace distill::imagebuild::apk
