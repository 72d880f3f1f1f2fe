#include "vuln/version/pep440.h"

#include <array>

#include <fmt/format.h>

namespace distill::vuln::version::pep440 {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }

// Length of the Unicode whitespace character (Python str.isspace) at the start of text, or 0.
size_t SpaceAt(std::string_view text) {
  if (text.empty()) return 0;
  unsigned char c = text[0];
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  auto cp = [&](size_t n) -> unsigned {
    if (text.size() < n) return 0;
    unsigned v = c & (n == 2 ? 0x1f : 0x0f);
    for (size_t i = 1; i < n; ++i) v = (v << 6) | (static_cast<unsigned char>(text[i]) & 0x3f);
    return v;
  };
  if ((c & 0xe0) == 0xc0) {
    unsigned v = cp(2);
    return (v == 0x85 || v == 0xa0) ? 2 : 0;
  }
  if ((c & 0xf0) == 0xe0) {
    unsigned v = cp(3);
    bool space = v == 0x1680 || (v >= 0x2000 && v <= 0x200a) || v == 0x2028 || v == 0x2029 ||
                 v == 0x202f || v == 0x205f || v == 0x3000;
    return space ? 3 : 0;
  }
  return 0;
}

std::string_view TrimSpace(std::string_view text) {
  while (size_t n = SpaceAt(text)) text.remove_prefix(n);
  // Trailing: try each possible width of the last character.
  for (bool again = true; again;) {
    again = false;
    for (size_t n = 1; n <= 3 && n <= text.size(); ++n) {
      if (SpaceAt(text.substr(text.size() - n)) == n) {
        text.remove_suffix(n);
        again = true;
        break;
      }
    }
  }
  return text;
}

std::string_view StripZeros(std::string_view digits) {
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  return digits;
}

// Case-insensitive keyword match at the cursor.
bool TakeWord(std::string_view& text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[i]) != word[i]) return false;
  }
  text.remove_prefix(word.size());
  return true;
}

std::string_view TakeDigits(std::string_view& text) {
  size_t n = 0;
  while (n < text.size() && IsDigit(text[n])) ++n;
  std::string_view d = text.substr(0, n);
  text.remove_prefix(n);
  return d;
}

void TakeSep(std::string_view& text) {
  if (!text.empty() && IsSep(text[0])) text.remove_prefix(1);
}

struct Label {
  std::string_view spelling;
  char kind;
};
// Longest spellings first, so that a prefix never hides a longer keyword.
constexpr std::array<Label, 8> kPreLabels = {{
    {"preview", 'c'},
    {"alpha", 'a'},
    {"beta", 'b'},
    {"pre", 'c'},
    {"rc", 'c'},
    {"a", 'a'},
    {"b", 'b'},
    {"c", 'c'},
}};
constexpr std::array<std::string_view, 3> kPostLabels = {"post", "rev", "r"};

// [-_.]? label [-_.]? digits? — leaves the cursor alone when no label follows. Returns the
// index of the label taken, or -1.
template <typename Labels, typename Spelling>
int TakeLabelled(std::string_view& text, const Labels& labels, Spelling spelling,
                 std::string_view& number) {
  std::string_view t = text;
  TakeSep(t);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (TakeWord(t, spelling(labels[i]))) {
      TakeSep(t);
      number = StripZeros(TakeDigits(t));
      text = t;
      return static_cast<int>(i);
    }
  }
  return -1;
}

Error Bad(std::string_view version) { return Errorf("invalid PEP 440 version \"{}\"", version); }

int Sign(int x) { return (x > 0) - (x < 0); }

