#include "imagebuild/deb/apt/relation.h"

#include "util/text.h"
#include "vuln/version/dpkg.h"

namespace distill::imagebuild::apt {

namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.' ||
         c == '_';
}

// "[amd64 !i386 linux-any]": whether arch is admitted. Only plain names and negations; wildcards
// "any" and "linux-any" admit every Linux architecture.
bool ArchAdmits(std::string_view list, std::string_view arch) {
  bool any_positive = false, matched = false;
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && list[i] == ' ') ++i;
    size_t j = list.find(' ', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view a = list.substr(i, j - i);
    i = j;
    if (a.empty()) continue;
    bool neg = a.front() == '!';
    if (neg) a.remove_prefix(1);
    bool hit = a == arch || a == "any" || a == "linux-any";
    if (neg && hit) return false;
    if (!neg) {
      any_positive = true;
      matched |= hit;
    }
  }
  return !any_positive || matched;
}

}  // namespace

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kLess:
      return "<<";
    case Op::kLessEq:
      return "<=";
    case Op::kEq:
      return "=";
    case Op::kGreaterEq:
      return ">=";
    case Op::kGreater:
      return ">>";
    case Op::kAny:
      break;
  }
  return "";
}

std::string Relation::ToString() const {
  std::string s = name;
  if (!arch_qualifier.empty()) s += ":" + arch_qualifier;
  if (op != Op::kAny) s += fmt::format(" ({} {})", OpName(op), version);
  return s;
}

Result<std::vector<Clause>> ParseRelations(std::string_view field, std::string_view arch) {
  std::vector<Clause> out;
  size_t pos = 0;
  while (pos <= field.size()) {
    size_t comma = field.find(',', pos);
    if (comma == std::string_view::npos) comma = field.size();
    std::string_view clause_text = Trim(field.substr(pos, comma - pos));
    pos = comma + 1;
    if (clause_text.empty()) {
      if (comma == field.size()) break;
      continue;  // dpkg tolerates a trailing comma; an empty clause in the middle too
    }
    Clause clause;
    clause.text = clause_text;
    // Collapse continuation newlines for the readable text.
    for (char& c : clause.text)
      if (c == '\n' || c == '\t') c = ' ';
    size_t apos = 0;
    bool any_alt = false;
    while (apos <= clause_text.size()) {
      size_t bar = clause_text.find('|', apos);
      if (bar == std::string_view::npos) bar = clause_text.size();
      std::string_view alt = Trim(clause_text.substr(apos, bar - apos));
      apos = bar + 1;
      if (alt.empty()) return Errorf("'{}': empty alternative", clause.text);
      any_alt = true;
      Relation r;
      size_t i = 0;
      while (i < alt.size() && IsNameChar(alt[i])) ++i;
      r.name = alt.substr(0, i);
      if (r.name.empty()) return Errorf("'{}': expected a package name", clause.text);
      AsciiLowerInPlace(r.name);
      if (i < alt.size() && alt[i] == ':') {
        size_t j = ++i;
        while (j < alt.size() && IsNameChar(alt[j])) ++j;
        r.arch_qualifier = alt.substr(i, j - i);
        if (r.arch_qualifier.empty())
          return Errorf("'{}': empty architecture qualifier", clause.text);
        i = j;
      }
      bool admitted = true;
      for (;;) {
        while (i < alt.size() && std::isspace(static_cast<unsigned char>(alt[i]))) ++i;
        if (i >= alt.size()) break;
        char open = alt[i];
        char close = open == '(' ? ')' : open == '[' ? ']' : open == '<' ? '>' : 0;
        if (!close) return Errorf("'{}': unexpected '{}'", clause.text, open);
        size_t end = alt.find(close, i + 1);
        if (end == std::string_view::npos) return Errorf("'{}': missing '{}'", clause.text, close);
        std::string_view inner = Trim(alt.substr(i + 1, end - i - 1));
        i = end + 1;
        if (open == '[') {
          admitted = ArchAdmits(inner, arch);
          continue;
        }
        if (open == '<') continue;
        if (r.op != Op::kAny) return Errorf("'{}': two version constraints", clause.text);
        size_t k = 0;
        while (k < inner.size() && (inner[k] == '<' || inner[k] == '>' || inner[k] == '=')) ++k;
        std::string_view op = inner.substr(0, k);
        if (op == "<<")
          r.op = Op::kLess;
        else if (op == "<=" || op == "<")
          r.op = Op::kLessEq;
        else if (op == "=")
          r.op = Op::kEq;
        else if (op == ">=" || op == ">")
          r.op = Op::kGreaterEq;
        else if (op == ">>")
          r.op = Op::kGreater;
        else
          return Errorf("'{}': bad version relation '{}'", clause.text, op);
        r.version = Trim(inner.substr(k));
        if (r.version.empty()) return Errorf("'{}': empty version", clause.text);
      }
      if (admitted) clause.alternatives.push_back(std::move(r));
    }
    if (any_alt && !clause.alternatives.empty()) out.push_back(std::move(clause));
  }
  return out;
}

bool Satisfies(std::string_view version, Op op, std::string_view ref) {
  if (op == Op::kAny) return true;
  auto c = vuln::version::dpkg::Compare(version, ref);
  if (!c.ok()) return false;
  switch (op) {
    case Op::kLess:
      return *c < 0;
    case Op::kLessEq:
      return *c <= 0;
    case Op::kEq:
      return *c == 0;
    case Op::kGreaterEq:
      return *c >= 0;
    case Op::kGreater:
      return *c > 0;
    case Op::kAny:
      break;
  }
  return true;
}

}  // namespace distill::imagebuild::apt
