#include "catalog/java/parse_manifest.h"

#include <cctype>

#include "util/text.h"

namespace distill::catalog::java {

namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The text of the first <tag>...</tag> in xml, "" if none.
std::string Element(std::string_view xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t a = xml.find(open);
  if (a == std::string_view::npos) return "";
  a += open.size();
  size_t b = xml.find(close, a);
  if (b == std::string_view::npos) return "";
  return Trim(xml.substr(a, b - a));
}

// xml with every <tag>...</tag> block removed.
std::string Without(std::string xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  for (size_t a; (a = xml.find(open)) != std::string::npos;) {
    size_t b = xml.find(close, a);
    if (b == std::string::npos) break;
    xml.erase(a, b + close.size() - a);
  }
  return xml;
}

}  // namespace

std::string Manifest::Get(std::string_view key) const {
  for (const auto& [k, v] : main)
    if (k == key) return v;
  return "";
}

Manifest ParseManifest(std::string_view text) {
  Manifest m;
  Section cur;
  bool in_main = true;
  auto flush = [&] {
    if (cur.empty()) return;
    if (in_main)
      m.main = std::move(cur);
    else
      m.sections.push_back(std::move(cur));
    cur.clear();
    in_main = false;
  };
  ForEachLine(text, [&](int, std::string_view line) {
    if (line.empty()) {
      flush();
      return true;
    }
    if (line[0] == ' ') {
      if (!cur.empty()) cur.back().second += std::string(line.substr(1));
      return true;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return true;
    cur.emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
    return true;
  });
  flush();
  return m;
}

PomProperties ParsePomProperties(std::string_view text) {
  PomProperties p;
  ForEachLine(text, [&](int, std::string_view line) {
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == '!') return true;
    size_t sep = std::string::npos;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\\') {
        ++i;
        continue;
      }
      if (t[i] == '=' || t[i] == ':') {
        sep = i;
        break;
      }
    }
    if (sep == std::string::npos) return true;
    std::string key = Trim(t.substr(0, sep)), value = Trim(t.substr(sep + 1));
    if (key == "groupId")
      p.group_id = value;
    else if (key == "artifactId")
      p.artifact_id = value;
    else if (key == "version")
      p.version = value;
    else if (key == "name")
      p.name = value;
    else
      p.extra[key] = value;
    return true;
  });
  return p;
}

PomXml ParsePomXml(std::string_view text) {
  std::string xml(text);
  std::string parent = Element(xml, "parent");
  for (const char* tag :
       {"parent", "dependencies", "dependencyManagement", "build", "profiles", "reporting",
        "modules", "properties", "distributionManagement", "repositories", "pluginRepositories",
        "developers", "contributors", "licenses", "organization", "scm", "issueManagement"})
    xml = Without(std::move(xml), tag);
  PomXml p{Element(xml, "groupId"), Element(xml, "artifactId"), Element(xml, "version"),
           Element(xml, "name")};
  if (p.group_id.empty()) p.group_id = Element(parent, "groupId");
  if (p.version.empty()) p.version = Element(parent, "version");
  return p;
}

FileNameParts ParseFileName(std::string_view path) {
  size_t cut = path.find_last_of("/:");
  if (cut != std::string_view::npos) path = path.substr(cut + 1);
  FileNameParts out;
  size_t dot = path.rfind('.');
  if (dot != std::string_view::npos) {
    out.extension = std::string(path.substr(dot + 1));
    path = path.substr(0, dot);
  }
  // A version starts after '-' at a digit, "r<digits>" or "build<digits>" (guava-r06,
  // trilead-ssh2-build212-hudson-5); failing that, after '.' or '_' at a digit (pkg-maven.4.3.2).
  auto word_then_digits = [&](size_t i, std::string_view word) {
    if (path.substr(i, word.size()) != word) return false;
    size_t j = i + word.size();
    if (j >= path.size() || !IsDigit(path[j])) return false;
    while (j < path.size() && IsDigit(path[j])) ++j;
    return j == path.size() || path[j] == '-' || path[j] == '.';
  };
  size_t at = std::string_view::npos;
  for (size_t i = 0; i + 1 < path.size() && at == std::string_view::npos; ++i)
    if (path[i] == '-' &&
        (IsDigit(path[i + 1]) || word_then_digits(i + 1, "r") || word_then_digits(i + 1, "build")))
      at = i;
  for (size_t i = 0; i + 1 < path.size() && at == std::string_view::npos; ++i)
    if ((path[i] == '.' || path[i] == '_') && IsDigit(path[i + 1])) at = i;
  if (at == std::string_view::npos) {
    out.name = std::string(path);
  } else {
    out.name = std::string(path.substr(0, at));
    out.version = std::string(path.substr(at + 1));
  }
  return out;
}

}  // namespace distill::catalog::java
