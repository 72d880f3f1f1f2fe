#include "vuln/version/rpm.h"

namespace distill::vuln::version::rpm {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

// rpm compares segments as C strings: a NUL byte ends the string.
std::string_view UpToNul(std::string_view text) { return text.substr(0, text.find('\0')); }

int Sign(int x) { return (x > 0) - (x < 0); }

}  // namespace

int VerCmp(std::string_view a, std::string_view b) {
  a = UpToNul(a);
  b = UpToNul(b);
  if (a == b) return 0;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !IsAlnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
    while (j < b.size() && !IsAlnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;
    char ca = i < a.size() ? a[i] : '\0', cb = j < b.size() ? b[j] : '\0';
    if (ca == '~' || cb == '~') {
      if (ca != '~') return 1;
      if (cb != '~') return -1;
      ++i, ++j;
      continue;
    }
    if (ca == '^' || cb == '^') {
      if (ca == '\0') return -1;
      if (cb == '\0') return 1;
      if (ca != '^') return 1;
      if (cb != '^') return -1;
      ++i, ++j;
      continue;
    }
    if (ca == '\0' || cb == '\0') break;
    size_t si = i, sj = j;
    bool numeric = IsDigit(ca);
    if (numeric) {
      while (i < a.size() && IsDigit(a[i])) ++i;
      while (j < b.size() && IsDigit(b[j])) ++j;
    } else {
      while (i < a.size() && IsAlpha(a[i])) ++i;
      while (j < b.size() && IsAlpha(b[j])) ++j;
    }
    if (sj == j) return numeric ? 1 : -1;  // segment types differ: numbers are newer
    std::string_view sa = a.substr(si, i - si), sb = b.substr(sj, j - sj);
    if (numeric) {
      while (sa.size() > 1 && sa[0] == '0') sa.remove_prefix(1);
      while (sb.size() > 1 && sb[0] == '0') sb.remove_prefix(1);
      if (sa.size() != sb.size()) return sa.size() > sb.size() ? 1 : -1;
    }
    if (int r = sa.compare(sb)) return Sign(r);
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i < a.size() ? 1 : -1;
}

Evr ParseEvr(std::string_view version) {
  Evr e;
  size_t k = 0;
  while (k < version.size() && IsDigit(version[k])) ++k;
  std::string_view rest = version;
  if (k < version.size() && version[k] == ':') {
    e.epoch = version.substr(0, k);
    if (e.epoch.empty()) e.epoch = "0";
    rest = version.substr(k + 1);
  }
  if (size_t dash = rest.rfind('-'); dash != std::string_view::npos) {
    e.release = rest.substr(dash + 1);
    e.has_release = true;
    rest = rest.substr(0, dash);
  }
  e.version = rest;
  return e;
}

Status Validate(std::string_view version) {
  if (version.empty()) return Errorf("invalid rpm version \"\": empty");
  if (version.find('\0') != std::string_view::npos)
    return Errorf("invalid rpm version \"{}\": NUL byte", version);
  Evr e = ParseEvr(version);
  if (e.version.empty()) return Errorf("invalid rpm version \"{}\": empty version", version);
  if (e.has_release && e.release.empty())
    return Errorf("invalid rpm version \"{}\": empty release", version);
  return {};
}

int CompareEvr(const Evr& a, const Evr& b) {
  std::string_view ea = a.epoch.empty() ? "0" : a.epoch, eb = b.epoch.empty() ? "0" : b.epoch;
  if (int r = VerCmp(ea, eb)) return r;
  if (int r = VerCmp(a.version, b.version)) return r;
  // rpmverCmp's compare_values: no release sorts before any release.
  if (a.has_release != b.has_release) return a.has_release ? 1 : -1;
  return a.has_release ? VerCmp(a.release, b.release) : 0;
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY_VOID(Validate(a));
  DISTILL_TRY_VOID(Validate(b));
  return CompareEvr(ParseEvr(a), ParseEvr(b));
}

}  // namespace distill::vuln::version::rpm
