#include "vuln/cvss.h"

#include <cmath>
#include <map>
#include <span>
#include <string>

namespace distill::vuln {

namespace {

// Base metrics, in the specification's order (§6 Table 15).
constexpr CvssMetric kBase[] = {{"AV", "|N|A|L|P|"}, {"AC", "|L|H|"}, {"PR", "|N|L|H|"},
                                {"UI", "|N|R|"},     {"S", "|U|C|"},  {"C", "|H|L|N|"},
                                {"I", "|H|L|N|"},    {"A", "|H|L|N|"}};
// Temporal and environmental metrics: valid in a vector, ignored by the base score.
constexpr CvssMetric kOther[] = {
    {"E", "|X|U|P|F|H|"}, {"RL", "|X|O|T|W|U|"}, {"RC", "|X|U|R|C|"},    {"CR", "|X|L|M|H|"},
    {"IR", "|X|L|M|H|"},  {"AR", "|X|L|M|H|"},   {"MAV", "|X|N|A|L|P|"}, {"MAC", "|X|L|H|"},
    {"MPR", "|X|N|L|H|"}, {"MUI", "|X|N|R|"},    {"MS", "|X|U|C|"},      {"MC", "|X|N|L|H|"},
    {"MI", "|X|N|L|H|"},  {"MA", "|X|N|L|H|"}};

// The metrics of a vector (after its "CVSS:x.y/" prefix): every part "NAME:VALUE" must be a known
// metric with a valid value, each at most once; every base metric is required. Returns the base
// metrics' values. (One parser for CVSS v2 and v3.x: only the tables differ.)
Result<std::map<std::string_view, std::string_view>> ParseMetrics(
    std::string_view rest, std::span<const CvssMetric> base, std::span<const CvssMetric> other) {
  std::map<std::string_view, std::string_view> out;
  std::map<std::string_view, bool> seen;
  for (bool more = true; more;) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    more = slash != std::string_view::npos;
    if (more) rest = rest.substr(slash + 1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon + 1 == part.size())
      return Errorf("malformed metric \"{}\"", part);
    std::string_view name = part.substr(0, colon), value = part.substr(colon + 1);
    const CvssMetric* m = nullptr;
    bool is_base = false;
    for (const auto& b : base)
      if (b.name == name) m = &b, is_base = true;
    for (const auto& o : other)
      if (o.name == name) m = &o;
    if (!m) return Errorf("unknown metric \"{}\"", name);
    if (m->values.find("|" + std::string(value) + "|") == std::string_view::npos)
      return Errorf("invalid value \"{}\" for metric {}", value, name);
    if (seen[m->name]) return Errorf("metric {} given twice", name);
    seen[m->name] = true;
    if (is_base) out[m->name] = value;
  }
  for (const auto& b : base)
    if (!out.count(b.name)) return Errorf("missing base metric {}", b.name);
  return out;
}

// v3.1 Appendix A: round up to one decimal, on an integer to avoid floating-point error.
double Roundup31(double x) {
  auto i = static_cast<long long>(std::llround(x * 100000));
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000) + 1) / 10.0;
}

// v3.0 §8.1: "the smallest number, specified to one decimal place, that is equal to or higher
// than its input", as the v3.0 reference calculator computes it.
double Roundup30(double x) { return std::ceil(x * 10) / 10; }

double Weight(std::string_view metric, char v, bool changed) {
  switch (metric[0]) {
    case 'A':
      if (metric == "AV") return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
      if (metric == "AC") return v == 'L' ? 0.77 : 0.44;
      break;
    case 'P':
      if (v == 'N') return 0.85;
      if (v == 'L') return changed ? 0.68 : 0.62;
      return changed ? 0.5 : 0.27;
    case 'U':
      return v == 'N' ? 0.85 : 0.62;
  }
  return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0;  // C, I, A
}

}  // namespace

