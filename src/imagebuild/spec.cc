#include "imagebuild/spec.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <set>

#include "util/file.h"

namespace distill::imagebuild {

namespace {

// Every error names where in the file it is: "spec.yaml:7:3: ...".
struct Ctx {
  const std::string& file;
  Error At(const YAML::Node& node, std::string_view msg) const {
    auto m = node.Mark();
    if (m.is_null()) return Errorf("{}: {}", file, msg);
    return Errorf("{}:{}:{}: {}", file, m.line + 1, m.column + 1, msg);
  }
};

Result<std::string> Str(const Ctx& ctx, const YAML::Node& node, std::string_view field) {
  if (!node.IsScalar()) return ctx.At(node, fmt::format("field \"{}\": expected a string", field));
  return node.as<std::string>();
}

Result<bool> Bool(const Ctx& ctx, const YAML::Node& node, std::string_view field) {
  std::string s = node.IsScalar() ? node.Scalar() : "";
  if (s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  return ctx.At(node, fmt::format("field \"{}\": expected true or false", field));
}

Result<uint32_t> Uint(const Ctx& ctx, const YAML::Node& node, std::string_view field, int base = 10) {
  std::string s = node.IsScalar() ? node.Scalar() : "";
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    return ctx.At(node, fmt::format("field \"{}\": expected a {} number, got '{}'", field, base == 8 ? "octal" : "non-negative", s));
  return v;
}

Result<std::vector<std::string>> StrList(const Ctx& ctx, const YAML::Node& node, std::string_view field) {
  if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) return ctx.At(node, fmt::format("field \"{}\": expected a list of strings", field));
  std::vector<std::string> out;
  for (const auto& item : node) {
    DISTILL_TRY(std::string s, Str(ctx, item, field));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::map<std::string, std::string>> StrMap(const Ctx& ctx, const YAML::Node& node, std::string_view field) {
  if (!node.IsMap()) return ctx.At(node, fmt::format("field \"{}\": expected a map of strings", field));
  std::map<std::string, std::string> out;
  for (const auto& kv : node) {
    DISTILL_TRY(std::string k, Str(ctx, kv.first, field));
    DISTILL_TRY(std::string v, Str(ctx, kv.second, std::string(field) + "." + k));
    out[k] = v;
  }
  return out;
}

Status CheckKeys(const Ctx& ctx, const YAML::Node& node, std::string_view what, const std::set<std::string>& allowed) {
  for (const auto& kv : node) {
    std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!allowed.contains(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return ctx.At(kv.first, fmt::format("unknown field \"{}\" in {} (known: {})", k, what, list));
    }
  }
  return {};
}

// "uid:gid" or "uid".
Status ParseOwner(const Ctx& ctx, const YAML::Node& node, uint32_t* uid, uint32_t* gid) {
  std::string s = node.IsScalar() ? node.Scalar() : "";
  size_t colon = s.find(':');
  auto num = [](std::string_view text, uint32_t* out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return !text.empty() && ec == std::errc() && p == text.data() + text.size();
  };
  bool ok = colon == std::string::npos ? num(s, uid) && (*gid = *uid, true)
                                       : num(std::string_view(s).substr(0, colon), uid) &&
                                             num(std::string_view(s).substr(colon + 1), gid);
  if (!ok) return ctx.At(node, fmt::format("field \"owner\": expected UID:GID numbers, got '{}'", s));
  return {};
}

Result<std::vector<User>> ParseUsers(const Ctx& ctx, const YAML::Node& node) {
  if (!node.IsSequence()) return ctx.At(node, "field \"accounts.users\": expected a list");
  std::vector<User> out;
  for (const auto& u : node) {
    if (!u.IsMap()) return ctx.At(u, "field \"accounts.users\": each user is a map");
    DISTILL_TRY_VOID(CheckKeys(ctx, u, "a user", {"name", "uid", "gid", "home", "shell"}));
    User user;
    if (!u["name"] || !u["uid"]) return ctx.At(u, "a user needs \"name\" and \"uid\"");
    DISTILL_TRY(user.name, Str(ctx, u["name"], "name"));
    DISTILL_TRY(user.uid, Uint(ctx, u["uid"], "uid"));
    user.gid = user.uid;
    if (u["gid"]) {
      DISTILL_TRY(user.gid, Uint(ctx, u["gid"], "gid"));
    }
    if (u["home"]) {
      DISTILL_TRY(user.home, Str(ctx, u["home"], "home"));
    }
    if (u["shell"]) {
      DISTILL_TRY(user.shell, Str(ctx, u["shell"], "shell"));
    }
    out.push_back(std::move(user));
  }
  return out;
}

Result<std::vector<Group>> ParseGroups(const Ctx& ctx, const YAML::Node& node) {
  if (!node.IsSequence()) return ctx.At(node, "field \"accounts.groups\": expected a list");
  std::vector<Group> out;
  for (const auto& g : node) {
    if (!g.IsMap()) return ctx.At(g, "field \"accounts.groups\": each group is a map");
    DISTILL_TRY_VOID(CheckKeys(ctx, g, "a group", {"name", "gid", "members"}));
    Group group;
    if (!g["name"] || !g["gid"]) return ctx.At(g, "a group needs \"name\" and \"gid\"");
    DISTILL_TRY(group.name, Str(ctx, g["name"], "name"));
    DISTILL_TRY(group.gid, Uint(ctx, g["gid"], "gid"));
    if (g["members"]) {
      DISTILL_TRY(group.members, StrList(ctx, g["members"], "members"));
    }
    out.push_back(std::move(group));
  }
  return out;
}

Status ParseAccounts(const Ctx& ctx, const YAML::Node& node, Spec* spec) {
  if (!node.IsMap()) return ctx.At(node, "field \"accounts\": expected a map");
  DISTILL_TRY_VOID(CheckKeys(ctx, node, "accounts", {"users", "groups", "run-as"}));
  if (node["users"]) {
    DISTILL_TRY(spec->users, ParseUsers(ctx, node["users"]));
  }
  if (node["groups"]) {
    DISTILL_TRY(spec->groups, ParseGroups(ctx, node["groups"]));
  }
  if (node["run-as"]) {
    DISTILL_TRY(spec->run_as, Str(ctx, node["run-as"], "run-as"));
  }
  return {};
}

Result<FileSpec> ParseFile(const Ctx& ctx, const YAML::Node& node) {
  if (!node.IsMap()) return ctx.At(node, "field \"files\": each entry is a map");
  DISTILL_TRY_VOID(CheckKeys(ctx, node, "a files entry", {"src", "content", "symlink", "dst", "mode", "owner"}));
  FileSpec fs;
  fs.line = node.Mark().line + 1;
  int sources = 0;
  if (node["src"]) {
    ++sources;
    DISTILL_TRY(fs.src, Str(ctx, node["src"], "src"));
  }
  if (node["content"]) {
    ++sources;
    DISTILL_TRY(fs.content, Str(ctx, node["content"], "content"));
  }
  if (node["symlink"]) {
    ++sources;
    DISTILL_TRY(fs.symlink, Str(ctx, node["symlink"], "symlink"));
  }
  if (sources != 1) return ctx.At(node, "a files entry needs exactly one of \"src\", \"content\" or \"symlink\"");
  if (!node["dst"]) return ctx.At(node, "a files entry needs \"dst\"");
  DISTILL_TRY(fs.dst, Str(ctx, node["dst"], "dst"));
  if (!fs.dst.starts_with("/") || fs.dst.find("/../") != std::string::npos || fs.dst.ends_with("/.."))
    return ctx.At(node["dst"], fmt::format("field \"dst\": expected an absolute path inside the image, got '{}'", fs.dst));
  if (node["mode"]) {
    DISTILL_TRY(fs.mode, Uint(ctx, node["mode"], "mode", 8));
  }
  if (node["owner"]) {
    DISTILL_TRY_VOID(ParseOwner(ctx, node["owner"], &fs.uid, &fs.gid));
  }
  return fs;
}

Status ParseLayers(const Ctx& ctx, const YAML::Node& node, Spec* spec) {
  if (node.IsScalar()) {
    std::string v = node.Scalar();
    if (v == "single") spec->layers = LayerMode::kSingle;
    else if (v == "per-package") spec->layers = LayerMode::kPerPackage;
    else return ctx.At(node, fmt::format("field \"layers\": expected single, per-package or {{max: N}}, got '{}'", v));
    return {};
  }
  if (!node.IsMap() || !node["max"]) return ctx.At(node, "field \"layers\": expected single, per-package or {max: N}");
  DISTILL_TRY_VOID(CheckKeys(ctx, node, "layers", {"max"}));
  DISTILL_TRY(uint32_t max, Uint(ctx, node["max"], "layers.max"));
  if (max < 2 || max > 127) return ctx.At(node["max"], "field \"layers.max\": expected 2..127");
  spec->layers = LayerMode::kGrouped;
  spec->layer_budget = static_cast<int>(max);
  return {};
}

Status ParseSlices(const Ctx& ctx, const YAML::Node& node, Spec* spec) {
  if (!node.IsMap()) return ctx.At(node, "field \"slices\": expected a map of package -> list of paths");
  for (const auto& kv : node) {
    DISTILL_TRY(std::string pkg, Str(ctx, kv.first, "slices"));
    DISTILL_TRY(auto globs, StrList(ctx, kv.second, "slices." + pkg));
    spec->slices[pkg] = std::move(globs);
  }
  return {};
}

Status ParseEnv(const Ctx& ctx, const YAML::Node& node, Spec* spec) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      DISTILL_TRY(std::string k, Str(ctx, kv.first, "env"));
      DISTILL_TRY(std::string v, Str(ctx, kv.second, "env." + k));
      spec->env.emplace_back(k, v);
    }
    return {};
  }
  return ctx.At(node, "field \"env\": expected a map of NAME: value");
}

using FieldFn = Status (*)(const Ctx&, const YAML::Node&, Spec*);

// Every top-level field, in the order doc/build.md lists them.
const std::map<std::string, FieldFn>& Fields() {
  static const std::map<std::string, FieldFn> kFields = {
      {"distro", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->distro, Str(ctx, node, "distro"));
         auto cn = CodenameOf(spec->distro);
         if (!cn.ok()) return ctx.At(node, cn.error().message);
         spec->codename = *cn;
         return {};
       }},
      {"mirror", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->mirrors, StrList(ctx, node, "mirror"));
         if (spec->mirrors == std::vector<std::string>{"apt"}) spec->mirrors.clear();
         // A relative file: repository is relative to the spec, as a files entry's src is.
         for (std::string& uri : spec->mirrors)
           if (uri.starts_with("file:") && !uri.starts_with("file:/"))
             uri = "file:" + std::filesystem::absolute(std::filesystem::path(ctx.file).parent_path() / uri.substr(5))
                                 .lexically_normal()
                                 .string();
         return {};
       }},
      {"keyring", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->keyring, Str(ctx, node, "keyring"));
         return {};
       }},
      {"archs", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->archs, StrList(ctx, node, "archs"));
         if (spec->archs.empty()) return ctx.At(node, "field \"archs\": needs at least one architecture");
         return {};
       }},
      {"packages", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->packages, StrList(ctx, node, "packages"));
         return {};
       }},
      {"resolve", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->resolve, Bool(ctx, node, "resolve"));
         return {};
       }},
      {"slices", &ParseSlices},
      {"exclude", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->exclude, StrList(ctx, node, "exclude"));
         return {};
       }},
      {"accounts", &ParseAccounts},
      {"files", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         if (!node.IsSequence()) return ctx.At(node, "field \"files\": expected a list");
         for (const auto& f : node) {
           DISTILL_TRY(auto fs, ParseFile(ctx, f));
           spec->files.push_back(std::move(fs));
         }
         return {};
       }},
      {"entrypoint", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->entrypoint, StrList(ctx, node, "entrypoint"));
         return {};
       }},
      {"cmd", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->cmd, StrList(ctx, node, "cmd"));
         return {};
       }},
      {"env", &ParseEnv},
      {"workdir", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->workdir, Str(ctx, node, "workdir"));
         return {};
       }},
      {"labels", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->labels, StrMap(ctx, node, "labels"));
         return {};
       }},
      {"annotations", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->annotations, StrMap(ctx, node, "annotations"));
         return {};
       }},
      {"layers", &ParseLayers},
      {"ca-bundle", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->ca_bundle, Bool(ctx, node, "ca-bundle"));
         return {};
       }},
      {"package-db", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(std::string v, Str(ctx, node, "package-db"));
         if (v != "status.d" && v != "status")
           return ctx.At(node, fmt::format("field \"package-db\": expected status.d or status, got '{}'", v));
         spec->statusd = v == "status.d";
         return {};
       }},
      {"pretty-name", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->pretty_name, Str(ctx, node, "pretty-name"));
         return {};
       }},
      {"tags", [](const Ctx& ctx, const YAML::Node& node, Spec* spec) -> Status {
         DISTILL_TRY(spec->tags, StrList(ctx, node, "tags"));
         return {};
       }},
  };
  return kFields;
}

