#include "imagebuild/apk/layout.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "imagebuild/items.h"
#include "imagebuild/rootfs_files.h"
#include "util/text.h"

namespace distill::imagebuild::apk {

namespace {

using image::TarItem;
using Type = TarItem::Type;

// apko's pkg/apk/apk/implementation.go: baseDirectories, initDirectories (made before any package).
constexpr std::pair<const char*, uint32_t> kBaseDirs[] = {
    {"tmp", 01777},
    {"dev", 0755},
    {"etc", 0755},
    {"opt", 0755},
    {"proc", 0555},
    {"var", 0755},
    {"usr", 0755},
    {"etc/apk", 0755},
    {"etc/apk/keys", 0755},
    {"usr/lib", 0755},
    {"usr/lib/apk", 0755},
    {"usr/lib/apk/db", 0755},
    {"usr/lib/apk/exec", 0755},
    {"var/cache", 0755},
    {"var/cache/apk", 0755},
    {"var/cache/misc", 0755},
};

struct Device {
  const char* path;
  uint32_t major, minor, mode;
};
constexpr Device kDevices[] = {{"dev/zero", 1, 5, 0666},
                               {"dev/urandom", 1, 9, 0666},
                               {"dev/null", 1, 3, 0666},
                               {"dev/random", 1, 8, 0666},
                               {"dev/console", 5, 1, 0620}};

std::string Strip(std::string_view p) {
  while (p.starts_with('/')) p.remove_prefix(1);
  while (p.ends_with('/')) p.remove_suffix(1);
  return std::string(p);
}

std::string Parent(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? "" : p.substr(0, s);
}

// The packages' files with what apko adds over them: lookups see both, Put records an addition.
class Overlay {
 public:
  explicit Overlay(const std::map<std::string, TarItem>* base) : base_(base) {}

  const TarItem* Get(const std::string& p) const {
    if (auto it = over_.find(p); it != over_.end()) return &it->second;
    if (base_)
      if (auto it = base_->find(p); it != base_->end()) return &it->second;
    return nullptr;
  }
  bool InBase(const std::string& p) const { return base_ && base_->contains(p); }
  void Put(TarItem it) {
    std::string p = it.path;
    over_[p] = std::move(it);
  }
  // A copy of the entry at `p` to change (the caller Puts it back).
  TarItem Copy(const std::string& p) const { return *Get(p); }

  // Symlinks among the parent directories are followed ("lib/x" with lib -> usr/lib is
  // "usr/lib/x"), and the last component's too when `follow_last`. At most 40 links are followed,
  // as the kernel does (ELOOP); past that the path is taken as it is.
  std::string Resolve(const std::string& p, bool follow_last = true) const {
    int budget = 40;
    return Resolve(p, follow_last, &budget);
  }

  Status MkdirAll(const std::string& p, uint32_t mode) {
    std::string cur;
    for (auto part : Split(p, '/')) {
      if (part.empty()) continue;
      cur = Resolve(cur.empty() ? std::string(part) : cur + "/" + std::string(part));
      const TarItem* it = Get(cur);
      if (!it)
        Put(DirItem(cur, mode));
      else if (it->type != Type::kDir)
        return Errorf("/{} exists and is not a directory", cur);
    }
    return {};
  }

  // `p` and everything below it.
  std::vector<std::string> Tree(const std::string& p) const {
    std::set<std::string> out;
    auto add = [&](const std::map<std::string, TarItem>& m) {
      for (auto it = m.lower_bound(p);
           it != m.end() && (it->first == p || it->first.starts_with(p + "/")); ++it)
        out.insert(it->first);
    };
    if (base_) add(*base_);
    add(over_);
    return {out.begin(), out.end()};
  }

  std::vector<TarItem> Items() && {
    std::vector<TarItem> out;
    for (auto& [p, it] : over_) out.push_back(std::move(it));
    return out;
  }

 private:
  std::string Resolve(const std::string& p, bool follow_last, int* budget) const {
    std::string out;
    auto parts = Split(p, '/');
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string_view part = parts[i];
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        out = Parent(out);
        continue;
      }
      std::string next = out.empty() ? std::string(part) : out + "/" + std::string(part);
      const TarItem* it = Get(next);
      bool last = i + 1 == parts.size();
      if (it && it->type == Type::kSymlink && (follow_last || !last) && *budget > 0) {
        --*budget;
        std::string target =
            it->link.starts_with('/') ? Strip(it->link) : (out.empty() ? "" : out + "/") + it->link;
        next = Resolve(target, true, budget);
      }
      out = next;
    }
    return out;
  }

  const std::map<std::string, TarItem>* base_;
  std::map<std::string, TarItem> over_;
};

