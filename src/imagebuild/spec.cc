#include "imagebuild/spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "imagebuild/spec_yaml.h"
#include "util/file.h"

namespace distill::imagebuild {

namespace {

using yaml::Bool;
using yaml::CheckKeys;
using yaml::Ctx;
using yaml::Str;
using yaml::StrList;
using yaml::StrMap;
using yaml::Uint;

// "uid:gid" or "uid".
Status ParseOwner(const Ctx& c, const YAML::Node& n, uint32_t* uid, uint32_t* gid) {
  std::string s = n.IsScalar() ? n.Scalar() : "";
  size_t colon = s.find(':');
  auto num = [](std::string_view t, uint32_t* v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *v);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  bool ok = colon == std::string::npos ? num(s, uid) && (*gid = *uid, true)
                                       : num(std::string_view(s).substr(0, colon), uid) &&
                                             num(std::string_view(s).substr(colon + 1), gid);
  if (!ok) return c.At(n, fmt::format("field \"owner\": expected UID:GID numbers, got '{}'", s));
  return {};
}

Result<std::vector<User>> ParseUsers(const Ctx& c, const YAML::Node& n) {
  if (!n.IsSequence()) return c.At(n, "field \"accounts.users\": expected a list");
  std::vector<User> out;
  for (const auto& u : n) {
    if (!u.IsMap()) return c.At(u, "field \"accounts.users\": each user is a map");
    DISTILL_TRY_VOID(CheckKeys(c, u, "a user", {"name", "uid", "gid", "home", "shell"}));
    User user;
    if (!u["name"] || !u["uid"]) return c.At(u, "a user needs \"name\" and \"uid\"");
    DISTILL_TRY(user.name, Str(c, u["name"], "name"));
    DISTILL_TRY(user.uid, Uint(c, u["uid"], "uid"));
    user.gid = user.uid;
    if (u["gid"]) {
      DISTILL_TRY(user.gid, Uint(c, u["gid"], "gid"));
    }
    if (u["home"]) {
      DISTILL_TRY(user.home, Str(c, u["home"], "home"));
    }
    if (u["shell"]) {
      DISTILL_TRY(user.shell, Str(c, u["shell"], "shell"));
    }
    out.push_back(std::move(user));
  }
  return out;
}

Result<std::vector<Group>> ParseGroups(const Ctx& c, const YAML::Node& n) {
  if (!n.IsSequence()) return c.At(n, "field \"accounts.groups\": expected a list");
  std::vector<Group> out;
  for (const auto& g : n) {
    if (!g.IsMap()) return c.At(g, "field \"accounts.groups\": each group is a map");
    DISTILL_TRY_VOID(CheckKeys(c, g, "a group", {"name", "gid", "members"}));
    Group group;
    if (!g["name"] || !g["gid"]) return c.At(g, "a group needs \"name\" and \"gid\"");
    DISTILL_TRY(group.name, Str(c, g["name"], "name"));
    DISTILL_TRY(group.gid, Uint(c, g["gid"], "gid"));
    if (g["members"]) {
      DISTILL_TRY(group.members, StrList(c, g["members"], "members"));
    }
    out.push_back(std::move(group));
  }
  return out;
}

Status ParseAccounts(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (!n.IsMap()) return c.At(n, "field \"accounts\": expected a map");
  DISTILL_TRY_VOID(CheckKeys(c, n, "accounts", {"users", "groups", "run-as"}));
  if (n["users"]) {
    DISTILL_TRY(s->users, ParseUsers(c, n["users"]));
  }
  if (n["groups"]) {
    DISTILL_TRY(s->groups, ParseGroups(c, n["groups"]));
  }
  if (n["run-as"]) {
    DISTILL_TRY(s->run_as, Str(c, n["run-as"], "run-as"));
  }
  return {};
}

Result<FileSpec> ParseFile(const Ctx& c, const YAML::Node& f) {
  if (!f.IsMap()) return c.At(f, "field \"files\": each entry is a map");
  DISTILL_TRY_VOID(
      CheckKeys(c, f, "a files entry", {"src", "content", "symlink", "dst", "mode", "owner"}));
  FileSpec fs;
  fs.line = f.Mark().line + 1;
  int sources = 0;
  if (f["src"]) {
    ++sources;
    DISTILL_TRY(fs.src, Str(c, f["src"], "src"));
  }
  if (f["content"]) {
    ++sources;
    DISTILL_TRY(fs.content, Str(c, f["content"], "content"));
  }
  if (f["symlink"]) {
    ++sources;
    DISTILL_TRY(fs.symlink, Str(c, f["symlink"], "symlink"));
  }
  if (sources != 1)
    return c.At(f, "a files entry needs exactly one of \"src\", \"content\" or \"symlink\"");
  if (!f["dst"]) return c.At(f, "a files entry needs \"dst\"");
  DISTILL_TRY(fs.dst, Str(c, f["dst"], "dst"));
  if (!fs.dst.starts_with("/") || fs.dst.find("/../") != std::string::npos ||
      fs.dst.ends_with("/.."))
    return c.At(
        f["dst"],
        fmt::format("field \"dst\": expected an absolute path inside the image, got '{}'", fs.dst));
  if (f["mode"]) {
    DISTILL_TRY(fs.mode, Uint(c, f["mode"], "mode", 8));
  }
  if (f["owner"]) {
    DISTILL_TRY_VOID(ParseOwner(c, f["owner"], &fs.uid, &fs.gid));
  }
  return fs;
}

Status ParseLayers(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (n.IsScalar()) {
    std::string v = n.Scalar();
    if (v == "single")
      s->layers = LayerMode::kSingle;
    else if (v == "per-package")
      s->layers = LayerMode::kPerPackage;
    else
      return c.At(
          n,
          fmt::format("field \"layers\": expected single, per-package or {{max: N}}, got '{}'", v));
    return {};
  }
  if (!n.IsMap() || !n["max"])
    return c.At(n, "field \"layers\": expected single, per-package or {max: N}");
  DISTILL_TRY_VOID(CheckKeys(c, n, "layers", {"max"}));
  DISTILL_TRY(uint32_t max, Uint(c, n["max"], "layers.max"));
  if (max < 2 || max > 127) return c.At(n["max"], "field \"layers.max\": expected 2..127");
  s->layers = LayerMode::kGrouped;
  s->layer_budget = static_cast<int>(max);
  return {};
}

Status ParseSlices(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (!n.IsMap()) return c.At(n, "field \"slices\": expected a map of package -> list of paths");
  for (const auto& kv : n) {
    DISTILL_TRY(std::string pkg, Str(c, kv.first, "slices"));
    DISTILL_TRY(auto globs, StrList(c, kv.second, "slices." + pkg));
    s->positions["slices." + pkg] = c.Where(kv.first);
    if (kv.second.IsSequence())
      for (size_t i = 0; i < kv.second.size(); ++i)
        s->positions[fmt::format("slices.{}[{}]", pkg, i)] = c.Where(kv.second[i]);
    s->slices[pkg] = std::move(globs);
  }
  return {};
}

Status ParseEnv(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      DISTILL_TRY(std::string k, Str(c, kv.first, "env"));
      DISTILL_TRY(std::string v, Str(c, kv.second, "env." + k));
      s->env.emplace_back(k, v);
    }
    return {};
  }
  return c.At(n, "field \"env\": expected a map of NAME: value");
}

