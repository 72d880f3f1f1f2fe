#include "vuln/importers/secdb.h"

#include <map>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "util/yaml.h"

#include "vuln/db/ecosystem.h"
#include "vuln/importers/json_scan.h"
#include "vuln/version/apk.h"

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

Result<std::vector<std::string>> JsonEntries(const nlohmann::ordered_json& value) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return Errorf("not a list");
  for (const auto& e : value)
    if (e.is_string())
      out.push_back(e.get<std::string>());
    else if (!e.is_null())
      return Errorf("entry is not a string");
  return out;
}

std::string JsonStr(const nlohmann::ordered_json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One packages[] element of a JSON secdb.
Result<SecdbPackage> PackageFromJson(const nlohmann::ordered_json& value, size_t i) {
  auto path = [i] { return fmt::format("packages[{}].pkg", i); };  // only on errors
  auto pkg = value.is_object() ? value.find("pkg") : value.end();
  if (!value.is_object() || pkg == value.end() || !pkg->is_object())
    return Errorf("{}: missing", path());
  SecdbPackage sp{JsonStr(*pkg, "name"), {}};
  if (sp.name.empty()) return Errorf("{}.name: missing", path());
  auto fixes = pkg->find("secfixes");
  if (fixes != pkg->end() && !fixes->is_null()) {
    if (!fixes->is_object()) return Errorf("{}.secfixes: not a map", path());
    for (const auto& [version, entries] : fixes->items()) {
      auto list = JsonEntries(entries);
      if (!list.ok()) return list.error().wrap(fmt::format("{}.secfixes.\"{}\"", path(), version));
      sp.secfixes.emplace_back(version, std::move(*list));
    }
  }
  return sp;
}

Result<std::string> EcosystemOf(const SecdbDoc& doc, std::string_view override_eco);
Status Emit(const SecdbPackage& package, const std::string& eco, const Sink& sink,
            std::vector<std::string>* warnings);

}  // namespace

// JSON secdbs are streamed: the header first, then one package at a time (a secdb can hold
// hundreds of thousands of entries; each is imported while the rest is parsed).
Status ForEachSecdbJsonPackage(
    std::string_view text, std::string_view override_eco,
    const std::function<Status(std::string_view eco, size_t index, std::string_view element)>& fn) {
  SecdbDoc header;
  std::string_view packages;
  bool has_packages = false;
  DISTILL_TRY_VOID(json_scan::ForEachMember(
      text, "secdb document", [&](std::string_view key, std::string_view member) -> Status {
        std::string* field = key == "distroversion" ? &header.distroversion
                             : key == "reponame"    ? &header.reponame
                             : key == "urlprefix"   ? &header.urlprefix
                                                    : nullptr;
        if (key == "packages") {
          packages = member.substr(member.find(':') + 1);
          has_packages = true;
        } else if (field) {
          auto j = nlohmann::json::parse("{" + std::string(member) + "}", nullptr, false);
          if (j.is_discarded()) return Errorf("{}: not valid JSON", key);
          *field = j.begin()->is_string() ? j.begin()->get<std::string>() : "";
        }
        return {};
      }));
  if (!has_packages) return Errorf("packages: missing");
  DISTILL_TRY(std::string eco, EcosystemOf(header, override_eco));
  size_t first = packages.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && packages.substr(first) == "null")
    return {};  // empty repository
  if (first == std::string_view::npos || packages[first] != '[')
    return Errorf("packages: not a list");
  size_t at = static_cast<size_t>(packages.data() - text.data()) + first;
  return json_scan::ForEachElement(
      text, at, [&](size_t i, std::string_view element) -> Status { return fn(eco, i, element); });
}

Status ParseSecdbJsonPackage(std::string_view element, size_t index, const std::string& eco,
                             const Sink& sink, std::vector<std::string>* warnings) {
  auto j = nlohmann::ordered_json::parse(element, nullptr, false);
  if (j.is_discarded()) return Errorf("packages[{}]: not valid JSON", index);
  DISTILL_TRY(SecdbPackage p, PackageFromJson(j, index));
  return Emit(p, eco, sink, warnings);
}

