#include "vuln/version/semver.h"

#include <fmt/format.h>

namespace distill::vuln::version::semver {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int Sign(int x) { return (x > 0) - (x < 0); }

std::string_view StripZeros(std::string_view digits) {
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  return digits;
}

int CompareNumber(std::string_view a, std::string_view b) {
  a = StripZeros(a);
  b = StripZeros(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return !text.empty();
}

// A main-version number: "0" or no leading zero (strict), any digits (loose).
bool TakeNumber(std::string_view& text, bool loose, std::string_view& out) {
  size_t n = 0;
  while (n < text.size() && IsDigit(text[n])) ++n;
  if (n == 0 || (!loose && n > 1 && text[0] == '0')) return false;
  out = StripZeros(text.substr(0, n));
  text.remove_prefix(n);
  return true;
}

// Dot-separated identifiers of [0-9A-Za-z-]+; numeric ones without leading zeros unless
// `loose_numbers`. Consumes the longest valid run.
bool TakeIdents(std::string_view& text, bool check_numeric_zeros, std::string_view& out) {
  std::string_view start = text;
  while (true) {
    size_t n = 0;
    while (n < text.size() && IsIdentChar(text[n])) ++n;
    std::string_view id = text.substr(0, n);
    if (id.empty()) return false;
    if (check_numeric_zeros && AllDigits(id) && id.size() > 1 && id[0] == '0') return false;
    text.remove_prefix(n);
    if (text.size() < 2 || text[0] != '.') break;
    text.remove_prefix(1);
  }
  out = start.substr(0, start.size() - text.size());
  return true;
}

constexpr size_t kNodeMaxLength = 256;
constexpr std::string_view kNodeMaxSafe = "9007199254740991";  // Number.MAX_SAFE_INTEGER
constexpr std::string_view kU64Max = "18446744073709551615";

Error Bad(std::string_view what, std::string_view version) {
  return Errorf("invalid {} version \"{}\"", what, version);
}

std::string_view DialectName(Dialect d) {
  switch (d) {
    case Dialect::kStrict:
      return "SemVer";
    case Dialect::kNode:
      return "npm (node-semver)";
    case Dialect::kLoose:
      return "npm (node-semver, loose)";
    case Dialect::kGo:
      return "Go module";
    case Dialect::kCargo:
      return "crates.io (SemVer)";
  }
  return "SemVer";
}

}  // namespace

Result<Version> Parse(std::string_view version, Dialect d) {
  std::string_view s = version;
  bool loose = d == Dialect::kLoose;
  if (d == Dialect::kNode || d == Dialect::kLoose) {
    if (version.size() > kNodeMaxLength) return Bad(DialectName(d), version);
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
    if (loose) {
      while (!s.empty() && (s[0] == 'v' || s[0] == '=' || IsSpace(s[0]))) s.remove_prefix(1);
    } else if (!s.empty() && s[0] == 'v') {
      s.remove_prefix(1);
    }
  } else if (d == Dialect::kGo && !s.empty() && s[0] == 'v') {
    s.remove_prefix(1);
  }
  Version out;
  if (!TakeNumber(s, loose, out.major)) return Bad(DialectName(d), version);
  bool short_form = false;
  if (d == Dialect::kGo && s.empty()) {
    short_form = true;  // "v1"
  } else {
    if (s.empty() || s[0] != '.') return Bad(DialectName(d), version);
    s.remove_prefix(1);
    if (!TakeNumber(s, loose, out.minor)) return Bad(DialectName(d), version);
    if (d == Dialect::kGo && s.empty()) {
      short_form = true;  // "v1.2"
    } else {
      if (s.empty() || s[0] != '.') return Bad(DialectName(d), version);
      s.remove_prefix(1);
      if (!TakeNumber(s, loose, out.patch)) return Bad(DialectName(d), version);
    }
  }
  if (!short_form) {
    if (!s.empty() && (s[0] == '-' || (loose && IsIdentChar(s[0])))) {
      std::string_view t = s;
      if (t[0] == '-') t.remove_prefix(1);
      if (!TakeIdents(t, !loose, out.prerelease)) {
        // Loose: "-?" may match nothing and leave a lone "-" to be the identifier.
        t = s;
        if (!loose || !TakeIdents(t, false, out.prerelease)) return Bad(DialectName(d), version);
      }
      s = t;
    }
    if (!s.empty() && s[0] == '+') {
      s.remove_prefix(1);
      if (!TakeIdents(s, false, out.build)) return Bad(DialectName(d), version);
    }
  }
  if (!s.empty()) return Bad(DialectName(d), version);
  if (d == Dialect::kNode || d == Dialect::kLoose || d == Dialect::kCargo) {
    std::string_view max = d == Dialect::kCargo ? kU64Max : kNodeMaxSafe;
    for (std::string_view n : {out.major, out.minor, out.patch}) {
      if (CompareNumber(n, max) > 0) return Bad(DialectName(d), version);
    }
  }
  return out;
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a.empty() != b.empty()) return a.empty() ? 1 : -1;  // a release is above its pre-releases
  while (!a.empty() || !b.empty()) {
    if (a.empty()) return -1;  // fewer identifiers, equal so far: lower
    if (b.empty()) return 1;
    size_t ia = a.find('.'), ib = b.find('.');
    std::string_view x = a.substr(0, ia), y = b.substr(0, ib);
    a = ia == std::string_view::npos ? std::string_view() : a.substr(ia + 1);
    b = ib == std::string_view::npos ? std::string_view() : b.substr(ib + 1);
    bool nx = AllDigits(x), ny = AllDigits(y);
    int r;
    if (nx && ny) {
      r = CompareNumber(x, y);
    } else if (nx != ny) {
      r = nx ? -1 : 1;  // numeric identifiers have lower precedence
    } else {
      r = Sign(x.compare(y));
    }
    if (r) return r;
  }
  return 0;
}

