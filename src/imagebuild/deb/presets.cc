#include "imagebuild/deb/presets.h"

#include <algorithm>

namespace distill::imagebuild {

namespace {

struct Preset {
  const char* name;
  const char* base;  // the preset it extends, or nullptr
  std::vector<std::string> packages;
  std::vector<std::pair<std::string, std::string>> symlinks;  // dst -> target
  std::vector<std::string> entrypoint;
  std::vector<std::pair<std::string, std::string>> env;
};

// distroless commit 54966a0a: static/BUILD + base/BUILD + cc/BUILD + python3/BUILD (debian12).
const Preset kPresets[] = {
    {"static", nullptr, {"base-files", "media-types", "netbase", "tzdata"}, {}, {}, {}},
    {"base-nossl", "static", {"libc6"}, {}, {}, {}},
    {"base", "static", {"libc6", "libssl3"}, {}, {}, {}},
    {"cc", "base", {"gcc-12-base", "libgcc-s1", "libgomp1", "libstdc++6"}, {}, {}, {}},
    {"python3",
     "cc",
     {"libbz2-1.0",
      "libcom-err2",
      "libcrypt1",
      "libdb5.3",
      "libexpat1",
      "libffi8",
      "libgssapi-krb5-2",
      "libk5crypto3",
      "libkeyutils1",
      "libkrb5-3",
      "libkrb5support0",
      "liblzma5",
      "libncursesw6",
      "libnsl2",
      "libpython3.11-minimal",
      "libpython3.11-stdlib",
      "libreadline8",
      "libsqlite3-0",
      "libtinfo6",
      "libtirpc3",
      "libuuid1",
      "python3-distutils",
      "python3.11-minimal",
      "zlib1g"},
     {{"/usr/bin/python", "python3.11"}, {"/usr/bin/python3", "python3.11"}},
     {"/usr/bin/python3.11"},
     {{"LANG", "C.UTF-8"}}},
};

const Preset* Find(std::string_view name) {
  for (const auto& p : kPresets)
    if (name == p.name) return &p;
  return nullptr;
}

void Apply(const Preset& preset, Spec* spec) {
  if (preset.base) Apply(*Find(preset.base), spec);
  spec->packages.insert(spec->packages.end(), preset.packages.begin(), preset.packages.end());
  for (const auto& [dst, target] : preset.symlinks) {
    FileSpec f;
    f.dst = dst;
    f.symlink = target;
    spec->files.push_back(f);
  }
  if (!preset.entrypoint.empty()) spec->entrypoint = preset.entrypoint;
  spec->env.insert(spec->env.end(), preset.env.begin(), preset.env.end());
}

}  // namespace

std::vector<std::string> PresetNames() {
  std::vector<std::string> out;
  for (const auto& p : kPresets) out.push_back(p.name);
  return out;
}

Result<Spec> PresetSpec(const std::string& name, bool nonroot) {
  const Preset* p = Find(name);
  if (!p) {
    std::string known;
    for (const auto& n : PresetNames()) known += (known.empty() ? "" : ", ") + n;
    return Errorf("unknown preset '{}' (known: {})", name, known);
  }
  Spec s;
  s.file = "preset " + name;
  s.resolve = false;  // distroless lists every package by hand
  s.ca_bundle = true;
  s.layers = LayerMode::kPerPackage;
  Apply(*p, &s);
  std::sort(s.packages.begin(), s.packages.end());
  if (nonroot) s.run_as = "nonroot";
  return s;
}

}  // namespace distill::imagebuild
