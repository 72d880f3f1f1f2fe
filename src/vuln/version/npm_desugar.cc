#include "vuln/version/npm_desugar.h"

#include <optional>

namespace distill::vuln::version::npm::desugar {

// ---------------------------------------------------------------- characters

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentChar(char c) { return IsDigit(c) || IsLetter(c) || c == '-'; }
bool IsVersionStart(char c) { return IsDigit(c) || c == 'x' || c == 'X' || c == '*'; }

// ECMAScript \s, in UTF-8: returns the byte length of the whitespace character at text[i], or 0.
size_t JsSpaceAt(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  unsigned char c = text[i];
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  auto cp = [&](size_t n) -> unsigned {
    if (text.size() - i < n) return 0;
    unsigned v = c & (n == 2 ? 0x1f : 0x0f);
    for (size_t k = 1; k < n; ++k) v = (v << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    return v;
  };
  if ((c & 0xe0) == 0xc0) return cp(2) == 0xa0 ? 2 : 0;
  if ((c & 0xf0) == 0xe0) {
    unsigned v = cp(3);
    bool space = v == 0x1680 || (v >= 0x2000 && v <= 0x200a) || v == 0x2028 || v == 0x2029 ||
                 v == 0x202f || v == 0x205f || v == 0x3000 || v == 0xfeff;
    return space ? 3 : 0;
  }
  return 0;
}

// trim() then replace(/\s+/g, ' ').
std::string NormalizeSpace(std::string_view text) {
  std::string out;
  bool pending = false;
  for (size_t i = 0; i < text.size();) {
    if (size_t n = JsSpaceAt(text, i)) {
      pending = true;
      i += n;
      continue;
    }
    if (pending && !out.empty()) out += ' ';
    pending = false;
    out += text[i++];
  }
  return out;
}

std::string_view TrimJs(std::string_view text) {
  while (size_t n = JsSpaceAt(text, 0)) text.remove_prefix(n);
  for (bool again = true; again;) {
    again = false;
    for (size_t n = 1; n <= 3 && n <= text.size(); ++n) {
      if (JsSpaceAt(text, text.size() - n) == n) {
        text.remove_suffix(n);
        again = true;
        break;
      }
    }
  }
  return text;
}

std::vector<std::string> SplitSpaces(std::string_view text) {  // split(/\s+/) on normalized text
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t sp = text.find(' ', start);
    out.emplace_back(
        text.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
    while (start < text.size() && text[start] == ' ') ++start;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ' ';
    out += parts[i];
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// +1 on a decimal string (JS `+M + 1`, exactly).
std::string Inc(std::string_view digits) {
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  std::string s(digits.empty() ? "0" : digits);
  int i = static_cast<int>(s.size()) - 1;
  while (i >= 0 && s[i] == '9') s[i--] = '0';
  if (i < 0)
    s.insert(s.begin(), '1');
  else
    ++s[i];
  return s;
}

// ---------------------------------------------------------------- partial versions

// XRANGEPLAIN(LOOSE): [v=\s]* XID (. XID (. XID PRERELEASE? BUILD?)?)?
struct XMatch {
  size_t end = 0;
  std::string_view M, m, p, pr;  // absent parts are empty
};

size_t IdentsEnd(std::string_view text, size_t i) {  // ident(.ident)*, longest; i if none
  size_t j = i;
  while (j < text.size() && IsIdentChar(text[j])) ++j;
  if (j == i) return i;
  while (j + 1 < text.size() && text[j] == '.' && IsIdentChar(text[j + 1])) {
    ++j;
    while (j < text.size() && IsIdentChar(text[j])) ++j;
  }
  return j;
}

size_t XidEnd(std::string_view text, size_t i, bool loose) {
  if (i >= text.size()) return i;
  if (text[i] == 'x' || text[i] == 'X' || text[i] == '*') return i + 1;
  if (!IsDigit(text[i])) return i;
  if (!loose && text[i] == '0') return i + 1;
  size_t j = i;
  while (j < text.size() && IsDigit(text[j])) ++j;
  return j;
}

// Strict prerelease identifiers: numeric ones may not have leading zeros.
bool StrictIdentsOk(std::string_view ids) {
  size_t start = 0;
  while (start <= ids.size()) {
    size_t dot = ids.find('.', start);
    std::string_view id =
        ids.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    bool numeric = !id.empty();
    for (char c : id) numeric = numeric && IsDigit(c);
    if (numeric && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

std::optional<XMatch> MatchXRangePlain(std::string_view text, size_t i, bool loose) {
  while (i < text.size() && (text[i] == 'v' || text[i] == '=' || text[i] == ' ')) ++i;
  XMatch x;
  size_t j = XidEnd(text, i, loose);
  if (j == i) return std::nullopt;
  x.M = text.substr(i, j - i);
  x.end = j;
  if (j + 1 < text.size() && text[j] == '.') {
    size_t k = XidEnd(text, j + 1, loose);
    if (k == j + 1) return x;
    x.m = text.substr(j + 1, k - j - 1);
    x.end = j = k;
    if (j + 1 < text.size() && text[j] == '.') {
      k = XidEnd(text, j + 1, loose);
      if (k == j + 1) return x;
      x.p = text.substr(j + 1, k - j - 1);
      x.end = j = k;
      // PRERELEASE: -ids (strict) or -?ids (loose; a lone '-' is itself an identifier).
      size_t q = j;
      if (q < text.size() && text[q] == '-') {
        size_t e = IdentsEnd(text, q + 1);
        if (e > q + 1) {
          std::string_view ids = text.substr(q + 1, e - q - 1);
          if (loose || StrictIdentsOk(ids)) {
            x.pr = ids;
            x.end = j = e;
          }
        } else if (loose) {  // "-?" then a lone "-" identifier
          e = IdentsEnd(text, q);
          x.pr = text.substr(q, e - q);
          x.end = j = e;
        }
      } else if (loose && q < text.size() && IsIdentChar(text[q])) {
        size_t e = IdentsEnd(text, q);
        x.pr = text.substr(q, e - q);
        x.end = j = e;
      }
      if (j + 1 < text.size() && text[j] == '+') {
        size_t e = IdentsEnd(text, j + 1);
        if (e > j + 1) x.end = e;
      }
    }
  }
  return x;
}

bool IsX(std::string_view id) { return id.empty() || id == "x" || id == "X" || id == "*"; }

// ---------------------------------------------------------------- the desugaring steps

std::string StripBuilds(std::string_view text, bool all) {  // BUILD regex: \+ident(.ident)*
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '+') {
      size_t e = IdentsEnd(text, i + 1);
      if (e > i + 1) {
        i = e;
        if (!all) {
          out.append(text.substr(i));
          return out;
        }
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::optional<std::string> Hyphen(std::string_view text, const RangeOptions& options) {
  for (size_t dash = text.find(" - "); dash != std::string_view::npos;
       dash = text.find(" - ", dash + 1)) {
    auto from = MatchXRangePlain(text, 0, options.loose);
    if (!from || from->end != dash) continue;
    auto to = MatchXRangePlain(text, dash + 3, options.loose);
    if (!to || to->end != text.size()) continue;
    std::string z = options.include_prerelease ? "-0" : "";
    std::string f, t;
    std::string_view from_text = text.substr(0, dash);
    std::string_view to_text = text.substr(dash + 3);
    if (IsX(from->M))
      f = "";
    else if (IsX(from->m))
      f = ">=" + std::string(from->M) + ".0.0" + z;
    else if (IsX(from->p))
      f = ">=" + std::string(from->M) + "." + std::string(from->m) + ".0" + z;
    else if (!from->pr.empty())
      f = ">=" + std::string(from_text);
    else
      f = ">=" + std::string(from_text) + z;
    if (IsX(to->M))
      t = "";
    else if (IsX(to->m))
      t = "<" + Inc(to->M) + ".0.0-0";
    else if (IsX(to->p))
      t = "<" + std::string(to->M) + "." + Inc(to->m) + ".0-0";
    else if (!to->pr.empty())
      t = "<=" + std::string(to->M) + "." + std::string(to->m) + "." + std::string(to->p) + "-" +
          std::string(to->pr);
    else if (options.include_prerelease)
      t = "<" + std::string(to->M) + "." + std::string(to->m) + "." + Inc(to->p) + "-0";
    else
      t = "<=" + std::string(to_text);
    return std::string(Trim(f + " " + t));
  }
  return std::nullopt;
}

// Operator whitespace: "> 1.2.3" -> ">1.2.3" (only when a version follows).
std::string TrimOperatorSpace(std::string_view text) {
  std::string out;
  size_t cursor = 0;
  size_t copied = 0;
  auto prefix = [&](size_t i) {
    return i < text.size() && (text[i] == 'v' || text[i] == '=' || text[i] == ' ');
  };
  while (cursor < text.size()) {
    size_t start = cursor;
    if (text[cursor] == '<' || text[cursor] == '>') {
      ++cursor;
    } else if (!prefix(cursor) && !IsVersionStart(text[cursor])) {
      ++cursor;
      continue;
    }
    while (prefix(cursor)) ++cursor;
    if (cursor >= text.size() || !IsVersionStart(text[cursor])) continue;
    size_t ws = start;
    if (ws < text.size() && text[ws] == ' ') ++ws;
    if (ws < text.size() && (text[ws] == '<' || text[ws] == '>')) ++ws;
    if (ws < text.size() && text[ws] == '=') ++ws;
    if (ws < text.size() && text[ws] == ' ') {
      out.append(text.substr(copied, ws - copied));
      copied = ws + 1;
    }
    // Skip the version (loose full version, else a partial one).
    auto x = MatchXRangePlain(text, cursor, true);
    cursor = x ? std::max(x->end, cursor + 1) : cursor + 1;
  }
  out.append(text.substr(copied));
  return out;
}

// "(\s?)~>?\s" -> "$1~" and "(\s?)\^\s" -> "$1^".
std::string TrimTildeCaretSpace(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '~') {
      size_t j = i + 1;
      if (j < text.size() && text[j] == '>') ++j;
      if (j < text.size() && text[j] == ' ') i = j;
    }
  }
  std::string out2;
  for (size_t i = 0; i < out.size(); ++i) {
    out2 += out[i];
    if (out[i] == '^' && i + 1 < out.size() && out[i + 1] == ' ') ++i;
  }
  return out2;
}

std::string S(std::string_view text) { return std::string(text); }

std::string ReplaceCaret(const std::string& comp, const RangeOptions& options) {
  if (comp.empty() || comp[0] != '^') return comp;
  auto x = MatchXRangePlain(comp, 1, options.loose);
  if (!x || x->end != comp.size()) return comp;
  std::string z = options.include_prerelease ? "-0" : "";
  std::string M = S(x->M), m = S(x->m), p = S(x->p), pr = S(x->pr);
  if (IsX(M)) return "";
  if (IsX(m)) return ">=" + M + ".0.0" + z + " <" + Inc(M) + ".0.0-0";
  if (IsX(p)) {
    if (M == "0") return ">=" + M + "." + m + ".0" + z + " <" + M + "." + Inc(m) + ".0-0";
    return ">=" + M + "." + m + ".0" + z + " <" + Inc(M) + ".0.0-0";
  }
  std::string low = ">=" + M + "." + m + "." + p + (pr.empty() ? "" : "-" + pr);
  if (M == "0") {
    if (m == "0") return low + " <" + M + "." + m + "." + Inc(p) + "-0";
    return low + " <" + M + "." + Inc(m) + ".0-0";
  }
  return low + " <" + Inc(M) + ".0.0-0";
}

std::string ReplaceTilde(const std::string& comp, const RangeOptions& options) {
  if (comp.empty() || comp[0] != '~') return comp;
  size_t at = comp.size() > 1 && comp[1] == '>' ? 2 : 1;
  auto x = MatchXRangePlain(comp, at, options.loose);
  if (!x || x->end != comp.size()) return comp;
  std::string z = options.include_prerelease ? "-0" : "";
  std::string M = S(x->M), m = S(x->m), p = S(x->p), pr = S(x->pr);
  if (IsX(M)) return "";
  if (IsX(m)) return ">=" + M + ".0.0" + z + " <" + Inc(M) + ".0.0-0";
  if (IsX(p)) return ">=" + M + "." + m + ".0" + z + " <" + M + "." + Inc(m) + ".0-0";
  return ">=" + M + "." + m + "." + p + (pr.empty() ? "" : "-" + pr) + " <" + M + "." + Inc(m) +
         ".0-0";
}

std::string ReplaceXRange(std::string comp, const RangeOptions& options) {
  comp = S(Trim(comp));
  size_t i = 0;
  std::string gtlt;
  if (i < comp.size() && (comp[i] == '<' || comp[i] == '>')) gtlt += comp[i++];
  if (i < comp.size() && comp[i] == '=') gtlt += comp[i++];
  if (i < comp.size() && comp[i] == ' ') ++i;
  auto x = MatchXRangePlain(comp, i, options.loose);
  if (!x || x->end != comp.size()) return comp;
  std::string M = S(x->M), m = S(x->m), p = S(x->p);
  if ((IsX(M) && !IsX(m)) || (IsX(m) && !p.empty() && !IsX(p))) return comp;  // invalid order
  bool xM = IsX(M), xm = xM || IsX(m), xp = xm || IsX(p);
  if (gtlt == "=" && xp) gtlt = "";
  std::string pr = options.include_prerelease ? "-0" : "";
  if (xM) return (gtlt == ">" || gtlt == "<") ? "<0.0.0-0" : "*";
  if (!gtlt.empty() && xp) {
    if (xm) m = "0";
    p = "0";
    if (gtlt == ">") {
      gtlt = ">=";
      if (xm) {
        M = Inc(M);
        m = "0";
      } else {
        m = Inc(m);
      }
    } else if (gtlt == "<=") {
      gtlt = "<";
      if (xm)
        M = Inc(M);
      else
        m = Inc(m);
    }
    if (gtlt == "<") pr = "-0";
    return gtlt + M + "." + m + "." + p + pr;
  }
  if (xm) return ">=" + M + ".0.0" + pr + " <" + Inc(M) + ".0.0-0";
  if (xp) return ">=" + M + "." + m + ".0" + pr + " <" + M + "." + Inc(m) + ".0-0";
  return comp;
}

// STAR: the first "(<|>)?=?\s?\*" is removed.
std::string ReplaceStars(std::string comp) {
  comp = S(Trim(comp));
  size_t star = comp.find('*');
  if (star == std::string::npos) return comp;
  size_t b = star;
  if (b > 0 && comp[b - 1] == ' ') --b;
  if (b > 0 && comp[b - 1] == '=') --b;
  if (b > 0 && (comp[b - 1] == '<' || comp[b - 1] == '>')) --b;
  return comp.erase(b, star + 1 - b);
}

template <typename F>
std::string MapWords(std::string_view comp, F f) {
  std::vector<std::string> words = SplitSpaces(Trim(comp));
  for (auto& w : words) w = f(w);
  return Join(words);
}

std::string ParseComparatorText(const std::string& comp, const RangeOptions& options) {
  std::string c = StripBuilds(comp, false);
  c = MapWords(c, [&](const std::string& word) { return ReplaceCaret(word, options); });
  c = MapWords(c, [&](const std::string& word) { return ReplaceTilde(word, options); });
  c = MapWords(c, [&](const std::string& word) { return ReplaceXRange(word, options); });
  return ReplaceStars(c);
}

}  // namespace distill::vuln::version::npm::desugar
