// distill build from APK packages (apko's job; doc/build-apk.md): per architecture, the keyring and
// the signed indexes of the spec's repositories -> the world resolved (solver.h), restricted to a
// lock when there is one (lock.h) -> each package fetched and checked (its identity equal to the
// index's C:, a signature by a key of the keyring, datahash and every file's checksum) -> the
// packages' files installed in order, a later package overwriting an earlier one's file only when
// it `replaces` it (or shares its origin) -> apko's files around them (layout.h) -> one layer and
// the image config as apko writes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/writer_tar.h"
#include "imagebuild/apk/installed_db.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild::apk {

struct FetchOptions {
  std::string cache_dir;  // http(s) repositories: indexes and packages downloaded here
  bool offline = false;   // http(s): only what the cache holds
  // distill.lock (or an apko.lock.json): used when it exists (the build installs exactly the
  // locked packages or fails), written after resolving otherwise. "" = no lock.
  std::string lock_path;
  bool update_lock = false;  // resolve again and rewrite the lock
  int threads = 0;
};

// One architecture's image, before it becomes layers.
struct ArchRootfs {
  std::string arch;                         // OCI name: "amd64", "arm64", "arm/v7"
  std::vector<image::TarItem> items;        // every entry of the one layer, sorted by path
  std::vector<InstalledPackage> installed;  // install order
  nlohmann::json config;                    // the image config's "config"
  int64_t epoch = 0;                        // SOURCE_DATE_EPOCH, else the newest builddate
  uint64_t package_bytes = 0;               // regular-file bytes from packages
};

// Everything `distill build` needs from an APK spec (spec.apk set), one entry per spec.archs.
// Nothing is written but the lock (and the download cache).
Result<std::vector<ArchRootfs>> Install(const Spec& spec, const FetchOptions& opt);

// What Install would install, per architecture: "x86_64 (2 packages):" then "  NAME-VERSION  REPO"
// lines in install order. Reads the indexes, fetches no package.
Result<std::string> Plan(const Spec& spec, const FetchOptions& opt);

// The image config apko writes: Env (PATH, SSL_CERT_FILE, then the spec's environment), User when
// accounts.run-as is set, WorkingDir, Entrypoint, Cmd, and the annotations as Labels.
Result<nlohmann::json> ImageConfig(const Spec& spec);

}  // namespace distill::imagebuild::apk
