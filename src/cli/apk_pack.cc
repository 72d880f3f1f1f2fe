#include "cli/apk_pack.h"

#include <sys/utsname.h>

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/app.h"
#include "imagebuild/apk/index_writer.h"
#include "imagebuild/apk/keygen.h"
#include "imagebuild/apk/writer.h"
#include "sbom/sbom.h"
#include "util/file.h"

namespace distill::cli {

namespace {

namespace apk = imagebuild::apk;

struct PackFlags {
  // keygen
  std::string key_name = "distill";
  std::string key_dir = ".";
  int bits = apk::kDefaultKeyBits;
  // pack
  std::string dir;
  apk::PackageInfo info;
  std::string out_dir = ".";
  std::string sign;
  bool keep_owners = false, no_scan = false;
  // index
  std::string index_dir, description;
};

// The APK name of the host's architecture (apk-tools' arch names: x86_64, aarch64, armv7, ...).
std::string HostApkArch() {
  struct utsname u;
  std::string m = ::uname(&u) == 0 ? u.machine : "x86_64";
  if (m == "armv7l") return "armv7";
  if (m == "armv6l") return "armhf";
  if (m == "i686" || m == "i586") return "x86";
  return m;
}

Result<std::unique_ptr<apk::SigningKey>> LoadKey(const std::string& path) {
  if (path.empty()) return std::unique_ptr<apk::SigningKey>();
  DISTILL_TRY(apk::SigningKey key, apk::SigningKey::Load(path));
  return std::make_unique<apk::SigningKey>(std::move(key));
}

int RunKeygen(const PackFlags& f) {
  auto keys = apk::GenerateKeyPair(f.bits);
  if (!keys.ok()) return ReportError(keys.error());
  auto path = apk::WriteKeyPair(*keys, f.key_dir, f.key_name);
  if (!path.ok()) return ReportError(path.error());
  fmt::print("{}\n{}.pub\n", *path, *path);
  return kExitOk;
}

int RunPack(const PackFlags& f) {
  auto epoch = sbom::CreatedFromEnvironment();
  if (!epoch.ok()) return ReportError(epoch.error());
  auto key = LoadKey(f.sign);
  if (!key.ok()) return ReportError(key.error());
  apk::PackOptions opt;
  opt.info = f.info;
  if (opt.info.arch.empty()) opt.info.arch = HostApkArch();
  opt.source_date_epoch = *epoch;
  opt.keep_owners = f.keep_owners;
  opt.scan_dependencies = !f.no_scan;
  opt.key = key->get();
  auto pkg = apk::PackDirectory(f.dir, opt);
  if (!pkg.ok()) return ReportError(pkg.error());
  std::string out = (std::filesystem::path(f.out_dir) / pkg->file_name).string();
  if (auto st = WriteFileAtomic(out, pkg->bytes); !st.ok()) return ReportError(st.error());
  fmt::print("{} {}\n", out, pkg->identity);
  return kExitOk;
}

int RunIndex(const PackFlags& f) {
  auto epoch = sbom::CreatedFromEnvironment();
  if (!epoch.ok()) return ReportError(epoch.error());
  auto key = LoadKey(f.sign);
  if (!key.ok()) return ReportError(key.error());
  apk::IndexOptions opt{f.description, *epoch, key->get()};
  auto r = apk::WriteIndex(f.index_dir, opt);
  if (!r.ok()) return ReportError(r.error());
  fmt::print("{} ({} packages)\n",
             (std::filesystem::path(f.index_dir) / "APKINDEX.tar.gz").string(), r->packages);
  return kExitOk;
}

}  // namespace

std::function<std::optional<int>()> AddApkPackCommands(CLI::App& group) {
  auto f = std::make_shared<PackFlags>();
  CLI::App* keygen = group.add_subcommand(
      "keygen", "Make an RSA key pair for signing packages: NAME.rsa, NAME.rsa.pub");
  keygen->add_option("--name", f->key_name, "Key name: writes NAME.rsa (0600) and NAME.rsa.pub")
      ->capture_default_str();
  keygen->add_option("-o,--output", f->key_dir, "Directory for the two files")
      ->capture_default_str();
  keygen->add_option("--bits", f->bits, "RSA key size")->capture_default_str();

  CLI::App* pack = group.add_subcommand(
      "pack", "Make a signed .apk of a directory's files (as melange packages them)");
  pack->add_option("dir", f->dir, "Directory whose contents become the package's files")
      ->required();
  pack->add_option("--name", f->info.name, "Package name (pkgname)")->required();
  pack->add_option("--version", f->info.version,
                   "Package version with release, e.g. 1.2.3-r0 (pkgver)")
      ->required();
  pack->add_option("--arch", f->info.arch,
                   "Architecture (default: the host's, e.g. x86_64, aarch64)");
  pack->add_option("--depends", f->info.depends,
                   "Runtime dependency, e.g. musl or so:libc.musl-x86_64.so.1 (repeatable)");
  pack->add_option("--provides", f->info.provides,
                   "What else the package provides, e.g. cmd:foo=1.0-r0 (repeatable)");
  pack->add_option("--replaces", f->info.replaces,
                   "A package whose files this one may overwrite (repeatable)");
  pack->add_option("--description", f->info.description, "pkgdesc");
  pack->add_option("--url", f->info.url, "url");
  pack->add_option("--license", f->info.license, "SPDX license expression");
  pack->add_option("--origin", f->info.origin, "Origin (source package) name (default: the name)");
  pack->add_option("--maintainer", f->info.maintainer, "maintainer");
  pack->add_option("--commit", f->info.commit, "Source commit");
  pack->add_option("--provider-priority", f->info.provider_priority,
                   "provider_priority for the provides");
  pack->add_flag("--keep-owners", f->keep_owners, "Keep the files' uid/gid (default: 0:0)");
  pack->add_flag("--no-scan", f->no_scan,
                 "Do not add cmd:/so: provides and so: depends found in the files");
  pack->add_option("-o,--output", f->out_dir, "Directory for NAME-VERSION.apk")
      ->capture_default_str();
  pack->add_option("--sign", f->sign,
                   "Private key (NAME.rsa): signs as NAME.rsa.pub (RSA256); unsigned without");

  CLI::App* index =
      group.add_subcommand("index", "Write DIR/APKINDEX.tar.gz for the .apk files in DIR, signed");
  index->add_option("dir", f->index_dir, "Repository directory (one architecture)")->required();
  index->add_option("--sign", f->sign, "Private key (NAME.rsa): signs as NAME.rsa.pub (RSA256)")
      ->required();
  index->add_option("--description", f->description, "DESCRIPTION (e.g. the repository's version)");

  return [f, keygen, pack, index]() -> std::optional<int> {
    if (keygen->parsed()) return RunKeygen(*f);
    if (pack->parsed()) return RunPack(*f);
    if (index->parsed()) return RunIndex(*f);
    return std::nullopt;
  };
}

}  // namespace distill::cli
