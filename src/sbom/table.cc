#include "sbom/table.h"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

namespace distill::sbom::table {

Status Encode(const Sbom& sbom, std::ostream& out) {
  using Row = std::array<std::string, 3>;
  std::set<Row> rows;
  for (const auto& p : sbom.catalog.packages) rows.insert({p.name, p.version, p.type});
  if (rows.empty()) {
    out << "No packages discovered\n";
    return out ? Status() : InternalErrorf("table: write failed");
  }
  const Row header = {"NAME", "VERSION", "TYPE"};
  std::array<size_t, 3> width{};
  for (size_t i = 0; i < 3; ++i) width[i] = header[i].size();
  for (const Row& r : rows) {
    for (size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], r[i].size());
  }
  auto print = [&](const Row& row) {
    for (size_t i = 0; i < 2; ++i) out << row[i] << std::string(width[i] - row[i].size() + 2, ' ');
    out << row[2] << '\n';
  };
  print(header);
  for (const Row& r : rows) print(r);
  if (!out) return InternalErrorf("table: write failed");
  return {};
}

}  // namespace distill::sbom::table
