#include "vuln/version/dpkg.h"

#include <climits>

namespace distill::vuln::version::dpkg {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Policy 5.6.12: '~' sorts before everything, even the end of the part; then the end and digits
// (which end a non-digit run); then letters; then all other characters.
int Order(int c) {
  if (c == '~') return -1;
  if (c < 0 || IsDigit(static_cast<char>(c))) return 0;  // c < 0: end of the part
  if (IsAlpha(static_cast<char>(c))) return c;
  return c + 256;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

Error Bad(std::string_view version, std::string_view why) {
  return Errorf("invalid dpkg version \"{}\": {}", version, why);
}

}  // namespace

Result<Parts> Parse(std::string_view version) {
  std::string_view s = Trim(version);
  if (s.empty()) return Bad(version, "version string is empty");
  for (char c : s) {
    if (IsSpace(c)) return Bad(version, "version string has embedded spaces");
    if (c == '\0') return Bad(version, "version string has a NUL byte");
  }
  Parts p;
  if (size_t colon = s.find(':'); colon != std::string_view::npos) {
    std::string_view epoch = s.substr(0, colon);
    if (epoch.empty()) return Bad(version, "epoch in version is empty");
    // strtol semantics, as dpkg: an optional sign, then digits.
    bool negative = epoch[0] == '-';
    if (epoch[0] == '-' || epoch[0] == '+') epoch.remove_prefix(1);
    if (epoch.empty()) return Bad(version, "epoch in version is not number");
    unsigned long long e = 0;
    for (char c : epoch) {
      if (!IsDigit(c)) return Bad(version, "epoch in version is not number");
      e = e * 10 + static_cast<unsigned>(c - '0');
      if (e > INT_MAX)
        return Bad(version,
                   negative ? "epoch in version is negative" : "epoch in version is too big");
    }
    if (negative && e != 0) return Bad(version, "epoch in version is negative");
    p.epoch = static_cast<unsigned>(e);
    s.remove_prefix(colon + 1);
    if (s.empty()) return Bad(version, "nothing after colon in version number");
  }
  if (size_t hyphen = s.rfind('-'); hyphen != std::string_view::npos) {
    p.revision = s.substr(hyphen + 1);
    s = s.substr(0, hyphen);
  }
  p.upstream = s;
  return p;
}

Status ValidateStrict(std::string_view version) {
  DISTILL_TRY(Parts p, Parse(version));
  if (p.upstream.empty()) return Bad(version, "version number is empty");
  std::string_view s = Trim(version);
  if (s.back() == '-') return Bad(version, "revision number is empty");
  return {};
}

Status Validate(std::string_view version) {
  DISTILL_TRY_VOID(Parse(version));
  return {};
}

int CompareFragment(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto at = [](std::string_view text, size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : -1;
  };
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = Order(at(a, i)), bc = Order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i, ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    int first_diff = 0;
    while (i < a.size() && IsDigit(a[i]) && j < b.size() && IsDigit(b[j])) {
      if (!first_diff) first_diff = a[i] - b[j];
      ++i, ++j;
    }
    if (i < a.size() && IsDigit(a[i])) return 1;
    if (j < b.size() && IsDigit(b[j])) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

int CompareParts(const Parts& a, const Parts& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (int r = CompareFragment(a.upstream, b.upstream)) return r;
  return CompareFragment(a.revision, b.revision);
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY(Parts pa, Parse(a));
  DISTILL_TRY(Parts pb, Parse(b));
  return CompareParts(pa, pb);
}

}  // namespace distill::vuln::version::dpkg
