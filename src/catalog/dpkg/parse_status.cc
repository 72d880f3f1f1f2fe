#include <cctype>
#include <charconv>

#include "catalog/dpkg/parse_status.h"
#include "util/text.h"
#include "vuln/version/dpkg.h"

namespace distill::catalog::dpkg {
std::string_view Paragraph::Get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

bool Paragraph::Has(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (EqualsIgnoreCase(k, name)) return true;
  return false;
}

std::vector<Paragraph> ParseControl(std::string_view text, std::vector<Error>* errors) {
  std::vector<Paragraph> out;
  Paragraph cur;
  bool broken = false;  // skip the rest of a malformed paragraph
  auto flush = [&] {
    if (!broken && !cur.fields.empty()) out.push_back(std::move(cur));
    cur = Paragraph{};
    broken = false;
  };
  ForEachLine(text, [&](int n, std::string_view line) {
    if (Trim(line).empty()) {
      flush();
      return true;
    }
    if (broken) return true;
    if (line[0] == ' ' || line[0] == '\t') {
      if (cur.fields.empty()) {
        errors->push_back(Errorf("line {}: continuation line outside a field", n));
        broken = true;
        return true;
      }
      std::string& v = cur.fields.back().second;
      v += '\n';
      v += Trim(line);
      return true;
    }
    if (line[0] == '#') return true;  // comments are allowed in control files
    size_t colon = line.find(':');
    std::string_view key =
        colon == std::string_view::npos ? std::string_view{} : Trim(line.substr(0, colon));
    if (key.empty() || key.find(' ') != std::string_view::npos) {
      errors->push_back(
          Errorf("line {}: expected 'Field: value', got '{}'", n, line.substr(0, 60)));
      broken = true;
      return true;
    }
    if (cur.fields.empty()) cur.line = n;
    cur.fields.emplace_back(std::string(key), std::string(Trim(line.substr(colon + 1))));
    return true;
  });
  flush();
  return out;
}

bool IsInstalled(std::string_view status, Database db) {
  if (Trim(status).empty()) return db == Database::kStatusD;
  // "want flag state": install ok installed, hold ok installed, deinstall ok config-files, ...
  std::string_view s = Trim(status);
  size_t sp = s.rfind(' ');
  std::string_view state = sp == std::string_view::npos ? s : s.substr(sp + 1);
  return state == "installed" || state == "triggers-awaited" || state == "triggers-pending";
}

Result<uint64_t> ParseInstalledSize(std::string_view value) {
  std::string_view v = Trim(value);
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end == v.data()) return Errorf("not a number: '{}'", value);
  std::string unit;
  for (char c : Trim(std::string_view(end, v.data() + v.size() - end))) unit += AsciiLower(c);
  // Policy: an integer number of kibibytes. Some tools write units; convert those to KiB.
  static const std::pair<std::string_view, uint64_t> kUnits[] = {
      {"", 1024},         {"k", 1024},         {"kib", 1024},       {"kb", 1000},
      {"b", 1},           {"mb", 1000000},     {"mib", 1ull << 20}, {"m", 1ull << 20},
      {"gb", 1000000000}, {"gib", 1ull << 30}, {"g", 1ull << 30},
  };
  for (const auto& [name, bytes] : kUnits) {
    if (unit != name) continue;
    if (n > UINT64_MAX / bytes) return Errorf("too large: '{}'", value);
    return (n * bytes + 1023) / 1024;
  }
  return Errorf("unknown unit in '{}'", value);
}

std::vector<std::string> SplitClauses(std::string_view value) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= value.size()) {
    size_t j = value.find(',', i);
    if (j == std::string_view::npos) j = value.size();
    std::string_view c = Trim(value.substr(i, j - i));
    if (!c.empty()) {
      std::string clause;
      for (char ch : c) clause += (ch == '\n' || ch == '\t') ? ' ' : ch;
      out.push_back(std::move(clause));
    }
    i = j + 1;
  }
  return out;
}

