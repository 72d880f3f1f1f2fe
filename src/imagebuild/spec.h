// The build spec: one YAML file saying which Debian packages make the image and how it runs.
// Documented in doc/build.md, with a JSON schema in doc/build-spec.schema.json. Errors name the
// file, line and column: "app.yaml:7:3: field \"archs\": expected a list of strings".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "imagebuild/apk/config.h"
#include "util/result.h"

namespace distill::imagebuild {

struct User {
  std::string name;
  uint32_t uid = 0, gid = 0;
  std::string home = "/nonexistent";
  std::string shell = "/sbin/nologin";
  std::string gecos;  // "" = the name (distroless); apko writes "Account created by apko"
};

struct Group {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
};

// root, nobody and nonroot (65532) exactly as Google distroless writes them.
std::vector<User> DefaultUsers();
std::vector<Group> DefaultGroups();

struct FileSpec {
  std::string src;      // local file or directory (relative to the spec's directory)
  std::string content;  // or: inline text
  std::string symlink;  // or: a symlink target
  std::string dst;      // absolute path in the image
  std::optional<uint32_t> mode;
  uint32_t uid = 0, gid = 0;
  int line = 0;
};

enum class LayerMode { kSingle, kPerPackage, kGrouped };

struct Spec {
  std::string file;  // where the spec came from (for messages)
  std::string distro = "debian:bookworm";
  std::string codename = "bookworm";
  std::vector<std::string> mirrors;  // empty = the host's apt sources ("apt")
  std::string keyring;               // "" = the host's Debian archive keyring
  std::vector<std::string> archs = {"amd64"};
  std::vector<std::string> packages;
  bool resolve = true;
  std::map<std::string, std::vector<std::string>> slices;  // package -> kept path globs
  std::vector<std::string> exclude;  // path globs (copyright files always kept)
  // Where fields are in the spec file, for errors found after parsing ("app.yaml:7:3"), by name:
  // "slices.PACKAGE", "slices.PACKAGE[i]", "exclude[i]". Absent for a preset's.
  std::map<std::string, std::string> positions;
  std::vector<User> users = DefaultUsers();
  std::vector<Group> groups = DefaultGroups();
  std::string run_as;  // user name or uid; "" = root
  std::vector<FileSpec> files;
  std::vector<std::string> entrypoint, cmd;
  std::vector<std::pair<std::string, std::string>> env;  // in order; overrides the defaults
  std::string workdir;  // "" = the run-as user's home when not root, else "/"
  std::map<std::string, std::string> labels, annotations;
  LayerMode layers = LayerMode::kPerPackage;
  int layer_budget = 0;    // kGrouped: at most this many layers
  bool ca_bundle = false;  // build /etc/ssl/certs/ca-certificates.crt from ca-certificates
  bool statusd = true;     // status.d/<pkg> (distroless); false: classic status
  std::string pretty_name = "Distroless";  // PRETTY_NAME in /usr/lib/os-release
  std::vector<std::string> tags;
  // An APK source (apko's `contents:`, doc/build-apk.md): the image is made of APKs, not of the
  // Debian packages above. Set by an apko.yaml or by our spec's `contents:`.
  std::optional<apk::Contents> apk;
  std::vector<apk::PathMutation> paths;  // apko's `paths:`, applied after the packages
  // An apko.yaml only: the config as apko encodes it into /etc/apko.json (its ImageConfiguration
  // JSON, one line), "contents.packages" and "archs" filled in per image by apk::ApkoJson.
  std::string apko_json;
};

// Parses and checks a spec. `file` is used in messages and to resolve relative `files` sources.
Result<Spec> ParseSpec(std::string_view yaml, const std::string& file);
Result<Spec> LoadSpec(const std::string& path);

// "debian:bookworm" / "debian:12" -> "bookworm".
Result<std::string> CodenameOf(std::string_view distro);

// The image config's Env: `defaults` ("PATH", ...), each replaced by the spec's value of that name,
// then the spec's other variables in the spec's order; as "NAME=VALUE".
std::vector<std::string> EnvWith(std::vector<std::pair<std::string, std::string>> defaults,
                                 const Spec& spec);

// The user the image runs as (run-as resolved through the users list).
Result<User> RunAsUser(const Spec& spec);

}  // namespace distill::imagebuild
