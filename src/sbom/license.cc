#include "sbom/license.h"

#include <algorithm>
#include <map>

#include "catalog/spdx_license_list.h"
#include "util/text.h"

namespace distill::sbom {

namespace {

using IdIndex = std::map<std::string, std::string_view>;  // lowercase → canonical

IdIndex BuildIndex(const char* const* ids, size_t n) {
  IdIndex m;
  for (size_t i = 0; i < n; ++i) m.emplace(AsciiLower(ids[i]), ids[i]);
  return m;
}

std::string_view Find(const IdIndex& index, std::string_view id) {
  auto it = index.find(AsciiLower(id));
  return it == index.end() ? std::string_view() : it->second;
}

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// Tokens: "(", ")", "AND", "OR", "WITH", "+" suffixes stay on their id, everything else an id.
std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : text) {
    if (c == '(' || c == ')') {
      flush();
      out.emplace_back(1, c);
    } else if (c == ' ' || c == '\t' || c == '\n') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

// A recursive-descent parser over the tokens that re-emits the normalized expression.
class ExpressionParser {
 public:
  explicit ExpressionParser(std::vector<std::string> tokens) : t_(std::move(tokens)) {}

  // True (and out set) when the tokens are a whole valid expression.
  bool Parse(std::string& out, bool& compound) {
    if (!Or(out) || i_ != t_.size()) return false;
    compound = compound_;
    return true;
  }

 private:
  bool Or(std::string& out) {
    if (!And(out)) return false;
    while (IsOp("OR")) {
      ++i_;
      std::string rhs;
      if (!And(rhs)) return false;
      out += " OR " + rhs;
      compound_ = true;
    }
    return true;
  }
  bool And(std::string& out) {
    if (!With(out)) return false;
    while (IsOp("AND")) {
      ++i_;
      std::string rhs;
      if (!With(rhs)) return false;
      out += " AND " + rhs;
      compound_ = true;
    }
    return true;
  }
  bool With(std::string& out) {
    if (!Primary(out)) return false;
    if (IsOp("WITH")) {
      ++i_;
      if (i_ >= t_.size()) return false;
      std::string_view exc = CanonicalExceptionId(t_[i_]);
      if (exc.empty()) return false;
      out += " WITH " + std::string(exc);
      ++i_;
      compound_ = true;
    }
    return true;
  }
  bool Primary(std::string& out) {
    if (i_ >= t_.size()) return false;
    if (t_[i_] == "(") {
      ++i_;
      std::string inner;
      if (!Or(inner) || i_ >= t_.size() || t_[i_] != ")") return false;
      ++i_;
      out = "(" + inner + ")";
      return true;
    }
    return LicenseTerm(t_[i_++], out);
  }
  bool LicenseTerm(std::string_view tok, std::string& out) {
    if (tok.starts_with("LicenseRef-") || tok.starts_with("DocumentRef-")) {
      size_t colon = tok.find(':');
      std::string_view ref = colon == std::string_view::npos ? tok : tok.substr(colon + 1);
      if (colon != std::string_view::npos && !ref.starts_with("LicenseRef-")) return false;
      if (!std::all_of(tok.begin(), tok.end(), [](char c) { return IsIdChar(c) || c == ':'; }))
        return false;
      out = std::string(tok);
      compound_ = true;
      return true;
    }
    std::string_view id = CanonicalLicenseId(tok);
    if (!id.empty()) {
      out = std::string(id);
      return true;
    }
    if (tok.size() > 1 && tok.back() == '+') {  // "or later" on a listed id
      id = CanonicalLicenseId(tok.substr(0, tok.size() - 1));
      if (id.empty()) return false;
      out = std::string(id) + "+";
      compound_ = true;
      return true;
    }
    return false;
  }
  bool IsOp(std::string_view op) const {
    if (i_ >= t_.size()) return false;
    // SPDX 2.3 Annex D.2 matches operators case-sensitively (upper case); Debian DEP-5 License:
    // fields write them lower case ("GPL-2+ or Artistic"), so lower case is read too. Output is
    // always upper case.
    return t_[i_] == op || t_[i_] == AsciiLower(op);
  }

  std::vector<std::string> t_;
  size_t i_ = 0;
  bool compound_ = false;
};

// "(A OR B)" but not "(A) OR (B)": the first '(' closes at the last character.
bool FullyParenthesized(std::string_view text) {
  if (text.empty() || text.front() != '(') return false;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i + 1 == text.size();
  }
  return false;
}

}  // namespace

std::string_view CanonicalLicenseId(std::string_view id) {
  static const IdIndex index = BuildIndex(catalog::kSpdxLicenseIds, catalog::kSpdxLicenseIdCount);
  return Find(index, id);
}

std::string_view CanonicalExceptionId(std::string_view id) {
  static const IdIndex index =
      BuildIndex(catalog::kSpdxExceptionIds, catalog::kSpdxExceptionIdCount);
  return Find(index, id);
}

License ClassifyLicense(std::string_view raw) {
  std::string_view s = Trim(raw);
  if (std::string_view id = CanonicalLicenseId(s); !id.empty())
    return {License::Kind::kId, std::string(id)};
  std::string expr;
  bool compound = false;
  if (!s.empty() && ExpressionParser(Tokenize(s)).Parse(expr, compound)) {
    if (compound) return {License::Kind::kExpression, expr};
    // A lone id in parentheses, "(MIT)": the id itself.
    expr.erase(std::remove(expr.begin(), expr.end(), '('), expr.end());
    expr.erase(std::remove(expr.begin(), expr.end(), ')'), expr.end());
    return {License::Kind::kId, expr};
  }
  return {License::Kind::kName, std::string(s)};
}

std::string LicenseRefFor(std::string_view name) {
  std::string out = "LicenseRef-";
  for (char c : name) out += IsIdChar(c) ? c : '-';
  return out;
}

std::string JoinedExpression(const std::vector<License>& licenses) {
  std::vector<std::string> parts;
  for (const License& l : licenses) {
    std::string part = l.kind == License::Kind::kName ? LicenseRefFor(l.value) : l.value;
    if (l.value.empty()) continue;
    bool needs_parens =
        l.kind == License::Kind::kExpression && licenses.size() > 1 &&
        (part.find(" OR ") != std::string::npos || part.find(" AND ") != std::string::npos) &&
        !FullyParenthesized(part);
    if (needs_parens) part = "(" + part + ")";
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " AND ") + p;
  return out;
}

}  // namespace distill::sbom
