#include "imagebuild/deb/apt/sources.h"

#include <algorithm>
#include <filesystem>

#include "util/file.h"
#include "util/text.h"

namespace distill::imagebuild::apt {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsFileUri(std::string_view uri) { return uri.starts_with("file:"); }

// "yes"/"no" as apt reads booleans.
bool Yes(std::string_view value) {
  return EqualsIgnoreCase(value, "yes") || EqualsIgnoreCase(value, "true") || value == "1";
}

struct Stanza {
  int line = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string_view Get(std::string_view name) const {
    for (const auto& [k, v] : fields)
      if (EqualsIgnoreCase(k, name)) return v;
    return {};
  }
};

Result<std::vector<Stanza>> Stanzas(std::string_view text, std::string_view file) {
  std::vector<Stanza> out;
  Stanza cur;
  Error err;
  bool failed = false;
  auto flush = [&] {
    if (!cur.fields.empty()) out.push_back(std::move(cur));
    cur = {};
  };
  ForEachLine(text, [&](int n, std::string_view line) {
    if (Trim(line).empty()) {
      flush();
      return true;
    }
    if (line.front() == '#') return true;  // a comment, also between fields
    if (line.front() == ' ' || line.front() == '\t') {
      if (cur.fields.empty()) {
        err = Errorf("{}:{}: continuation line without a field", file, n);
        failed = true;
        return false;
      }
      cur.fields.back().second += "\n";
      cur.fields.back().second += Trim(line);
      return true;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      err = Errorf("{}:{}: expected 'Field: value'", file, n);
      failed = true;
      return false;
    }
    if (cur.fields.empty()) cur.line = n;
    cur.fields.emplace_back(std::string(Trim(line.substr(0, colon))),
                            std::string(Trim(line.substr(colon + 1))));
    return true;
  });
  if (failed) return err;
  flush();
  return out;
}

}  // namespace

std::string NormalizeUri(std::string_view uri) {
  std::string u(Trim(uri));
  if (u.starts_with("file://")) u = "file:" + u.substr(7);
  while (u.size() > 1 && u.back() == '/') u.pop_back();
  return u;
}

Result<std::vector<Source>> ParseDeb822Sources(std::string_view text, std::string_view file) {
  DISTILL_TRY(auto stanzas, Stanzas(text, file));
  std::vector<Source> out;
  for (const auto& s : stanzas) {
    auto where = [&](std::string_view what) { return Errorf("{}:{}: {}", file, s.line, what); };
    if (s.Get("Enabled").size() && !Yes(s.Get("Enabled"))) continue;
    auto types = Words(s.Get("Types"));
    if (types.empty()) return where("field \"Types\": missing");
    if (std::find(types.begin(), types.end(), "deb") == types.end()) continue;
    auto uris = Words(s.Get("URIs"));
    auto suites = Words(s.Get("Suites"));
    auto comps = Words(s.Get("Components"));
    if (uris.empty()) return where("field \"URIs\": missing");
    if (suites.empty()) return where("field \"Suites\": missing");
    std::string signed_by(Trim(s.Get("Signed-By")));
    if (signed_by.find('\n') != std::string::npos || signed_by.starts_with("-----BEGIN"))
      return where(
          "field \"Signed-By\": an embedded key block is not supported; put the key in a keyring "
          "file");
    bool trusted = Yes(s.Get("Trusted"));
    for (const auto& uri : uris)
      for (const auto& suite : suites) {
        if (suite.ends_with("/"))
          return where(fmt::format("flat repository suite '{}' is not supported", suite));
        if (comps.empty()) return where("field \"Components\": missing");
        Source src{NormalizeUri(uri), suite, comps, signed_by, trusted && IsFileUri(uri)};
        out.push_back(std::move(src));
      }
  }
  return out;
}

