// apk dependency atoms and world constraints (apk-tools doc/apk-world.5.scd):
//   [!]name[@tag][op version]   op: = < > <= >= ~ =~ >~ <~
//   name><Q1...                 exactly the package with that identity
// The same atoms fill an index's D: (depends), p: (provides) and i: (install_if) fields, where a
// tag is not allowed. Names are anything up to an operator or '@': "so:libc.musl-x86_64.so.1",
// "cmd:sh", "pc:zlib", "/bin/sh". Versions are checked with apk's grammar (vuln/version/apk.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apk {

enum class VersionOp : unsigned char {
  kAny,           // no version: any version, and unversioned provides
  kEqual,         // =
  kLess,          // <
  kLessEqual,     // <=
  kGreater,       // >
  kGreaterEqual,  // >=
  kFuzzy,         // ~ or =~: the version starts with the given one, token-wise
  kLessFuzzy,     // <~
  kGreaterFuzzy,  // >~
  kIdentity,      // >< : version holds the package's "Q1..." identity
};

struct Dependency {
  std::string name;
  std::string tag;      // world only: "testing" for name@testing
  std::string version;  // empty with kAny
  VersionOp op = VersionOp::kAny;
  bool conflict = false;  // "!name": nothing providing this may be installed

  // The atom as written: "!b>1", "a@testing", "so:libfoo.so.1=1.0".
  std::string ToString() const;
};

// "=", "<~", ... as apk writes them ("" for kAny).
std::string_view OpString(VersionOp op);

// kIndex: no @tag. kProvides: no @tag, and the version is kept even when apk's grammar rejects it
// (apk-tools keeps such provides: Alpine 3.16's rtmpdump-dev provides "pc:librtmp=v2.4").
enum class AtomContext { kWorld, kIndex, kProvides };

// One atom. Errors name it: "'foo=' is not a valid world dependency: no version after '='".
Result<Dependency> ParseDependency(std::string_view atom,
                                   AtomContext context = AtomContext::kWorld);

// Whitespace-separated atoms (etc/apk/world, an index's D:/p:/i: value).
Result<std::vector<Dependency>> ParseDependencies(std::string_view text,
                                                  AtomContext context = AtomContext::kWorld);

// Whether `version` satisfies the atom's operator and version (kAny: always; kIdentity: never,
// the solver compares identities). The conflict flag is not applied here.
bool VersionMatches(const Dependency& dep, std::string_view version);

}  // namespace distill::imagebuild::apk
