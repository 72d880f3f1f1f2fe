// Relationship fields (Depends, Pre-Depends, Conflicts, Breaks, Provides) as Debian Policy §7.1
// writes them: "a (>= 1.0) | b:any, c [amd64] <!nocheck>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apt {

enum class Op { kAny, kLess, kLessEq, kEq, kGreaterEq, kGreater };  // kAny: no constraint
std::string_view OpName(Op op);                                     // "<<", "<=", "=", ">=", ">>"

struct Relation {
  std::string name;
  std::string arch_qualifier;  // "any", "native", "amd64" or ""
  Op op = Op::kAny;
  std::string version;
  std::string ToString() const;  // "libc6 (>= 2.36)"
};

// One comma-separated clause: alternatives separated by "|".
struct Clause {
  std::vector<Relation> alternatives;
  std::string text;  // the clause as written, trimmed: "libc6 (>= 2.36) | libc6.1"
};

// Parses a relationship field. Architecture restrictions ("[amd64 !i386]") keep an alternative only
// when they admit `arch`; build profiles ("<!nocheck>") are ignored (binary packages have none).
// The obsolete "<" and ">" mean "<=" and ">=" as dpkg reads them.
Result<std::vector<Clause>> ParseRelations(std::string_view field, std::string_view arch);

// Whether version `version` satisfies `op ref` in dpkg's order (vuln/version/dpkg). A malformed
// version never satisfies a constraint.
bool Satisfies(std::string_view version, Op op, std::string_view ref);

}  // namespace distill::imagebuild::apt
