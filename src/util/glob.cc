#include "util/glob.h"

namespace distill {
namespace {

// Matches one class "[...]" at p against c; returns the position after the class or npos.
size_t MatchClass(std::string_view p, size_t i, char c, bool* matched) {
  size_t j = i + 1;
  bool negate = j < p.size() && (p[j] == '!' || p[j] == '^');
  if (negate) ++j;
  bool hit = false;
  bool first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    char lo = p[j];
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      if (c >= lo && c <= p[j + 2]) hit = true;
      j += 3;
    } else {
      if (c == lo) hit = true;
      ++j;
    }
  }
  if (j >= p.size()) return std::string_view::npos;  // unterminated: treat "[" literally
  *matched = hit != negate;
  return j + 1;
}

bool Match(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0;
  // Backtracking points for the innermost "*" (segment-local) — "**" is handled by recursion.
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size() || pi < p.size()) {
    if (pi < p.size()) {
      char c = p[pi];
      if (c == '*' && pi + 1 < p.size() && p[pi + 1] == '*') {
        // "**" as a whole segment: "**/" matches zero or more leading segments.
        size_t rest = pi + 2;
        bool slash = rest < p.size() && p[rest] == '/';
        std::string_view tail = p.substr(slash ? rest + 1 : rest);
        for (size_t k = si; k <= s.size(); ++k) {
          if ((k == si || s[k - 1] == '/') && Match(tail, s.substr(k))) return true;
          if (!slash && Match(tail, s.substr(k))) return true;
        }
        return false;
      }
      if (c == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (si < s.size()) {
        if (c == '?' && s[si] != '/') { ++pi; ++si; continue; }
        if (c == '[') {
          bool m = false;
          size_t next = MatchClass(p, pi, s[si], &m);
          if (next != std::string_view::npos) {
            if (m && s[si] != '/') { pi = next; ++si; continue; }
          } else if (s[si] == '[') { ++pi; ++si; continue; }
        } else if (c == '\\' && pi + 1 < p.size() && s[si] == p[pi + 1]) {
          pi += 2; ++si; continue;
        } else if (c != '?' && c == s[si]) {
          ++pi; ++si; continue;
        }
      }
    }
    // Mismatch: let the last "*" swallow one more character, never a "/".
    if (star_p != std::string_view::npos && star_s < s.size() && s[star_s] != '/') {
      pi = star_p + 1;
      si = ++star_s;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) { return Match(pattern, path); }

}  // namespace distill