using FieldFn = Status (*)(const Ctx&, const YAML::Node&, Spec*);

// Every top-level field, in the order doc/build.md lists them.
// entrypoint and cmd: a list is the exec form as it is; a string is split into words as a shell
// (and docker compose, and apko) would: blanks separate, quotes group, a backslash escapes. No
// shell runs it: "/usr/bin/curl --version" is ["/usr/bin/curl", "--version"].
Result<std::vector<std::string>> Command(const Ctx& c, const YAML::Node& n,
                                         std::string_view field) {
  if (!n.IsScalar()) return StrList(c, n, field);
  auto words = apk::SplitCommand(n.Scalar());
  if (!words.ok()) return c.At(n, fmt::format("field \"{}\": {}", field, words.error().message));
  if (words->empty()) return c.At(n, fmt::format("field \"{}\": an empty command", field));
  return std::move(*words);
}

const std::map<std::string, FieldFn>& Fields() {
  static const std::map<std::string, FieldFn> kFields = {
      {"distro",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->distro, Str(c, n, "distro"));
         auto cn = CodenameOf(s->distro);
         if (!cn.ok()) return c.At(n, cn.error().message);
         s->codename = *cn;
         return {};
       }},
      {"mirror",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->mirrors, StrList(c, n, "mirror"));
         if (s->mirrors == std::vector<std::string>{"apt"}) s->mirrors.clear();
         // A relative file: repository is relative to the spec, as a files entry's src is.
         for (std::string& uri : s->mirrors)
           if (uri.starts_with("file:") && !uri.starts_with("file:/"))
             uri = "file:" + std::filesystem::absolute(std::filesystem::path(c.file).parent_path() /
                                                       uri.substr(5))
                                 .lexically_normal()
                                 .string();
         return {};
       }},
      {"keyring",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->keyring, Str(c, n, "keyring"));
         return {};
       }},
      {"archs",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->archs, StrList(c, n, "archs"));
         if (s->archs.empty()) return c.At(n, "field \"archs\": needs at least one architecture");
         return {};
       }},
      {"packages",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->packages, StrList(c, n, "packages"));
         return {};
       }},
      {"resolve",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->resolve, Bool(c, n, "resolve"));
         return {};
       }},
      {"slices", &ParseSlices},
      {"exclude",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->exclude, StrList(c, n, "exclude"));
         if (n.IsSequence())
           for (size_t i = 0; i < n.size(); ++i)
             s->positions[fmt::format("exclude[{}]", i)] = c.Where(n[i]);
         return {};
       }},
      {"accounts", &ParseAccounts},
      {"files",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         if (!n.IsSequence()) return c.At(n, "field \"files\": expected a list");
         for (const auto& f : n) {
           DISTILL_TRY(auto fs, ParseFile(c, f));
           s->files.push_back(std::move(fs));
         }
         return {};
       }},
      {"entrypoint",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->entrypoint, Command(c, n, "entrypoint"));
         return {};
       }},
      {"cmd",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->cmd, Command(c, n, "cmd"));
         return {};
       }},
      {"env", &ParseEnv},
      {"workdir",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->workdir, Str(c, n, "workdir"));
         return {};
       }},
      {"labels",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->labels, StrMap(c, n, "labels"));
         return {};
       }},
      {"annotations",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->annotations, StrMap(c, n, "annotations"));
         return {};
       }},
      {"layers", &ParseLayers},
      {"ca-bundle",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->ca_bundle, Bool(c, n, "ca-bundle"));
         return {};
       }},
      {"package-db",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(std::string v, Str(c, n, "package-db"));
         if (v != "status.d" && v != "status")
           return c.At(
               n, fmt::format("field \"package-db\": expected status.d or status, got '{}'", v));
         s->statusd = v == "status.d";
         return {};
       }},
      {"pretty-name",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->pretty_name, Str(c, n, "pretty-name"));
         return {};
       }},
      {"contents",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         // An APK source, apko's contents section (doc/build-apk.md).
         DISTILL_TRY(s->apk, apk::ParseContents(
                                 n, c.file, std::filesystem::path(c.file).parent_path().string()));
         return {};
       }},
      {"tags",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->tags, StrList(c, n, "tags"));
         return {};
       }},
  };
  return kFields;
}

