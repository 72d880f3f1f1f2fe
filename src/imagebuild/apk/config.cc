#include "imagebuild/apk/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "imagebuild/spec.h"
#include "imagebuild/spec_yaml.h"
#include "util/file.h"

namespace distill::imagebuild::apk {

namespace {

using yaml::CheckKeys;
using yaml::Ctx;
using yaml::Str;
using yaml::StrList;
using yaml::StrMap;
namespace fs = std::filesystem;

// apko keys distill does not build (yet): an error that says so, not "unknown".
const std::set<std::string>& Unsupported() {
  static const std::set<std::string> kKeys = {
      "stop-signal",  "vcs-url",         "include",   "volumes", "layering", "format",
      "certificates", "runtime_keyring", "baseimage", "type",    "services"};
  return kKeys;
}

// CheckKeys, but an apko key distill does not support gets its own message.
Status CheckApkoKeys(const Ctx& c, const YAML::Node& n, std::string_view what,
                     const std::set<std::string>& allowed) {
  for (const auto& kv : n) {
    std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!allowed.contains(k) && Unsupported().contains(k))
      return c.At(kv.first,
                  fmt::format("apko field \"{}\" in {} is not supported by distill", k, what));
  }
  return CheckKeys(c, n, what, allowed);
}

int Line(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

bool IsUrl(std::string_view s) { return s.starts_with("https://") || s.starts_with("http://"); }

std::string Resolve(const std::string& base_dir, std::string_view p) {
  fs::path path(p);
  if (path.is_relative()) path = fs::path(base_dir) / path;
  return fs::absolute(path).lexically_normal().string();
}

Result<RepositorySource> ParseRepository(const Ctx& c, const YAML::Node& n,
                                         const std::string& base_dir, std::string_view field) {
  DISTILL_TRY(std::string text, Str(c, n, field));
  RepositorySource r;
  r.line = Line(n);
  std::string_view rest = text;
  if (rest.starts_with("@")) {
    size_t sp = rest.find_first_of(" \t");
    if (sp == std::string_view::npos)
      return c.At(
          n, fmt::format("field \"{}\": '{}': a tag needs a repository after it (\"@tag URL\")",
                         field, text));
    r.tag = std::string(rest.substr(1, sp - 1));
    rest = rest.substr(sp);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (r.tag.empty())
      return c.At(n, fmt::format("field \"{}\": '{}': empty tag after '@'", field, text));
  }
  if (rest.empty()) return c.At(n, fmt::format("field \"{}\": empty repository", field));
  if (rest.find_first_of(" \t") != std::string_view::npos)
    return c.At(
        n, fmt::format("field \"{}\": '{}': expected \"[@tag] URL-or-directory\"", field, text));
  r.url = std::string(rest);
  if (rest.starts_with("file://")) {
    r.dir = Resolve(base_dir, rest.substr(7));
  } else if (!IsUrl(rest)) {
    if (rest.find("://") != std::string_view::npos)
      return c.At(
          n, fmt::format("field \"{}\": '{}': expected https://, http://, file:// or a directory",
                         field, text));
    r.dir = Resolve(base_dir, rest);
  }
  return r;
}

Result<std::vector<RepositorySource>> ParseRepositories(const Ctx& c, const YAML::Node& n,
                                                        const std::string& base_dir,
                                                        std::string_view field) {
  if (!n.IsSequence()) return c.At(n, fmt::format("field \"{}\": expected a list", field));
  std::vector<RepositorySource> out;
  for (const auto& item : n) {
    DISTILL_TRY(RepositorySource r, ParseRepository(c, item, base_dir, field));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<KeySource>> ParseKeyring(const Ctx& c, const YAML::Node& n,
                                            const std::string& base_dir) {
  if (!n.IsSequence()) return c.At(n, "field \"contents.keyring\": expected a list");
  std::vector<KeySource> out;
  std::set<std::string> names;
  for (const auto& item : n) {
    DISTILL_TRY(std::string src, Str(c, item, "contents.keyring"));
    KeySource k{src, "", "", Line(item)};
    std::string_view p = src;
    if (p.starts_with("file://")) p.remove_prefix(7);
    if (!IsUrl(src)) k.path = Resolve(base_dir, p);
    size_t slash = p.find_last_of('/');
    k.name = std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
    if (k.name.empty() || k.name == "." || k.name == "..")
      return c.At(item, fmt::format("field \"contents.keyring\": '{}' names no key file", src));
    if (!names.insert(k.name).second)
      return c.At(item,
                  fmt::format("field \"contents.keyring\": two keys are named '{}' (both would be "
                              "etc/apk/keys/{})",
                              k.name, k.name));
    out.push_back(std::move(k));
  }
  return out;
}

// A number as go-yaml reads one into an integer: decimal, 0o17 / 017 octal, 0x1f hex.
Result<uint32_t> YamlNumber(const Ctx& c, const YAML::Node& n, std::string_view field) {
  std::string s = n.IsScalar() ? n.Scalar() : "";
  std::string_view d = s;
  int base = 10;
  if (d.starts_with("0o") || d.starts_with("0O"))
    d.remove_prefix(2), base = 8;
  else if (d.starts_with("0x") || d.starts_with("0X"))
    d.remove_prefix(2), base = 16;
  else if (d.size() > 1 && d.starts_with("0"))
    d.remove_prefix(1), base = 8;
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), v, base);
  if (d.empty() || ec != std::errc() || p != d.data() + d.size())
    return c.At(
        n, fmt::format(
               "field \"{}\": expected a non-negative number (0o755 or 0755 for octal), got '{}'",
               field, s));
  return v;
}

Result<PathMutation> ParsePath(const Ctx& c, const YAML::Node& n) {
  if (!n.IsMap()) return c.At(n, "field \"paths\": each entry is a map");
  DISTILL_TRY_VOID(CheckKeys(c, n, "a paths entry",
                             {"path", "type", "uid", "gid", "permissions", "source", "recursive"}));
  static const std::map<std::string, PathMutation::Type> kTypes = {
      {"directory", PathMutation::Type::kDirectory},
      {"empty-file", PathMutation::Type::kEmptyFile},
      {"hardlink", PathMutation::Type::kHardlink},
      {"symlink", PathMutation::Type::kSymlink},
      {"permissions", PathMutation::Type::kPermissions}};
  PathMutation m;
  m.line = Line(n);
  if (!n["path"] || !n["type"]) return c.At(n, "a paths entry needs \"path\" and \"type\"");
  DISTILL_TRY(m.path, Str(c, n["path"], "path"));
  if (!m.path.starts_with("/") || m.path.find("/../") != std::string::npos ||
      m.path.ends_with("/.."))
    return c.At(n["path"],
                fmt::format("field \"path\": expected an absolute path inside the image, got '{}'",
                            m.path));
  DISTILL_TRY(std::string type, Str(c, n["type"], "type"));
  auto t = kTypes.find(type);
  if (t == kTypes.end())
    return c.At(n["type"],
                fmt::format("field \"type\": expected directory, empty-file, hardlink, symlink or "
                            "permissions, got '{}'",
                            type));
  m.type = t->second;
  if (n["source"]) {
    DISTILL_TRY(m.source, Str(c, n["source"], "source"));
  }
  bool link = m.type == PathMutation::Type::kHardlink || m.type == PathMutation::Type::kSymlink;
  if (link && m.source.empty())
    return c.At(n, fmt::format("a {} paths entry needs \"source\"", type));
  if (n["uid"]) {
    DISTILL_TRY(m.uid, YamlNumber(c, n["uid"], "uid"));
  }
  if (n["gid"]) {
    DISTILL_TRY(m.gid, YamlNumber(c, n["gid"], "gid"));
  }
  if (n["permissions"]) {
    DISTILL_TRY(m.permissions, YamlNumber(c, n["permissions"], "permissions"));
    if (m.permissions > 07777)
      return c.At(n["permissions"],
                  fmt::format("field \"permissions\": {:o} is more than 07777", m.permissions));
  }
  if (n["recursive"]) {
    DISTILL_TRY(m.recursive, yaml::Bool(c, n["recursive"], "recursive"));
  }
  return m;
}

Result<std::vector<User>> ParseUsers(const Ctx& c, const YAML::Node& n) {
  if (!n.IsSequence()) return c.At(n, "field \"accounts.users\": expected a list");
  std::vector<User> out;
  for (const auto& u : n) {
    if (!u.IsMap()) return c.At(u, "field \"accounts.users\": each user is a map");
    DISTILL_TRY_VOID(CheckKeys(c, u, "a user", {"username", "uid", "gid", "shell", "homedir"}));
    if (!u["username"] || !u["uid"]) return c.At(u, "a user needs \"username\" and \"uid\"");
    User user;
    DISTILL_TRY(user.name, Str(c, u["username"], "username"));
    DISTILL_TRY(user.uid, YamlNumber(c, u["uid"], "uid"));
    user.gid = user.uid;  // apko: the gid defaults to the uid
    if (u["gid"]) {
      DISTILL_TRY(user.gid, YamlNumber(c, u["gid"], "gid"));
    }
    user.shell = "/bin/sh";
    if (u["shell"]) {
      DISTILL_TRY(user.shell, Str(c, u["shell"], "shell"));
    }
    user.gecos = "Account created by apko";
    user.home = "/home/" + user.name;
    if (u["homedir"]) {
      DISTILL_TRY(user.home, Str(c, u["homedir"], "homedir"));
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
    DISTILL_TRY_VOID(CheckKeys(c, g, "a group", {"groupname", "gid", "members"}));
    if (!g["groupname"] || !g["gid"]) return c.At(g, "a group needs \"groupname\" and \"gid\"");
    Group group;
    DISTILL_TRY(group.name, Str(c, g["groupname"], "groupname"));
    DISTILL_TRY(group.gid, YamlNumber(c, g["gid"], "gid"));
    if (g["members"]) {
      DISTILL_TRY(group.members, StrList(c, g["members"], "members"));
    }
    out.push_back(std::move(group));
  }
  return out;
}

Status ParseAccounts(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (!n.IsMap()) return c.At(n, "field \"accounts\": expected a map");
  DISTILL_TRY_VOID(CheckKeys(c, n, "accounts", {"run-as", "users", "groups"}));
  if (n["users"]) {
    DISTILL_TRY(s->users, ParseUsers(c, n["users"]));
  }
  if (n["groups"]) {
    DISTILL_TRY(s->groups, ParseGroups(c, n["groups"]));
  }
  if (n["run-as"]) {
    DISTILL_TRY(s->run_as, Str(c, n["run-as"], "accounts.run-as"));
    bool number = !s->run_as.empty() && std::all_of(s->run_as.begin(), s->run_as.end(), ::isdigit);
    bool user = std::any_of(s->users.begin(), s->users.end(),
                            [&](const User& u) { return u.name == s->run_as; });
    if (!number && !user)
      return c.At(n["run-as"],
                  fmt::format("field \"accounts.run-as\": \"{}\" is neither a uid nor one of "
                              "accounts.users",
                              s->run_as));
  }
  std::set<std::string> names;
  for (const auto& u : s->users)
    if (!names.insert(u.name).second)
      return c.At(n["users"], fmt::format("user \"{}\" listed twice", u.name));
  return {};
}

Status ParseEntrypoint(const Ctx& c, const YAML::Node& n, Spec* s) {
  if (!n.IsMap()) return c.At(n, "field \"entrypoint\": expected a map with \"command\"");
  DISTILL_TRY_VOID(CheckApkoKeys(c, n, "entrypoint", {"command", "shell-fragment"}));
  if (n["shell-fragment"]) {  // apko: it wins over command
    DISTILL_TRY(std::string frag, Str(c, n["shell-fragment"], "entrypoint.shell-fragment"));
    s->entrypoint = {"/bin/sh", "-c", frag};
  } else if (n["command"]) {
    DISTILL_TRY(std::string cmd, Str(c, n["command"], "entrypoint.command"));
    auto words = SplitCommand(cmd);
    if (!words.ok())
      return c.At(n["command"], "field \"entrypoint.command\": " + words.error().message);
    s->entrypoint = std::move(*words);
  }
  return {};
}

Status ParseArchs(const Ctx& c, const YAML::Node& n, Spec* s) {
  DISTILL_TRY(auto names, StrList(c, n, "archs"));
  if (names.empty()) return c.At(n, "field \"archs\": needs at least one architecture");
  std::set<std::string> archs;  // apko dedupes and sorts them
  for (size_t i = 0; i < names.size(); ++i) {
    auto a = OciArch(names[i]);
    if (!a.ok()) return c.At(n.IsSequence() ? n[i] : n, "field \"archs\": " + a.error().message);
    archs.insert(*a);
  }
  s->archs.assign(archs.begin(), archs.end());
  return {};
}

Status ParseEnvironment(const Ctx& c, const YAML::Node& n, Spec* s) {
  DISTILL_TRY(auto env, StrMap(c, n, "environment"));  // sorted by name, as apko sorts them
  for (auto& [k, v] : env) s->env.emplace_back(k, v);
  return {};
}

// /etc/apko.json's template: the config as apko's json.Encoder writes its ImageConfiguration
// (struct field order, omitempty; "archs" and "contents.packages" are filled in per image).
std::string ApkoConfigJson(const YAML::Node& root, const Spec& s) {
  using J = nlohmann::ordered_json;
  auto repos = [](const std::vector<RepositorySource>& rs) {
    J a = J::array();
    for (const auto& r : rs) a.push_back(r.tag.empty() ? r.url : "@" + r.tag + " " + r.url);
    return a;
  };
  J contents = J::object();
  const Contents& c = *s.apk;
  if (!c.build_repositories.empty()) contents["build_repositories"] = repos(c.build_repositories);
  if (!c.runtime_repositories.empty())
    contents["runtime_repositories"] = repos(c.runtime_repositories);
  if (!c.repositories.empty()) contents["repositories"] = repos(c.repositories);
  if (!c.keyring.empty()) {
    contents["keyring"] = J::array();
    for (const auto& k : c.keyring) contents["keyring"].push_back(k.source);
  }
  contents["packages"] = c.packages;
  J j = J::object();
  j["contents"] = contents;
  J entry = J::object();
  const YAML::Node ep = root["entrypoint"];
  if (ep && ep["command"]) entry["command"] = ep["command"].Scalar();
  if (ep && ep["shell-fragment"]) entry["shell-fragment"] = ep["shell-fragment"].Scalar();
  j["entrypoint"] = entry;
  if (root["cmd"] && !root["cmd"].Scalar().empty()) j["cmd"] = root["cmd"].Scalar();
  if (!s.workdir.empty()) j["work-dir"] = s.workdir;
  J accounts = J::object();
  const YAML::Node acc = root["accounts"];
  if (!s.run_as.empty()) accounts["run-as"] = s.run_as;
  if (!s.users.empty()) {
    J users = J::array();
    for (size_t i = 0; i < s.users.size(); ++i) {
      const User& u = s.users[i];
      const YAML::Node n = acc["users"][i];
      J o = J::object();
      o["username"] = u.name;
      if (u.uid != 0) o["uid"] = u.uid;
      if (n["gid"]) o["gid"] = u.gid;
      if (n["shell"] && !u.shell.empty()) o["shell"] = u.shell;
      if (n["homedir"] && !u.home.empty()) o["homedir"] = u.home;
      users.push_back(o);
    }
    accounts["users"] = users;
  }
  if (!s.groups.empty()) {
    J groups = J::array();
    for (const auto& g : s.groups) {
      J o = J::object();
      o["groupname"] = g.name;
      if (g.gid != 0) o["gid"] = g.gid;
      if (!g.members.empty()) o["members"] = g.members;
      groups.push_back(o);
    }
    accounts["groups"] = groups;
  }
  j["accounts"] = accounts;
  j["archs"] = J::array();
  if (!s.env.empty()) {
    J env = J::object();
    for (const auto& [k, v] : s.env) env[k] = v;
    j["environment"] = env;
  }
  if (!s.paths.empty()) {
    static const char* kNames[] = {"directory", "empty-file", "hardlink", "symlink", "permissions"};
    J paths = J::array();
    for (const auto& m : s.paths) {
      J o = J::object();
      o["path"] = m.path;
      o["type"] = kNames[static_cast<int>(m.type)];
      if (m.uid) o["uid"] = *m.uid;
      if (m.gid) o["gid"] = *m.gid;
      if (m.permissions != 0) o["permissions"] = m.permissions;
      if (!m.source.empty()) o["source"] = m.source;
      if (m.recursive) o["recursive"] = true;
      paths.push_back(o);
    }
    j["paths"] = paths;
  }
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return j.dump();
}

using FieldFn = Status (*)(const Ctx&, const YAML::Node&, Spec*);

// Every apko.yaml key distill builds (apko's ImageConfiguration), by name.
const std::map<std::string, FieldFn>& Fields() {
  static const std::map<std::string, FieldFn> kFields = {
      {"contents",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->apk, ParseContents(n, c.file, fs::path(c.file).parent_path().string()));
         return {};
       }},
      {"entrypoint", &ParseEntrypoint},
      {"cmd",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(std::string cmd, Str(c, n, "cmd"));
         auto words = SplitCommand(cmd);
         if (!words.ok()) return c.At(n, "field \"cmd\": " + words.error().message);
         s->cmd = std::move(*words);
         return {};
       }},
      {"work-dir",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->workdir, Str(c, n, "work-dir"));
         return {};
       }},
      {"accounts", &ParseAccounts},
      {"archs", &ParseArchs},
      {"environment", &ParseEnvironment},
      {"paths",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->paths, ParsePaths(n, c.file));
         return {};
       }},
      {"annotations",
       [](const Ctx& c, const YAML::Node& n, Spec* s) -> Status {
         DISTILL_TRY(s->annotations, StrMap(c, n, "annotations"));
         return {};
       }},
  };
  return kFields;
}

}  // namespace

