#include "vuln/cvss4.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>

namespace distill::vuln {

namespace {

// The metrics a v4.0 vector may carry and the values each accepts ("|"-separated).
enum M {
  AV,
  AC,
  AT,
  PR,
  UI,
  VC,
  VI,
  VA,
  SC,
  SI,
  SA,  // base (required)
  E,   // threat
  CR,
  IR,
  AR,
  MAV,
  MAC,
  MAT,
  MPR,
  MUI,
  MVC,
  MVI,
  MVA,
  MSC,
  MSI,
  MSA,  // environmental
  S,
  AU,
  R,
  V,
  RE,
  U,  // supplemental
  kMetrics
};
constexpr int kBaseMetrics = SA + 1;

constexpr CvssMetric kTable[kMetrics] = {
    {"AV", "|N|A|L|P|"},    {"AC", "|L|H|"},
    {"AT", "|N|P|"},        {"PR", "|N|L|H|"},
    {"UI", "|N|P|A|"},      {"VC", "|H|L|N|"},
    {"VI", "|H|L|N|"},      {"VA", "|H|L|N|"},
    {"SC", "|H|L|N|"},      {"SI", "|H|L|N|"},
    {"SA", "|H|L|N|"},      {"E", "|X|A|P|U|"},
    {"CR", "|X|H|M|L|"},    {"IR", "|X|H|M|L|"},
    {"AR", "|X|H|M|L|"},    {"MAV", "|X|N|A|L|P|"},
    {"MAC", "|X|L|H|"},     {"MAT", "|X|N|P|"},
    {"MPR", "|X|N|L|H|"},   {"MUI", "|X|N|P|A|"},
    {"MVC", "|X|H|L|N|"},   {"MVI", "|X|H|L|N|"},
    {"MVA", "|X|H|L|N|"},   {"MSC", "|X|H|L|N|"},
    {"MSI", "|X|S|H|L|N|"}, {"MSA", "|X|S|H|L|N|"},
    {"S", "|X|N|P|"},       {"AU", "|X|N|Y|"},
    {"R", "|X|A|U|I|"},     {"V", "|X|D|C|"},
    {"RE", "|X|L|M|H|"},    {"U", "|X|Clear|Green|Amber|Red|"},
};

// The values of one vector, "X" (not defined) where absent.
using Values = std::array<std::string_view, kMetrics>;

// The value the formulas use (§8.4 "effective" values): a modified metric overrides its base
// metric unless it is X; E:X is the worst case A; CR/IR/AR:X are H.
char Eff(const Values& values, M m) {
  switch (m) {
    case E:
      return values[E] == "X" ? 'A' : values[E][0];
    case CR:
    case IR:
    case AR:
      return values[m] == "X" ? 'H' : values[m][0];
    default:
      break;
  }
  if (m <= SA) {
    std::string_view mod = values[MAV + m];  // MAV..MSA follow AV..SA in the same order
    if (mod != "X") return mod[0];
  }
  return values[m][0];
}

// The specification's macrovector scores (the "cvss_lookup" table published with the v4.0
// specification by FIRST, https://github.com/FIRSTdotorg/cvss-v4-calculator; BSD-2-Clause,
// Copyright FIRST, Red Hat, and contributors), keyed by the EQ1..EQ6 levels.
struct MacroScore {
  const char* key;
  double score;
};
constexpr MacroScore kMacroScores[] = {
    {"000000", 10.0}, {"000001", 9.9},  {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2},  {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1},  {"000121", 8.1},  {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9},
    {"000211", 8.0},  {"000220", 8.1},  {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5},  {"001011", 9.2},  {"001020", 9.0}, {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2},  {"001110", 8.9},  {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8},  {"001201", 8.0},  {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9},
    {"001221", 4.8},  {"002001", 9.2},  {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9},  {"002121", 5.0},  {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9},  {"010001", 9.7},  {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5},  {"010100", 9.5},  {"010101", 9.1}, {"010110", 9.0}, {"010111", 8.3},
    {"010120", 8.4},  {"010121", 7.1},  {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1},  {"010220", 7.2},  {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2},  {"011011", 8.5},  {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2},  {"011110", 8.0},  {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9},
    {"011200", 8.4},  {"011201", 7.0},  {"011210", 7.1}, {"011211", 5.2}, {"011220", 5.0},
    {"011221", 3.0},  {"012001", 8.6},  {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2},  {"012121", 2.9},  {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8},  {"100001", 9.5},  {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1},  {"100100", 9.4},  {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7},  {"100121", 6.4},  {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3},  {"100220", 6.3},  {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8},  {"101011", 7.7},  {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6},  {"101110", 7.4},  {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2},  {"101201", 5.7},  {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5},  {"102001", 8.3},  {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8},  {"102121", 2.6},  {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5},  {"110001", 9.0},  {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7.0},  {"110100", 9.0},  {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1},  {"110121", 5.3},  {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9},  {"110220", 5.2},  {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6},  {"111011", 6.7},  {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9},  {"111110", 5.7},  {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1},  {"111201", 5.2},  {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6},  {"112001", 7.1},  {"112011", 5.9}, {"112021", 3.0}, {"112101", 5.8},
    {"112111", 2.6},  {"112121", 1.5},  {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3},  {"200001", 8.7},  {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8},  {"200100", 8.6},  {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6},  {"200121", 3.4},  {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4.0},  {"200220", 4.0},  {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4},  {"201011", 5.5},  {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7},  {"201110", 5.5},  {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3},  {"201201", 3.6},  {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8},  {"202001", 6.4},  {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7},
    {"202111", 2.1},  {"202121", 1.1},  {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8},  {"210001", 7.5},  {"210010", 7.3}, {"210011", 5.3}, {"210020", 6.0},
    {"210021", 5.0},  {"210100", 7.3},  {"210101", 5.5}, {"210110", 5.9}, {"210111", 4.0},
    {"210120", 4.1},  {"210121", 2.0},  {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2},  {"210220", 2.0},  {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8},  {"211011", 4.5},  {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1},  {"211110", 4.8},  {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9},
    {"211200", 4.6},  {"211201", 1.8},  {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2},  {"212001", 5.3},  {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2},  {"212121", 0.5},  {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// Index of EQ levels e1 (0-2) e2 (0-1) e3 (0-2) e4 (0-2) e5 (0-2) e6 (0-1); -1 out of range.
int Index(int e1, int e2, int e3, int e4, int e5, int e6) {
  if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1) return -1;
  return ((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6;
}

const std::array<double, 324>& Scores() {
  static const std::array<double, 324> t = [] {
    std::array<double, 324> s;
    s.fill(kNone);
    for (const auto& m : kMacroScores) {
      const char* k = m.key;
      s[Index(k[0] - '0', k[1] - '0', k[2] - '0', k[3] - '0', k[4] - '0', k[5] - '0')] = m.score;
    }
    return s;
  }();
  return t;
}

double Score(int e1, int e2, int e3, int e4, int e5, int e6) {
  int i = Index(e1, e2, e3, e4, e5, e6);
  return i < 0 ? kNone : Scores()[i];
}

// Severity levels within a metric, in the specification's steps of 0.1 (0 = most severe).
double Level(M m, char v) {
  switch (m) {
    case AV:
      return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3;
    case PR:
      return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2;
    case UI:
      return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2;
    case AC:
      return v == 'L' ? 0.0 : 0.1;
    case AT:
      return v == 'N' ? 0.0 : 0.1;
    case VC:
    case VI:
    case VA:
      return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2;
    case SC:
    case SI:
    case SA:
      return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
    case CR:
    case IR:
    case AR:
      return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2;
    default:
      return 0.0;
  }
}

// The highest-severity vectors of each EQ level (the specification's "max composed" vectors),
// as the metric values they set. EQ3 and EQ6 are taken together: [eq3][eq6].
const std::initializer_list<std::string_view> kEq1Max[3] = {
    {"AV:N/PR:N/UI:N"},
    {"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"},
    {"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"}};
const std::initializer_list<std::string_view> kEq2Max[2] = {{"AC:L/AT:N"},
                                                            {"AC:H/AT:N", "AC:L/AT:P"}};
const std::initializer_list<std::string_view> kEq3Eq6Max[3][2] = {
    {{"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"},
     {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"}},
    {{"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"},
     {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
      "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
      "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"}},
    {{}, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"}}};
const std::initializer_list<std::string_view> kEq4Max[3] = {
    {"SC:H/SI:S/SA:S"}, {"SC:H/SI:H/SA:H"}, {"SC:L/SI:L/SA:L"}};
// Severity depth of each EQ level's macrovector, in steps (the specification's "max severity").
constexpr int kEq1Depth[3] = {1, 4, 5};
constexpr int kEq2Depth[2] = {1, 2};
constexpr int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
constexpr int kEq4Depth[3] = {6, 5, 4};

// Sets the metric values of a max-vector part ("AV:N/PR:N/UI:N") into `out`.
void SetParts(std::string_view part, std::array<char, kMetrics>& out) {
  while (!part.empty()) {
    size_t slash = part.find('/');
    std::string_view kv = part.substr(0, slash);
    size_t colon = kv.find(':');
    for (int m = 0; m < kMetrics; ++m)
      if (kTable[m].name == kv.substr(0, colon)) out[m] = kv[colon + 1];
    if (slash == std::string_view::npos) break;
    part.remove_prefix(slash + 1);
  }
}

Result<Values> Parse(std::string_view vector) {
  if (!vector.starts_with("CVSS:4.0/"))
    return Errorf("not a CVSS v4.0 vector (no \"CVSS:4.0/\" prefix)");
  Values v;
  v.fill("X");
  std::array<bool, kMetrics> seen{};
  std::string_view rest = vector.substr(9);
  for (bool more = true; more;) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    more = slash != std::string_view::npos;
    if (more) rest.remove_prefix(slash + 1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size())
      return Errorf("malformed metric \"{}\"", part);
    std::string_view name = part.substr(0, colon), value = part.substr(colon + 1);
    int m = 0;
    while (m < kMetrics && kTable[m].name != name) ++m;
    if (m == kMetrics) return Errorf("unknown metric \"{}\"", name);
    if (kTable[m].values.find("|" + std::string(value) + "|") == std::string_view::npos)
      return Errorf("invalid value \"{}\" for metric {}", value, name);
    if (seen[m]) return Errorf("metric {} given twice", name);
    seen[m] = true;
    v[m] = value;
  }
  for (int m = 0; m < kBaseMetrics; ++m)
    if (!seen[m]) return Errorf("missing base metric {}", kTable[m].name);
  return v;
}

double Compute(const Values& values) {
  std::array<char, kMetrics> e;  // effective values
  for (int m = 0; m < kMetrics; ++m) e[m] = m <= CR + 2 ? Eff(values, static_cast<M>(m)) : 'X';
  // No impact on any system: 0.0 (§8.2).
  if (e[VC] == 'N' && e[VI] == 'N' && e[VA] == 'N' && e[SC] == 'N' && e[SI] == 'N' && e[SA] == 'N')
    return 0.0;

  // The equivalence classes (§8.2 Table 24).
  bool n3 = e[AV] == 'N' && e[PR] == 'N' && e[UI] == 'N';
  bool any = e[AV] == 'N' || e[PR] == 'N' || e[UI] == 'N';
  int eq1 = n3 ? 0 : (any && e[AV] != 'P') ? 1 : 2;
  int eq2 = e[AC] == 'L' && e[AT] == 'N' ? 0 : 1;
  int eq3 = e[VC] == 'H' && e[VI] == 'H'                     ? 0
            : (e[VC] == 'H' || e[VI] == 'H' || e[VA] == 'H') ? 1
                                                             : 2;
  // EQ4 level 0 is the Safety value, only an environmental MSI/MSA can state it.
  bool safety = values[MSI] == "S" || values[MSA] == "S";
  int eq4 = safety ? 0 : (e[SC] == 'H' || e[SI] == 'H' || e[SA] == 'H') ? 1 : 2;
  int eq5 = e[E] == 'A' ? 0 : e[E] == 'P' ? 1 : 2;
  int eq6 = (e[CR] == 'H' && e[VC] == 'H') || (e[IR] == 'H' && e[VI] == 'H') ||
                    (e[AR] == 'H' && e[VA] == 'H')
                ? 0
                : 1;
  double value = Score(eq1, eq2, eq3, eq4, eq5, eq6);

  // The score of the next lower macrovector along each EQ (NaN: there is none).
  double lower1 = Score(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
  double lower2 = Score(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
  double lower36;
  if (eq3 == 0 && eq6 == 0) {  // two ways down: the higher one
    double left = Score(eq1, eq2, eq3, eq4, eq5, eq6 + 1),
           right = Score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    lower36 = left > right ? left : right;
  } else if (eq3 == 1 && eq6 == 0) {
    lower36 = Score(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
  } else if (eq3 == 2) {
    lower36 = kNone;
  } else {  // 01 → 11, 11 → 21
    lower36 = Score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
  }
  double lower4 = Score(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
  double lower5 = Score(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

  // The vector's severity distance from the first highest-severity vector of its macrovector
  // that it does not exceed in any metric.
  constexpr M kDistance[] = {AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR};
  std::array<double, kMetrics> d{};
  auto distances = [&] {
    for (auto p1 : kEq1Max[eq1])
      for (auto p2 : kEq2Max[eq2])
        for (auto p36 : kEq3Eq6Max[eq3][eq6])
          for (auto p4 : kEq4Max[eq4]) {
            std::array<char, kMetrics> max{};
            SetParts(p1, max), SetParts(p2, max), SetParts(p36, max), SetParts(p4, max);
            bool below = true;
            for (M m : kDistance) {
              d[m] = Level(m, e[m]) - Level(m, max[m]);
              below &= d[m] >= 0;
            }
            if (below) return;
          }
  };
  distances();
  double dist1 = d[AV] + d[PR] + d[UI];
  double dist2 = d[AC] + d[AT];
  double dist36 = d[VC] + d[VI] + d[VA] + d[CR] + d[IR] + d[AR];
  double dist4 = d[SC] + d[SI] + d[SA];

  constexpr double kStep = 0.1;
  int n = 0;
  double sum = 0;
  auto add = [&](double lower, double distance, double depth) {
    double available = value - lower;
    if (std::isnan(available)) return;
    ++n;
    sum += available * (distance / (depth * kStep));
  };
  add(lower1, dist1, kEq1Depth[eq1]);
  add(lower2, dist2, kEq2Depth[eq2]);
  add(lower36, dist36, kEq3Eq6Depth[eq3][eq6]);
  add(lower4, dist4, kEq4Depth[eq4]);
  if (!std::isnan(value - lower5)) ++n;  // EQ5 (E) has no distance within its macrovector
  if (n > 0) value -= sum / n;
  value = std::min(10.0, std::max(0.0, value));
  // One decimal, halves up; the epsilon absorbs binary error (6.85 computed as 6.8499999...).
  return std::floor((value + 1e-6) * 10 + 0.5) / 10;
}

}  // namespace

Result<CvssScore> CvssV4Score(std::string_view vector) {
  auto v = Parse(vector);
  if (!v.ok()) return v.error().wrap(fmt::format("CVSS vector \"{}\"", vector));
  double score = Compute(*v);
  return CvssScore{"4.0", score, std::string(CvssRating(score))};
}

}  // namespace distill::vuln