Status Validate(const Ctx& ctx, const YAML::Node& root, const Spec& spec) {
  if (spec.packages.empty()) return ctx.At(root, "field \"packages\": the image needs at least one package");
  std::set<std::string> names;
  for (const auto& u : spec.users)
    if (!names.insert(u.name).second) return ctx.At(root["accounts"], fmt::format("user \"{}\" listed twice", u.name));
  if (!spec.run_as.empty() && !RunAsUser(spec).ok()) return ctx.At(root["accounts"]["run-as"], RunAsUser(spec).error().message);
  return {};
}

}  // namespace

std::vector<User> DefaultUsers() {
  return {{"root", 0, 0, "/root", "/sbin/nologin"},
          {"nobody", 65534, 65534, "/nonexistent", "/sbin/nologin"},
          {"nonroot", 65532, 65532, "/home/nonroot", "/sbin/nologin"}};
}

std::vector<Group> DefaultGroups() {
  return {{"root", 0, {}}, {"nobody", 65534, {}}, {"tty", 5, {}}, {"staff", 50, {}}, {"nonroot", 65532, {}}};
}

Result<std::string> CodenameOf(std::string_view distro) {
  static const std::map<std::string, std::string, std::less<>> kKnown = {
      {"debian:bookworm", "bookworm"}, {"debian:12", "bookworm"},
      {"debian:trixie", "trixie"},     {"debian:13", "trixie"},
      {"debian:bullseye", "bullseye"}, {"debian:11", "bullseye"},
  };
  auto it = kKnown.find(distro);
  if (it == kKnown.end())
    return Errorf("unknown distro '{}' (known: debian:bookworm, debian:12, debian:trixie, debian:13, debian:bullseye, debian:11)", distro);
  return it->second;
}

Result<User> RunAsUser(const Spec& spec) {
  if (spec.run_as.empty()) return User{"root", 0, 0, "/root", "/sbin/nologin"};
  for (const auto& u : spec.users)
    if (u.name == spec.run_as || std::to_string(u.uid) == spec.run_as) return u;
  return Errorf("run-as \"{}\" is not one of the accounts' users", spec.run_as);
}

Result<Spec> ParseSpec(std::string_view yaml, const std::string& file) {
  Ctx c{file};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    return Errorf("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return Errorf("{}: expected a YAML map of fields", file);
  Spec s;
  s.file = file;
  try {
    for (const auto& kv : root) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      auto it = Fields().find(key);
      if (it == Fields().end()) {
        std::string known;
        for (const auto& [k, fn] : Fields()) known += (known.empty() ? "" : ", ") + k;
        return c.At(kv.first, fmt::format("unknown field \"{}\" (known: {})", key, known));
      }
      DISTILL_TRY_VOID(it->second(c, kv.second, &s));
    }
    DISTILL_TRY_VOID(Validate(c, root, s));
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  return s;
}

Result<Spec> LoadSpec(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 4 << 20));
  return ParseSpec(text, path);
}

}  // namespace distill::imagebuild