bool LooksLikeApkoConfig(const YAML::Node& root) {
  if (!root.IsMap() || !root["contents"]) return false;
  for (const auto& kv : root) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!Fields().contains(key) && !Unsupported().contains(key)) return false;
  }
  if (root["entrypoint"] && !root["entrypoint"].IsMap()) return false;  // ours: a list
  if (root["cmd"] && !root["cmd"].IsScalar()) return false;             // ours: a list
  const YAML::Node accounts = root["accounts"];
  if (accounts && accounts.IsMap() && accounts["users"] && accounts["users"].IsSequence())
    for (const auto& u : accounts["users"])
      if (u.IsMap() && u["name"]) return false;  // ours: name; apko's: username
  return true;
}

std::vector<std::string> Contents::RepositoryLines() const {
  std::vector<std::string> out;
  for (const auto* list : {&repositories, &runtime_repositories})
    for (const auto& r : *list) out.push_back(r.tag.empty() ? r.url : "@" + r.tag + " " + r.url);
  return out;
}

std::vector<RepositorySource> Contents::BuildRepositories() const {
  std::vector<RepositorySource> out = repositories;
  out.insert(out.end(), build_repositories.begin(), build_repositories.end());
  return out;
}

Result<Contents> ParseContents(const YAML::Node& n, const std::string& file,
                               const std::string& base_dir) {
  Ctx c{file};
  if (!n.IsMap()) return c.At(n, "field \"contents\": expected a map");
  DISTILL_TRY_VOID(CheckApkoKeys(
      c, n, "contents",
      {"repositories", "build_repositories", "runtime_repositories", "keyring", "packages"}));
  Contents out;
  if (n["repositories"]) {
    DISTILL_TRY(out.repositories,
                ParseRepositories(c, n["repositories"], base_dir, "contents.repositories"));
  }
  if (n["build_repositories"]) {
    DISTILL_TRY(out.build_repositories, ParseRepositories(c, n["build_repositories"], base_dir,
                                                          "contents.build_repositories"));
  }
  if (n["runtime_repositories"]) {
    DISTILL_TRY(out.runtime_repositories, ParseRepositories(c, n["runtime_repositories"], base_dir,
                                                            "contents.runtime_repositories"));
  }
  if (n["keyring"]) {
    DISTILL_TRY(out.keyring, ParseKeyring(c, n["keyring"], base_dir));
  }
  if (n["packages"]) {
    if (!n["packages"].IsSequence())
      return c.At(n["packages"], "field \"contents.packages\": expected a list");
    DISTILL_TRY(out.packages, StrList(c, n["packages"], "contents.packages"));
    for (size_t i = 0; i < out.packages.size(); ++i)
      if (out.packages[i].empty() || out.packages[i].find_first_of(" \t") != std::string::npos)
        return c.At(n["packages"][i],
                    fmt::format("field \"contents.packages\": '{}' is not one package constraint",
                                out.packages[i]));
  }
  if (out.BuildRepositories().empty())
    return c.At(n,
                "field \"contents\": needs at least one entry in \"repositories\" or "
                "\"build_repositories\"");
  if (out.packages.empty())
    return c.At(n["packages"] ? n["packages"] : n,
                "field \"contents.packages\": the image needs at least one package");
  return out;
}