namespace {

Status ParseJson(std::string_view text, std::string_view override_eco, const Sink& sink,
                 std::vector<std::string>* warnings) {
  std::string eco;
  return ForEachSecdbJsonPackage(
      text, override_eco, [&](std::string_view ecosystem, size_t i, std::string_view element) {
        if (eco.empty()) eco = ecosystem;
        return ParseSecdbJsonPackage(element, i, eco, sink, warnings);
      });
}

Result<SecdbDoc> FromYamlNode(const YAML::Node& root) {
  if (!root.IsMap()) return Errorf("not a secdb document (expected a map)");
  SecdbDoc doc{
      ScalarAt(root, "distroversion"), ScalarAt(root, "reponame"), ScalarAt(root, "urlprefix"), {}};
  YAML::Node pkgs = root["packages"];
  if (!pkgs) return Errorf("packages: missing");
  if (pkgs.IsNull()) return doc;  // an empty repository (alpine v3.3 community)
  if (!pkgs.IsSequence()) return Errorf("packages: not a list");
  for (size_t i = 0; i < pkgs.size(); ++i) {
    std::string path = fmt::format("packages[{}].pkg", i);
    YAML::Node pkg = pkgs[i].IsMap() ? pkgs[i]["pkg"] : YAML::Node();
    if (!pkg || !pkg.IsMap()) return Errorf("{}: missing", path);
    SecdbPackage sp{ScalarAt(pkg, "name"), {}};
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
            if (e.IsScalar())
              list.push_back(e.Scalar());
            else if (!e.IsNull())
              return Errorf("{}: entry is not a string", vpath);
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
  return Errorf(
      "cannot tell which distribution this secdb is for (no distroversion, reponame "
      "\"{}\"); name it with --ecosystem",
      doc.reponame);
}

// The fixed version to record: as written, or repaired; warns about either but a valid one.
std::string FixedVersion(const SecdbPackage& package, const std::string& version,
                         std::vector<std::string>* warnings) {
  if (version == "0" || version::apk::IsValid(version)) return version;
  auto repaired = RepairApkVersion(version);
  if (warnings != nullptr)
    warnings->push_back(
        repaired
            ? fmt::format("{}: fixed version \"{}\" is not a valid apk version; read as \"{}\"",
                          package.name, version, *repaired)
            : fmt::format("{}: fixed version \"{}\" is not a valid apk version; kept as written "
                          "(cannot be compared)",
                          package.name, version));
  return repaired ? *repaired : version;
}

Status Emit(const SecdbPackage& package, const std::string& eco, const Sink& sink,
            std::vector<std::string>* warnings) {
  // Per id: every version that fixes it (a later entry means an earlier fix was incomplete,
  // so the ranges' union is affected), or a NAK.
  std::map<std::string, Advisory> fixed, nak;
  for (const auto& [written, entries] : package.secfixes) {
    const std::string version = FixedVersion(package, written, warnings);
    for (const auto& entry : entries) {
      auto ids = SplitIds(entry);
      if (ids.empty()) continue;
      Advisory& a = (version == "0" ? nak : fixed)[ids[0]];
      if (a.id.empty()) {
        a.id = ids[0];
        a.source = std::string(kSecdbKind);
        a.ecosystem = eco;
        a.package = package.name;
      }
      a.aliases.insert(a.aliases.end(), ids.begin() + 1, ids.end());
      if (version == "0") {
        a.state = FixState::kNotAffected;
        continue;
      }
      a.state = FixState::kFixed;
      if (std::find(a.fixed_versions.begin(), a.fixed_versions.end(), version) !=
          a.fixed_versions.end())
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

}  // namespace

bool IsJsonSecdb(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] == '{';
}

Status ParseSecdb(std::string_view text, std::string_view ecosystem, const Sink& sink,
                  std::vector<std::string>* warnings) {
  if (IsJsonSecdb(text)) return ParseJson(text, ecosystem, sink, warnings);
  DISTILL_TRY(SecdbDoc doc, FromYaml(text));
  DISTILL_TRY(std::string eco, EcosystemOf(doc, ecosystem));
  for (const auto& p : doc.packages) DISTILL_TRY_VOID(Emit(p, eco, sink, warnings));
  return {};
}

std::optional<std::string> RepairApkVersion(std::string_view apk_version) {
  if (version::apk::IsValid(apk_version)) return std::string(apk_version);
  // "4.8.0.-r1": the '.' before "-r" ends an empty number; without it the version is whole.
  if (size_t r = apk_version.rfind("-r");
      r != std::string_view::npos && r > 0 && apk_version[r - 1] == '.') {
    std::string fixed =
        std::string(apk_version.substr(0, r - 1)) + std::string(apk_version.substr(r));
    if (version::apk::IsValid(fixed)) return fixed;
  }
  // "10.2.22.r0": a revision written with '.' for '-', digits to the end.
  if (size_t r = apk_version.rfind(".r");
      r != std::string_view::npos && r + 2 < apk_version.size() &&
      apk_version.find_first_not_of("0123456789", r + 2) == std::string_view::npos) {
    std::string fixed(apk_version);
    fixed[r] = '-';
    if (version::apk::IsValid(fixed)) return fixed;
  }
  return std::nullopt;
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
