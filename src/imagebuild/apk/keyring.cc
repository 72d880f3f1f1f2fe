#include "imagebuild/apk/keyring.h"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <filesystem>

#include "imagebuild/apk/checksum.h"
#include "util/file.h"

namespace distill::imagebuild::apk {

namespace {

constexpr uint64_t kMaxKeyFile = 64 << 10;

std::string OpensslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "not a PEM public key";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

Result<std::shared_ptr<EVP_PKEY>> DecodePem(std::string_view pem) {
  EVP_PKEY* pkey = nullptr;
  OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, nullptr,
                                                        EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
  if (!ctx) return InternalErrorf("openssl: cannot make a PEM decoder");
  auto data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t len = pem.size();
  int ok = OSSL_DECODER_from_data(ctx, &data, &len);
  OSSL_DECODER_CTX_free(ctx);
  if (!ok || !pkey) return Errorf("{}", OpensslError());
  std::shared_ptr<EVP_PKEY> key(pkey, EVP_PKEY_free);
  if (!EVP_PKEY_is_a(pkey, "RSA")) return Errorf("not an RSA key (APK v2 signatures are RSA)");
  return key;
}

}  // namespace

Status Keyring::Add(std::string name, std::string path, std::string_view pem) {
  if (pem.find("PRIVATE KEY") != std::string_view::npos)
    return Errorf("is a private key; give the public key (.pub)");
  DISTILL_TRY(auto pkey, DecodePem(pem));
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pkey.get(), &der);
  if (n <= 0) return InternalErrorf("openssl: cannot encode the key: {}", OpensslError());
  std::string fingerprint = Sha256Hex(std::string_view(reinterpret_cast<char*>(der), n));
  OPENSSL_free(der);
  keys_.push_back({std::move(name), std::move(path), std::move(fingerprint), std::move(pkey)});
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
    for (auto it = fs::directory_iterator(p, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
      if (it->path().filename().string().ends_with(".pub") && it->is_regular_file(ec))
        files.push_back(it->path().string());
    if (ec) return Errorf("keyring: {}: {}", p, ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) DISTILL_TRY_VOID(add_file(f));
  }
  return ring;
}

}  // namespace distill::imagebuild::apk