Result<std::vector<PathMutation>> ParsePaths(const YAML::Node& n, const std::string& file) {
  Ctx c{file};
  if (!n.IsSequence()) return c.At(n, "field \"paths\": expected a list");
  std::vector<PathMutation> out;
  for (const auto& item : n) {
    DISTILL_TRY(PathMutation m, ParsePath(c, item));
    out.push_back(std::move(m));
  }
  return out;
}

Result<Spec> ParseApkoConfig(std::string_view text, const std::string& file) {
  Ctx c{file};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return Errorf("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return Errorf("{}: expected a YAML map of apko fields", file);
  Spec s;
  s.file = file;
  s.users.clear();  // apko adds no accounts of its own
  s.groups.clear();
  try {
    for (const auto& kv : root) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      auto it = Fields().find(key);
      if (it == Fields().end()) {
        if (Unsupported().contains(key))
          return c.At(kv.first, fmt::format("apko field \"{}\" is not supported by distill", key));
        std::string known;
        for (const auto& [k, fn] : Fields()) known += (known.empty() ? "" : ", ") + k;
        return c.At(kv.first, fmt::format("unknown field \"{}\" (known: {})", key, known));
      }
      DISTILL_TRY_VOID(it->second(c, kv.second, &s));
    }
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!s.apk)
    return c.At(root, "field \"contents\": an apko config needs its repositories and packages");
  try {
    s.apko_json = ApkoConfigJson(root, s);
  } catch (const std::exception& e) {  // yaml-cpp's or nlohmann's (invalid UTF-8)
    return Errorf("{}: {}", file, e.what());
  }
  return s;
}

