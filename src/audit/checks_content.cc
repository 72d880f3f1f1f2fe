// What the content scan saw (secrets, ELF headers, "#!" lines) and what the package database
// does not cover (blind spots).
#include <algorithm>
#include <map>

#include "audit/checks.h"
#include "util/glob.h"
#include "util/text.h"

namespace distill::audit {

namespace {

// Package databases and caches: not "unknown software".
bool Bookkeeping(std::string_view path) {
  for (std::string_view prefix :
       {"var/lib/dpkg/", "var/lib/apt/", "var/cache/", "var/log/", "var/lib/rpm/",
        "usr/lib/sysimage/rpm/", "lib/apk/db/", "var/lib/ucf/", "var/lib/pam/"})
    if (path.starts_with(prefix)) return true;
  return path.find("/__pycache__/") != std::string_view::npos || path.starts_with("__pycache__/");
}

std::string Layer(const Context& context, int32_t layer) {
  if (layer < 0 || static_cast<size_t>(layer) >= context.files.layer_digests().size()) return "";
  return context.files.layer_digests()[layer];
}

std::string Strip(std::string_view path) {
  while (path.starts_with('/')) path.remove_prefix(1);
  return std::string(path);
}

bool Exists(const Context& context, std::string_view path) {
  auto r = context.files.Resolve(Strip(path));
  return r.ok() && *r && (*r)->type != image::FileType::kDirectory;
}

// The library search path: etc/ld.so.conf (and its includes), then the defaults for the machine.
std::vector<std::string> LibraryDirs(const Context& context, uint16_t machine) {
  std::vector<std::string> dirs;
  std::vector<std::string> confs = {"etc/ld.so.conf"};
  for (const image::Entry* e : context.files.Glob("etc/ld.so.conf.d/*.conf"))
    confs.push_back(e->path);
  for (const std::string& conf : confs) {
    auto text = context.files.Contents(conf);
    if (!text.ok()) continue;
    ForEachLine(*text, [&](int, std::string_view line) {
      line = Trim(line.substr(0, line.find('#')));
      if (!line.empty() && !line.starts_with("include")) dirs.push_back(Strip(line));
      return true;
    });
  }
  std::string t(elf::MultiarchTriplet(machine));
  if (!t.empty()) dirs.insert(dirs.end(), {"lib/" + t, "usr/lib/" + t});
  dirs.insert(dirs.end(), {"lib", "usr/lib", "lib64", "usr/lib64", "lib32", "usr/lib32"});
  return dirs;
}

// musl's dynamic linker (musl ldso/dynlink.c): for a program whose PT_INTERP is
// .../ld-musl-ARCH.so.1, libraries are searched in the directories of etc/ld-musl-ARCH.path
// (separated by ':' or newlines) or, without that file, in /lib:/usr/local/lib:/usr/lib; and the
// loader is itself the C library, so a DT_NEEDED "libc.*", "libpthread.*", "librt.*", "libm.*",
// "libdl.*", "libutil.*" or "libxnet.*" needs no file. "" when the interpreter is not musl's.
std::string MuslArch(std::string_view interp) {
  std::string_view base = interp.substr(interp.rfind('/') + 1);
  if (!base.starts_with("ld-musl-") || !base.ends_with(".so.1")) return "";
  return std::string(base.substr(8, base.size() - 8 - 5));
}

bool MuslReserved(std::string_view lib) {
  if (!lib.starts_with("lib")) return false;
  std::string_view stem = lib.substr(
      3, lib.find('.') == std::string_view::npos ? std::string_view::npos : lib.find('.') - 3);
  for (std::string_view r : {"c", "pthread", "rt", "m", "dl", "util", "xnet"})
    if (stem == r) return true;
  return false;
}

std::vector<std::string> MuslLibraryDirs(const Context& context, const std::string& arch) {
  std::vector<std::string> dirs;
  auto text = context.files.Contents("etc/ld-musl-" + arch + ".path");
  std::string_view path = text.ok() ? std::string_view(*text) : "/lib:/usr/local/lib:/usr/lib";
  for (std::string_view d : Split(path, ':')) {
    for (std::string_view line : Split(d, '\n')) {
      line = Trim(line);
      if (!line.empty()) dirs.push_back(Strip(line));
    }
  }
  return dirs;
}

}  // namespace

void CheckSecrets(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const auto& [key, facts] : context.content.facts()) {
    const auto& [path, layer] = key;
    for (const SecretHit& h : facts.secrets) {
      if (h.rule_id != rule.id) continue;
      const image::Entry* e = context.files.Find(path);
      Finding f;
      if (e && e->layer == layer) {
        f = At(context, rule, *e, fmt::format("{} at line {}", rule.title, h.line));
      } else {
        f.rule_id = std::string(rule.id), f.severity = rule.severity, f.path = path,
        f.layer = layer;
        f.layer_digest = Layer(context, layer), f.fix = std::string(rule.fix);
        f.message = fmt::format(
            "{} at line {}, in a file a later layer replaced or deleted (layer {} still holds it)",
            rule.title, h.line, layer);
      }
      f.evidence = fmt::format("line {}: {}", h.line, h.masked);
      out->push_back(std::move(f));
    }
  }
}