std::string WithNewline(std::string s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

std::string BaseText(const Overlay& fs, const std::string& p) {
  const TarItem* it = fs.Get(p);
  return it && it->type == Type::kFile ? it->data : "";
}

// apko's mutateAccounts: the users and groups appended to the packages' files, locked shadow
// entries, and a 0700 home for every passwd entry whose home does not exist yet.
Status Accounts(const Spec& spec, Overlay* fs) {
  const TarItem* passwd = fs->Get("etc/passwd");
  std::string passwd_text = WithNewline(BaseText(*fs, "etc/passwd")) + PasswdFile(spec.users);
  TarItem p = FileItem("etc/passwd", passwd_text, passwd ? passwd->mode : 0644);
  if (passwd) p.uid = passwd->uid, p.gid = passwd->gid;
  fs->Put(p);
  if (!spec.groups.empty()) {
    const TarItem* group = fs->Get("etc/group");
    TarItem g =
        FileItem("etc/group", WithNewline(BaseText(*fs, "etc/group")) + GroupFile(spec.groups),
                 group ? group->mode : 0644);
    if (group) g.uid = group->uid, g.gid = group->gid;
    fs->Put(g);
  }
  if (!spec.users.empty()) {
    const TarItem* shadow = fs->Get("etc/shadow");
    TarItem s =
        FileItem("etc/shadow", WithNewline(BaseText(*fs, "etc/shadow")) + ShadowLines(spec.users),
                 shadow ? shadow->mode : 0640);
    if (shadow) s.uid = shadow->uid, s.gid = shadow->gid;
    fs->Put(s);
  }
  // Every entry of the final passwd, the packages' ones included.
  bool ok = true;
  std::string error;
  ForEachLine(passwd_text, [&](int, std::string_view line) {
    auto f = Split(Trim(line), ':');
    if (f.size() != 7) return true;
    std::string home = Strip(f[5]);
    if (f[5] == "/dev/null" || home.empty()) return true;
    std::string resolved = fs->Resolve(home);
    if (const TarItem* it = fs->Get(resolved)) {
      if (it->type != Type::kDir) {
        error = fmt::format("accounts: {}'s home directory {} exists, but is not a directory", f[0],
                            f[5]);
        ok = false;
      }
      return ok;
    }
    if (auto st = fs->MkdirAll(Parent(resolved), 0755); !st.ok()) {
      error = fmt::format("accounts: {}'s home directory {}: {}", f[0], f[5], st.error().message);
      return ok = false;
    }
    TarItem d = DirItem(resolved, 0700);
    uint32_t uid = 0, gid = 0;
    std::from_chars(f[2].data(), f[2].data() + f[2].size(), uid);
    std::from_chars(f[3].data(), f[3].data() + f[3].size(), gid);
    d.uid = uid, d.gid = gid;
    fs->Put(d);
    return true;
  });
  if (!ok) return Errorf("{}", error);
  return {};
}

// chmod, and chown when the entry gives a uid or a gid (the other then 0), as apko's
// mutatePermissionsDirect.
void Chmod(Overlay* fs, const std::string& p, const PathMutation& m) {
  TarItem it = fs->Copy(p);
  if (it.type != Type::kSymlink) it.mode = m.permissions & 07777;
  if (m.uid || m.gid) it.uid = m.uid.value_or(0), it.gid = m.gid.value_or(0);
  fs->Put(std::move(it));
}

Status Mutate(Overlay* fs, const PathMutation& m) {
  using MT = PathMutation::Type;
  std::string path =
      fs->Resolve(Strip(m.path), /*follow_last=*/m.type == PathMutation::Type::kPermissions);
  if (path.empty()) return Errorf("paths: / cannot be changed");
  switch (m.type) {
    case MT::kDirectory:
      DISTILL_TRY_VOID(fs->MkdirAll(path, m.permissions & 07777));
      break;
    case MT::kEmptyFile: {
      DISTILL_TRY_VOID(fs->MkdirAll(Parent(path), 0755));
      const TarItem* old = fs->Get(path);
      if (old && old->type == Type::kDir) return Errorf("{} is a directory", m.path);
      TarItem f = old ? *old : FileItem(path, "");
      f.type = Type::kFile;
      f.data.clear();
      f.link.clear();
      fs->Put(std::move(f));
      break;
    }
    case MT::kHardlink: {
      std::string src = fs->Resolve(Strip(m.source));
      const TarItem* s = fs->Get(src);
      if (!s || s->type == Type::kDir) return Errorf("hardlink source {} is not a file", m.source);
      DISTILL_TRY_VOID(fs->MkdirAll(Parent(path), 0755));
      TarItem l = *s;
      l.path = path;
      l.type = Type::kHardlink;
      l.link = src;
      l.data.clear();
      fs->Put(std::move(l));
      // The link shares the source's inode: its mode and owner change with it.
      Chmod(fs, src, m);
      break;
    }
    case MT::kSymlink:
      DISTILL_TRY_VOID(fs->MkdirAll(Parent(path), 0755));
      if (fs->Get(path)) return Errorf("file \"{}\" already exists", m.path);
      fs->Put(SymlinkItem(path, m.source));
      break;
    case MT::kPermissions:
      if (!fs->Get(path)) return Errorf("{} does not exist", m.path);
      break;
  }
  std::vector<std::string> targets = m.recursive ? fs->Tree(path) : std::vector<std::string>{path};
  for (const auto& t : targets) Chmod(fs, t, m);
  return {};
}

// scripts.tar: every package's executable control entries, named NAME-VERSION.Q1…/.post-install.
Result<std::string> ScriptsTar(const std::vector<Script>& scripts, int64_t mtime) {
  std::vector<TarItem> items;
  for (const auto& s : scripts)
    items.push_back(
        FileItem(s.package + "-" + s.version + "." + s.checksum + s.name, s.data, s.mode));
  return image::WriteTar(std::move(items), mtime);
}

std::string Triggers(const LayoutInput& in) {
  std::string out;
  for (const auto& p : in.installed) {
    auto it = in.triggers.find(p.checksum);
    if (it == in.triggers.end()) continue;
    for (const auto& t : it->second) out += p.checksum + " " + t + "\n";
  }
  return out;
}

// Go's encoding/json escapes these inside strings (HTML safety); they appear nowhere else.
std::string GoJsonEscapes(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string WorldFile(const std::vector<InstalledPackage>& installed) {
  std::vector<std::string> lines;
  for (const auto& p : installed) lines.push_back(p.name + "=" + p.version);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out + "\n";
}

std::string RepositoriesFile(const Contents& contents) {
  std::string out;
  for (const auto& l : contents.RepositoryLines()) out += (out.empty() ? "" : "\n") + l;
  return out + "\n";
}

std::string ShadowLines(const std::vector<User>& users) {
  std::string out;
  for (const auto& u : users) out += u.name + ":!:::::::\n";
  return out;
}

std::string ApkoJson(const Spec& spec, const std::vector<InstalledPackage>& installed,
                     const std::string& arch) {
  if (spec.apko_json.empty()) return "";
  auto j = nlohmann::ordered_json::parse(spec.apko_json, nullptr, false);
  if (j.is_discarded()) return "";
  std::vector<std::string> pkgs;
  for (const auto& p : installed) pkgs.push_back(p.name + "=" + p.version);
  std::sort(pkgs.begin(), pkgs.end());
  j["contents"]["packages"] = pkgs;
  j["archs"] =
      std::vector<std::string>{arch};  // in place: after "accounts", as apko's struct has it
  // Annotations given at build time join the config's, as apko merges its --annotations into it.
  if (!spec.annotations.empty()) j["annotations"] = spec.annotations;
  return GoJsonEscapes(j.dump()) + "\n";
}

Result<std::vector<TarItem>> ImageFiles(const LayoutInput& in) {
  const Spec& spec = *in.spec;
  if (!spec.apk) return Errorf("the spec has no APK contents");
  Overlay fs(in.rootfs);
  // InitDB: made before the packages, so a package's own directory entry wins.
  for (const auto& [p, mode] : kBaseDirs)
    if (!fs.InBase(p)) fs.Put(DirItem(p, mode));
  for (const auto& d : kDevices) fs.Put(CharItem(d.path, d.major, d.minor, d.mode));
  // resolveApkDB: lib/apk -> ../usr/lib/apk unless /lib already leads to usr/lib.
  const TarItem* lib = fs.Get("lib");
  bool lib_is_usr_lib = lib && lib->type == Type::kSymlink && Strip(lib->link) == "usr/lib";
  if (!lib_is_usr_lib) {
    if (!lib) fs.Put(DirItem("lib", 0755));
    fs.Put(SymlinkItem("lib/apk", "../usr/lib/apk"));
  }
  fs.Put(FileItem("etc/apk/arch", ApkArch(in.arch) + "\n"));
  fs.Put(FileItem("etc/apk/world", WorldFile(in.installed)));
  fs.Put(FileItem("etc/apk/repositories", RepositoriesFile(*spec.apk)));
  for (const auto& [name, bytes] : in.keys) fs.Put(FileItem("etc/apk/keys/" + name, bytes));
  fs.Put(FileItem("usr/lib/apk/db/installed", RenderInstalled(in.installed)));
  fs.Put(FileItem("usr/lib/apk/db/lock", "", 0600));
  fs.Put(FileItem("usr/lib/apk/db/triggers", Triggers(in)));
  DISTILL_TRY(std::string scripts, ScriptsTar(in.scripts, in.mtime));
  fs.Put(FileItem("usr/lib/apk/db/scripts.tar", scripts));
  DISTILL_TRY_VOID(Accounts(spec, &fs));
  if (!spec.apko_json.empty())
    fs.Put(FileItem("etc/apko.json", ApkoJson(spec, in.installed, in.arch), 0444));
  for (const auto& m : spec.paths) {
    auto st = Mutate(&fs, m);
    if (!st.ok())
      return Errorf("{}:{}: paths: {}: {}", spec.file, m.line, m.path, st.error().message);
  }
  return std::move(fs).Items();
}

}  // namespace distill::imagebuild::apk
