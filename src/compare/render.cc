// compare's table, JSON and Markdown.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "compare/compare.h"
#include "util/units.h"

namespace distill::compare {

namespace {

std::string Size(uint64_t b) { return HumanBytes(b); }

int Total(const VulnCounts& v) { return v[0] + v[1] + v[2] + v[3] + v[4]; }

}  // namespace

std::vector<SummaryRow> Summary(const Comparison& c) {
  const Side &a = c.a, &b = c.b;
  std::vector<SummaryRow> rows = {
      {"Size (compressed)", Size(a.compressed), Size(b.compressed), Percent(a.compressed, b.compressed)},
      {"Size (uncompressed)", Size(a.uncompressed), Size(b.uncompressed), Percent(a.uncompressed, b.uncompressed)},
      {"Layers", std::to_string(a.layers.size()), std::to_string(b.layers.size()),
       fmt::format("{:+}", static_cast<long>(b.layers.size()) - static_cast<long>(a.layers.size()))},
      {"Files", std::to_string(a.files), std::to_string(b.files), Percent(a.files, b.files)},
      {"Packages", std::to_string(a.packages.size()), std::to_string(b.packages.size()),
       fmt::format("+{} -{} ~{}", c.added.size(), c.removed.size(), c.changed.size())},
  };
  if (a.vulns && b.vulns) {
    rows.push_back({"Vulnerabilities", std::to_string(Total(*a.vulns)), std::to_string(Total(*b.vulns)),
                    Percent(Total(*a.vulns), Total(*b.vulns))});
    for (int i = 4; i >= 0; --i)
      rows.push_back({fmt::format("  {}", kVulnLevels[i]), std::to_string((*a.vulns)[i]), std::to_string((*b.vulns)[i]),
                      fmt::format("{:+}", (*b.vulns)[i] - (*a.vulns)[i])});
  }
  rows.push_back({"Distroless", a.distroless ? "yes" : "no", b.distroless ? "yes" : "no", ""});
  rows.push_back({"Audit score", fmt::format("{}/100", a.score), fmt::format("{}/100", b.score), fmt::format("{:+}", b.score - a.score)});
  rows.push_back({"Audit findings", std::to_string(a.findings), std::to_string(b.findings),
                  fmt::format("{:+}", static_cast<long>(b.findings) - static_cast<long>(a.findings))});
  return rows;
}

std::string ShortDigest(std::string_view digest) {
  if (digest.starts_with("sha256:")) digest.remove_prefix(7);
  return std::string(digest.substr(0, 12));
}

namespace {

std::string OneLine(std::string s, size_t max) {
  for (char& ch : s)
    if (ch == '\n' || ch == '\t' || ch == '|') ch = ' ';
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

nlohmann::ordered_json SideJson(const Side& s) {
  using J = nlohmann::ordered_json;
  J layers = J::array();
  for (const auto& l : s.layers)
    layers.push_back({{"digest", l.digest}, {"compressed", l.compressed}, {"uncompressed", l.uncompressed}, {"created_by", l.created_by}});
  J j = {{"name", s.name}, {"distro", s.distro}, {"size", {{"compressed", s.compressed}, {"uncompressed", s.uncompressed}}},
         {"layer_count", s.layers.size()}, {"layers", layers}, {"files", s.files}, {"packages", s.packages.size()}};
  if (s.vulns) {
    J v = {{"total", Total(*s.vulns)}};
    for (int i = 4; i >= 0; --i) v[kVulnLevels[i]] = (*s.vulns)[i];
    j["vulnerabilities"] = v;
  } else {
    j["vulnerabilities"] = nullptr;
  }
  j["audit"] = {{"distroless", s.distroless}, {"score", s.score}, {"findings", s.findings}};
  return j;
}

nlohmann::ordered_json Changes(const std::vector<PackageChange>& v) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& p : v) {
    nlohmann::ordered_json o = {{"name", p.name}};
    if (!p.from.empty()) o["from"] = p.from;
    if (!p.to.empty()) o["to"] = p.to;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

void WriteTable(const Comparison& c, std::ostream& out) {
  auto rows = Summary(c);
  rows.insert(rows.begin(), SummaryRow{"", "A: " + c.a.name, "B: " + c.b.name, "change"});
  std::array<size_t, 3> w{};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.metric.size());
    w[1] = std::max(w[1], r.a.size());
    w[2] = std::max(w[2], r.b.size());
  }
  for (const auto& r : rows) out << fmt::format("{:<{}}  {:>{}}  {:>{}}  {}\n", r.metric, w[0], r.a, w[1], r.b, w[2], r.change);
  for (const Side* s : {&c.a, &c.b}) {
    if (s->layers.empty()) continue;
    out << fmt::format("\nLayers of {}:\n", s->name);
    out << fmt::format("  {:<3} {:<12}  {:>10}  {:>12}  {}\n", "#", "digest", "compressed", "uncompressed", "created by");
    for (size_t i = 0; i < s->layers.size(); ++i) {
      const auto& l = s->layers[i];
      out << fmt::format("  {:<3} {:<12}  {:>10}  {:>12}  {}\n", i, ShortDigest(l.digest), Size(l.compressed), Size(l.uncompressed),
                         OneLine(l.created_by, 60));
    }
  }
  out << fmt::format("\nPackages: {} added, {} removed, {} changed\n", c.added.size(), c.removed.size(), c.changed.size());
  for (const auto& p : c.added) out << fmt::format("  + {} {}\n", p.name, p.to);
  for (const auto& p : c.removed) out << fmt::format("  - {} {}\n", p.name, p.from);
  for (const auto& p : c.changed) out << fmt::format("  ~ {} {} -> {}\n", p.name, p.from, p.to);
}

nlohmann::ordered_json ToJson(const Comparison& c) {
  return {{"a", SideJson(c.a)},
          {"b", SideJson(c.b)},
          {"packages", {{"added", Changes(c.added)}, {"removed", Changes(c.removed)}, {"changed", Changes(c.changed)}}}};
}

void WriteMarkdown(const Comparison& c, std::ostream& out) {
  out << fmt::format("# {} vs {}\n\n", OneLine(c.a.name, 200), OneLine(c.b.name, 200));
  out << fmt::format("| | A: `{}` | B: `{}` | change |\n|---|---:|---:|---:|\n", OneLine(c.a.name, 200), OneLine(c.b.name, 200));
  for (const auto& r : Summary(c)) out << fmt::format("| {} | {} | {} | {} |\n", r.metric, r.a, r.b, r.change);
  for (const Side* s : {&c.a, &c.b}) {
    if (s->layers.empty()) continue;
    out << fmt::format("\n## Layers of `{}`\n\n| # | digest | compressed | uncompressed | created by |\n|---:|---|---:|---:|---|\n",
                       OneLine(s->name, 200));
    for (size_t i = 0; i < s->layers.size(); ++i) {
      const auto& l = s->layers[i];
      out << fmt::format("| {} | `{}` | {} | {} | {} |\n", i, ShortDigest(l.digest), Size(l.compressed), Size(l.uncompressed),
                         OneLine(l.created_by, 80));
    }
  }
  out << fmt::format("\n## Packages\n\n{} added, {} removed, {} changed\n\n", c.added.size(), c.removed.size(), c.changed.size());
  if (c.added.empty() && c.removed.empty() && c.changed.empty()) return;
  out << "| | package | A | B |\n|---|---|---|---|\n";
  for (const auto& p : c.added) out << fmt::format("| + | {} | | {} |\n", p.name, p.to);
  for (const auto& p : c.removed) out << fmt::format("| - | {} | {} | |\n", p.name, p.from);
  for (const auto& p : c.changed) out << fmt::format("| ~ | {} | {} | {} |\n", p.name, p.from, p.to);
}

}  // namespace distill::compare
