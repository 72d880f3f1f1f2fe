#include "vuln/version/rubygems.h"

#include <vector>

namespace distill::vuln::version::rubygems {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsLetter(c); }
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
int Sign(int x) { return (x > 0) - (x < 0); }

std::string_view Strip(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

struct Segment {
  bool numeric;
  std::string_view text;  // numbers without leading zeros ("" is 0)
  bool IsZero() const { return numeric && text.empty(); }
};

// Gem::Version#canonical_segments. The '-' → ".pre." rewrite only inserts the segment "pre".
std::vector<Segment> Canonical(std::string_view version) {
  version = Strip(version);
  std::vector<Segment> segs;
  for (size_t i = 0; i < version.size();) {
    if (version[i] == '-') {
      segs.push_back({false, "pre"});
      ++i;
    } else if (IsDigit(version[i])) {
      size_t j = i;
      while (j < version.size() && IsDigit(version[j])) ++j;
      std::string_view d = version.substr(i, j - i);
      while (!d.empty() && d[0] == '0') d.remove_prefix(1);
      segs.push_back({true, d});
      i = j;
    } else if (IsLetter(version[i])) {
      size_t j = i;
      while (j < version.size() && IsLetter(version[j])) ++j;
      segs.push_back({false, version.substr(i, j - i)});
      i = j;
    } else {
      ++i;
    }
  }
  size_t string_start = 0;
  while (string_start < segs.size() && segs[string_start].numeric) ++string_start;
  std::vector<Segment> out;
  auto append_trimmed = [&](size_t from, size_t to) {
    while (to > from && segs[to - 1].IsZero()) --to;
    out.insert(out.end(), segs.begin() + from, segs.begin() + to);
  };
  append_trimmed(0, string_start);
  append_trimmed(string_start, segs.size());
  return out;
}

int CompareSegment(const Segment& a, const Segment& b) {
  if (a.numeric != b.numeric) return a.numeric ? 1 : -1;
  if (a.numeric && a.text.size() != b.text.size()) return a.text.size() < b.text.size() ? -1 : 1;
  return Sign(a.text.compare(b.text));
}

}  // namespace

Status Validate(std::string_view version) {
  std::string_view s = Strip(version);
  if (s.empty()) return {};  // Gem::Version.new("") is "0"
  size_t i = 0;
  auto bad = [&] { return Errorf("invalid RubyGems version \"{}\"", version); };
  if (!IsDigit(s[0])) return bad();
  while (i < s.size() && IsDigit(s[i])) ++i;
  while (i < s.size() && s[i] == '.') {  // (\.[0-9a-zA-Z]+)*
    size_t j = i + 1;
    while (j < s.size() && IsAlnum(s[j])) ++j;
    if (j == i + 1) return bad();
    i = j;
  }
  if (i < s.size() && s[i] == '-') {  // -[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
    while (i < s.size() && (s[i] == '-' || s[i] == '.')) {
      size_t j = i + 1;
      while (j < s.size() && (IsAlnum(s[j]) || s[j] == '-')) ++j;
      if (j == i + 1) return bad();
      i = j;
    }
  }
  if (i != s.size()) return bad();
  return {};
}

int CompareUnchecked(std::string_view a, std::string_view b) {
  std::vector<Segment> x = Canonical(a), y = Canonical(b);
  size_t n = std::max(x.size(), y.size());
  const Segment zero{true, ""};
  for (size_t i = 0; i < n; ++i) {
    const Segment& l = i < x.size() ? x[i] : zero;
    const Segment& r = i < y.size() ? y[i] : zero;
    if (int c = CompareSegment(l, r)) return c;
  }
  return 0;
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY_VOID(Validate(a));
  DISTILL_TRY_VOID(Validate(b));
  return CompareUnchecked(a, b);
}

}  // namespace distill::vuln::version::rubygems
