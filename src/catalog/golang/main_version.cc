#include "catalog/golang/main_version.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace distill::catalog::golang {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A numeric version field: digits, no leading zero (semver 2.0.0 §2).
bool Number(std::string_view text) {
  return AllDigits(text) && (text.size() == 1 || text[0] != '0');
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when
// `numeric_rule` (pre-release, §9; build metadata has no such rule, §10).
bool Identifiers(std::string_view text, bool numeric_rule) {
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view id =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    for (char c : id)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (numeric_rule && AllDigits(id) && !Number(id)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// MAJOR.MINOR.PATCH[-pre][+build], with or without a leading "v".
bool IsSemver(std::string_view version) {
  if (version.starts_with('v')) version.remove_prefix(1);
  size_t plus = version.find('+');
  if (plus != std::string_view::npos) {
    if (!Identifiers(version.substr(plus + 1), false)) return false;
    version = version.substr(0, plus);
  }
  size_t dash = version.find('-');
  if (dash != std::string_view::npos) {
    if (!Identifiers(version.substr(dash + 1), true)) return false;
    version = version.substr(0, dash);
  }
  size_t a = version.find('.'), b = a == std::string_view::npos ? a : version.find('.', a + 1);
  if (b == std::string_view::npos) return false;
  return Number(version.substr(0, a)) && Number(version.substr(a + 1, b - a - 1)) &&
         Number(version.substr(b + 1));
}

bool VersionVariable(std::string_view name) {
  std::string n = Lower(name);
  return n == "ver" || n.ends_with("version") || n.ends_with("tag");
}

// Where a -X variable's package ranks (lower first): the main package or the main module's, a
// package named version/common/cmd, any other.
int Rank(std::string_view package, std::string_view main_module) {
  if (package == "main" ||
      (!main_module.empty() && (package == main_module || (package.starts_with(main_module) &&
                                                           package[main_module.size()] == '/'))))
    return 0;
  std::string_view last = package.substr(package.rfind('/') + 1);
  return last == "version" || last == "common" || last == "cmd" ? 1 : 2;
}

// The -X operands of the linker's command line: "-X a.b=c", "-X=a.b=c", and with "--".
std::vector<std::string> XAssignments(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.starts_with("--")) w.remove_prefix(1);
    if (w == "-X" && i + 1 < words.size()) {
      out.push_back(words[++i]);
    } else if (w.starts_with("-X=")) {
      out.emplace_back(w.substr(3));
    }
  }
  return out;
}

std::string_view TrimQuotes(std::string_view text) {
  while (!text.empty() && (text.front() == '\'' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == '\'' || text.back() == '"')) text.remove_suffix(1);
  return text;
}

// "2022-03-15T12:34:56Z" (with optional fraction) → "20220315123456"; Go writes vcs.time in UTC.
std::string PseudoTime(std::string_view text) {
  constexpr std::string_view kZero = "00010101000000";
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z')
    return std::string(kZero);
  std::string out;
  for (auto [pos, len] : std::array<std::pair<size_t, size_t>, 6>{
           {{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}}}) {
    if (!AllDigits(text.substr(pos, len))) return std::string(kZero);
    out += text.substr(pos, len);
  }
  std::string_view rest = text.substr(19, text.size() - 20);  // between the seconds and the Z
  if (!rest.empty() && (rest[0] != '.' || !AllDigits(rest.substr(1)))) return std::string(kZero);
  return out;
}

}  // namespace

std::vector<std::string> SplitQuoted(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (true) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) return out;
    if (text[i] == '"' || text[i] == '\'') {
      size_t end = text.find(text[i], i + 1);
      if (end == std::string_view::npos) return {};
      out.emplace_back(text.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    out.emplace_back(text.substr(start, i - start));
  }
}

std::string VersionFromLdflags(std::string_view ldflags, std::string_view main_module) {
  std::array<std::vector<std::string>, 3> found;  // distinct versions by rank
  for (const std::string& x : XAssignments(SplitQuoted(ldflags))) {
    std::string_view a = TrimQuotes(x);
    size_t eq = a.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = a.substr(0, eq), value = a.substr(eq + 1);
    size_t dot = key.rfind('.'), slash = key.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) continue;
    if (!VersionVariable(key.substr(dot + 1))) continue;
    value = value.substr(value.rfind('/') + 1);  // refs/tags/v1.2.3
    if (!IsSemver(value)) continue;
    std::string v = value.starts_with('v') ? std::string(value) : "v" + std::string(value);
    auto& rank = found[Rank(key.substr(0, dot), main_module)];
    if (std::find(rank.begin(), rank.end(), v) == rank.end()) rank.push_back(v);
  }
  for (const auto& rank : found)
    if (!rank.empty()) return rank.size() == 1 ? rank[0] : "";
  return "";
}

std::string MainModuleVersion(const BuildInfo& bi) {
  if (!bi.main.version.empty() && bi.main.version != "(devel)") return bi.main.version;
  std::string v = VersionFromLdflags(bi.Setting("-ldflags"), bi.main.path);
  if (!v.empty()) return v;
  std::string rev = bi.Setting("vcs.revision"), time = bi.Setting("vcs.time");
  if (!rev.empty() && !time.empty()) return "v0.0.0-" + PseudoTime(time) + "-" + rev.substr(0, 12);
  return bi.main.version;
}

}  // namespace distill::catalog::golang
