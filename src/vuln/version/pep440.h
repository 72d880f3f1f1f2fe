// Python package versions, PEP 440 as pypa/packaging's Version implements it (the reference
// pip uses): [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the full normalisation
// (case-insensitive; "alpha"/"beta"/"c"/"pre"/"preview"/"rev"/"r" spellings; '-', '_', '.'
// separators; implicit numbers; "-N" post releases; a leading 'v'; surrounding whitespace)
// and packaging's ordering (trailing zeros ignored, dev < pre < final < post, a local version
// above its public one, local segments numeric above alphanumeric).
//
// Not supported: the four non-ASCII letters Python's case-insensitive [a-z] also matches
// (U+212A KELVIN SIGN, U+017F LONG S, U+0130, U+0131: packaging accepts "1.0+\u212a" as
// "1.0+k" and "1.0po\u017ft1" as "1.0.post1"); distill rejects such versions.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace distill::vuln::version::pep440 {

// Numbers are kept as digit strings without leading zeros ("" is 0): no size limit, like Python.
struct Version {
  std::string_view epoch;
  std::string_view release;  // "1.02.0" as written: '.'-separated digit runs (zeros kept)
  char pre_kind = 0;         // 0 none, 'a', 'b', 'c' (= rc)
  std::string_view pre;
  bool has_post = false;
  std::string_view post;
  bool has_dev = false;
  std::string_view dev;
  std::string_view local;  // after '+', as written: segments separated by '-', '_' or '.'
};

// Iterates separated segments of a string_view without allocating.
struct Segments {
  std::string_view rest;
  bool done = false;
  bool Next(std::string_view& seg);
};

// The returned Version points into `version`; parsing and comparing do not allocate.
Result<Version> Parse(std::string_view version);
Status Validate(std::string_view version);
std::string Normalize(const Version& version);  // str(packaging.version.Version(v))

int CompareParsed(const Version& a, const Version& b);
Result<int> Compare(std::string_view a, std::string_view b);

}  // namespace distill::vuln::version::pep440
