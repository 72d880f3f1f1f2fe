#include "imagebuild/apk/signature.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <memory>
#include <optional>

#include "util/digest.h"

namespace distill::imagebuild::apk {

bool ParseSignatureName(std::string_view entry, Signature* out) {
  constexpr std::string_view kPrefix = ".SIGN.";
  if (!entry.starts_with(kPrefix)) return false;
  std::string_view rest = entry.substr(kPrefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) return false;
  out->entry = entry;
  out->algorithm = rest.substr(0, dot);
  out->key_name = rest.substr(dot + 1);
  return true;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kVerified: return "verified";
    case Verdict::kBadSignature: return "bad-signature";
    case Verdict::kNoTrustedKey: return "no-trusted-key";
    case Verdict::kUnsigned: return "unsigned";
    case Verdict::kUnsupported: return "unsupported";
  }
  return "?";
}

namespace {

// The digest of the signed bytes for one algorithm, computed once for all keys.
struct Digests {
  std::string_view bytes;
  std::optional<std::string> sha1, sha256;
  const std::string& Get(bool use_sha256) {
    auto& slot = use_sha256 ? sha256 : sha1;
    if (!slot) {
      if (use_sha256) {
        Sha256 h;
        h.update(bytes);
        auto raw = h.raw();
        slot = std::string(reinterpret_cast<char*>(raw.data()), raw.size());
      } else {
        auto raw = Sha1Raw({bytes});
        slot = std::string(reinterpret_cast<char*>(raw.data()), raw.size());
      }
    }
    return *slot;
  }
};

// RSA PKCS#1 v1.5 verification of sig over an already computed digest.
bool RsaVerifies(EVP_PKEY* key, bool use_sha256, std::string_view digest, std::string_view sig) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key, nullptr),
                                                                  EVP_PKEY_CTX_free);
  bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx.get(), use_sha256 ? EVP_sha256() : EVP_sha1()) == 1 &&
            EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                            reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string KeyLabel(const Key& k) {
  std::string where = k.path.empty() ? "" : fmt::format("{}, ", k.path);
  return fmt::format("{} ({}sha256 {})", k.name, where, k.fingerprint.substr(0, 12));
}

SignatureCheck CheckOne(const Signature& s, Digests* digests, std::string_view signed_what,
                        const Keyring& keyring) {
  SignatureCheck c{s.entry, Verdict::kNoTrustedKey, "", "", ""};
  if (s.algorithm != "RSA" && s.algorithm != "RSA256") {
    c.verdict = Verdict::kUnsupported;
    c.detail = fmt::format("{}: {} signatures are not supported (RSA and RSA256 are)", s.entry, s.algorithm);
    return c;
  }
  bool sha256 = s.algorithm == "RSA256";
  const std::string& digest = digests->Get(sha256);
  // The key of the entry's name first, then every other key: the bytes decide.
  const Key* named = nullptr;
  for (const auto& k : keyring.keys())
    if (k.name == s.key_name && !named) named = &k;
  auto verified_by = [&](const Key& k) {
    c.verdict = Verdict::kVerified;
    c.key = k.name;
    c.key_path = k.path;
    c.detail = fmt::format("{}: verified by {}", s.entry, KeyLabel(k));
    return c;
  };
  if (named && RsaVerifies(named->pkey.get(), sha256, digest, s.bytes)) return verified_by(*named);
  for (const auto& k : keyring.keys())
    if (&k != named && k.name != s.key_name && RsaVerifies(k.pkey.get(), sha256, digest, s.bytes))
      return verified_by(k);
  for (const auto& k : keyring.keys())  // other keys of the same name (several keyring folders)
    if (&k != named && k.name == s.key_name && RsaVerifies(k.pkey.get(), sha256, digest, s.bytes))
      return verified_by(k);
  const char* hash = sha256 ? "SHA-256" : "SHA-1";
  if (named) {
    c.verdict = Verdict::kBadSignature;
    c.key = named->name;
    c.key_path = named->path;
    c.detail = fmt::format(
        "{}: bad signature: the key of that name, {}, does not verify it (RSA PKCS#1 v1.5 over the {} "
        "of {}), and no other key in the keyring does: either the key's bytes are not the signer's or "
        "the signed bytes changed",
        s.entry, KeyLabel(*named), hash, signed_what);
  } else {
    c.detail = fmt::format("{}: no trusted key: no key named {} in the keyring ({} keys), and none of "
                           "them verifies it (RSA PKCS#1 v1.5 over the {} of {})",
                           s.entry, s.key_name, keyring.keys().size(), hash, signed_what);
  }
  return c;
}

}  // namespace

Verification VerifySignatures(const std::vector<Signature>& signatures, std::string_view signed_bytes,
                              std::string_view signed_what, const Keyring& keyring) {
  Verification v;
  if (signatures.empty()) {
    v.reason = "unsigned (no .SIGN entry in the first gzip member)";
    return v;
  }
  Digests digests{signed_bytes, {}, {}};
  for (const auto& s : signatures) v.checks.push_back(CheckOne(s, &digests, signed_what, keyring));
  // Verified if any is; else the most telling failure: a bad signature, then no key, then unsupported.
  for (Verdict want : {Verdict::kVerified, Verdict::kBadSignature, Verdict::kNoTrustedKey, Verdict::kUnsupported})
    for (const auto& c : v.checks)
      if (c.verdict == want) {
        v.verdict = want;
        v.key = c.key;
        v.key_path = c.key_path;
        v.reason = want == Verdict::kVerified ? "" : c.detail;
        return v;
      }
  return v;
}

Status RequireVerified(const Verification& v, std::string_view file) {
  if (v.ok()) return {};
  return Errorf("{}: {}", file, v.reason);
}

}  // namespace distill::imagebuild::apk
