#include "util/glob.h"

namespace distill {
namespace {

// Matches one class "[...]" at pattern against c; returns the position after the class or npos.
size_t MatchClass(std::string_view pattern, size_t i, char c, bool* matched) {
  size_t j = i + 1;
  bool negate = j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^');
  if (negate) ++j;
  bool hit = false;
  bool first = true;
  while (j < pattern.size() && (pattern[j] != ']' || first)) {
    first = false;
    char lo = pattern[j];
    if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
      if (c >= lo && c <= pattern[j + 2]) hit = true;
      j += 3;
    } else {
      if (c == lo) hit = true;
      ++j;
    }
  }
  if (j >= pattern.size()) return std::string_view::npos;  // unterminated: treat "[" literally
  *matched = hit != negate;
  return j + 1;
}

bool Match(std::string_view pattern, std::string_view text) {
  size_t pi = 0, si = 0;
  // Backtracking points for the innermost "*" (segment-local) — "**" is handled by recursion.
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < text.size() || pi < pattern.size()) {
    if (pi < pattern.size()) {
      char c = pattern[pi];
      if (c == '*' && pi + 1 < pattern.size() && pattern[pi + 1] == '*') {
        // "**" as a whole segment: "**/" matches zero or more leading segments.
        size_t rest = pi + 2;
        bool slash = rest < pattern.size() && pattern[rest] == '/';
        std::string_view tail = pattern.substr(slash ? rest + 1 : rest);
        for (size_t k = si; k <= text.size(); ++k) {
          if ((k == si || text[k - 1] == '/') && Match(tail, text.substr(k))) return true;
          if (!slash && Match(tail, text.substr(k))) return true;
        }
        return false;
      }
      if (c == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (si < text.size()) {
        if (c == '?' && text[si] != '/') {
          ++pi;
          ++si;
          continue;
        }
        if (c == '[') {
          bool m = false;
          size_t next = MatchClass(pattern, pi, text[si], &m);
          if (next != std::string_view::npos) {
            if (m && text[si] != '/') {
              pi = next;
              ++si;
              continue;
            }
          } else if (text[si] == '[') {
            ++pi;
            ++si;
            continue;
          }
        } else if (c == '\\' && pi + 1 < pattern.size() && text[si] == pattern[pi + 1]) {
          pi += 2;
          ++si;
          continue;
        } else if (c != '?' && c == text[si]) {
          ++pi;
          ++si;
          continue;
        }
      }
    }
    // Mismatch: let the last "*" swallow one more character, never a "/".
    if (star_p != std::string_view::npos && star_s < text.size() && text[star_s] != '/') {
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
