#include "catalog/dpkg/cataloger.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "catalog/dpkg/package.h"

namespace distill::catalog::dpkg {
namespace {

// Databases a package manager keeps in this format; info/ and available/ live beside status.
constexpr std::string_view kRoots[] = {"var/lib/dpkg", "usr/lib/dpkg", "var/lib/opkg",
                                       "usr/lib/opkg"};

// Files in status.d/ and info/ that belong to a package but are not its control paragraph.
constexpr std::string_view kInfoSuffixes[] = {
    ".md5sums",  ".list",   ".conffiles", ".preinst",   ".postinst", ".prerm",  ".postrm",
    ".triggers", ".shlibs", ".symbols",   ".templates", ".config",   ".control"};

bool HasInfoSuffix(std::string_view name) {
  for (auto s : kInfoSuffixes)
    if (name.ends_with(s) && name.size() > s.size()) return true;
  return false;
}

std::string Join(std::string_view a, std::string_view b) {
  return std::string(a) + "/" + std::string(b);
}

using ArchiveDigests = std::map<std::tuple<std::string, std::string, std::string>, std::string>;

// var/lib/dpkg/available: SHA256 of the .deb each (name, version, arch) came from.
ArchiveDigests ReadAvailable(const image::FileIndex& files, const std::string& path, Found* out) {
  ArchiveDigests digests;
  if (!files.Find(path)) return digests;
  auto text = files.Bytes(path);
  if (!text.ok()) {
    out->unknowns.push_back({LocationFor(files, path), text.error().message});
    return digests;
  }
  std::vector<Error> errors;
  for (const Paragraph& p : ParseControl(text->view(), &errors)) {
    std::string_view sha = p.Get("SHA256");
    if (sha.empty()) continue;
    digests[{std::string(p.Get("Package")), std::string(p.Get("Version")),
             std::string(p.Get("Architecture"))}] = std::string(sha);
  }
  return digests;  // errors in available are not worth an unknown: it is a cache, not the database
}

// Adds an info file's location if the file exists.
bool AddLocation(const image::FileIndex& files, const std::string& path, Package* pkg) {
  const image::Entry* e = files.Find(path);
  if (!e) return false;
  pkg->locations.push_back(files.LocationOf(*e));
  return true;
}

void MergeFiles(std::vector<OwnedFile> add, Package* pkg) {
  pkg->files.insert(pkg->files.end(), std::make_move_iterator(add.begin()),
                    std::make_move_iterator(add.end()));
}

// Sorted by path, one entry per path, a recorded digest preferred over none.
void NormalizeFiles(Package* pkg) {
  auto& f = pkg->files;
  std::stable_sort(f.begin(), f.end(), [](const OwnedFile& a, const OwnedFile& b) {
    if (a.path != b.path) return a.path < b.path;
    return !a.digest.empty() && b.digest.empty();
  });
  f.erase(std::unique(f.begin(), f.end(),
                      [](const OwnedFile& a, const OwnedFile& b) { return a.path == b.path; }),
          f.end());
  f.shrink_to_fit();  // md5sums + list appended, then deduplicated: about half was slack
}

// info/<pkg>:<arch>.<ext> (Multi-Arch: same) or info/<pkg>.<ext>.
std::string InfoPath(const image::FileIndex& files, std::string_view dir, const Package& pkg,
                     std::string_view ext) {
  if (!pkg.arch.empty()) {
    std::string qualified = Join(dir, pkg.name + ":" + pkg.arch + std::string(ext));
    if (files.Find(qualified)) return qualified;
  }
  std::string plain = Join(dir, pkg.name + std::string(ext));
  return files.Find(plain) ? plain : "";
}

void AddMd5sums(const image::FileIndex& files, const std::string& path, Package* pkg, Found* out) {
  if (path.empty()) return;
  auto text = files.Bytes(path);
  if (!text.ok()) {
    out->unknowns.push_back({LocationFor(files, path), text.error().message});
    return;
  }
  auto sums = ParseMd5sums(text->view());
  if (!sums.ok()) {
    out->unknowns.push_back({LocationFor(files, path), sums.error().message});
    return;
  }
  MergeFiles(std::move(sums).value(), pkg);
}

// The .list names every path the package installed, directories included: keep the
// non-directories the image still has (symlinks too, which md5sums leaves out).
void AddList(const image::FileIndex& files, const std::string& path, Package* pkg, Found* out) {
  if (path.empty()) return;
  auto text = files.Bytes(path);
  if (!text.ok()) {
    out->unknowns.push_back({LocationFor(files, path), text.error().message});
    return;
  }
  std::vector<OwnedFile> listed;
  std::string last_dir, resolved_dir;  // the list goes directory by directory: resolve each once
  bool last_ok = false;
  for (std::string& p : ParseList(text->view())) {
    const image::Entry* e = files.Find(p);
    if (!e) {
      // usr-merged images: "/lib/x/libc.so.6" lives at usr/lib/x/libc.so.6 behind the lib
      // symlink. Resolve the parent only, so a symlink the package ships stays itself.
      std::string_view dir = image::Dirname(p);
      if (dir != last_dir) {
        auto r = files.Resolve(dir);
        last_dir = std::string(dir);
        last_ok = r.ok();
        if (last_ok) resolved_dir = (*r)->path;
      }
      if (last_ok) e = files.Find(resolved_dir + "/" + std::string(image::Basename(p)));
    }
    if (e && e->type != image::FileType::kDirectory) listed.push_back({std::move(p), "", ""});
  }
  MergeFiles(std::move(listed), pkg);
}

void AddCopyright(const image::FileIndex& files, Package* pkg, Found* out) {
  // Policy §12.5 lets usr/share/doc/<pkg> be a symlink to the doc directory of a package of the
  // same source it depends on (libgcc-s1 -> gcc-12-base): that copyright file is this one's.
  std::string path = "usr/share/doc/" + pkg->name + "/copyright";
  auto entry = files.Resolve(path);
  if (!entry.ok() || !(*entry)->is_regular_like()) return;
  auto text = files.Bytes((*entry)->path);
  if (!text.ok()) {
    out->unknowns.push_back({files.LocationOf(**entry), text.error().message});
    return;
  }
  pkg->locations.push_back(files.LocationOf(**entry));
  Copyright c = ParseCopyright(text->view());
  for (auto& id : c.spdx)
    if (std::find(pkg->licenses.begin(), pkg->licenses.end(), id) == pkg->licenses.end())
      pkg->licenses.push_back(id);
  std::get<DpkgMetadata>(pkg->metadata).license_names = std::move(c.names);
}

// Paragraphs of one control file to packages; only installed ones count, and an installed one
// without a valid Version: is an unknown at the file, not a package.
std::vector<Package> ReadControlFile(const image::FileIndex& files, const std::string& path,
                                     Database db, const Distro& distro, Found* out) {
  std::vector<Package> pkgs;
  auto text = files.Bytes(path);
  image::Location where = LocationFor(files, path);
  if (!text.ok()) {
    out->unknowns.push_back({where, text.error().message});
    return pkgs;
  }
  std::vector<Error> errors;
  std::vector<Paragraph> paragraphs = ParseControl(text->view(), &errors);
  for (const Error& e : errors) out->unknowns.push_back({where, e.message});
  if (paragraphs.empty() && errors.empty() && !text->view().empty())
    out->unknowns.push_back({where, "no control paragraphs"});
  for (const Paragraph& p : paragraphs) {
    auto entry = EntryFromParagraph(p);
    if (!entry.ok()) {
      out->unknowns.push_back({where, entry.error().message});
      continue;
    }
    if (!IsInstalled(entry->meta.status, db)) continue;
    if (auto st = CheckVersion(*entry); !st.ok()) {
      out->unknowns.push_back({where, st.error().message});
      continue;
    }
    pkgs.push_back(NewPackage(std::move(entry).value(), distro, where));
  }
  return pkgs;
}

void Finish(const image::FileIndex& files, const ArchiveDigests& digests, Package* pkg,
            Found* out) {
  NormalizeFiles(pkg);
  AddCopyright(files, pkg, out);
  auto it = digests.find({pkg->name, pkg->version, pkg->arch});
  if (it != digests.end()) std::get<DpkgMetadata>(pkg->metadata).archive_sha256 = it->second;
}

void CatalogRoot(const image::FileIndex& files, std::string_view root, const Distro& distro,
                 Found* out) {
  ArchiveDigests digests = ReadAvailable(files, Join(root, "available"), out);
  // status + info/
  std::string status = Join(root, "status");
  if (files.Find(status)) {
    std::string info = Join(root, "info");
    for (Package& pkg : ReadControlFile(files, status, Database::kStatusFile, distro, out)) {
      std::string md5 = InfoPath(files, info, pkg, ".md5sums"),
                  list = InfoPath(files, info, pkg, ".list");
      for (auto ext : kInfoSuffixes) {
        std::string p = InfoPath(files, info, pkg, ext);
        if (!p.empty()) AddLocation(files, p, &pkg);
      }
      AddMd5sums(files, md5, &pkg, out);
      AddList(files, list, &pkg, out);
      Finish(files, digests, &pkg, out);
      out->packages.push_back(std::move(pkg));
    }
  }
  // status.d/<pkg> (+ <pkg>.md5sums beside it): Google distroless.
  std::string statusd = Join(root, "status.d");
  for (const image::Entry* e : files.Glob(statusd + "/*")) {
    if (!e->is_regular_like() && e->type != image::FileType::kSymlink) continue;
    std::string_view base = image::Basename(e->path);
    if (HasInfoSuffix(base) || base.starts_with('.')) continue;
    for (Package& pkg : ReadControlFile(files, e->path, Database::kStatusD, distro, out)) {
      for (auto ext : kInfoSuffixes) {
        std::string p = e->path + std::string(ext);
        if (files.Find(p)) AddLocation(files, p, &pkg);
      }
      std::string md5 = e->path + ".md5sums";
      AddMd5sums(files, files.Find(md5) ? md5 : "", &pkg, out);
      Finish(files, digests, &pkg, out);
      out->packages.push_back(std::move(pkg));
    }
  }
}

}  // namespace

std::vector<std::string> Globs() {
  std::vector<std::string> out;
  for (auto root : kRoots) {
    for (auto f : {"status", "status.d/*", "info/*.md5sums", "info/*.list", "available"})
      out.push_back(Join(root, f));
  }
  out.emplace_back("usr/share/doc/*/copyright");
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro& distro) {
  Found out;
  std::vector<const image::Entry*> seen;  // one database reached through two paths counts once
  for (auto root : kRoots) {
    auto dir = files.Resolve(root);
    if (!dir.ok()) continue;
    if (std::find(seen.begin(), seen.end(), *dir) != seen.end()) continue;
    seen.push_back(*dir);
    if ((*dir)->type == image::FileType::kDirectory) CatalogRoot(files, (*dir)->path, distro, &out);
  }
  return out;
}

}  // namespace distill::catalog::dpkg
