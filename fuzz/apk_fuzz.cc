// Fuzzes everything distill reads of Alpine/Wolfi APK data: the APK v2 package reader (gzip
// members, signatures, .PKGINFO, data tar with PAX checksums; also control-only, as `distill apk
// index` reads each package, and that package's APKINDEX block) and the signed APKINDEX.tar.gz
// reader with their signature checks, plus the installed-database parser, the apk cataloger
// (relationships included) and the etc/apk/repositories reader. Seeds: fuzz/make_seeds.py apk/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/apk/parse_installed.h"
#include "catalog/catalog.h"
#include "catalog/distro/release.h"
#include "imagebuild/apk/index_writer.h"
#include "imagebuild/apk/package.h"
#include "imagebuild/apk/signed_index.h"

using namespace distill;

namespace {

void FuzzApkFiles(std::string_view bytes) {
  namespace apk = imagebuild::apk;
  static const apk::Keyring kEmpty;
  apk::Limits limits;
  limits.max_data_tar = 64 << 20;  // the fuzzer's memory, not the format's limit
  limits.max_control_member = 16 << 20;
  (void)apk::DetectApkFile(bytes, limits);
  apk::ReadOptions opt;
  opt.limits = limits;
  if (auto pkg = apk::ReadPackage(bytes, "fuzz.apk", opt); pkg.ok()) {
    (void)apk::VerifyPackage(bytes, *pkg, kEmpty);
    for (const auto& f : pkg->files) (void)pkg->Content(f);
  }
  opt.files = false;
  if (auto pkg = apk::ReadPackage(bytes, "fuzz.apk", opt); pkg.ok())
    (void)apk::IndexBlock(*pkg, bytes.size());
  if (auto idx = apk::ReadSignedIndex(bytes, "APKINDEX.tar.gz", limits); idx.ok())
    (void)apk::VerifyIndex(bytes, *idx, kEmpty);
  (void)apk::ParsePkgInfo(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  FuzzApkFiles(text);
  (void)catalog::apk::ParseInstalled(text);
  (void)catalog::apk::DecodeChecksum(text);
  (void)catalog::apk::SplitLicense(text);
  (void)catalog::distro::ParseApkRepositories(text);  // etc/apk/repositories
  std::vector<image::Entry> entries(4);
  const char* paths[] = {"lib", "lib/apk", "lib/apk/db", "lib/apk/db/installed"};
  for (int i = 0; i < 4; ++i) {
    entries[i].path = paths[i];
    entries[i].type = i < 3 ? image::FileType::kDirectory : image::FileType::kRegular;
  }
  image::FileIndex files(entries, {}, {{"lib/apk/db/installed", text}}, nullptr);
  (void)catalog::CatalogOs(files);
  return 0;
}
