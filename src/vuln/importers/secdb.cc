#include "vuln/importers/secdb.h"

#include <map>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "vuln/db/ecosystem.h"

namespace distill::vuln::importers {

namespace {

// The document, format-independent.
struct SecdbPackage {
  std::string name;
  std::vector<std::pair<std::string, std::vector<std::string>>> secfixes;  // version → entries
};
struct SecdbDoc {
  std::string distroversion, reponame, urlprefix;
  std::vector<SecdbPackage> packages;
};

Result<std::vector<std::string>> JsonEntries(const nlohmann::ordered_json& v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array()) return Errorf("{}: not a list", path);
  for (const auto& e : v)
    if (e.is_string()) out.push_back(e.get<std::string>());
    else if (!e.is_null()) return Errorf("{}: entry is not a string", path);
  return out;
}

std::string JsonStr(const nlohmann::ordered_json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<SecdbDoc> FromJson(std::string_view text) {
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) return Errorf("not valid JSON");
  if (!j.is_object()) return Errorf("not a secdb document (expected an object)");
  SecdbDoc doc{JsonStr(j, "distroversion"), JsonStr(j, "reponame"), JsonStr(j, "urlprefix"), {}};
  auto pkgs = j.find("packages");
  if (pkgs == j.end()) return Errorf("packages: missing");
  if (pkgs->is_null()) return doc;  // an empty repository
  if (!pkgs->is_array()) return Errorf("packages: not a list");
  for (size_t i = 0; i < pkgs->size(); ++i) {
    std::string path = fmt::format("packages[{}].pkg", i);
    const auto& p = (*pkgs)[i];
    auto pkg = p.is_object() ? p.find("pkg") : p.end();
    if (!p.is_object() || pkg == p.end() || !pkg->is_object()) return Errorf("{}: missing", path);
    SecdbPackage sp{JsonStr(*pkg, "name"), {}};
    if (sp.name.empty()) return Errorf("{}.name: missing", path);
    auto fixes = pkg->find("secfixes");
    if (fixes != pkg->end() && !fixes->is_null()) {
      if (!fixes->is_object()) return Errorf("{}.secfixes: not a map", path);
      for (const auto& [version, entries] : fixes->items()) {
        DISTILL_TRY(auto list, JsonEntries(entries, fmt::format("{}.secfixes.\"{}\"", path, version)));
        sp.secfixes.emplace_back(version, std::move(list));
      }
    }
    doc.packages.push_back(std::move(sp));
  }
  return doc;
}

std::string YamlStr(const YAML::Node& n, const char* key) {
  YAML::Node v = n[key];
  return v && v.IsScalar() ? v.Scalar() : std::string();
}

Result<SecdbDoc> FromYamlNode(const YAML::Node& root) {
  if (!root.IsMap()) return Errorf("not a secdb document (expected a map)");
  SecdbDoc doc{YamlStr(root, "distroversion"), YamlStr(root, "reponame"), YamlStr(root, "urlprefix"), {}};
  YAML::Node pkgs = root["packages"];
  if (!pkgs) return Errorf("packages: missing");
  if (pkgs.IsNull()) return doc;  // an empty repository (alpine v3.3 community)
  if (!pkgs.IsSequence()) return Errorf("packages: not a list");
  for (size_t i = 0; i < pkgs.size(); ++i) {
    std::string path = fmt::format("packages[{}].pkg", i);
    YAML::Node pkg = pkgs[i].IsMap() ? pkgs[i]["pkg"] : YAML::Node();
    if (!pkg || !pkg.IsMap()) return Errorf("{}: missing", path);
    SecdbPackage sp{YamlStr(pkg, "name"), {}};
    if (sp.name.empty()) return Errorf("{}.name: missing", path);
    YAML::Node fixes = pkg["secfixes"];
    if (fixes && !fixes.IsNull()) {
      if (!fixes.IsMap()) return Errorf("{}.secfixes: not a map", path);
      for (const auto& kv : fixes) {
        std::string version = kv.first.IsScalar() ? kv.first.Scalar() : "";
        std::string vpath = fmt::format("{}.secfixes.\"{}\"", path, version);
        std::vector<std::string> list;
        if (kv.second.IsSequence()) {
          for (const auto& e : kv.second)
            if (e.IsScalar()) list.push_back(e.Scalar());
            else if (!e.IsNull()) return Errorf("{}: entry is not a string", vpath);
        } else if (!kv.second.IsNull()) {
          return Errorf("{}: not a list", vpath);
        }
        sp.secfixes.emplace_back(version, std::move(list));
      }
    }
    doc.packages.push_back(std::move(sp));
  }
  return doc;
}

Result<SecdbDoc> FromYaml(std::string_view text) {
  try {  // yaml-cpp reports errors by throwing; this is the boundary.
    return FromYamlNode(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return Errorf("line {}: {}", e.mark.line + 1, e.msg);
  }
}

Result<std::string> EcosystemOf(const SecdbDoc& doc, std::string_view override_eco) {
  if (!override_eco.empty()) return NormalizeEcosystem(override_eco);
  if (!doc.distroversion.empty()) return NormalizeEcosystem("alpine:" + doc.distroversion);
  if (doc.reponame == "chainguard") return std::string("chainguard");
  if (doc.reponame == "os" || doc.urlprefix.find("wolfi") != std::string::npos)
    return std::string("wolfi");
  return Errorf("cannot tell which distribution this secdb is for (no distroversion, reponame "
                "\"{}\"); name it with --ecosystem",
                doc.reponame);
}

Status Emit(const SecdbPackage& p, const std::string& eco, const Sink& sink) {
  // Per id: every version that fixes it (a later entry means an earlier fix was incomplete,
  // so the ranges' union is affected), or a NAK.
  std::map<std::string, Advisory> fixed, nak;
  for (const auto& [version, entries] : p.secfixes) {
    for (const auto& entry : entries) {
      auto ids = SplitIds(entry);
      if (ids.empty()) continue;
      Advisory& a = (version == "0" ? nak : fixed)[ids[0]];
      if (a.id.empty()) {
        a.id = ids[0];
        a.source = std::string(kSecdbKind);
        a.ecosystem = eco;
        a.package = p.name;
      }
      a.aliases.insert(a.aliases.end(), ids.begin() + 1, ids.end());
      if (version == "0") {
        a.state = FixState::kNotAffected;
        continue;
      }
      a.state = FixState::kFixed;
      if (std::find(a.fixed_versions.begin(), a.fixed_versions.end(), version) != a.fixed_versions.end())
        continue;
      a.fixed_versions.push_back(version);
      a.ranges.push_back({"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, version}}});
    }
  }
  for (auto* m : {&fixed, &nak})
    for (auto& [id, a] : *m) {
      NormalizeAliases(a.aliases, a.id);
      DISTILL_TRY_VOID(sink(std::move(a)));
    }
  return {};
}

bool IsJson(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] == '{';
}

}  // namespace

Status ParseSecdb(std::string_view text, std::string_view ecosystem, const Sink& sink) {
  DISTILL_TRY(SecdbDoc doc, IsJson(text) ? FromJson(text) : FromYaml(text));
  DISTILL_TRY(std::string eco, EcosystemOf(doc, ecosystem));
  for (const auto& p : doc.packages) DISTILL_TRY_VOID(Emit(p, eco, sink));
  return {};
}

bool LooksLikeSecdb(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  bool has_packages = text.find("packages") != std::string_view::npos;
  return has_packages && (head.find("apkurl") != std::string_view::npos ||
                          head.find("distroversion") != std::string_view::npos ||
                          head.find("reponame") != std::string_view::npos ||
                          head.find("secfixes") != std::string_view::npos);
}

}  // namespace distill::vuln::importers
