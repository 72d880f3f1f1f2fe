#include "imagebuild/rootfs_files.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace distill::imagebuild {

std::string PasswdFile(const std::vector<User>& users) {
  std::string out;
  for (const auto& u : users)
    out += fmt::format("{}:x:{}:{}:{}:{}:{}\n", u.name, u.uid, u.gid,
                       u.gecos.empty() ? u.name : u.gecos, u.home, u.shell);
  return out;
}

std::string GroupFile(const std::vector<Group>& groups) {
  std::string out;
  for (const auto& g : groups) {
    std::string members;
    for (const auto& m : g.members) members += (members.empty() ? "" : ",") + m;
    out += fmt::format("{}:x:{}:{}\n", g.name, g.gid, members);
  }
  return out;
}

std::string NsswitchConf() {
  return "# /etc/nsswitch.conf (written by distill build): local files, and DNS for host names.\n"
         "passwd:         files\n"
         "group:          files\n"
         "shadow:         files\n"
         "gshadow:        files\n"
         "\n"
         "hosts:          files dns\n"
         "networks:       files\n"
         "\n"
         "protocols:      files\n"
         "services:       files\n"
         "ethers:         files\n"
         "rpc:            files\n";
}

std::string OsRelease(std::string_view base, std::string_view pretty_name,
                      std::string_view codename) {
  std::string text(base);
  if (text.empty()) {
    static const std::map<std::string_view, std::string_view> kVersion = {
        {"bookworm", "12"}, {"trixie", "13"}, {"bullseye", "11"}};
    auto it = kVersion.find(codename);
    std::string_view v = it == kVersion.end() ? "" : it->second;
    text = fmt::format(
        "PRETTY_NAME=\"Debian GNU/Linux {0} ({1})\"\nNAME=\"Debian "
        "GNU/Linux\"\nVERSION_ID=\"{0}\"\n"
        "VERSION=\"{0} ({1})\"\nVERSION_CODENAME={1}\nID=debian\n",
        v, codename);
  }
  std::string out, name;
  std::istringstream in(text);
  std::string line;
  bool replaced = false;
  auto unquote = [](std::string v) {
    return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
  };
  while (std::getline(in, line)) {
    if (line.starts_with("NAME=")) name = unquote(line.substr(5));
    if (line.starts_with("PRETTY_NAME=")) {
      line = fmt::format("PRETTY_NAME=\"{}\"", pretty_name);
      replaced = true;
    }
    // distroless writes VERSION as NAME + VERSION: "Debian GNU/Linux 12 (bookworm)".
    if (line.starts_with("VERSION=") && !name.empty() && !unquote(line.substr(8)).starts_with(name))
      line = fmt::format("VERSION=\"{} {}\"", name, unquote(line.substr(8)));
    out += line + "\n";
  }
  if (!replaced) out = fmt::format("PRETTY_NAME=\"{}\"\n", pretty_name) + out;
  return out;
}

std::string CaBundle(const Deb& ca) {
  std::vector<const image::TarItem*> pems;
  for (const auto& it : ca.files)
    if (it.type == image::TarItem::Type::kFile &&
        it.path.starts_with("usr/share/ca-certificates/") && it.path.ends_with(".crt"))
      pems.push_back(&it);
  std::sort(pems.begin(), pems.end(), [](auto* a, auto* b) { return a->path < b->path; });
  std::string out;
  for (const auto* p : pems) {
    out += p->data;
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  return out;
}

}  // namespace distill::imagebuild
