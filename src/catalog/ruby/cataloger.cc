#include "catalog/ruby/cataloger.h"

#include "catalog/language.h"
#include "util/text.h"

namespace distill::catalog::ruby {

namespace {

constexpr std::string_view kName = "ruby-installed-gemspec-cataloger";

// Every quoted string literal in text, in order.
std::vector<std::string> Strings(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    char q = text[i];
    if (q != '"' && q != '\'') continue;
    size_t end = text.find(q, i + 1);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, end - i - 1));
    i = end;
  }
  return out;
}

}  // namespace

std::vector<std::string> Globs() { return {"**/specifications/**/*.gemspec"}; }

Result<Package> ParseGemspec(std::string_view text, const image::Location& where) {
  std::string name, version;
  std::vector<std::string> licenses;
  ForEachLine(text, [&](int, std::string_view line) {
    while (!line.empty() && (line[0] == ' ' || line[0] == '\t')) line.remove_prefix(1);
    size_t dot = line.find('.');
    size_t eq = line.find('=');
    if (dot == std::string_view::npos || eq == std::string_view::npos || dot > eq) return true;
    std::string_view field = line.substr(dot + 1, eq - dot - 1);
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    auto values = Strings(line.substr(eq + 1));
    if (values.empty()) return true;
    if (field == "name" && name.empty())
      name = values[0];
    else if (field == "version" && version.empty())
      version = values[0];
    else if (field == "licenses" || field == "license")
      licenses = values;
    return true;
  });
  if (name.empty()) return Errorf("gemspec: no name");
  Package p = NewLanguagePackage(name, version, "gem", kName,
                                 Purl{"gem", "", name, version, {}, ""}, where);
  p.licenses = licenses;
  return p;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  for (const image::Entry* e : GlobAll(files, Globs())) {
    if (!e->is_regular_like()) continue;
    auto text = files.Contents(e->path);
    auto p = text.ok() ? ParseGemspec(*text, files.LocationOf(*e)) : Result<Package>(text.error());
    if (!p.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), p.error().message});
      continue;
    }
    out.packages.push_back(std::move(p).value());
  }
  return out;
}

std::vector<std::string> GemfileLockGlobs() { return {"**/Gemfile.lock"}; }

Result<std::vector<Package>> ParseGemfileLock(std::string_view text, const image::Location& where) {
  std::vector<Package> out;
  bool specs = false;
  ForEachLine(text, [&](int, std::string_view line) {
    if (line.empty() || line[0] != ' ') {
      specs = false;
      return true;
    }
    if (line == "  specs:") {
      specs = true;
      return true;
    }
    // exactly four spaces: a gem; six: one of its dependencies
    if (!specs || !line.starts_with("    ") || line.starts_with("     ")) return true;
    line.remove_prefix(4);
    size_t open = line.find(" (");
    if (open == std::string_view::npos || !line.ends_with(')')) return true;
    std::string name(line.substr(0, open));
    std::string version(line.substr(open + 2, line.size() - open - 3));
    out.push_back(NewLanguagePackage(name, version, "gem", "ruby-gemfile-cataloger",
                                     Purl{"gem", "", name, version, {}, ""}, where));
    return true;
  });
  return out;
}

Found CatalogGemfileLock(const image::FileIndex& files, const Distro&) {
  return CatalogDeclared(files, GemfileLockGlobs(), &ParseGemfileLock);
}

}  // namespace distill::catalog::ruby
