#include "imagebuild/apk/testing/apk_fixture.h"

#include <zlib.h>

#include <cstdio>
#include <stdexcept>

#include "imagebuild/apk/members.h"
#include "util/file.h"

namespace distill::imagebuild::apk::testing {

std::string FixturePath(std::string_view rel) {
  return std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/" + std::string(rel);
}

std::string ReadFixture(std::string_view rel) {
  auto r = ReadFile(FixturePath(rel));
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return *r;
}

Keyring LoadKeyring(const std::vector<std::string>& paths) {
  auto k = Keyring::Load(paths);
  if (!k.ok()) throw std::runtime_error(k.error().message);
  return *k;
}

Keyring FixtureKeyring(const std::vector<std::string>& rels) {
  std::vector<std::string> paths;
  for (const auto& r : rels) paths.push_back(FixturePath(r));
  return LoadKeyring(paths);
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::vector<SplitMember> Split(std::string_view bytes) {
  std::vector<SplitMember> out;
  for (uint64_t pos = 0; pos < bytes.size();) {
    SplitMember m;
    auto r = InflateMember(bytes, pos, &m.tar, 1ull << 30);
    if (!r.ok()) throw std::runtime_error(r.error().message);
    m.compressed = r->of(bytes);
    out.push_back(std::move(m));
    pos = r->end();
  }
  return out;
}

std::string Remake(std::string_view bytes, size_t i,
                   const std::function<void(std::string& tar)>& edit) {
  auto members = Split(bytes);
  std::string out;
  for (size_t k = 0; k < members.size(); ++k) {
    if (k != i) {
      out += members[k].compressed;
      continue;
    }
    edit(members[k].tar);
    out += Gzip(members[k].tar);
  }
  return out;
}

void FixTarChecksum(std::string& tar, size_t h) {
  for (size_t i = 148; i < 156; ++i) tar[h + i] = ' ';
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[h + i]);
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%06o", sum);
  tar.replace(h + 148, 6, buf, 6);
  tar[h + 154] = '\0';
  tar[h + 155] = ' ';
}

std::string WriterFixture(const std::string& name) {
  const std::string apk = std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/";
  if (name.starts_with("x86_64")) return apk + "apko-e2e/packages/" + name;
  if (name == "melange.rsa.pub") return apk + "apko-e2e/" + name;
  return apk + "writer/" + name;
}

}  // namespace distill::imagebuild::apk::testing
