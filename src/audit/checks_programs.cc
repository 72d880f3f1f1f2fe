// Programs an attacker lives off: shells, multi-call binaries, package managers, network tools and
// interpreters — found by name anywhere in the image (not only on PATH), as regular executables
// or as links to one.
#include <algorithm>
#include <set>

#include "audit/checks.h"

namespace distill::audit {

namespace {

constexpr std::string_view kShells[] = {"sh", "bash", "rbash", "dash", "ash", "zsh", "ksh", "ksh93", "mksh",
                                        "pdksh", "csh", "tcsh", "fish", "yash", "posh"};
constexpr std::string_view kMultiCall[] = {"busybox", "toybox"};
constexpr std::string_view kPackageManagers[] = {"apt", "apt-get", "aptitude", "dpkg", "apk", "rpm", "yum", "dnf",
                                                 "microdnf", "tdnf", "zypper", "pip", "npm", "npx", "yarn", "pnpm", "gem"};
constexpr std::string_view kLotl[] = {"wget", "curl", "nc", "ncat", "netcat", "nc.openbsd", "nc.traditional", "socat",
                                      "telnet", "ssh", "scp", "sftp", "openssl", "ftp", "tftp"};
constexpr std::string_view kInterpreters[] = {"python", "perl", "ruby", "node", "nodejs", "php", "lua", "tclsh"};

// "python3.11" → "python"; "pip3" → "pip"; names without a version stay as they are.
std::string_view Unversioned(std::string_view base) {
  size_t end = base.size();
  while (end > 0 && ((base[end - 1] >= '0' && base[end - 1] <= '9') || base[end - 1] == '.')) --end;
  return end == 0 ? base : base.substr(0, end);
}

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

// Where a program by that name is the program, not a namesake (etc/cron.daily/dpkg, apt's
// usr/lib/apt/methods/ftp): any directory named bin, sbin or libexec (on PATH or not: opt/x/bin),
// or an ELF executable anywhere outside the system's library, data and config trees.
bool ProgramPlace(const Context& c, const image::Entry& e, const image::Entry& target) {
  std::string_view dir = image::Basename(image::Dirname(e.path));
  if (dir == "bin" || dir == "sbin" || dir == "libexec") return true;
  for (std::string_view tree : {"usr/lib/", "usr/share/", "etc/", "lib/", "var/lib/"})
    if (e.path.starts_with(tree)) return false;
  const FileFacts* f = c.content.Find(target);
  return f && f->elf;
}

// Every entry named by `match` that is an executable file or a link ending at one, in a place
// programs live.
template <typename Match>
void ByName(const Context& c, const Rule& rule, std::string_view what, Match match, std::vector<Finding>* out) {
  for (const image::Entry& e : c.files.entries()) {
    std::string_view base = image::Basename(e.path);
    if (!match(base)) continue;
    const image::Entry* t = c.Target(e);
    if (!t || !IsExecutableFile(*t) || !ProgramPlace(c, e, *t)) continue;
    std::string evidence = t == &e ? "" : fmt::format("link to {}", t->path);
    Finding f = At(c, rule, e, fmt::format("{} {}", what, base), evidence);
    if (f.package.empty() && t != &e) f.package = c.OwnerOf(t->path);
    out->push_back(std::move(f));
  }
}

}  // namespace

void CheckShells(const Context& c, const Rule& r, std::vector<Finding>* out) {
  ByName(c, r, "shell", [](std::string_view b) { return In(kShells, b); }, out);
}

void CheckMultiCall(const Context& c, const Rule& r, std::vector<Finding>* out) {
  for (const image::Entry& e : c.files.entries()) {
    if (!IsExecutableFile(e)) continue;
    std::string_view base = image::Basename(e.path);
    if (!In(kMultiCall, base) && !base.starts_with("busybox.") && !base.starts_with("toybox.")) continue;
    // Applets: links (symbolic or hard) that end at this binary.
    std::set<std::string> applets;
    for (const auto& [link, target] : c.link_targets)
      if (target == &e) applets.insert(std::string(image::Basename(link->path)));
    size_t on_path = 0;
    for (const auto& [link, target] : c.link_targets)
      if (target == &e && (image::Dirname(link->path).ends_with("bin"))) ++on_path;
    std::string sample;
    size_t k = 0;
    for (const auto& a : applets) {
      if (k++ == 8) break;
      sample += (sample.empty() ? "" : ", ") + a;
    }
    out->push_back(At(c, r, e, fmt::format("{} with {} applet links ({} in bin directories)", base, applets.size(), on_path),
                      applets.empty() ? "" : "applets: " + sample + (applets.size() > 8 ? ", ..." : "")));
  }
}

void CheckPackageManagers(const Context& c, const Rule& r, std::vector<Finding>* out) {
  ByName(c, r, "package manager", [](std::string_view b) { return In(kPackageManagers, b) || Unversioned(b) == "pip"; }, out);
}

void CheckLotlTools(const Context& c, const Rule& r, std::vector<Finding>* out) {
  ByName(c, r, "tool", [](std::string_view b) { return In(kLotl, b); }, out);
}

void CheckInterpreters(const Context& c, const Rule& r, std::vector<Finding>* out) {
  std::vector<Finding> found;
  ByName(c, r, "interpreter", [&](std::string_view b) { return In(kInterpreters, Unversioned(b)) || In(kInterpreters, b); }, &found);
  for (Finding& f : found) {
    std::string_view base = image::Basename(f.path);
    if (IsRuntime(c.policy, base)) f.allowed_by = fmt::format("{}: runtime {}", c.policy.source.empty() ? "policy" : c.policy.source, base);
    out->push_back(std::move(f));
  }
}

}  // namespace distill::audit
