#include "catalog/dotnet/cataloger.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "catalog/language.h"

namespace distill::catalog::dotnet {

namespace {

constexpr std::string_view kName = "dotnet-deps-binary-cataloger";
constexpr std::string_view kRuntimePackPrefix = "runtimepack.";

// IL merging / weaving tools (syft's knownBundlers): with one of them in the graph, the packages
// are merged into the app's own assemblies and claim no files of their own.
const std::set<std::string, std::less<>> kBundlers = {"ILRepack.Lib.MSBuild.Task",
                                                      "ILRepack.Lib",
                                                      "ILRepack.Lib.MSBuild",
                                                      "ILRepack.Lib.NET",
                                                      "ILRepack.NETStandard",
                                                      "ILRepack.FullAuto",
                                                      "ILMerge",
                                                      "JetBrains.Build.ILRepack",
                                                      "PostSharp.Community.Packer",
                                                      "Brokenevent.ILStrip",
                                                      "Brokenevent.ILStrip.CLI",
                                                      "Costura.Fody",
                                                      "Fody"};

// One "Name/Version" of the targets section, merged over every target framework and RID.
struct Target {
  std::vector<std::string> depends_on;  // "Name/Version" keys
  bool ships = false;  // names runtime, runtimeTargets, native, resources or compile files
};

// value[key] when it is a string, else "" (nlohmann's value() throws on a number there).
std::string Str(const nlohmann::json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string NameOf(std::string_view key) { return std::string(key.substr(0, key.find('/'))); }

std::map<std::string, Target> Targets(const nlohmann::json& value) {
  std::map<std::string, Target> out;
  if (!value.contains("targets") || !value["targets"].is_object()) return out;
  for (const auto& [fw, libs] : value["targets"].items()) {
    if (!libs.is_object()) continue;
    for (const auto& [key, lib] : libs.items()) {
      Target& t = out[key];
      if (!lib.is_object()) continue;
      for (const char* kind : {"runtime", "runtimeTargets", "native", "resources", "compile"})
        if (lib.contains(kind) && lib[kind].is_object() && !lib[kind].empty()) t.ships = true;
      if (lib.contains("dependencies") && lib["dependencies"].is_object())
        for (const auto& [dep, ver] : lib["dependencies"].items())
          if (ver.is_string()) t.depends_on.push_back(dep + "/" + ver.get<std::string>());
    }
  }
  return out;
}

// The keys that name files, or one of whose dependencies does, transitively (a meta package such
// as Microsoft.NETCore.App 1.x pulls shipped code in): marked from the shipping ones up through
// the reverse edges, once, so a hostile file costs time linear in its size.
std::set<std::string> Shipping(const std::map<std::string, Target>& targets) {
  std::map<std::string, std::vector<std::string>> parents;
  std::vector<std::string> todo;
  for (const auto& [key, t] : targets) {
    for (const std::string& dep : t.depends_on) parents[dep].push_back(key);
    if (t.ships) todo.push_back(key);
  }
  std::set<std::string> out(todo.begin(), todo.end());
  while (!todo.empty()) {
    std::string key = std::move(todo.back());
    todo.pop_back();
    for (const std::string& parent : parents[key])
      if (out.insert(parent).second) todo.push_back(parent);
  }
  return out;
}

}  // namespace

std::vector<std::string> Globs() { return {"**/*.deps.json"}; }

Result<std::vector<Package>> ParseDepsJson(std::string_view text, const image::Location& where) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("libraries") || !j["libraries"].is_object())
    return Errorf("deps.json: no \"libraries\" object");
  std::map<std::string, Target> targets = Targets(j);
  std::set<std::string> shipping = Shipping(targets);
  bool bundled = false;
  for (const auto& [key, t] : targets) bundled = bundled || kBundlers.count(NameOf(key)) > 0;
  std::string_view base = image::Basename(where.path);
  std::string root =
      base.ends_with(".deps.json") ? std::string(base.substr(0, base.size() - 10)) : "";
  std::vector<Package> out;
  for (const auto& [key, lib] : j["libraries"].items()) {
    if (!lib.is_object()) continue;
    std::string type = Str(lib, "type");
    // "referenceassembly" / "reference": compile-time facades, no package behind them.
    if (type != "package" && type != "project" && type != "runtimepack") continue;
    size_t slash = key.find('/');
    if (slash == std::string::npos) continue;
    std::string name = key.substr(0, slash), version = key.substr(slash + 1);
    bool is_root = type == "project" && name == root;
    if (!is_root && !bundled && !shipping.count(key)) continue;  // nothing of it is shipped
    // A self-contained app's runtime pack is "runtimepack.Microsoft.NETCore.App.Runtime.<rid>":
    // the NuGet package (and the advisories) are Microsoft.NETCore.App.Runtime.<rid>.
    std::string purl_name =
        name.starts_with(kRuntimePackPrefix) ? name.substr(kRuntimePackPrefix.size()) : name;
    std::string sha = Str(lib, "sha512");
    Package p = NewLanguagePackage(name, version, "dotnet", kName,
                                   Purl{"nuget", "", purl_name, version, {}, ""}, where, "", sha);
    if (auto t = targets.find(key); t != targets.end())
      for (const std::string& dep : t->second.depends_on) p.depends_on.push_back(NameOf(dep));
    out.push_back(std::move(p));
  }
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  return CatalogFiles(files, Globs(), &ParseDepsJson);
}

}  // namespace distill::catalog::dotnet
