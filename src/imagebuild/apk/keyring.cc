#include "imagebuild/apk/keyring.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "imagebuild/apk/checksum.h"
#include "util/file.h"

namespace distill::imagebuild::apk {

namespace {

constexpr uint64_t kMaxKeyFile = 64 << 10;
// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }.
constexpr std::string_view kRsaAlgorithm{
    "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00", 15};

// A bounds-checked reader of DER tag-length-value items.
struct Der {
  std::string_view in;
  // The next item with `tag`: its content, or an error.
  Result<std::string_view> Next(unsigned char tag) {
    if (in.size() < 2 || static_cast<unsigned char>(in[0]) != tag)
      return Errorf("malformed DER (want tag {:#x})", tag);
    size_t len = static_cast<unsigned char>(in[1]), head = 2;
    if (len & 0x80) {
      size_t n = len & 0x7f;
      if (n == 0 || n > 4 || in.size() < 2 + n) return Errorf("malformed DER length");
      len = 0;
      for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<unsigned char>(in[2 + i]);
      head += n;
    }
    if (len > in.size() - head) return Errorf("malformed DER (item longer than the key)");
    std::string_view content = in.substr(head, len);
    in.remove_prefix(head + len);
    return content;
  }
};

std::string DerLength(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  for (; n; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
  return std::string(1, static_cast<char>(0x80 | bytes.size())) + bytes;
}

std::string DerItem(char tag, std::string_view content) {
  return std::string(1, tag) + DerLength(content.size()) + std::string(content);
}

std::string_view Unsigned(std::string_view integer) {
  while (integer.size() > 1 && integer[0] == '\0') integer.remove_prefix(1);
  return integer;
}

// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).
Status ReadRsaPublicKey(std::string_view der, Key* key) {
  Der top{der};
  DISTILL_TRY(std::string_view seq, top.Next(0x30));
  Der fields{seq};
  DISTILL_TRY(std::string_view n, fields.Next(0x02));
  DISTILL_TRY(std::string_view e, fields.Next(0x02));
  key->modulus = Unsigned(n);
  key->exponent = Unsigned(e);
  if (key->modulus.size() < 64 || key->modulus.size() > 2048)
    return Errorf("unsupported RSA key size");
  if (key->exponent.empty() || key->exponent.size() > 8 || key->exponent == std::string(1, '\0'))
    return Errorf("bad RSA public exponent");
  return {};
}

// The base64 between "-----BEGIN <label>-----" and "-----END <label>-----", decoded.
Result<std::string> PemBody(std::string_view pem, std::string_view label) {
  std::string begin = fmt::format("-----BEGIN {}-----", label),
              end = fmt::format("-----END {}-----", label);
  size_t b = pem.find(begin);
  if (b == std::string_view::npos) return Errorf("no {} block", label);
  size_t e = pem.find(end, b);
  if (e == std::string_view::npos) return Errorf("no END {} line", label);
  std::string b64;
  for (char c : pem.substr(b + begin.size(), e - b - begin.size()))
    if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
  if (b64.empty() || b64.size() % 4 != 0) return Errorf("bad base64 in the PEM block");
  std::string der(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return Errorf("bad base64 in the PEM block");
  size_t pad = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
  der.resize(static_cast<size_t>(n) - pad);
  return der;
}

}  // namespace

Status Keyring::Add(std::string name, std::string path, std::string_view pem) {
  if (pem.find("PRIVATE KEY") != std::string_view::npos)
    return Errorf("is a private key; give the public key (.pub)");
  Key key;
  std::string spki;
  if (pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string_view::npos) {
    DISTILL_TRY(std::string der, PemBody(pem, "RSA PUBLIC KEY"));
    DISTILL_TRY_VOID(ReadRsaPublicKey(der, &key));
    spki = DerItem(0x30, std::string(kRsaAlgorithm) + DerItem(0x03, std::string(1, '\0') + der));
  } else {
    DISTILL_TRY(spki, PemBody(pem, "PUBLIC KEY"));
    // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING (RSAPublicKey) }.
    Der top{spki};
    DISTILL_TRY(std::string_view seq, top.Next(0x30));
    Der inner{seq};
    DISTILL_TRY(std::string_view algorithm, inner.Next(0x30));
    if (DerItem(0x30, algorithm) != kRsaAlgorithm)
      return Errorf("not an RSA key (APK v2 signatures are RSA)");
    DISTILL_TRY(std::string_view bits, inner.Next(0x03));
    if (bits.empty() || bits[0] != '\0') return Errorf("malformed DER bit string");
    DISTILL_TRY_VOID(ReadRsaPublicKey(bits.substr(1), &key));
  }
  key.name = std::move(name);
  key.path = std::move(path);
  key.fingerprint = Sha256Hex(spki);
  keys_.push_back(std::move(key));
  return {};
}

Result<Keyring> Keyring::Load(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  Keyring ring;
  auto add_file = [&](const std::string& file) -> Status {
    auto pem = ReadFile(file, kMaxKeyFile);
    if (!pem.ok()) return std::move(pem).error().wrap("keyring");
    auto st = ring.Add(fs::path(file).filename().string(), file, *pem);
    if (!st.ok()) return std::move(st).error().wrap(fmt::format("keyring: {}", file));
    return {};
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      DISTILL_TRY_VOID(add_file(p));
      continue;
    }
    std::vector<std::string> files;
    for (auto it = fs::directory_iterator(p, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      if (it->path().filename().string().ends_with(".pub") && it->is_regular_file(ec))
        files.push_back(it->path().string());
    if (ec) return Errorf("keyring: {}: {}", p, ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) DISTILL_TRY_VOID(add_file(f));
  }
  return ring;
}

}  // namespace distill::imagebuild::apk
