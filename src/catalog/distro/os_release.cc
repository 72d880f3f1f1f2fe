#include <cctype>

#include "catalog/distro/release.h"
#include "util/text.h"

namespace distill::catalog::distro {
namespace {

// A shell-style value: "a \"b\"" -> a "b"; 'x' -> x; bare words as they are.
std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    char q = v.front();
    v = v.substr(1, v.size() - 2);
    if (q == '\'') return std::string(v);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\\' && i + 1 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return std::string(v);
}

}  // namespace

std::optional<Distro> ParseOsRelease(std::string_view text) {
  Distro d;
  bool any = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = Trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, eq));
    std::string value = Unquote(line.substr(eq + 1));
    std::string* field = nullptr;
    if (key == "ID") field = &d.id;
    else if (key == "VERSION_ID") field = &d.version_id;
    else if (key == "VERSION_CODENAME") field = &d.version_codename;
    else if (key == "PRETTY_NAME") field = &d.pretty_name;
    else if (key == "ID_LIKE") field = &d.id_like;
    else if (key == "VERSION") field = &d.version;
    else if (key == "BUILD_ID") field = &d.build_id;
    else if (key == "VARIANT_ID") field = &d.variant_id;
    else if (key == "CPE_NAME") field = &d.cpe_name;
    else if (key == "NAME") any = any || !value.empty();
    if (!field) continue;
    *field = std::move(value);
    any = any || !field->empty();
  }
  // os-release(5): ID is lowercase; be lenient with what images ship.
  AsciiLowerInPlace(d.id);
  if (!any) return std::nullopt;
  return d;
}

}  // namespace distill::catalog::distro
