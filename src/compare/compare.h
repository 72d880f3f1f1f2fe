// `distill compare A B`: two images side by side — sizes (total and per layer, compressed and
// uncompressed), layer and file counts, the package diff, vulnerabilities by severity (when a
// database is given) and the audit verdict. Logic only; render.cc and html.cc present it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "catalog/package.h"
#include "image/image.h"

namespace distill::compare {

struct LayerSize {
  std::string digest;
  uint64_t compressed = 0, uncompressed = 0;
  std::string created_by;
};

// Vulnerability counts by severity: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL (vuln::match::Level
// order).
using VulnCounts = std::array<int, 5>;
constexpr const char* kVulnLevels[] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

struct Side {
  std::string name;    // the source as given
  std::string distro;  // "debian 12", "" when unknown
  uint64_t compressed = 0,
           uncompressed = 0;  // dir: sources: compressed 0, uncompressed = file bytes
  std::vector<LayerSize> layers;
  uint64_t files = 0;
  std::map<std::string, std::string>
      packages;  // key (name, or type:name outside deb/apk/rpm) → version
  std::optional<VulnCounts> vulns;
  bool distroless = false;
  int score = 0;
  size_t findings = 0;
};

struct PackageChange {
  std::string name, from, to;  // from "" = added, to "" = removed
};

struct Comparison {
  Side a, b;
  std::vector<PackageChange> added, removed, changed;  // sorted by name
};

Side Summarize(const std::string& name, const image::LoadedImage& img, const catalog::Catalog& cat,
               const audit::Report& rep);
Comparison Compare(Side a, Side b);

// The summary every rendering shows, in order: sizes, layers, files, packages, vulnerabilities
// (total, then by severity, when a database was given), audit verdict, score and findings.
struct SummaryRow {
  std::string metric, a, b, change;
};
std::vector<SummaryRow> Summary(const Comparison& comparison);
// The first 12 hex digits of a digest (as docker shows image ids).
std::string ShortDigest(std::string_view digest);

void WriteTable(const Comparison& comparison, std::ostream& out);
nlohmann::ordered_json ToJson(const Comparison& comparison);
void WriteMarkdown(const Comparison& comparison, std::ostream& out);
// A self-contained page (inline CSS and SVG, no scripts, no external resources).
void WriteHtml(const Comparison& comparison, std::ostream& out);

// "-52.3%" style change from a to b ("n/a" when a is 0).
std::string Percent(double a, double b);

}  // namespace distill::compare
