#include "imagebuild/apk/world.h"

#include <algorithm>
#include <array>
#include <utility>

#include "catalog/apk/parse_installed.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {
namespace {

constexpr std::string_view kOperatorChars = "<>=~";

constexpr std::array<std::pair<std::string_view, VersionOp>, 10> kOps = {{
    {"=", VersionOp::kEqual},
    {"<", VersionOp::kLess},
    {"<=", VersionOp::kLessEqual},
    {">", VersionOp::kGreater},
    {">=", VersionOp::kGreaterEqual},
    {"~", VersionOp::kFuzzy},
    {"=~", VersionOp::kFuzzy},
    {"<~", VersionOp::kLessFuzzy},
    {">~", VersionOp::kGreaterFuzzy},
    {"><", VersionOp::kIdentity},
}};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The reason an atom is malformed, or "" when `dep` was filled.
std::string ParseAtom(std::string_view atom, AtomContext context, Dependency* dep) {
  if (!atom.empty() && atom[0] == '!') {
    dep->conflict = true;
    atom.remove_prefix(1);
  }
  size_t end = atom.find_first_of("@<>=~");
  dep->name = std::string(atom.substr(0, end));
  if (dep->name.empty()) return "no name";
  for (char c : dep->name) {
    if (IsSpace(c) || c == '!') return "a name cannot contain '!' or spaces";
  }
  atom.remove_prefix(dep->name.size());
  if (!atom.empty() && atom[0] == '@') {
    if (context != AtomContext::kWorld) return "a repository tag is not allowed here";
    atom.remove_prefix(1);
    size_t tag_end = atom.find_first_of(kOperatorChars);
    dep->tag = std::string(atom.substr(0, tag_end));
    if (dep->tag.empty()) return "no tag after '@'";
    if (dep->tag.find('@') != std::string::npos) return "more than one '@'";
    atom.remove_prefix(dep->tag.size());
  }
  if (atom.empty()) return "";
  size_t op_end = atom.find_first_not_of(kOperatorChars);
  std::string_view op = atom.substr(0, op_end);
  auto it = std::find_if(kOps.begin(), kOps.end(), [&](const auto& o) { return o.first == op; });
  if (it == kOps.end()) return fmt::format("unknown operator '{}'", op);
  dep->op = it->second;
  atom.remove_prefix(op.size());
  if (atom.empty()) return fmt::format("no version after '{}'", op);
  dep->version = std::string(atom);
  if (dep->op == VersionOp::kIdentity) {
    if (catalog::apk::DecodeChecksum(atom).first.empty()) {
      return fmt::format("'{}' is not a package identity (Q1 + base64 SHA-1)", atom);
    }
  } else if (context != AtomContext::kProvides && !vuln::version::apk::IsValid(atom)) {
    return fmt::format("'{}' is not a valid apk version", atom);
  }
  return "";
}

}  // namespace

std::string_view OpString(VersionOp op) {
  if (op == VersionOp::kAny) return "";
  for (const auto& [text, value] : kOps) {
    if (value == op) return text;
  }
  return "";
}

std::string Dependency::ToString() const {
  std::string out = conflict ? "!" : "";
  out += name;
  if (!tag.empty()) out += "@" + tag;
  out += OpString(op);
  out += version;
  return out;
}

Result<Dependency> ParseDependency(std::string_view atom, AtomContext context) {
  Dependency dep;
  std::string reason = ParseAtom(atom, context, &dep);
  if (!reason.empty()) {
    return Errorf("'{}' is not a valid {}: {}", atom,
                  context == AtomContext::kWorld ? "world constraint" : "dependency", reason);
  }
  return dep;
}

Result<std::vector<Dependency>> ParseDependencies(std::string_view text, AtomContext context) {
  std::vector<Dependency> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i == start) break;
    DISTILL_TRY(Dependency dep, ParseDependency(text.substr(start, i - start), context));
    out.push_back(std::move(dep));
  }
  return out;
}

bool VersionMatches(const Dependency& dep, std::string_view version) {
  if (dep.op == VersionOp::kAny) return true;
  if (dep.op == VersionOp::kIdentity) return false;
  std::string_view op = OpString(dep.op);
  if (op == "=~") op = "~";
  auto r = vuln::version::apk::Match(version, op, dep.version);
  return r.ok() && *r;
}

}  // namespace distill::imagebuild::apk
