// compare's table, JSON and Markdown.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "compare/compare.h"
#include "util/units.h"

namespace distill::compare {

namespace {

std::string Size(uint64_t b) { return HumanBytes(b); }

int Total(const VulnCounts& counts) {
  return counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
}

}  // namespace

std::vector<SummaryRow> Summary(const Comparison& comparison) {
  const Side &a = comparison.a, &b = comparison.b;
  std::vector<SummaryRow> rows = {
      {"Size (compressed)", Size(a.compressed), Size(b.compressed),
       Percent(a.compressed, b.compressed)},
      {"Size (uncompressed)", Size(a.uncompressed), Size(b.uncompressed),
       Percent(a.uncompressed, b.uncompressed)},
      {"Layers", std::to_string(a.layers.size()), std::to_string(b.layers.size()),
       fmt::format("{:+}",
                   static_cast<long>(b.layers.size()) - static_cast<long>(a.layers.size()))},
      {"Files", std::to_string(a.files), std::to_string(b.files), Percent(a.files, b.files)},
      {"Packages", std::to_string(a.packages.size()), std::to_string(b.packages.size()),
       fmt::format("+{} -{} ~{}", comparison.added.size(), comparison.removed.size(),
                   comparison.changed.size())},
  };
  if (a.vulns && b.vulns) {
    rows.push_back({"Vulnerabilities", std::to_string(Total(*a.vulns)),
                    std::to_string(Total(*b.vulns)), Percent(Total(*a.vulns), Total(*b.vulns))});
    for (int i = 4; i >= 0; --i)
      rows.push_back({fmt::format("  {}", kVulnLevels[i]), std::to_string((*a.vulns)[i]),
                      std::to_string((*b.vulns)[i]),
                      fmt::format("{:+}", (*b.vulns)[i] - (*a.vulns)[i])});
  }
  rows.push_back({"Distroless", a.distroless ? "yes" : "no", b.distroless ? "yes" : "no", ""});
  rows.push_back({"Audit score", fmt::format("{}/100", a.score), fmt::format("{}/100", b.score),
                  fmt::format("{:+}", b.score - a.score)});
  rows.push_back(
      {"Audit findings", std::to_string(a.findings), std::to_string(b.findings),
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

nlohmann::ordered_json SideJson(const Side& side) {
  using J = nlohmann::ordered_json;
  J layers = J::array();
  for (const auto& l : side.layers)
    layers.push_back({{"digest", l.digest},
                      {"compressed", l.compressed},
                      {"uncompressed", l.uncompressed},
                      {"created_by", l.created_by}});
  J j = {{"name", side.name},
         {"distro", side.distro},
         {"size", {{"compressed", side.compressed}, {"uncompressed", side.uncompressed}}},
         {"layer_count", side.layers.size()},
         {"layers", layers},
         {"files", side.files},
         {"packages", side.packages.size()}};
  if (side.vulns) {
    J v = {{"total", Total(*side.vulns)}};
    for (int i = 4; i >= 0; --i) v[kVulnLevels[i]] = (*side.vulns)[i];
    j["vulnerabilities"] = v;
  } else {
    j["vulnerabilities"] = nullptr;
  }
  j["audit"] = {
      {"distroless", side.distroless}, {"score", side.score}, {"findings", side.findings}};
  return j;
}

nlohmann::ordered_json Changes(const std::vector<PackageChange>& changes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& p : changes) {
    nlohmann::ordered_json o = {{"name", p.name}};
    if (!p.from.empty()) o["from"] = p.from;
    if (!p.to.empty()) o["to"] = p.to;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

void WriteTable(const Comparison& comparison, std::ostream& out) {
  auto rows = Summary(comparison);
  rows.insert(rows.begin(),
              SummaryRow{"", "A: " + comparison.a.name, "B: " + comparison.b.name, "change"});
  std::array<size_t, 3> w{};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.metric.size());
    w[1] = std::max(w[1], r.a.size());
    w[2] = std::max(w[2], r.b.size());
  }
  for (const auto& r : rows)
    out << fmt::format("{:<{}}  {:>{}}  {:>{}}  {}\n", r.metric, w[0], r.a, w[1], r.b, w[2],
                       r.change);
  for (const Side* s : {&comparison.a, &comparison.b}) {
    if (s->layers.empty()) continue;
    out << fmt::format("\nLayers of {}:\n", s->name);
    out << fmt::format("  {:<3} {:<12}  {:>10}  {:>12}  {}\n", "#", "digest", "compressed",
                       "uncompressed", "created by");
    for (size_t i = 0; i < s->layers.size(); ++i) {
      const auto& l = s->layers[i];
      out << fmt::format("  {:<3} {:<12}  {:>10}  {:>12}  {}\n", i, ShortDigest(l.digest),
                         Size(l.compressed), Size(l.uncompressed), OneLine(l.created_by, 60));
    }
  }
  out << fmt::format("\nPackages: {} added, {} removed, {} changed\n", comparison.added.size(),
                     comparison.removed.size(), comparison.changed.size());
  for (const auto& p : comparison.added) out << fmt::format("  + {} {}\n", p.name, p.to);
  for (const auto& p : comparison.removed) out << fmt::format("  - {} {}\n", p.name, p.from);
  for (const auto& p : comparison.changed)
    out << fmt::format("  ~ {} {} -> {}\n", p.name, p.from, p.to);
}

nlohmann::ordered_json ToJson(const Comparison& comparison) {
  return {{"a", SideJson(comparison.a)},
          {"b", SideJson(comparison.b)},
          {"packages",
           {{"added", Changes(comparison.added)},
            {"removed", Changes(comparison.removed)},
            {"changed", Changes(comparison.changed)}}}};
}

void WriteMarkdown(const Comparison& comparison, std::ostream& out) {
  out << fmt::format("# {} vs {}\n\n", OneLine(comparison.a.name, 200),
                     OneLine(comparison.b.name, 200));
  out << fmt::format("| | A: `{}` | B: `{}` | change |\n|---|---:|---:|---:|\n",
                     OneLine(comparison.a.name, 200), OneLine(comparison.b.name, 200));
  for (const auto& r : Summary(comparison))
    out << fmt::format("| {} | {} | {} | {} |\n", r.metric, r.a, r.b, r.change);
  for (const Side* s : {&comparison.a, &comparison.b}) {
    if (s->layers.empty()) continue;
    out << fmt::format(
        "\n## Layers of `{}`\n\n| # | digest | compressed | uncompressed | created by "
        "|\n|---:|---|---:|---:|---|\n",
        OneLine(s->name, 200));
    for (size_t i = 0; i < s->layers.size(); ++i) {
      const auto& l = s->layers[i];
      out << fmt::format("| {} | `{}` | {} | {} | {} |\n", i, ShortDigest(l.digest),
                         Size(l.compressed), Size(l.uncompressed), OneLine(l.created_by, 80));
    }
  }
  out << fmt::format("\n## Packages\n\n{} added, {} removed, {} changed\n\n",
                     comparison.added.size(), comparison.removed.size(), comparison.changed.size());
  if (comparison.added.empty() && comparison.removed.empty() && comparison.changed.empty()) return;
  out << "| | package | A | B |\n|---|---|---|---|\n";
  for (const auto& p : comparison.added) out << fmt::format("| + | {} | | {} |\n", p.name, p.to);
  for (const auto& p : comparison.removed)
    out << fmt::format("| - | {} | {} | |\n", p.name, p.from);
  for (const auto& p : comparison.changed)
    out << fmt::format("| ~ | {} | {} | {} |\n", p.name, p.from, p.to);
}

}  // namespace distill::compare
