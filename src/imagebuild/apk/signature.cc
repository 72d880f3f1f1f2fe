#include "imagebuild/apk/signature.h"

#include <openssl/bn.h>

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
    case Verdict::kVerified:
      return "verified";
    case Verdict::kBadSignature:
      return "bad-signature";
    case Verdict::kNoTrustedKey:
      return "no-trusted-key";
    case Verdict::kUnsigned:
      return "unsigned";
    case Verdict::kUnsupported:
      return "unsupported";
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

// The DER DigestInfo prefix of EMSA-PKCS1-v1_5 for SHA-1 and SHA-256 (RFC 8017 section 9.2).
constexpr std::string_view kSha1Info{"\x30\x21\x30\x09\x06\x05\x2b\x0e\x03\x02\x1a\x05\x00\x04\x14",
                                     15};
constexpr std::string_view kSha256Info{
    "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 19};

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn ToBn(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// RSA PKCS#1 v1.5 verification (RFC 8017 8.2.2): m = s^e mod n must be exactly the encoding
// 00 01 FF..FF 00 DigestInfo(digest). The whole encoding is compared, never parsed.
bool RsaVerifies(const Key& key, bool use_sha256, std::string_view digest, std::string_view sig) {
  size_t k = key.modulus.size();
  std::string_view info = use_sha256 ? kSha256Info : kSha1Info;
  if (sig.empty() || sig.size() > k || k < info.size() + digest.size() + 11) return false;
  Bn n = ToBn(key.modulus), e = ToBn(key.exponent), s = ToBn(sig), m(BN_new());
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), BN_CTX_free);
  if (!n || !e || !s || !m || !ctx || BN_cmp(s.get(), n.get()) >= 0) return false;
  if (BN_mod_exp(m.get(), s.get(), e.get(), n.get(), ctx.get()) != 1) return false;
  std::string em(k, '\0');
  if (BN_bn2binpad(m.get(), reinterpret_cast<unsigned char*>(em.data()), static_cast<int>(k)) !=
      static_cast<int>(k))
    return false;
  std::string want(k, '\xff');
  want[0] = '\0';
  want[1] = '\x01';
  size_t t = info.size() + digest.size();
  want[k - t - 1] = '\0';
  want.replace(k - t, info.size(), info);
  want.replace(k - digest.size(), digest.size(), digest);
  return em == want;
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
    c.detail = fmt::format("{}: {} signatures are not supported (RSA and RSA256 are)", s.entry,
                           s.algorithm);
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
  if (named && RsaVerifies(*named, sha256, digest, s.bytes)) return verified_by(*named);
  for (const auto& k : keyring.keys())
    if (&k != named && k.name != s.key_name && RsaVerifies(k, sha256, digest, s.bytes))
      return verified_by(k);
  for (const auto& k : keyring.keys())  // other keys of the same name (several keyring folders)
    if (&k != named && k.name == s.key_name && RsaVerifies(k, sha256, digest, s.bytes))
      return verified_by(k);
  const char* hash = sha256 ? "SHA-256" : "SHA-1";
  if (named) {
    c.verdict = Verdict::kBadSignature;
    c.key = named->name;
    c.key_path = named->path;
    c.detail = fmt::format(
        "{}: bad signature: the key of that name, {}, does not verify it (RSA PKCS#1 v1.5 over the "
        "{} "
        "of {}), and no other key in the keyring does: either the key's bytes are not the signer's "
        "or "
        "the signed bytes changed",
        s.entry, KeyLabel(*named), hash, signed_what);
  } else {
    c.detail = fmt::format(
        "{}: no trusted key: no key named {} in the keyring ({} keys), and none of "
        "them verifies it (RSA PKCS#1 v1.5 over the {} of {})",
        s.entry, s.key_name, keyring.keys().size(), hash, signed_what);
  }
  return c;
}

}  // namespace

Verification VerifySignatures(const std::vector<Signature>& signatures,
                              std::string_view signed_bytes, std::string_view signed_what,
                              const Keyring& keyring) {
  Verification v;
  if (signatures.empty()) {
    v.reason = "unsigned (no .SIGN entry in the first gzip member)";
    return v;
  }
  Digests digests{signed_bytes, {}, {}};
  for (const auto& s : signatures) v.checks.push_back(CheckOne(s, &digests, signed_what, keyring));
  // Verified if any is; else the most telling failure: a bad signature, then no key, then
  // unsupported.
  for (Verdict want :
       {Verdict::kVerified, Verdict::kBadSignature, Verdict::kNoTrustedKey, Verdict::kUnsupported})
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
