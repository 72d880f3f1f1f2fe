#include "vuln/version/npm_range.h"

#include <optional>

#include "vuln/version/npm_desugar.h"
#include "vuln/version/semver.h"

namespace distill::vuln::version::npm {
namespace {

using namespace desugar;

// node's semver.version: canonical numbers, numeric pre-release identifiers as numbers
// ("01" -> "1"), no build. Always parses as strict SemVer.
std::string CanonicalVersion(const semver::Version& version) {
  semver::Version canon = version;
  canon.build = {};
  canon.prerelease = {};
  std::string out = semver::Format(canon);
  std::string_view pre = version.prerelease;
  for (char sep = '-'; !pre.empty(); sep = '.') {
    size_t dot = pre.find('.');
    std::string_view id = pre.substr(0, dot);
    bool numeric = true;
    for (char ch : id) numeric = numeric && IsDigit(ch);
    if (numeric) {
      while (id.size() > 1 && id[0] == '0') id.remove_prefix(1);
    }
    out += sep;
    out += id;
    pre = dot == std::string_view::npos ? std::string_view() : pre.substr(dot + 1);
  }
  return out;
}

// COMPARATOR(LOOSE): ^((?:<|>)?=?)\s?(version)$ | ^$
std::optional<Comparator> ParseComparator(std::string_view comp, bool loose) {
  Comparator c;
  if (comp.empty()) return c;
  size_t i = 0;
  if (comp[i] == '<' || comp[i] == '>') c.op += comp[i++];
  if (i < comp.size() && comp[i] == '=') c.op += comp[i++];
  if (i < comp.size() && comp[i] == ' ') ++i;
  std::string_view rest = comp.substr(i);
  if (rest.empty()) return std::nullopt;
  if (!loose && rest[0] != 'v' && !IsDigit(rest[0])) return std::nullopt;
  auto v = semver::Parse(rest, loose ? semver::Dialect::kLoose : semver::Dialect::kNode);
  if (!v.ok()) return std::nullopt;
  if (c.op == "=") c.op = "";
  c.version = CanonicalVersion(*v);
  return c;
}

std::string Canon(const Comparator& comparator) { return comparator.op + comparator.version; }

Result<std::vector<Comparator>> ParseSet(std::string_view part, const RangeOptions& options) {
  std::string r = StripBuilds(part, true);
  if (auto h = Hyphen(r, options)) r = *h;
  r = TrimOperatorSpace(r);
  r = TrimTildeCaretSpace(r);
  std::vector<std::string> comps;
  for (const std::string& w : SplitSpaces(r)) comps.push_back(ParseComparatorText(w, options));
  std::vector<std::string> list = SplitSpaces(Join(comps));
  // Every comparator is parsed (and may fail) before the null-set and duplicate rules apply.
  std::vector<Comparator> parsed;
  for (std::string& w : list) {
    std::string_view t = Trim(w);
    if (t == (options.include_prerelease ? ">=0.0.0-0" : ">=0.0.0")) t = "";
    auto c = ParseComparator(t, options.loose);
    if (!c) {
      if (options.loose) continue;  // loose mode throws invalid comparators away
      return Errorf("invalid comparator \"{}\"", t);
    }
    parsed.push_back(std::move(*c));
  }
  std::vector<Comparator> set;
  for (const Comparator& c : parsed) {
    if (Canon(c) == "<0.0.0-0") return std::vector<Comparator>{c};
    bool dup = false;
    for (const auto& e : set) dup = dup || Canon(e) == Canon(c);
    if (!dup) set.push_back(c);
  }
  if (set.size() > 1) {
    std::erase_if(set, [](const Comparator& comparator) { return Canon(comparator).empty(); });
  }
  return set;
}

int CompareVersions(const semver::Version& version, std::string_view b_text) {
  auto b = semver::Parse(b_text, semver::Dialect::kLoose);  // canonical, so always valid
  return b.ok() ? semver::CompareParsed(version, *b) : 1;
}

bool TestComparator(const Comparator& comparator, const semver::Version& version) {
  if (comparator.version.empty()) return true;
  int r = CompareVersions(version, comparator.version);
  if (comparator.op.empty()) return r == 0;
  if (comparator.op == "<") return r < 0;
  if (comparator.op == "<=") return r <= 0;
  if (comparator.op == ">") return r > 0;
  return r >= 0;
}

bool TestSet(const std::vector<Comparator>& set, const semver::Version& version,
             const RangeOptions& options) {
  for (const auto& c : set) {
    if (!TestComparator(c, version)) return false;
  }
  if (version.prerelease.empty() || options.include_prerelease) return true;
  for (const auto& c : set) {
    if (c.version.empty()) continue;
    auto allowed = semver::Parse(c.version, semver::Dialect::kLoose);
    if (!allowed.ok() || allowed->prerelease.empty()) continue;
    semver::Version a = *allowed, b = version;
    a.prerelease = b.prerelease = {};
    if (semver::CompareParsed(a, b) == 0) return true;
  }
  return false;
}

}  // namespace

Result<Range> ParseRange(std::string_view range, RangeOptions options) {
  Range out;
  out.options = options;
  std::string raw = NormalizeSpace(range);
  std::vector<std::vector<Comparator>> sets;
  size_t start = 0;
  while (true) {
    size_t bar = raw.find("||", start);
    std::string_view part = std::string_view(raw).substr(
        start, bar == std::string::npos ? std::string::npos : bar - start);
    auto set = ParseSet(Trim(part), options);
    if (!set.ok()) return Errorf("invalid npm range \"{}\": {}", range, set.error().message);
    if (!set->empty()) sets.push_back(std::move(*set));
    if (bar == std::string::npos) break;
    start = bar + 2;
  }
  if (sets.empty()) return Errorf("invalid npm range \"{}\"", range);
  if (sets.size() > 1) {
    auto first = sets[0];
    std::erase_if(sets, [](const auto& s) { return Canon(s[0]) == "<0.0.0-0"; });
    if (sets.empty()) {
      sets = {first};
    } else if (sets.size() > 1) {
      for (const auto& s : sets) {
        if (s.size() == 1 && Canon(s[0]).empty()) {
          sets = {s};
          break;
        }
      }
    }
  }
  out.sets = std::move(sets);
  return out;
}

std::string Range::ToString() const {
  std::string out;
  for (size_t i = 0; i < sets.size(); ++i) {
    if (i) out += "||";
    for (size_t k = 0; k < sets[i].size(); ++k) {
      if (k) out += ' ';
      out += Canon(sets[i][k]);
    }
  }
  return out;
}

bool Test(const Range& range, std::string_view version) {
  if (version.empty() || version.size() > 256) return false;
  auto v = semver::Parse(TrimJs(version),
                         range.options.loose ? semver::Dialect::kLoose : semver::Dialect::kNode);
  if (!v.ok()) return false;
  for (const auto& set : range.sets) {
    if (TestSet(set, *v, range.options)) return true;
  }
  return false;
}

bool Satisfies(std::string_view version, std::string_view range, RangeOptions options) {
  auto r = ParseRange(range, options);
  return r.ok() && Test(*r, version);
}

}  // namespace distill::vuln::version::npm
