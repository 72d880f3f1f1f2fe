#include "imagebuild/apk/keygen.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "util/file.h"

namespace distill::imagebuild::apk {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::string OpensslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

std::string BioString(BIO* b) {
  char* p = nullptr;
  long n = BIO_get_mem_data(b, &p);
  return std::string(p, n > 0 ? static_cast<size_t>(n) : 0);
}

Result<std::string> PublicKeyPem(EVP_PKEY* pkey) {
  Bio out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_PUBKEY(out.get(), pkey) != 1)
    return InternalErrorf("cannot write the public key: {}", OpensslError());
  return BioString(out.get());
}

// WriteFileAtomic with the file created 0600 from the start: the private key is never readable
// by others, not even for a moment.
Status WritePrivateAtomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errorf("{}: cannot create: {}", tmp, std::strerror(errno));
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
            ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Errorf("{}: cannot write: {}", path, std::strerror(err));
  }
  return {};
}

}  // namespace

void SigningKey::Free::operator()(void* pkey) const { EVP_PKEY_free(static_cast<EVP_PKEY*>(pkey)); }

Result<KeyPair> GenerateKeyPair(int bits) {
  if (bits < 2048 || bits > 16384)
    return Errorf("--bits {}: an RSA key has 2048 to 16384 bits", bits);
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(EVP_RSA_gen(static_cast<unsigned>(bits)));
  if (!pkey) return InternalErrorf("cannot generate an RSA key: {}", OpensslError());
  KeyPair keys;
  Bio priv(BIO_new(BIO_s_mem()));
  // PKCS#1 ("RSA PRIVATE KEY"), as melange keygen writes it; OpenSSL and Go read both forms.
  if (!priv || PEM_write_bio_PrivateKey_traditional(priv.get(), pkey.get(), nullptr, nullptr, 0,
                                                    nullptr, nullptr) != 1)
    return InternalErrorf("cannot write the private key: {}", OpensslError());
  keys.private_pem = BioString(priv.get());
  DISTILL_TRY(keys.public_pem, PublicKeyPem(pkey.get()));
  return keys;
}

Result<std::string> WriteKeyPair(const KeyPair& keys, const std::string& dir,
                                 const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.starts_with("."))
    return Errorf("key name '{}': a file name, without '/' and not starting with '.'", name);
  std::string priv = (std::filesystem::path(dir) / (name + ".rsa")).string();
  std::string pub = priv + ".pub";
  for (const auto& p : {priv, pub}) {
    struct stat st;
    if (::lstat(p.c_str(), &st) == 0) return Errorf("{}: already exists (not overwritten)", p);
  }
  DISTILL_TRY_VOID(WritePrivateAtomic(priv, keys.private_pem));
  DISTILL_TRY_VOID(WriteFileAtomic(pub, keys.public_pem));
  return priv;
}

Result<SigningKey> SigningKey::FromPem(std::string_view pem, std::string key_name) {
  Bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!in) return InternalErrorf("out of memory");
  SigningKey key;
  key.pkey_.reset(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  if (!key.pkey_) {
    ERR_clear_error();
    return Errorf("not a PEM private key (an unencrypted RSA key, as `distill apk keygen` writes)");
  }
  if (EVP_PKEY_get_base_id(static_cast<EVP_PKEY*>(key.pkey_.get())) != EVP_PKEY_RSA)
    return Errorf("not an RSA key (APK signatures are RSA)");
  key.key_name_ = std::move(key_name);
  return key;
}

Result<SigningKey> SigningKey::Load(const std::string& private_key_path) {
  auto pem = ReadFile(private_key_path, 1 << 20);
  if (!pem.ok()) return std::move(pem).error();
  auto key = FromPem(*pem, std::filesystem::path(private_key_path).filename().string() + ".pub");
  if (!key.ok()) return std::move(key).error().wrap(private_key_path);
  return key;
}

Result<std::string> SigningKey::SignSha256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  auto* pkey = static_cast<EVP_PKEY*>(pkey_.get());
  size_t n = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1)
    return InternalErrorf("cannot sign with {}: {}", key_name_, OpensslError());
  std::string sig(n, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return InternalErrorf("cannot sign with {}: {}", key_name_, OpensslError());
  sig.resize(n);
  return sig;
}

Result<std::string> SigningKey::PublicPem() const {
  return PublicKeyPem(static_cast<EVP_PKEY*>(pkey_.get()));
}

}  // namespace distill::imagebuild::apk
