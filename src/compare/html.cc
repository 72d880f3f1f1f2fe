// compare --html: one self-contained page — inline CSS and SVG bar charts (size, vulnerabilities
// by severity), then what `compare` prints: the summary rows (Summary(), shared with the table),
// each image's layers and the package diff, at the page's width. No scripts, fonts or links to
// fetch.
#include <algorithm>

#include <fmt/format.h>

#include "compare/compare.h"
#include "util/units.h"

namespace distill::compare {

namespace {

constexpr const char* kColorA = "#4e79a7";
constexpr const char* kColorB = "#f28e2b";

std::string Esc(std::string_view text) {
  std::string o;
  for (char c : text) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string Mb(uint64_t b) { return fmt::format("{:.1f} MB", b / 1e6); }

struct Group {
  std::string label;
  double a, b;
  std::string a_text, b_text;
};

// Grouped vertical bars: per group one bar for A, one for B, scaled to the largest value.
std::string BarChart(const std::string& title, const std::vector<Group>& groups) {
  const int w = 120 * static_cast<int>(groups.size()) + 60, h = 260, base = 210, top = 30;
  double max = 0;
  for (const auto& g : groups) max = std::max({max, g.a, g.b});
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" "
      "aria-label=\"{}\">\n<text x=\"10\" y=\"18\" class=\"t\">{}</text>\n<line x1=\"40\" "
      "y1=\"{}\" x2=\"{}\" y2=\"{}\" "
      "stroke=\"#888\"/>\n",
      w, h, w, h, Esc(title), Esc(title), base, w - 10, base);
  for (size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    int x = 50 + static_cast<int>(i) * 120;
    for (int k = 0; k < 2; ++k) {
      double v = k == 0 ? g.a : g.b;
      int bh = max > 0 ? static_cast<int>(v / max * (base - top)) : 0;
      if (v > 0 && bh < 2) bh = 2;
      int bx = x + k * 46;
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"40\" height=\"{}\" fill=\"{}\"><title>{}: "
          "{}</title></rect>\n",
          bx, base - bh, bh, k == 0 ? kColorA : kColorB, k == 0 ? "A" : "B",
          Esc(k == 0 ? g.a_text : g.b_text));
      svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"v\">{}</text>\n", bx + 20, base - bh - 4,
                         Esc(k == 0 ? g.a_text : g.b_text));
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"l\">{}</text>\n", x + 43, base + 18,
                       Esc(g.label));
  }
  svg += "</svg>\n";
  return svg;
}

// One image's layers as `compare`'s table lists them.
void LayerTable(std::ostream& out, const Side& side, const char* cls) {
  if (side.layers.empty()) return;
  out << fmt::format("<h2>Layers of <span class=\"{}\">{}</span></h2>\n<table class=\"wide\">\n",
                     cls, Esc(side.name));
  out << "<tr><th>#</th><th>digest</th><th>compressed</th><th>uncompressed</th><th "
         "class=\"text\">created by</th></tr>\n";
  for (size_t i = 0; i < side.layers.size(); ++i) {
    const LayerSize& l = side.layers[i];
    out << fmt::format(
        "<tr><td>{}</td><td><code title=\"{}\">{}</code></td><td>{}</td><td>{}</td><td "
        "class=\"text\">{}</td></tr>\n",
        i, Esc(l.digest), Esc(ShortDigest(l.digest)), Esc(HumanBytes(l.compressed)),
        Esc(HumanBytes(l.uncompressed)), Esc(l.created_by));
  }
  out << "</table>\n";
}

}  // namespace

void WriteHtml(const Comparison& comparison, std::ostream& out) {
  const Side &a = comparison.a, &b = comparison.b;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out << fmt::format("<title>distill compare: {} vs {}</title>\n", Esc(a.name), Esc(b.name));
  out << "<style>\nbody{font-family:sans-serif;margin:2em;color:#222}\ntable{border-collapse:"
         "collapse;margin:1em 0}\n"
         "td,th{border:1px solid #ccc;padding:4px "
         "10px;text-align:right}\nth{text-align:left;background:#f4f4f4}\n"
         ".t{font:bold 14px sans-serif}.v{font:11px sans-serif;text-anchor:middle}.l{font:12px "
         "sans-serif;text-anchor:middle}\n"
         ".a{color:"
      << kColorA << "}.b{color:" << kColorB
      << "}.add{color:#2a7}.rem{color:#c33}.chg{color:#a60}\n"
         ".charts{display:flex;flex-wrap:wrap;gap:2em}.charts svg{flex:1 1 "
         "24em;max-width:48em;height:auto}\n"
         "table.wide{width:100%}td.text,th.text{text-align:left;word-break:break-all}\n</style></"
         "head><body>\n";
  out << fmt::format(
      "<h1>distill compare</h1>\n<p><b class=\"a\">A</b>: {} &nbsp; <b class=\"b\">B</b>: {}</p>\n",
      Esc(a.name), Esc(b.name));
  out << "<div class=\"charts\">\n";
  out << BarChart("Size", {{"compressed", double(a.compressed), double(b.compressed),
                            Mb(a.compressed), Mb(b.compressed)},
                           {"uncompressed", double(a.uncompressed), double(b.uncompressed),
                            Mb(a.uncompressed), Mb(b.uncompressed)}});
  if (a.vulns && b.vulns) {
    std::vector<Group> g;
    for (int i = 4; i >= 0; --i)
      g.push_back({kVulnLevels[i], double((*a.vulns)[i]), double((*b.vulns)[i]),
                   std::to_string((*a.vulns)[i]), std::to_string((*b.vulns)[i])});
    out << BarChart("Vulnerabilities by severity", g);
  } else {
    out << "<p>Vulnerabilities: no database given (<code>--db</code>).</p>\n";
  }
  out << "</div>\n<h2>Summary</h2>\n<table class=\"wide\">\n<tr><th></th><th class=\"a\">A</th><th "
         "class=\"b\">B</th><th>change</th></tr>\n";
  for (const SummaryRow& row : Summary(comparison))
    out << fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n", Esc(row.metric),
                       Esc(row.a), Esc(row.b), Esc(row.change));
  out << "</table>\n";
  LayerTable(out, a, "a");
  LayerTable(out, b, "b");
  out << fmt::format("<h2>Packages</h2>\n<p>{} added, {} removed, {} changed</p>\n",
                     comparison.added.size(), comparison.removed.size(), comparison.changed.size());
  if (!comparison.added.empty() || !comparison.removed.empty() || !comparison.changed.empty()) {
    out << "<table class=\"wide\">\n<tr><th></th><th>package</th><th class=\"a\">A</th><th "
           "class=\"b\">B</th></tr>\n";
    for (const auto& p : comparison.added)
      out << fmt::format("<tr class=\"add\"><th>+</th><th>{}</th><td></td><td>{}</td></tr>\n",
                         Esc(p.name), Esc(p.to));
    for (const auto& p : comparison.removed)
      out << fmt::format("<tr class=\"rem\"><th>-</th><th>{}</th><td>{}</td><td></td></tr>\n",
                         Esc(p.name), Esc(p.from));
    for (const auto& p : comparison.changed)
      out << fmt::format("<tr class=\"chg\"><th>~</th><th>{}</th><td>{}</td><td>{}</td></tr>\n",
                         Esc(p.name), Esc(p.from), Esc(p.to));
    out << "</table>\n";
  }
  out << "</body></html>\n";
}

}  // namespace distill::compare
