// Fuzzes the parsers of the remaining files distill reads that no other target covers: a chiselled
// image's zstd jsonwall manifest (var/lib/chisel/manifest.wall, from the image), a build spec, an
// apko.yaml (with the image files it makes), an audit policy and the vulnerability sources config
// (YAML from users), the Docker config that holds registry credentials, and an apk installed
// database as the APK builder reads and writes it (usr/lib/apk/db/installed). The first
// byte picks the parser. Any input must give a value or an error, never a crash, hang or
// sanitizer report. Seeds: fuzz/make_seeds.py (config/).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "audit/policy.h"
#include "catalog/chisel/cataloger.h"
#include "image/registry/auth.h"
#include "imagebuild/apk/config.h"
#include "imagebuild/apk/installed_db.h"
#include "imagebuild/apk/layout.h"
#include "imagebuild/spec.h"
#include "vuln/importers/sources.h"

using namespace distill;

// A config may name credential helpers (docker-credential-NAME, run from PATH): none may run here.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("PATH", "/nonexistent", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: {  // the manifest as stored (zstd), then the same bytes as already decompressed
      catalog::Distro ubuntu{"ubuntu", "22.04", "jammy"};
      if (auto wall = catalog::chisel::Zstd(text, 1 << 20); wall.ok())
        (void)catalog::chisel::ParseManifest(*wall, ubuntu,
                                             {"var/lib/chisel/manifest.wall", "sha256:f"});
      break;
    }
    case 1:
      (void)catalog::chisel::ParseManifest(text, {}, {"var/lib/chisel/manifest.wall", ""});
      break;
    case 2:
      (void)imagebuild::ParseSpec(text, "fuzz.yaml");
      break;
    case 3:
      (void)audit::ParsePolicy(std::string(text), "policy.yaml");
      break;
    case 4: {  // read-only lookups: storing and erasing would write to the file
      static const std::string path =
          "/tmp/distill-config-fuzz-" + std::to_string(::getpid()) + ".json";
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f) return 0;
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
      for (std::string_view host : {"127.0.0.1:5000", "docker.io", "index.docker.io", "ghcr.io"})
        (void)image::registry::LookupCredential(path, host);
      break;
    }
    case 5:
      if (auto c = vuln::importers::ParseSourcesConfig(text); c.ok())
        (void)vuln::importers::EffectiveSources(*c);
      break;
    case 6:  // apko.yaml, and what it makes over an empty root (nothing is read from disk)
      if (auto s = imagebuild::apk::ParseApkoConfig(text, "/fuzz/apko.yaml"); s.ok()) {
        imagebuild::apk::LayoutInput in;
        in.spec = &*s;
        (void)imagebuild::apk::ImageFiles(in);
      }
      break;
    case 7:
      if (auto db = imagebuild::apk::ParseInstalledDb(text); db.ok())
        (void)imagebuild::apk::RenderInstalled(*db);
      break;
  }
  return 0;
}
