#include "catalog/catalog.h"

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "catalog/apk/cataloger.h"
#include "catalog/binary/cataloger.h"
#include "catalog/chisel/cataloger.h"
#include "catalog/distro/release.h"
#include "catalog/dotnet/cataloger.h"
#include "catalog/dpkg/cataloger.h"
#include "catalog/dpkg/parse_status.h"
#include "catalog/golang/cataloger.h"
#include "catalog/java/cataloger.h"
#include "catalog/javascript/cataloger.h"
#include "catalog/language.h"
#include "catalog/ownership.h"
#include "catalog/php/cataloger.h"
#include "catalog/python/cataloger.h"
#include "catalog/python/declared.h"
#include "catalog/python/parse_metadata.h"
#include "catalog/rpm/cataloger.h"
#include "catalog/ruby/cataloger.h"
#include "catalog/rust/cataloger.h"

namespace distill::catalog {

const std::vector<Cataloger>& OsCatalogers() {
  static const std::vector<Cataloger> kCatalogers = {
      // Debian, Ubuntu, distroless (status.d), opkg.
      {"dpkg-db-cataloger", dpkg::Globs(), &dpkg::Catalog},
      // Alpine, Wolfi, Chainguard.
      {"apk-db-cataloger", apk::Globs(), &apk::Catalog},
      // RHEL & co (sqlite, BerkeleyDB, NDB rpmdb), CBL-Mariner distroless manifests.
      {"rpm-db-cataloger", rpm::Globs(), &rpm::Catalog},
      // Chiselled Ubuntu: no dpkg database, a chisel manifest.
      {"chisel-manifest-cataloger", chisel::Globs(), &chisel::Catalog},
  };
  return kCatalogers;
}

const std::vector<Cataloger>& LanguageCatalogers() {
  static const std::vector<Cataloger> kCatalogers = {
      // dist-info / egg-info in any site-packages or virtualenv.
      {"python-installed-package-cataloger", python::Globs(), &python::Catalog},
      // node_modules/**/package.json; lock files for dir: sources only.
      {"javascript-package-cataloger", javascript::Globs(), &javascript::Catalog},
      // jar/war/ear/... with nested archives.
      {"java-archive-cataloger", java::Globs(), &java::Catalog},
      {"dotnet-deps-binary-cataloger", dotnet::Globs(), &dotnet::Catalog},
      {"ruby-installed-gemspec-cataloger", ruby::Globs(), &ruby::Catalog},
      {"php-composer-installed-cataloger", php::Globs(), &php::Catalog},
      // Declared, not installed: read only for dir: sources (an unbuilt project).
      {"go-module-file-cataloger", golang::GoModGlobs(), &golang::CatalogGoMod},
      {"rust-cargo-lock-cataloger", rust::CargoLockGlobs(), &rust::CatalogCargoLock},
      {"python-package-cataloger", python::DeclaredGlobs(), &python::CatalogDeclaredFiles},
      {"php-composer-lock-cataloger", php::ComposerLockGlobs(), &php::CatalogComposerLock},
      {"ruby-gemfile-cataloger", ruby::GemfileLockGlobs(), &ruby::CatalogGemfileLock},
      // note: executables are streamed past binary::Prescan (CatalogPlan), not captured.
      // Go build info, Rust cargo-auditable, then the version-string classifiers.
      {"binary-cataloger", binary::Globs(), &binary::Catalog},
  };
  return kCatalogers;
}

image::ContentPlan CatalogPlan(const CatalogOptions& options) {
  image::ContentPlan plan;
  plan.globs = CatalogGlobs();
  if (options.languages) {
    // The language globs go through a GlobSet (literal-tail prefilter): tens of globs over every
    // entry of a node_modules tree would otherwise dominate the read.
    std::vector<std::string> globs;
    for (const Cataloger& c : LanguageCatalogers())
      if (c.parse != &binary::Catalog) globs.insert(globs.end(), c.globs.begin(), c.globs.end());
    auto set = std::make_shared<const GlobSet>(globs);
    plan.predicate = [set](const image::Entry& entry) { return set->Matches(entry.path); };
    if (auto scan = options.binaries) {
      plan.visit = [scan](const image::Entry& entry) { return scan->Wants(entry); };
      plan.visitor = [scan](const image::Entry& entry, std::string_view data) {
        scan->Visit(entry, data);
      };
    }
  }
  return plan;
}

std::vector<std::string> CatalogGlobs() {
  std::set<std::string> globs;
  for (auto& g : distro::Globs()) globs.insert(g);
  for (const Cataloger& c : OsCatalogers())
    for (const auto& g : c.globs) globs.insert(g);
  return {globs.begin(), globs.end()};
}

std::vector<std::string> ProvidedNames(const Package& package) {
  std::vector<std::string> out{package.name};
  // Python names are declared as written ("Flask-SQLAlchemy"); requirements name them in any
  // spelling, normalized (PEP 503) on both sides.
  if (package.type == "python" && python::NormalizeName(package.name) != package.name)
    out.push_back(python::NormalizeName(package.name));
  auto add_clauses = [&](const std::vector<std::string>& provides, bool deb) {
    for (const std::string& clause : provides) {
      if (deb) {
        for (std::string& n : dpkg::DependencyNames(clause)) out.push_back(std::move(n));
      } else {
        size_t end = clause.find_first_of(" <>=~");
        if (end != 0) out.push_back(clause.substr(0, end));
      }
    }
  };
  if (auto* m = std::get_if<DpkgMetadata>(&package.metadata)) add_clauses(m->provides, true);
  if (auto* m = std::get_if<ApkMetadata>(&package.metadata)) add_clauses(m->provides, false);
  if (auto* m = std::get_if<RpmMetadata>(&package.metadata)) {
    add_clauses(m->provides, false);
    for (const OwnedFile& f : package.files)
      out.push_back("/" + f.path);  // rpm requires may name files
  }
  return out;
}

std::vector<Relationship> DependencyRelationships(const std::vector<Package>& packages) {
  // (type, provided name) -> indexes of packages answering to it
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> providers;
  for (size_t i = 0; i < packages.size(); ++i)
    for (std::string& n : ProvidedNames(packages[i])) {
      auto& v = providers[{packages[i].type, std::move(n)}];
      if (v.empty() || v.back() != i) v.push_back(i);
    }
  std::set<std::tuple<std::string, std::string>> edges;
  for (size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    for (const std::string& dep : p.depends_on) {
      auto it = providers.find({p.type, dep});
      if (it == providers.end()) continue;
      for (size_t j : it->second)
        if (j != i) edges.emplace(p.id(), packages[j].id());
    }
  }
  std::vector<Relationship> out;
  for (auto& [from, to] : edges) out.push_back({from, to, "depends-on"});
  return out;
}

namespace {

bool PackageLess(const Package& a, const Package& b) {
  static const image::Location kNowhere;
  auto key = [](const Package& package) {
    const image::Location& loc = package.locations.empty() ? kNowhere : package.locations.front();
    return std::tie(package.type, package.name, package.version, package.arch, loc.path,
                    loc.layer_digest);
  };
  return key(a) < key(b);
}

}  // namespace

Result<Catalog> CatalogOs(const image::FileIndex& files) {
  CatalogOptions o;
  o.languages = false;
  return CatalogImage(files, o);
}

Result<Catalog> CatalogImage(const image::FileIndex& files, const CatalogOptions& options) {
  Catalog c;
  c.distro = distro::IdentifyDistro(files);
  auto binaries = [&] {
    return options.binaries ? options.binaries->Take(files, c.distro)
                            : binary::Catalog(files, c.distro);
  };
  // A dir: source's executables are read now (an image's were analysed as its layers streamed
  // past): on a second thread, beside the other catalogers, which only read the index. The
  // results are merged at the binary cataloger's place in the table, so the order is the same.
  std::future<Found> early;
  if (options.languages && IsDirSource(files)) early = std::async(std::launch::async, binaries);
  auto run = [&](const std::vector<Cataloger>& table) {
    for (const Cataloger& cat : table) {
      Found found = cat.parse != &binary::Catalog ? cat.parse(files, c.distro)
                    : early.valid()               ? early.get()
                                                  : binaries();
      for (Package& p : found.packages) c.packages.push_back(std::move(p));
      for (Unknown& u : found.unknowns) c.unknowns.push_back(std::move(u));
    }
  };
  run(OsCatalogers());
  if (options.languages) run(LanguageCatalogers());
  std::stable_sort(c.packages.begin(), c.packages.end(), PackageLess);
  for (Package& p : c.packages) {
    std::sort(p.depends_on.begin(), p.depends_on.end());
    p.depends_on.erase(std::unique(p.depends_on.begin(), p.depends_on.end()), p.depends_on.end());
  }
  c.relationships = DependencyRelationships(c.packages);
  if (options.languages) {
    std::vector<Relationship> owns = OwnershipRelationships(files, c.packages);
    if (options.keep_owned) {
      c.relationships.insert(c.relationships.end(), owns.begin(), owns.end());
    } else {
      // Owned packages are reported once, as the OS package; their edges go with them.
      std::set<std::string> owned;
      for (const Relationship& r : owns) owned.insert(r.to);
      std::erase_if(c.packages,
                    [&](const Package& package) { return owned.count(package.id()) > 0; });
      std::erase_if(c.relationships, [&](const Relationship& relationship) {
        return owned.count(relationship.from) || owned.count(relationship.to);
      });
    }
  }
  std::stable_sort(c.unknowns.begin(), c.unknowns.end(), [](const Unknown& a, const Unknown& b) {
    return std::tie(a.location, a.message) < std::tie(b.location, b.message);
  });
  return c;
}

}  // namespace distill::catalog
