// Programs an attacker lives off: shells, multi-call binaries, package managers, network tools and
// interpreters — found by name anywhere in the image (not only on PATH), as regular executables
// or as links to one.
#include <algorithm>
#include <set>

#include "audit/checks.h"

namespace distill::audit {

namespace {

constexpr std::string_view kShells[] = {"sh",  "bash", "rbash", "dash", "ash",
                                        "zsh", "ksh",  "ksh93", "mksh", "pdksh",
                                        "csh", "tcsh", "fish",  "yash", "posh"};
constexpr std::string_view kMultiCall[] = {"busybox", "toybox"};
constexpr std::string_view kPackageManagers[] = {
    "apt",  "apt-get", "aptitude", "dpkg", "apk", "rpm",  "yum",  "dnf", "microdnf",
    "tdnf", "zypper",  "pip",      "npm",  "npx", "yarn", "pnpm", "gem"};
constexpr std::string_view kLotl[] = {"wget",       "curl",           "nc",      "ncat",   "netcat",
                                      "nc.openbsd", "nc.traditional", "socat",   "telnet", "ssh",
                                      "scp",        "sftp",           "openssl", "ftp",    "tftp"};
constexpr std::string_view kInterpreters[] = {"python", "perl", "ruby", "node",
                                              "nodejs", "php",  "lua",  "tclsh"};

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
bool ProgramPlace(const Context& context, const image::Entry& entry, const image::Entry& target) {
  std::string_view dir = image::Basename(image::Dirname(entry.path));
  if (dir == "bin" || dir == "sbin" || dir == "libexec") return true;
  for (std::string_view tree : {"usr/lib/", "usr/share/", "etc/", "lib/", "var/lib/"})
    if (entry.path.starts_with(tree)) return false;
  const FileFacts* f = context.content.Find(target);
  return f && f->elf;
}

// Every entry named by `match` that is an executable file or a link ending at one, in a place
// programs live.
template <typename Match>
void ByName(const Context& context, const Rule& rule, std::string_view what, Match match,
            std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries()) {
    std::string_view base = image::Basename(e.path);
    if (!match(base)) continue;
    const image::Entry* t = context.Target(e);
    if (!t || !IsExecutableFile(*t) || !ProgramPlace(context, e, *t)) continue;
    std::string evidence = t == &e ? "" : fmt::format("link to {}", t->path);
    Finding f = At(context, rule, e, fmt::format("{} {}", what, base), evidence);
    if (f.package.empty() && t != &e) f.package = context.OwnerOf(t->path);
    out->push_back(std::move(f));
  }
}

}  // namespace

void CheckShells(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  ByName(
      context, rule, "shell", [](std::string_view name) { return In(kShells, name); }, out);
}

void CheckMultiCall(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries()) {
    if (!IsExecutableFile(e)) continue;
    std::string_view base = image::Basename(e.path);
    if (!In(kMultiCall, base) && !base.starts_with("busybox.") && !base.starts_with("toybox."))
      continue;
    // Applets: links (symbolic or hard) that end at this binary.
    std::set<std::string> applets;
    for (const auto& [link, target] : context.link_targets)
      if (target == &e) applets.insert(std::string(image::Basename(link->path)));
    size_t on_path = 0;
    for (const auto& [link, target] : context.link_targets)
      if (target == &e && (image::Dirname(link->path).ends_with("bin"))) ++on_path;
    std::string sample;
    size_t k = 0;
    for (const auto& a : applets) {
      if (k++ == 8) break;
      sample += (sample.empty() ? "" : ", ") + a;
    }
    out->push_back(
        At(context, rule, e,
           fmt::format("{} with {} applet links ({} in bin directories)", base, applets.size(),
                       on_path),
           applets.empty() ? "" : "applets: " + sample + (applets.size() > 8 ? ", ..." : "")));
  }
}

void CheckPackageManagers(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  ByName(
      context, rule, "package manager",
      [](std::string_view name) {
        return In(kPackageManagers, name) || Unversioned(name) == "pip";
      },
      out);
}

void CheckLotlTools(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  ByName(
      context, rule, "tool", [](std::string_view name) { return In(kLotl, name); }, out);
}

void CheckInterpreters(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  std::vector<Finding> found;
  ByName(
      context, rule, "interpreter",
      [&](std::string_view name) {
        return In(kInterpreters, Unversioned(name)) || In(kInterpreters, name);
      },
      &found);
  for (Finding& f : found) {
    std::string_view base = image::Basename(f.path);
    if (IsRuntime(context.policy, base))
      f.allowed_by = fmt::format(
          "{}: runtime {}", context.policy.source.empty() ? "policy" : context.policy.source, base);
    out->push_back(std::move(f));
  }
}

}  // namespace distill::audit