std::string_view CvssRating(double score) {
  if (score <= 0) return "none";
  if (score < 4.0) return "low";
  if (score < 7.0) return "medium";
  if (score < 9.0) return "high";
  return "critical";
}

Result<CvssScore> CvssV3BaseScore(std::string_view vector) {
  auto fail = [&](const Error& error) {
    return error.wrap(fmt::format("CVSS vector \"{}\"", vector));
  };
  std::string version;
  if (vector.starts_with("CVSS:3.1/")) {
    version = "3.1";
  } else if (vector.starts_with("CVSS:3.0/")) {
    version = "3.0";
  } else {
    return fail(Errorf("not a CVSS v3.0 or v3.1 vector (no \"CVSS:3.x/\" prefix)"));
  }
  auto metrics = ParseMetrics(vector.substr(9), kBase, kOther);
  if (!metrics.ok()) return fail(metrics.error());
  auto& m = *metrics;
  bool changed = m["S"] == "C";
  auto w = [&](std::string_view name) { return Weight(name, m[name][0], changed); };
  double iss = 1 - (1 - w("C")) * (1 - w("I")) * (1 - w("A"));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * w("AV") * w("AC") * w("PR") * w("UI");
  auto roundup = version == "3.1" ? Roundup31 : Roundup30;
  double base = 0;
  if (impact > 0) {
    double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
    base = roundup(std::min(sum, 10.0));
  }
  return CvssScore{version, base, std::string(CvssRating(base))};
}

namespace {

// v2 metrics: base (weights), then the temporal/environmental ones a vector may carry.
constexpr CvssMetric kV2Base[] = {{"AV", "|L|A|N|"}, {"AC", "|H|M|L|"}, {"Au", "|M|S|N|"},
                                  {"C", "|N|P|C|"},  {"I", "|N|P|C|"},  {"A", "|N|P|C|"}};
constexpr CvssMetric kV2Other[] = {{"E", "|U|POC|F|H|ND|"}, {"RL", "|OF|TF|W|U|ND|"},
                                   {"RC", "|UC|UR|C|ND|"},  {"CDP", "|N|L|LM|MH|H|ND|"},
                                   {"TD", "|N|L|M|H|ND|"},  {"CR", "|L|M|H|ND|"},
                                   {"IR", "|L|M|H|ND|"},    {"AR", "|L|M|H|ND|"}};

double V2Weight(std::string_view metric, char v) {
  if (metric == "AV") return v == 'L' ? 0.395 : v == 'A' ? 0.646 : 1.0;
  if (metric == "AC") return v == 'H' ? 0.35 : v == 'M' ? 0.61 : 0.71;
  if (metric == "Au") return v == 'M' ? 0.45 : v == 'S' ? 0.56 : 0.704;
  return v == 'N' ? 0 : v == 'P' ? 0.275 : 0.660;  // C, I, A
}

}  // namespace

Result<CvssScore> CvssV2BaseScore(std::string_view vector) {
  auto fail = [&](const Error& error) {
    return error.wrap(fmt::format("CVSS vector \"{}\"", vector));
  };
  std::string_view v = vector;
  if (v.size() >= 2 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  if (v.starts_with("CVSS:2.0/")) v.remove_prefix(9);
  auto metrics = ParseMetrics(v, kV2Base, kV2Other);
  if (!metrics.ok()) return fail(metrics.error());
  auto& m = *metrics;
  auto w = [&](std::string_view name) { return V2Weight(name, m[name][0]); };
  double impact = 10.41 * (1 - (1 - w("C")) * (1 - w("I")) * (1 - w("A")));
  double exploitability = 20 * w("AV") * w("AC") * w("Au");
  // f(Impact) = 0 when Impact is 0: the score is 0 (not the -0.0 the product would give).
  double base = impact == 0
                    ? 0
                    : std::round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * 1.176 * 10) / 10;
  std::string rating = base < 4.0 ? "low" : base < 7.0 ? "medium" : "high";
  return CvssScore{"2.0", base, rating};
}

}  // namespace distill::vuln