Result<std::vector<Source>> ParseOneLineSources(std::string_view text, std::string_view file) {
  std::vector<Source> out;
  Error err;
  bool failed = false;
  ForEachLine(text, [&](int n, std::string_view raw) {
    std::string_view line = Trim(raw.substr(0, raw.find('#')));
    if (line.empty()) return true;
    std::string opts;
    std::string rest;
    auto words = Words(line);
    if (words.empty()) return true;
    std::string type = words[0];
    std::string_view after = Trim(line.substr(type.size()));
    if (after.starts_with("[")) {
      size_t close = after.find(']');
      if (close == std::string_view::npos) {
        err = Errorf("{}:{}: unterminated '[' options", file, n);
        failed = true;
        return false;
      }
      opts = after.substr(1, close - 1);
      after = Trim(after.substr(close + 1));
    }
    if (type != "deb") return true;
    auto fields = Words(after);
    if (fields.size() < 2 || (fields.size() < 3 && !fields[1].ends_with("/"))) {
      err = Errorf("{}:{}: expected 'deb URI SUITE COMPONENT...'", file, n);
      failed = true;
      return false;
    }
    if (fields[1].ends_with("/")) {
      err = Errorf("{}:{}: flat repository suite '{}' is not supported", file, n, fields[1]);
      failed = true;
      return false;
    }
    Source src{NormalizeUri(fields[0]), fields[1], {fields.begin() + 2, fields.end()}, "", false};
    for (const auto& o : Words(opts)) {
      size_t eq = o.find('=');
      if (eq == std::string::npos) continue;
      std::string key = o.substr(0, eq), value = o.substr(eq + 1);
      if (EqualsIgnoreCase(key, "signed-by")) src.signed_by = value;
      if (EqualsIgnoreCase(key, "trusted")) src.allow_unsigned = Yes(value) && IsFileUri(src.uri);
    }
    out.push_back(std::move(src));
    return true;
  });
  if (failed) return err;
  return out;
}

std::vector<Source> SelectSuites(const std::vector<Source>& all, std::string_view codename,
                                 bool with_backports) {
  std::string c(codename);
  std::vector<std::string> wanted = {c, c + "-updates", c + "-security", c + "/updates"};
  if (with_backports) wanted.push_back(c + "-backports");
  std::vector<Source> out;
  for (const auto& s : all) {
    if (std::find(wanted.begin(), wanted.end(), s.suite) == wanted.end()) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const Source& source) {
      return source.uri == s.uri && source.suite == s.suite;
    });
    if (same == out.end()) {
      out.push_back(s);
      continue;
    }
    for (const auto& comp : s.components)
      if (std::find(same->components.begin(), same->components.end(), comp) ==
          same->components.end())
        same->components.push_back(comp);
  }
  return out;
}

Result<std::vector<Source>> ReadSourcesDir(const std::string& etc_apt) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_regular_file(etc_apt + "/sources.list", ec))
    files.push_back(etc_apt + "/sources.list");
  std::vector<std::string> parts;
  for (const auto& e : fs::directory_iterator(etc_apt + "/sources.list.d", ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && (name.ends_with(".list") || name.ends_with(".sources")))
      parts.push_back(e.path().string());
  }
  std::sort(parts.begin(), parts.end());
  files.insert(files.end(), parts.begin(), parts.end());
  std::vector<Source> out;
  for (const auto& f : files) {
    DISTILL_TRY(std::string text, ReadFile(f, 16 << 20));
    auto parsed =
        f.ends_with(".sources") ? ParseDeb822Sources(text, f) : ParseOneLineSources(text, f);
    if (!parsed.ok()) return std::move(parsed).error();
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  return out;
}

Result<std::vector<Source>> HostSources(const std::string& codename, bool with_backports) {
  DISTILL_TRY(auto all, ReadSourcesDir("/etc/apt"));
  auto out = SelectSuites(all, codename, with_backports);
  if (out.empty())
    return Errorf(
        "/etc/apt: no 'deb' source for {} (looked for suites {}, {}-updates, {}-security)",
        codename, codename, codename, codename);
  return out;
}

}  // namespace distill::imagebuild::apt
