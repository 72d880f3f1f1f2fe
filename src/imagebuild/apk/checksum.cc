#include "imagebuild/apk/checksum.h"

#include <openssl/evp.h>

#include "util/digest.h"

namespace distill::imagebuild::apk {

std::string ApkIdentity(std::string_view compressed_control_member) {
  auto sha1 = Sha1Raw({compressed_control_member});
  return "Q1" + Base64(std::string_view(reinterpret_cast<const char*>(sha1.data()), sha1.size()));
}

std::string Sha1Hex(std::string_view bytes) {
  auto sha1 = Sha1Raw({bytes});
  return HexEncode(sha1.data(), sha1.size());
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  auto raw = h.raw();
  return HexEncode(raw.data(), raw.size());
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

}  // namespace distill::imagebuild::apk
