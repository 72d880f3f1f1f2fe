#include "vuln/version/apk.h"

#include <array>

namespace distill::vuln::version::apk {
namespace {

// Token kinds in the order apk-tools defines them: the order matters (a token may only be
// followed by kinds allowed after it, and when one side ends the kinds are compared).
enum Token {
  kInitialDigit,
  kDigit,
  kLetter,
  kSuffix,
  kSuffixNo,
  kCommitHash,
  kRevisionNo,
  kEnd,
  kInvalid
};

// Suffix ranks: pre-release suffixes rank below kNone, post-release ones above it.
enum Suffix { kSufInvalid, kAlpha, kBeta, kPre, kRc, kNone, kCvs, kSvn, kGit, kHg, kP };

struct SuffixName {
  std::string_view name;
  Suffix rank;
};
constexpr std::array<SuffixName, 9> kSuffixes = {{
    {"alpha", kAlpha},
    {"beta", kBeta},
    {"pre", kPre},
    {"rc", kRc},
    {"cvs", kCvs},
    {"svn", kSvn},
    {"git", kGit},
    {"hg", kHg},
    {"p", kP},
}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

Suffix SuffixRank(std::string_view suffix) {
  for (const auto& sn : kSuffixes) {
    if (sn.name == suffix) return sn.rank;
  }
  return kSufInvalid;
}

struct Lexer {
  std::string_view rest;
  Token token = kInitialDigit;
  Suffix suffix = kSufInvalid;
  std::string_view value;  // the token's text (digits without leading '.')

  void Digits() {
    size_t n = 0;
    while (n < rest.size() && IsDigit(rest[n])) ++n;
    value = rest.substr(0, n);
    rest.remove_prefix(n);
    if (n == 0) token = kInvalid;
  }
  void First() {
    token = kInitialDigit;
    Digits();
  }
  void Next();
};

void Lexer::Next() {
  if (rest.empty()) {
    token = kEnd;
    return;
  }
  char c = rest[0];
  if (IsLower(c)) {
    if (token > kDigit) {
      token = kInvalid;
      return;
    }
    value = rest.substr(0, 1);
    token = kLetter;
    rest.remove_prefix(1);
  } else if (c == '.' || IsDigit(c)) {
    if (c == '.') {
      if (token > kDigit) {
        token = kInvalid;
        return;
      }
      rest.remove_prefix(1);
    }
    // A digit run right after a letter ("6.6.2p1", OpenSSH's portable releases) continues the
    // number part, as in apk-tools 2.x and go-apk-version; apk-tools 3 stops there (invalid).
    if (token == kInitialDigit || token == kDigit || token == kLetter) {
      token = kDigit;
    } else if (token == kSuffix) {
      token = kSuffixNo;
    } else {
      token = kInvalid;
      return;
    }
    Digits();
  } else if (c == '_') {
    if (token > kSuffixNo) {
      token = kInvalid;
      return;
    }
    rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && IsLower(rest[n])) ++n;
    value = rest.substr(0, n);
    rest.remove_prefix(n);
    suffix = SuffixRank(value);
    token = suffix == kSufInvalid ? kInvalid : kSuffix;
  } else if (c == '~') {
    if (token >= kCommitHash) {
      token = kInvalid;
      return;
    }
    rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && IsHex(rest[n])) ++n;
    value = rest.substr(0, n);
    rest.remove_prefix(n);
    token = n == 0 ? kInvalid : kCommitHash;
  } else if (c == '-') {
    if (token >= kRevisionNo || rest.size() < 2 || rest[1] != 'r') {
      token = kInvalid;
      return;
    }
    rest.remove_prefix(2);
    token = kRevisionNo;
    Digits();
  } else {
    token = kInvalid;
  }
}

int Sign(int x) { return (x > 0) - (x < 0); }

// Numeric value compare at any length.
int CompareNumber(std::string_view a, std::string_view b) {
  while (!a.empty() && a[0] == '0') a.remove_prefix(1);
  while (!b.empty() && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

int CompareToken(const Lexer& a, const Lexer& b) {
  switch (a.token) {
    case kDigit:
      // A leading zero on either side: string order, as Gentoo.
      if (a.value[0] == '0' || b.value[0] == '0') return Sign(a.value.compare(b.value));
      return CompareNumber(a.value, b.value);
    case kInitialDigit:
    case kSuffixNo:
    case kRevisionNo:
      return CompareNumber(a.value, b.value);
    case kLetter:
      return Sign(a.value[0] - b.value[0]);
    case kSuffix:
      return Sign(static_cast<int>(a.suffix) - static_cast<int>(b.suffix));
    default:
      return Sign(a.value.compare(b.value));
  }
}

int CompareImpl(std::string_view a, std::string_view b, bool fuzzy) {
  Lexer la, lb;
  la.rest = a;
  lb.rest = b;
  la.First();
  lb.First();
  while (la.token == lb.token && la.token < kEnd) {
    if (int r = CompareToken(la, lb)) return r;
    la.Next();
    lb.Next();
  }
  if (la.token == lb.token) return 0;
  if (lb.token == kEnd && fuzzy) return 0;
  // Equal so far: the longer one is newer unless it continues with a pre-release suffix.
  if (la.token == kSuffix && la.suffix < kNone) return -1;
  if (lb.token == kSuffix && lb.suffix < kNone) return 1;
  if (la.token > lb.token) return -1;
  if (lb.token > la.token) return 1;
  return 0;
}

}  // namespace

bool IsValid(std::string_view version) {
  Lexer l;
  l.rest = version;
  for (l.First(); l.token < kEnd; l.Next()) {
  }
  return l.token == kEnd;
}

Status Validate(std::string_view version) {
  if (!IsValid(version)) return Errorf("invalid apk version \"{}\"", version);
  return {};
}

int Compare(std::string_view a, std::string_view b) { return CompareImpl(a, b, false); }
int CompareFuzzy(std::string_view a, std::string_view b) { return CompareImpl(a, b, true); }

Result<bool> Match(std::string_view a, std::string_view op, std::string_view b) {
  bool negate = !op.empty() && op[0] == '!';
  if (negate) op.remove_prefix(1);
  enum { kLess = 1, kEqual = 2, kGreater = 4, kFuzzy = 8 };
  int mask = 0;
  for (char c : op) {
    if (c == '<')
      mask |= kLess;
    else if (c == '>')
      mask |= kGreater;
    else if (c == '=')
      mask |= kEqual;
    else if (c == '~')
      mask |= kFuzzy | kEqual;
    else
      return Errorf("unknown apk version operator \"{}\"", op);
  }
  if (mask == 0) return Errorf("unknown apk version operator \"{}\"", op);
  int r = (mask & kFuzzy) ? CompareFuzzy(a, b) : Compare(a, b);
  int bit = r < 0 ? kLess : r > 0 ? kGreater : kEqual;
  bool ok = (bit & mask) != 0;
  return negate ? !ok : ok;
}

Result<int> CompareValid(std::string_view a, std::string_view b) {
  DISTILL_TRY_VOID(Validate(a));
  DISTILL_TRY_VOID(Validate(b));
  return Compare(a, b);
}

}  // namespace distill::vuln::version::apk
