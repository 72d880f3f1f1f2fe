// The files apko adds to an image around the packages, as apko's build writes them (apko
// pkg/apk/apk/implementation.go InitDB, InitKeyring, SetWorld, SetRepositories; pkg/build
// accounts.go, paths.go, chardevices.go, build_implementation.go WriteEtcApkoConfig): the base
// directories, the apk database (usr/lib/apk/db/{installed,lock,triggers,scripts.tar}, the
// lib/apk -> ../usr/lib/apk symlink), etc/apk/{arch,world,repositories,keys/NAME}, the accounts
// (etc/passwd, etc/group, locked etc/shadow entries, home directories), /etc/apko.json (apko.yaml
// builds only) and the `paths` mutations, in apko's order. The assembler lays these over the
// packages' files: an item here replaces the package's item at the same path.
// Where distill's bytes differ from apko's, doc/build-apk.md says why.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "image/writer_tar.h"
#include "imagebuild/apk/installed_db.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild::apk {

// One executable control entry (.post-install, .trigger, ...) apko keeps in scripts.tar.
struct Script {
  std::string package, version, checksum;  // checksum: the package's "Q1…"
  std::string name;                        // ".post-install"
  std::string data;
  uint32_t mode = 0755;
};

struct LayoutInput {
  const Spec* spec = nullptr;               // spec->apk set
  std::string arch = "amd64";               // OCI name (config.h OciArch)
  std::vector<InstalledPackage> installed;  // in install order
  // What the packages installed, by path ("etc/passwd", no leading '/'): accounts are added to the
  // packages' etc/passwd, etc/group and etc/shadow, and `paths` act on these entries.
  const std::map<std::string, image::TarItem>* rootfs = nullptr;
  std::map<std::string, std::string>
      keys;                     // etc/apk/keys/NAME -> the key's bytes (contents.keyring)
  std::vector<Script> scripts;  // in install order
  std::map<std::string, std::vector<std::string>>
      triggers;       // package checksum (Q1…) -> its triggers
  int64_t mtime = 0;  // scripts.tar's entries
};

// The items to lay over the packages' files, sorted by path. Fails on a `paths` entry apko would
// refuse (a symlink over an existing path, a mutation of a path that does not exist, a hardlink
// to nothing), naming the entry's line.
Result<std::vector<image::TarItem>> ImageFiles(const LayoutInput& in);

// etc/apk/world: every installed package as "name=version", sorted, one a line.
std::string WorldFile(const std::vector<InstalledPackage>& installed);
// etc/apk/repositories: contents.repositories then runtime_repositories, one a line.
std::string RepositoriesFile(const Contents& contents);
// etc/shadow lines apko adds: "NAME:!:::::::" (locked) for each user.
std::string ShadowLines(const std::vector<User>& users);
// /etc/apko.json for an apko.yaml build: spec.apko_json with the image's packages (name=version,
// sorted) and its one architecture, then a newline (Go's json.Encoder).
std::string ApkoJson(const Spec& spec, const std::vector<InstalledPackage>& installed,
                     const std::string& arch);

}  // namespace distill::imagebuild::apk