// An APK source (contents:) replaces the Debian fields; its archs are apko's names.
Status ValidateApk(const Ctx& c, const YAML::Node& root, Spec* s) {
  for (const char* debian : {"packages", "distro", "mirror", "keyring", "slices", "resolve"})
    if (root[debian])
      return c.At(
          root[debian],
          fmt::format("field \"{}\" is for Debian packages: with \"contents\" (APK packages) "
                      "the packages are contents.packages",
                      debian));
  for (size_t i = 0; i < s->archs.size(); ++i) {
    auto a = apk::OciArch(s->archs[i]);
    if (!a.ok()) return c.At(root["archs"], "field \"archs\": " + a.error().message);
    s->archs[i] = *a;
  }
  return {};
}

Status Validate(const Ctx& c, const YAML::Node& root, const Spec& s) {
  if (s.packages.empty() && !s.apk)
    return c.At(root, "field \"packages\": the image needs at least one package");
  // The keyring verifies the spec's own mirrors; the host's sources carry their own Signed-By (or
  // use Debian's keyring), so there it would be silently ignored.
  if (!s.keyring.empty() && s.mirrors.empty())
    return c.At(root["keyring"],
                "field \"keyring\": verifies the spec's \"mirror\" entries, and there are none "
                "(the host's apt sources use their own Signed-By keyrings)");
  std::set<std::string> names;
  for (const auto& u : s.users)
    if (!names.insert(u.name).second)
      return c.At(root["accounts"], fmt::format("user \"{}\" listed twice", u.name));
  if (!s.run_as.empty() && !RunAsUser(s).ok())
    return c.At(root["accounts"]["run-as"], RunAsUser(s).error().message);
  return {};
}

}  // namespace

std::vector<User> DefaultUsers() {
  return {{"root", 0, 0, "/root", "/sbin/nologin"},
          {"nobody", 65534, 65534, "/nonexistent", "/sbin/nologin"},
          {"nonroot", 65532, 65532, "/home/nonroot", "/sbin/nologin"}};
}

std::vector<Group> DefaultGroups() {
  return {{"root", 0, {}},
          {"nobody", 65534, {}},
          {"tty", 5, {}},
          {"staff", 50, {}},
          {"nonroot", 65532, {}}};
}

Result<std::string> CodenameOf(std::string_view distro) {
  static const std::map<std::string, std::string, std::less<>> kKnown = {
      {"debian:bookworm", "bookworm"}, {"debian:12", "bookworm"},       {"debian:trixie", "trixie"},
      {"debian:13", "trixie"},         {"debian:bullseye", "bullseye"}, {"debian:11", "bullseye"},
  };
  auto it = kKnown.find(distro);
  if (it == kKnown.end())
    return Errorf(
        "unknown distro '{}' (known: debian:bookworm, debian:12, debian:trixie, debian:13, "
        "debian:bullseye, debian:11)",
        distro);
  return it->second;
}

std::vector<std::string> EnvWith(std::vector<std::pair<std::string, std::string>> env,
                                 const Spec& spec) {
  for (const auto& kv : spec.env) {
    auto it =
        std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.first == kv.first; });
    if (it != env.end())
      it->second = kv.second;
    else
      env.push_back(kv);
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
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
  if (apk::LooksLikeApkoConfig(root)) return apk::ParseApkoConfig(yaml, file);
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
    if (s.apk) {
      DISTILL_TRY_VOID(ValidateApk(c, root, &s));
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