Result<Spec> LoadApkoConfig(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 4 << 20));
  return ParseApkoConfig(text, path);
}

Result<std::string> OciArch(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> kArchs = {{"x86", "386"},
                                                                         {"386", "386"},
                                                                         {"x86_64", "amd64"},
                                                                         {"amd64", "amd64"},
                                                                         {"aarch64", "arm64"},
                                                                         {"arm64", "arm64"},
                                                                         {"armhf", "arm/v6"},
                                                                         {"arm/v6", "arm/v6"},
                                                                         {"armv7", "arm/v7"},
                                                                         {"arm/v7", "arm/v7"},
                                                                         {"loongarch64", "loong64"},
                                                                         {"loong64", "loong64"},
                                                                         {"ppc64le", "ppc64le"},
                                                                         {"riscv64", "riscv64"},
                                                                         {"s390x", "s390x"}};
  auto it = kArchs.find(name);
  if (it == kArchs.end())
    return Errorf(
        "unknown architecture '{}' (known: x86_64/amd64, aarch64/arm64, x86/386, armhf/arm/v6, "
        "armv7/arm/v7, loongarch64/loong64, ppc64le, riscv64, s390x)",
        name);
  return it->second;
}

std::string ApkArch(std::string_view oci) {
  static const std::map<std::string, std::string, std::less<>> kApk = {
      {"386", "x86"},      {"amd64", "x86_64"}, {"arm64", "aarch64"},
      {"arm/v6", "armhf"}, {"arm/v7", "armv7"}, {"loong64", "loongarch64"}};
  auto it = kApk.find(oci);
  return it == kApk.end() ? std::string(oci) : it->second;
}

Result<std::vector<std::string>> SplitCommand(std::string_view s) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (ch == '\\') {
      if (++i == s.size()) return Errorf("'{}': a backslash at the end escapes nothing", s);
      word += s[i];
      in_word = true;
    } else if (ch == '\'' || ch == '"') {
      size_t end = i + 1;
      std::string quoted;
      for (; end < s.size() && s[end] != ch; ++end) {
        if (ch == '"' && s[end] == '\\' && end + 1 < s.size() &&
            (s[end + 1] == '"' || s[end + 1] == '\\' || s[end + 1] == '$' || s[end + 1] == '`'))
          ++end;
        quoted += s[end];
      }
      if (end == s.size()) return Errorf("'{}': quote {} is not closed", s, ch);
      word += quoted;
      in_word = true;
      i = end;
    } else {
      word += ch;
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

}  // namespace distill::imagebuild::apk
