#include "imagebuild/apk/index_writer.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "image/writer_tar.h"
#include "imagebuild/apk/writer.h"
#include "util/file.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxApkBytes = 4ull << 30;  // a package file read whole

struct Indexed {
  std::string name, version, file, entry;
};

}  // namespace

std::string IndexBlock(const Package& pkg, uint64_t file_size) {
  const PkgInfo& info = pkg.info;
  std::string out;
  auto field = [&out](char key, std::string_view v, bool always = false) {
    if (always || !v.empty()) out += fmt::format("{}:{}\n", key, v);
  };
  field('C', pkg.identity, true);
  field('P', info.pkgname);
  field('V', info.pkgver);
  field('A', info.arch);
  field('S', std::to_string(file_size));
  field('I', std::to_string(info.size));
  field('T', info.pkgdesc, true);
  field('U', info.url);
  field('L', info.licenses.empty() ? "" : info.licenses.front());  // go-apk: the first line
  field('o', info.origin);
  field('m', info.maintainer);
  field('t', std::to_string(info.builddate));
  field('c', info.commit);
  field('k', info.provider_priority == 0 ? "" : std::to_string(info.provider_priority));
  field('D', fmt::format("{}", fmt::join(info.depend, " ")));
  field('p', fmt::format("{}", fmt::join(info.provides, " ")));
  field('i', fmt::format("{}", fmt::join(info.install_if, " ")));
  out += '\n';
  return out;
}

Result<IndexResult> BuildIndex(const std::string& dir, const IndexOptions& opt) {
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".apk" && it->is_regular_file(ec))
      files.push_back(it->path().string());
  if (ec) return Errorf("{}: {}", dir, ec.message());
  std::vector<Indexed> all;
  for (const auto& f : files) {
    DISTILL_TRY(std::string bytes, ReadFile(f, kMaxApkBytes));
    DISTILL_TRY(Package pkg, ReadPackage(bytes, f, ReadOptions{.files = false}));
    all.push_back({pkg.info.pkgname, pkg.info.pkgver, f, IndexBlock(pkg, bytes.size())});
  }
  std::sort(all.begin(), all.end(), [](const Indexed& a, const Indexed& b) {
    if (a.name != b.name) return a.name < b.name;
    if (int c = vuln::version::apk::Compare(a.version, b.version); c != 0) return c < 0;
    return a.file < b.file;
  });
  for (size_t i = 1; i < all.size(); ++i)
    if (all[i].name == all[i - 1].name && all[i].version == all[i - 1].version)
      return Errorf("{} and {}: both are {}-{}", all[i - 1].file, all[i].file, all[i].name,
                    all[i].version);
  IndexResult r;
  for (const auto& p : all) r.text += p.entry;
  r.packages = all.size();
  std::vector<image::TarItem> items(2);
  items[0].path = "APKINDEX";
  items[0].data = r.text;
  items[1].path = "DESCRIPTION";
  items[1].data = opt.description;
  DISTILL_TRY(std::string tar, image::WriteTar(std::move(items), opt.source_date_epoch));
  std::string index = GzipOneMember(tar);
  if (opt.key) {
    DISTILL_TRY(r.archive, SignatureMember(*opt.key, index, opt.source_date_epoch));
  }
  r.archive += index;
  return r;
}

Result<IndexResult> WriteIndex(const std::string& dir, const IndexOptions& opt) {
  DISTILL_TRY(IndexResult r, BuildIndex(dir, opt));
  DISTILL_TRY_VOID(WriteFileAtomic((fs::path(dir) / "APKINDEX.tar.gz").string(), r.archive));
  return r;
}

}  // namespace distill::imagebuild::apk
