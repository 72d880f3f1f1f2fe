#include <cctype>

#include "catalog/language.h"
#include "catalog/python/cataloger.h"
#include "catalog/python/declared.h"
#include "catalog/python/parse_metadata.h"
#include "util/text.h"

namespace distill::catalog::python {

namespace {

// The logical lines: "\"-continued physical lines joined, comments (a "#" at the start or after
// whitespace) removed.
std::vector<std::string> LogicalLines(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) {
        line = line.substr(0, i);
        break;
      }
    bool continued = !line.empty() && line.back() == '\\';
    if (continued) line.remove_suffix(1);
    cur += line;
    if (!continued) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

bool ValidVersion(std::string_view version) {
  if (version.empty()) return false;
  for (char c : version)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view(".+-_!").find(c) == std::string_view::npos)
      return false;
  return true;
}

// name and pinned version of one requirement line, false when it pins nothing exactly.
bool Pinned(std::string_view line, std::string* name, std::string* version) {
  line = Trim(line);
  if (line.empty() || line.front() == '-') return false;  // -r, -e, --index-url, ...
  line = line.substr(0, line.find(';'));                  // environment marker
  if (size_t opt = line.find(" --"); opt != std::string_view::npos)
    line = line.substr(0, opt);           // --hash=...
  line = line.substr(0, line.find('@'));  // "@ git+https://..."
  size_t eq = line.find("==");
  if (eq == std::string_view::npos) return false;
  std::string_view n = line.substr(0, eq);
  if (size_t extras = n.find('['); extras != std::string_view::npos) n = n.substr(0, extras);
  std::string_view v = line.substr(eq + 2);
  if (!v.empty() && v.front() == '=') v.remove_prefix(1);  // "===" arbitrary equality
  v = Trim(v.substr(0, v.find(',')));
  n = Trim(n);
  if (!ValidName(n) || !ValidVersion(v))
    return false;  // also "== 2.8.*" and "==1.0" without a name
  *name = std::string(n);
  *version = std::string(v);
  return true;
}

}  // namespace

Result<std::vector<Package>> ParseRequirements(std::string_view text,
                                               const image::Location& where) {
  std::vector<Package> out;
  for (const std::string& line : LogicalLines(text)) {
    std::string raw, version;
    if (!Pinned(line, &raw, &version)) continue;
    out.push_back(NewPythonPackage(raw, version, kDeclaredCataloger, where));
  }
  return out;
}

}  // namespace distill::catalog::python