void CheckDotenv(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries())
    if (e.is_regular_like() && IsDotenvPath(e.path))
      out->push_back(
          At(context, rule, e, fmt::format(".env file ({} bytes)", e.size), "values not shown"));
}

void CheckNoPackageDb(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (!context.catalog.packages.empty()) return;
  uint64_t files = 0, bytes = 0, execs = 0;
  for (const image::Entry& e : context.files.entries()) {
    if (!e.is_regular_like()) continue;
    ++files, bytes += e.size;
    if ((e.mode & 0111) != 0) ++execs;
  }
  if (files == 0) return;
  Finding f;
  f.rule_id = std::string(rule.id), f.severity = rule.severity, f.fix = std::string(rule.fix);
  f.message = fmt::format(
      "{} files ({}), {} executables, and no package database: scanners will report nothing", files,
      FormatBytes(bytes), execs);
  out->push_back(std::move(f));
}

void CheckUnownedExecutables(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (context.catalog.packages.empty()) return;  // no-package-db says it
  // Programs only: an ELF file or a "#!" script with an executable bit (a 0755 etc/hostname is
  // counted by unowned-files, not here).
  for (const image::Entry& e : context.files.entries()) {
    if (!IsExecutableFile(e) || Bookkeeping(e.path) || !context.OwnerOf(e.path).empty()) continue;
    const FileFacts* facts = context.content.Find(e);
    if (!facts || (!facts->elf && facts->shebang.empty())) continue;
    // A package's conffile scripts (etc/update-motd.d/*) are unowned in a status.d layout, whose
    // records list md5sums but not conffiles: only unowned-files counts them.
    if (!facts->elf && e.path.starts_with("etc/")) continue;
    std::string kind = facts->elf ? "ELF executable" : "script (#!" + facts->shebang + ")";
    out->push_back(
        At(context, rule, e, fmt::format("{} no package owns ({})", kind, FormatBytes(e.size))));
  }
}

void CheckUnownedFiles(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  if (context.catalog.packages.empty()) return;
  uint64_t count = 0, bytes = 0;
  std::map<std::string, std::pair<uint64_t, uint64_t>> dirs;  // top two levels → count, bytes
  for (const image::Entry& e : context.files.entries()) {
    if (!e.is_regular_like() || Bookkeeping(e.path) || !context.OwnerOf(e.path).empty()) continue;
    if (e.path.starts_with("etc/") && (e.mode & 0111) == 0)
      continue;  // configuration made at install time
    ++count, bytes += e.size;
    std::string_view p = e.path;
    size_t s1 = p.find('/'), s2 = s1 == std::string_view::npos ? s1 : p.find('/', s1 + 1);
    auto& d = dirs[std::string(s2 == std::string_view::npos ? image::Dirname(p) : p.substr(0, s2))];
    ++d.first, d.second += e.size;
  }
  if (count == 0) return;
  std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> top(dirs.begin(), dirs.end());
  std::stable_sort(top.begin(), top.end(),
                   [](const auto& a, const auto& b) { return a.second.second > b.second.second; });
  std::string ev;
  for (size_t i = 0; i < top.size() && i < 5; ++i)
    ev += fmt::format("{}{}/ ({} files, {})",
                      i ? ", " : "top: ", top[i].first.empty() ? "." : top[i].first,
                      top[i].second.first, FormatBytes(top[i].second.second));
  Finding f;
  f.rule_id = std::string(rule.id), f.severity = rule.severity, f.fix = std::string(rule.fix);
  f.message = fmt::format("{} files ({}) no package owns", count, FormatBytes(bytes));
  f.evidence = ev;
  out->push_back(std::move(f));
}