std::vector<std::string> DependencyNames(std::string_view value) {
  std::vector<std::string> out;
  for (const std::string& clause : SplitClauses(value)) {
    std::string_view c = clause;
    size_t i = 0;
    while (i <= c.size()) {
      size_t j = c.find('|', i);
      if (j == std::string_view::npos) j = c.size();
      std::string_view alt = Trim(c.substr(i, j - i));
      size_t end = alt.find_first_of(" \t([<");
      std::string_view name = alt.substr(0, end);
      if (size_t colon = name.find(':'); colon != std::string_view::npos)
        name = name.substr(0, colon);
      if (!name.empty()) out.emplace_back(name);
      i = j + 1;
    }
  }
  return out;
}

Status CheckVersion(const StatusEntry& entry) {
  if (Trim(entry.version).empty())
    return Errorf("line {}: package \"{}\": field \"Version\": missing", entry.line, entry.name);
  if (auto st = vuln::version::dpkg::Validate(entry.version); !st.ok())
    return Errorf("line {}: package \"{}\": field \"Version\": {}", entry.line, entry.name,
                  st.error().message);
  return {};
}

Result<StatusEntry> EntryFromParagraph(const Paragraph& paragraph) {
  StatusEntry e;
  e.line = paragraph.line;
  e.name = std::string(paragraph.Get("Package"));
  if (e.name.empty()) return Errorf("line {}: field \"Package\": missing", paragraph.line);
  e.version = std::string(paragraph.Get("Version"));
  e.arch = std::string(paragraph.Get("Architecture"));
  e.license = std::string(paragraph.Get("License"));
  std::string_view source = Trim(paragraph.Get("Source"));
  if (size_t paren = source.find('('); paren != std::string_view::npos) {
    size_t close = source.find(')', paren);
    if (close == std::string_view::npos)
      return Errorf("line {}: field \"Source\": unbalanced '(' in '{}'", paragraph.line, source);
    e.source_version = std::string(Trim(source.substr(paren + 1, close - paren - 1)));
    source = Trim(source.substr(0, paren));
  }
  e.source_name = std::string(source);
  DpkgMetadata& m = e.meta;
  m.maintainer = std::string(paragraph.Get("Maintainer"));
  m.status = std::string(paragraph.Get("Status"));
  m.multi_arch = std::string(paragraph.Get("Multi-Arch"));
  if (paragraph.Has("Installed-Size") && !Trim(paragraph.Get("Installed-Size")).empty()) {
    auto size = ParseInstalledSize(paragraph.Get("Installed-Size"));
    if (!size.ok())
      return std::move(size).error().wrap(
          fmt::format("line {}: field \"Installed-Size\"", paragraph.line));
    m.installed_size_kib = *size;
  }
  m.pre_depends = SplitClauses(paragraph.Get("Pre-Depends"));
  m.depends = SplitClauses(paragraph.Get("Depends"));
  m.provides = SplitClauses(paragraph.Get("Provides"));
  // Conffiles: one " /path md5 [obsolete|remove-on-upgrade]" per continuation line.
  std::string_view conf = paragraph.Get("Conffiles");
  size_t i = 0;
  while (i < conf.size()) {
    size_t nl = conf.find('\n', i);
    if (nl == std::string_view::npos) nl = conf.size();
    std::string_view line = Trim(conf.substr(i, nl - i));
    i = nl + 1;
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    std::string_view path = line.substr(0, sp);
    std::string_view digest =
        sp == std::string_view::npos ? std::string_view{} : Trim(line.substr(sp + 1));
    digest = digest.substr(0, digest.find(' '));
    while (path.starts_with('/')) path.remove_prefix(1);
    bool hex = digest.size() == 32 &&
               digest.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    e.conffiles.push_back({std::string(path), hex ? "md5" : "", hex ? std::string(digest) : ""});
  }
  return e;
}

}  // namespace distill::catalog::dpkg
