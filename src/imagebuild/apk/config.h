// apko's image configuration (apko.yaml), read into the build spec so that an apko.yaml builds
// unchanged with `distill build`, and the `contents:` section our own spec shares with it: the APK
// repositories, the keys that verify them and the world (package constraints). Keys follow apko's
// pkg/build/types (ImageConfiguration); every key distill does not support is an error naming its
// line, never silently ignored. Documented in doc/build-apk.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace YAML {
class Node;
}

namespace distill::imagebuild {
struct Spec;
}

namespace distill::imagebuild::apk {

// One `contents.repositories` entry: "https://dl.example/main", "@local ./repo", "/abs/repo",
// "file:///abs/repo".
struct RepositorySource {  // (solver.h's Repository is an index read from one)
  std::string tag;         // "" or the pin name of "@tag URL": used only for "name@tag" constraints
  std::string url;         // as written (without the tag): the line's text in /etc/apk/repositories
  std::string dir;         // a local repository's absolute directory; "" for http(s)
  int line = 0;
};

// One `contents.keyring` entry: a PEM public key file or URL, written to etc/apk/keys/<name>.
struct KeySource {
  std::string source;  // as written
  std::string path;    // a local key's absolute path; "" for http(s)
  std::string name;    // its file name: "melange.rsa.pub"
  int line = 0;
};

// apko's `contents:` section.
struct Contents {
  std::vector<RepositorySource> repositories;          // used to build and written to the image
  std::vector<RepositorySource> build_repositories;    // used to build only
  std::vector<RepositorySource> runtime_repositories;  // written to the image only
  std::vector<KeySource> keyring;
  std::vector<std::string> packages;  // world constraints as written ("busybox", "foo@local>1.2")

  // What /etc/apk/repositories lists: `repositories` then `runtime_repositories`, "@tag url".
  std::vector<std::string> RepositoryLines() const;
  // What the build reads: `repositories` then `build_repositories`.
  std::vector<RepositorySource> BuildRepositories() const;
};

// One `paths:` entry (apko pkg/build/paths.go): a change made after the packages are installed.
struct PathMutation {
  enum class Type { kDirectory, kEmptyFile, kHardlink, kSymlink, kPermissions };
  Type type = Type::kDirectory;
  std::string path;                  // absolute in the image, as written
  std::string source;                // hardlink: the existing path; symlink: the link's target
  std::optional<uint32_t> uid, gid;  // apko: unset leaves ownership as it is (permissions)
  uint32_t permissions = 0;          // apko writes 0 when not given
  bool recursive = false;
  int line = 0;
};

// Parses a `contents:` map. Relative local repositories and keys are resolved from `base_dir`.
Result<Contents> ParseContents(const YAML::Node& n, const std::string& file,
                               const std::string& base_dir);

// Parses a `paths:` list.
Result<std::vector<PathMutation>> ParsePaths(const YAML::Node& n, const std::string& file);

// Whether a YAML document is an apko.yaml rather than distill's own spec with a `contents:`
// section: it has `contents`, every top-level key is one of apko's, and the keys both formats share
// have apko's shape (entrypoint a map with `command`, cmd a string, accounts' users with
// `username`). `distill build FILE` reads such a file as apko would (doc/build-apk.md).
bool LooksLikeApkoConfig(const YAML::Node& root);

// Parses an apko.yaml into the build spec (spec.apk set, Debian fields left at their defaults).
// `file` names it in messages; relative paths in it are resolved from the file's directory.
Result<Spec> ParseApkoConfig(std::string_view yaml, const std::string& file);
Result<Spec> LoadApkoConfig(const std::string& path);

// apko's architecture names (types.ParseArchitecture) -> the OCI name the spec keeps:
// "x86_64"/"amd64" -> "amd64", "aarch64"/"arm64" -> "arm64", "armv7" -> "arm/v7", "x86" -> "386".
Result<std::string> OciArch(std::string_view name);
// The OCI name -> the APK one, as in etc/apk/arch and repository paths: "amd64" -> "x86_64".
std::string ApkArch(std::string_view oci_arch);

// Splits a command line as apko does (shlex): blanks separate words, '...' and "..." quote, a
// backslash escapes the next character. "/bin/sh -c 'echo hi'" -> {"/bin/sh", "-c", "echo hi"}.
Result<std::vector<std::string>> SplitCommand(std::string_view command);

}  // namespace distill::imagebuild::apk
