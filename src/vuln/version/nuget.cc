#include "vuln/version/nuget.h"

namespace distill::vuln::version::nuget {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsPartChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
int Sign(int x) { return (x > 0) - (x < 0); }

std::string_view StripZeros(std::string_view digits) {
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  return digits;
}

int CompareNumber(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// int.TryParse on a label (digits only can reach here): fits in int32?
bool IsInt32(std::string_view text) {
  return AllDigits(text) && CompareNumber(StripZeros(text), "2147483647") <= 0;
}

// Dot-separated [0-9A-Za-z-]+ parts; numeric parts without leading zeros unless allowed.
bool ValidParts(std::string_view text, bool allow_leading_zeros) {
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view p =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (p.empty()) return false;
    for (char c : p) {
      if (!IsPartChar(c)) return false;
    }
    if (!allow_leading_zeros && AllDigits(p) && p.size() > 1 && p[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

int CompareLabel(std::string_view a, std::string_view b) {
  bool na = IsInt32(a), nb = IsInt32(b);
  if (na && nb) return CompareNumber(StripZeros(a), StripZeros(b));
  if (na || nb) return na ? -1 : 1;
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    char x = Upper(a[i]), y = Upper(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace

Result<Version> Parse(std::string_view version) {
  auto bad = [&] { return Errorf("invalid NuGet version \"{}\"", version); };
  std::string_view s = version;
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  Version out;
  size_t plus = s.find('+');
  size_t dash = s.find('-');
  if (plus != std::string_view::npos) {
    out.metadata = s.substr(plus + 1);
    if (!ValidParts(out.metadata, true)) return bad();
    s = s.substr(0, plus);
  }
  if (dash != std::string_view::npos && dash < s.size()) {
    out.labels = s.substr(dash + 1);
    if (!ValidParts(out.labels, false)) return bad();
    s = s.substr(0, dash);
  }
  size_t n = 0;
  while (true) {
    size_t dot = s.find('.');
    std::string_view p = s.substr(0, dot);
    if (n == 4 || !AllDigits(p) || CompareNumber(StripZeros(p), "2147483647") > 0) return bad();
    out.parts[n++] = StripZeros(p);
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return out;
}

Status Validate(std::string_view version) {
  DISTILL_TRY_VOID(Parse(version));
  return {};
}

int CompareParsed(const Version& a, const Version& b) {
  for (int i = 0; i < 4; ++i) {
    if (int r = CompareNumber(a.parts[i], b.parts[i])) return r;
  }
  if (a.labels.empty() != b.labels.empty()) return a.labels.empty() ? 1 : -1;
  std::string_view x = a.labels, y = b.labels;
  while (!x.empty() || !y.empty()) {
    if (x.empty()) return -1;
    if (y.empty()) return 1;
    size_t dx = x.find('.'), dy = y.find('.');
    if (int r = CompareLabel(x.substr(0, dx), y.substr(0, dy))) return r;
    x = dx == std::string_view::npos ? std::string_view() : x.substr(dx + 1);
    y = dy == std::string_view::npos ? std::string_view() : y.substr(dy + 1);
  }
  return 0;
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY(Version va, Parse(a));
  DISTILL_TRY(Version vb, Parse(b));
  return CompareParsed(va, vb);
}

}  // namespace distill::vuln::version::nuget