int CompareParsed(const Version& a, const Version& b) {
  if (int r = CompareNumber(a.major, b.major)) return r;
  if (int r = CompareNumber(a.minor, b.minor)) return r;
  if (int r = CompareNumber(a.patch, b.patch)) return r;
  return ComparePrerelease(a.prerelease, b.prerelease);
}

std::string Format(const Version& version) {
  auto num = [](std::string_view number) {
    return number.empty() ? std::string_view("0") : number;
  };
  std::string out =
      fmt::format("{}.{}.{}", num(version.major), num(version.minor), num(version.patch));
  if (!version.prerelease.empty()) out += fmt::format("-{}", version.prerelease);
  if (!version.build.empty()) out += fmt::format("+{}", version.build);
  return out;
}

namespace {
Result<int> CompareIn(Dialect d, std::string_view a, std::string_view b) {
  DISTILL_TRY(Version va, Parse(a, d));
  DISTILL_TRY(Version vb, Parse(b, d));
  return CompareParsed(va, vb);
}
Status ValidateIn(Dialect d, std::string_view version) {
  DISTILL_TRY_VOID(Parse(version, d));
  return {};
}
}  // namespace

Status ValidateStrict(std::string_view version) { return ValidateIn(Dialect::kStrict, version); }
Status ValidateNode(std::string_view version) { return ValidateIn(Dialect::kNode, version); }
Status ValidateGo(std::string_view version) { return ValidateIn(Dialect::kGo, version); }
Status ValidateCargo(std::string_view version) { return ValidateIn(Dialect::kCargo, version); }
Result<int> CompareStrict(std::string_view a, std::string_view b) {
  return CompareIn(Dialect::kStrict, a, b);
}
Result<int> CompareNode(std::string_view a, std::string_view b) {
  return CompareIn(Dialect::kNode, a, b);
}
Result<int> CompareGo(std::string_view a, std::string_view b) {
  return CompareIn(Dialect::kGo, a, b);
}
Result<int> CompareCargo(std::string_view a, std::string_view b) {
  return CompareIn(Dialect::kCargo, a, b);
}

}  // namespace distill::vuln::version::semver
