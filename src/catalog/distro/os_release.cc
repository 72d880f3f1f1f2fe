#include <cctype>

#include "catalog/distro/release.h"
#include "util/text.h"

namespace distill::catalog::distro {
namespace {

// A shell-style value: "a \"b\"" -> a "b"; 'x' -> x; bare words as they are.
std::string Unquote(std::string_view value) {
  value = Trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    char q = value.front();
    value = value.substr(1, value.size() - 2);
    if (q == '\'') return std::string(value);
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      out += value[i];
    }
    return out;
  }
  return std::string(value);
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
    if (key == "ID")
      field = &d.id;
    else if (key == "VERSION_ID")
      field = &d.version_id;
    else if (key == "VERSION_CODENAME")
      field = &d.version_codename;
    else if (key == "PRETTY_NAME")
      field = &d.pretty_name;
    else if (key == "ID_LIKE")
      field = &d.id_like;
    else if (key == "VERSION")
      field = &d.version;
    else if (key == "BUILD_ID")
      field = &d.build_id;
    else if (key == "VARIANT_ID")
      field = &d.variant_id;
    else if (key == "CPE_NAME")
      field = &d.cpe_name;
    else if (key == "NAME")
      any = any || !value.empty();
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