int CompareNumber(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int CompareLocalSegment(std::string_view a, std::string_view b) {
  bool na = AllDigits(a), nb = AllDigits(b);
  if (na && nb) return CompareNumber(StripZeros(a), StripZeros(b));
  if (na != nb) return na ? 1 : -1;  // numeric segments sort above alphanumeric ones
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    char ca = Lower(a[i]), cb = Lower(b[i]);
    if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb) ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace

bool Segments::Next(std::string_view& seg) {
  if (done || rest.empty()) return false;
  size_t n = 0;
  while (n < rest.size() && !IsSep(rest[n])) ++n;
  seg = rest.substr(0, n);
  if (n == rest.size()) {
    done = true;
  } else {
    rest.remove_prefix(n + 1);
  }
  return true;
}

Result<Version> Parse(std::string_view version) {
  std::string_view s = TrimSpace(version);
  Version out;
  if (!s.empty() && Lower(s[0]) == 'v') s.remove_prefix(1);
  std::string_view first = TakeDigits(s);
  if (first.empty()) return Bad(version);
  if (!s.empty() && s[0] == '!') {
    out.epoch = StripZeros(first);
    s.remove_prefix(1);
    first = TakeDigits(s);
    if (first.empty()) return Bad(version);
  }
  const char* release_begin = first.data();
  while (s.size() >= 2 && s[0] == '.' && IsDigit(s[1])) {
    s.remove_prefix(1);
    TakeDigits(s);
  }
  out.release = std::string_view(release_begin, static_cast<size_t>(s.data() - release_begin));
  int pre = TakeLabelled(
      s, kPreLabels, [](const Label& label) { return label.spelling; }, out.pre);
  if (pre >= 0) out.pre_kind = kPreLabels[pre].kind;
  // Post release: "-N", or [-_.]? post|rev|r [-_.]? N?
  if (s.size() >= 2 && s[0] == '-' && IsDigit(s[1])) {
    s.remove_prefix(1);
    out.has_post = true;
    out.post = StripZeros(TakeDigits(s));
  } else if (TakeLabelled(
                 s, kPostLabels, [](std::string_view label) { return label; }, out.post) >= 0) {
    out.has_post = true;
  }
  constexpr std::array<std::string_view, 1> kDev = {"dev"};
  out.has_dev = TakeLabelled(
                    s, kDev, [](std::string_view label) { return label; }, out.dev) >= 0;
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    // [a-z0-9]+ ([-_.][a-z0-9]+)*
    const char* local_begin = s.data();
    while (true) {
      size_t n = 0;
      while (n < s.size() && IsAlnum(s[n])) ++n;
      if (n == 0) return Bad(version);
      s.remove_prefix(n);
      if (s.empty() || !IsSep(s[0])) break;
      s.remove_prefix(1);
    }
    out.local = std::string_view(local_begin, static_cast<size_t>(s.data() - local_begin));
  }
  if (!s.empty()) return Bad(version);
  return out;
}

Status Validate(std::string_view version) {
  DISTILL_TRY_VOID(Parse(version));
  return {};
}

namespace {
std::string_view Num(std::string_view digits) { return digits.empty() ? "0" : digits; }
}  // namespace

std::string Normalize(const Version& version) {
  std::string out;
  if (!version.epoch.empty()) out += fmt::format("{}!", version.epoch);
  Segments rel{version.release};
  bool first = true;
  for (std::string_view seg; rel.Next(seg); first = false) {
    if (!first) out += '.';
    out += Num(StripZeros(seg));
  }
  if (version.pre_kind)
    out += fmt::format("{}{}", version.pre_kind == 'c' ? "rc" : std::string(1, version.pre_kind),
                       Num(version.pre));
  if (version.has_post) out += fmt::format(".post{}", Num(version.post));
  if (version.has_dev) out += fmt::format(".dev{}", Num(version.dev));
  Segments loc{version.local};
  first = true;
  for (std::string_view seg; loc.Next(seg); first = false) {
    out += first ? '+' : '.';
    if (AllDigits(seg)) {
      out += Num(StripZeros(seg));  // packaging stores numeric segments as int
      continue;
    }
    for (char c : seg) out += Lower(c);
  }
  return out;
}

int CompareParsed(const Version& a, const Version& b) {
  if (int r = CompareNumber(a.epoch, b.epoch)) return r;
  // Release, trailing zeros ignored: compare position by position with missing = 0.
  Segments ra{a.release}, rb{b.release};
  while (true) {
    std::string_view x, y;
    bool hx = ra.Next(x), hy = rb.Next(y);
    if (!hx && !hy) break;
    if (int r = CompareNumber(StripZeros(x), StripZeros(y))) return r;
  }
  // Pre: a dev release without pre/post sorts before any pre-release; no pre sorts after all.
  auto pre_rank = [](const Version& version) {
    return version.pre_kind ? 1 : (!version.has_post && version.has_dev) ? 0 : 2;
  };
  if (int r = pre_rank(a) - pre_rank(b)) return Sign(r);
  if (a.pre_kind) {
    if (a.pre_kind != b.pre_kind) return a.pre_kind < b.pre_kind ? -1 : 1;
    if (int r = CompareNumber(a.pre, b.pre)) return r;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (int r = CompareNumber(a.post, b.post)) return r;
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (int r = CompareNumber(a.dev, b.dev)) return r;
  // No local version sorts below any; then segment by segment, fewer segments first.
  if (a.local.empty() != b.local.empty()) return a.local.empty() ? -1 : 1;
  Segments la{a.local}, lb{b.local};
  while (true) {
    std::string_view x, y;
    bool hx = la.Next(x), hy = lb.Next(y);
    if (!hx || !hy) return hx == hy ? 0 : (hx ? 1 : -1);
    if (int r = CompareLocalSegment(x, y)) return r;
  }
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY(Version va, Parse(a));
  DISTILL_TRY(Version vb, Parse(b));
  return CompareParsed(va, vb);
}

}  // namespace distill::vuln::version::pep440