void CheckElfInterpreter(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries()) {
    const FileFacts* f = IsExecutableFile(e) ? context.content.Find(e) : nullptr;
    if (!f || !f->elf || f->elf_info.interp.empty()) continue;
    if (!Exists(context, f->elf_info.interp))
      out->push_back(At(context, rule, e, "cannot run: its program interpreter is missing",
                        "PT_INTERP " + f->elf_info.interp));
  }
}

void CheckElfLibraries(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  // The search path by loader: "elf-62" (glibc's, by ELF machine) or "musl-x86_64".
  std::map<std::string, std::vector<std::string>> dirs_by_loader;
  std::map<std::pair<std::string, std::string>, bool> found;  // search-path lookups, cached
  for (const image::Entry& e : context.files.entries()) {
    const FileFacts* f = IsExecutableFile(e) ? context.content.Find(e) : nullptr;
    if (!f || !f->elf || f->elf_info.needed.empty()) continue;
    const elf::LinkInfo& elf = f->elf_info;
    std::string musl = MuslArch(elf.interp);
    std::string loader = musl.empty() ? fmt::format("elf-{}", elf.machine) : "musl-" + musl;
    auto [it, fresh] = dirs_by_loader.try_emplace(loader);
    if (fresh)
      it->second =
          musl.empty() ? LibraryDirs(context, elf.machine) : MuslLibraryDirs(context, musl);
    std::vector<std::string> missing;
    for (const std::string& lib : elf.needed) {
      bool ok = false;
      if (!musl.empty() && MuslReserved(lib)) {
        ok = true;  // the loader itself (its absence is elf-missing-interpreter's finding)
      } else if (lib.find('/') != std::string::npos) {
        ok = Exists(context, lib);
      } else {
        for (std::string dir : elf.runpath) {
          if (dir.starts_with("$ORIGIN"))
            dir = std::string(image::Dirname(e.path)) + dir.substr(7);
          else if (dir.starts_with("${ORIGIN}"))
            dir = std::string(image::Dirname(e.path)) + dir.substr(9);
          if ((ok = Exists(context, Strip(dir) + "/" + lib))) break;
        }
        if (!ok) {
          auto [hit, first] = found.try_emplace({loader, lib}, false);
          if (first)
            for (const std::string& dir : it->second)
              if ((hit->second = Exists(context, dir + "/" + lib))) break;
          ok = hit->second;
        }
      }
      if (!ok) missing.push_back(lib);
    }
    if (missing.empty()) continue;
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    out->push_back(At(context, rule, e,
                      fmt::format("cannot run: {} needed {} missing", missing.size(),
                                  missing.size() == 1 ? "library" : "libraries"),
                      "DT_NEEDED " + list));
  }
}

void CheckScriptInterpreter(const Context& context, const Rule& rule, std::vector<Finding>* out) {
  for (const image::Entry& e : context.files.entries()) {
    const FileFacts* f = IsExecutableFile(e) ? context.content.Find(e) : nullptr;
    if (!f || f->shebang.empty() || Bookkeeping(e.path)) continue;
    if (!Exists(context, f->shebang))
      out->push_back(
          At(context, rule, e, "script cannot run: #! interpreter missing", "#!" + f->shebang));
  }
}

}  // namespace distill::audit
