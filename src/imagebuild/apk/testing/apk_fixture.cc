#include "imagebuild/apk/testing/apk_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <zlib.h>

#include <cstdio>
#include <stdexcept>

#include "imagebuild/apk/members.h"
#include "util/file.h"

namespace distill::imagebuild::apk::testing {

std::map<std::string, image::TarItem> TarItems(std::string_view blob) {
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  EXPECT_EQ(archive_read_open_memory(a, blob.data(), blob.size()), ARCHIVE_OK);
  std::map<std::string, image::TarItem> out;
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    image::TarItem it;
    it.path = archive_entry_pathname(e);
    while (it.path.ends_with('/')) it.path.pop_back();
    if (it.path.starts_with(".")) continue;
    it.mode = archive_entry_perm(e);
    it.uid = archive_entry_uid(e);
    it.gid = archive_entry_gid(e);
    switch (archive_entry_filetype(e)) {
      case AE_IFDIR:
        it.type = image::TarItem::Type::kDir;
        break;
      case AE_IFLNK:
        it.type = image::TarItem::Type::kSymlink, it.link = archive_entry_symlink(e);
        break;
      case AE_IFCHR:
        it.type = image::TarItem::Type::kChar, it.dev_major = archive_entry_rdevmajor(e),
        it.dev_minor = archive_entry_rdevminor(e);
        break;
      default:
        if (archive_entry_hardlink(e))
          it.type = image::TarItem::Type::kHardlink, it.link = archive_entry_hardlink(e);
        break;
    }
    it.data.resize(archive_entry_size(e));
    if (!it.data.empty()) archive_read_data(a, it.data.data(), it.data.size());
    out[it.path] = it;
  }
  archive_read_free(a);
  return out;
}

std::string DescribeItem(const image::TarItem& t) {
  return fmt::format("{} type={} mode={:o} {}:{} size={} link={} dev={},{}", t.path,
                     static_cast<int>(t.type), t.mode, t.uid, t.gid, t.data.size(), t.link,
                     t.dev_major, t.dev_minor);
}

// "missing PATH", "extra PATH", or "ours DESCRIPTION / apko DESCRIPTION" for each entry that
// differs.
std::vector<std::string> Differences(const std::map<std::string, image::TarItem>& ours,
                                     const std::map<std::string, image::TarItem>& golden) {
  std::vector<std::string> out;
  for (const auto& [path, want] : golden) {
    auto got = ours.find(path);
    if (got == ours.end()) {
      out.push_back("missing " + path);
      continue;
    }
    if (testing::DescribeItem(got->second) != testing::DescribeItem(want) ||
        got->second.data != want.data)
      out.push_back("ours " + testing::DescribeItem(got->second) + " / apko " +
                    testing::DescribeItem(want));
  }
  for (const auto& [path, item] : ours)
    if (!golden.contains(path)) out.push_back("extra " + path);
  return out;
}

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
