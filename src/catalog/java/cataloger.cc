#include "catalog/java/cataloger.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "catalog/java/parse_manifest.h"
#include "catalog/language.h"
#include "util/archive_data.h"
#include "util/text.h"

namespace distill::catalog::java {

namespace {

constexpr std::string_view kName = "java-archive-cataloger";
const std::vector<std::string> kExtensions = {"jar", "war", "ear", "jpi",  "hpi", "par",
                                              "sar", "nar", "kar", "lpkg", "rar"};

bool IsArchiveName(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(path.substr(dot + 1));
  AsciiLowerInPlace(ext);
  for (const auto& e : kExtensions)
    if (ext == e) return true;
  return false;
}

struct Contents {
  std::string manifest;
  std::vector<std::pair<std::string, std::string>> pom_properties, pom_xml;  // path, text
  std::vector<std::pair<std::string, std::string>> nested;                   // path, bytes
};

struct Budget {
  uint64_t left = kMaxTotalBytes;
};

Result<std::string> ReadData(archive* ar, int64_t size, uint64_t cap, Budget* budget) {
  uint64_t limit = std::min(cap, budget->left);
  if (size >= 0 && static_cast<uint64_t>(size) > limit)
    return Errorf("entry of {} bytes over the limit", size);
  std::string out;
  char buf[65536];
  for (;;) {  // sizes may be unknown (data descriptors): read in chunks, bounded
    la_ssize_t n = archive_read_data(ar, buf, sizeof buf);
    if (n < 0) return Errorf("{}", ArchiveError(ar, "read error"));
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit)
      return Errorf("entry over the limit of {} bytes", limit);
    out.append(buf, static_cast<size_t>(n));
  }
  budget->left -= out.size();
  return out;
}

Result<Contents> ReadArchive(std::string_view bytes, Budget* budget) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    return Errorf("not a zip archive: {}", ArchiveError(a.get(), "?"));
  Contents c;
  archive_entry* e = nullptr;
  for (;;) {
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return Errorf("zip: {}", ArchiveError(a.get(), "?"));
    const char* p = archive_entry_pathname(e);
    if (!p) continue;
    std::string path = p;
    int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    // note: Maven writes META-INF/maven/<group>/<artifact>/pom.{properties,xml}, but the files
    // are read anywhere (syft's "**/*pom.properties"): an exploded jar under WEB-INF/classes/ or
    // BOOT-INF/classes/ keeps its coordinates.
    std::string_view base = image::Basename(path);
    bool manifest = path == "META-INF/MANIFEST.MF";
    bool props = base.ends_with("pom.properties");
    bool xml = base.ends_with("pom.xml");
    bool nested = IsArchiveName(path);
    if (!manifest && !props && !xml && !nested) continue;
    auto data = ReadData(a.get(), size, nested ? kMaxNestedBytes : (4u << 20), budget);
    if (!data.ok()) continue;  // over a bound: skipped (the outer package is still reported)
    if (manifest)
      c.manifest = std::move(*data);
    else if (props)
      c.pom_properties.emplace_back(path, std::move(*data));
    else if (xml)
      c.pom_xml.emplace_back(path, std::move(*data));
    else
      c.nested.emplace_back(path, std::move(*data));
  }
  return c;
}

std::string Lower(std::string s) {
  AsciiLowerInPlace(s);
  return s;
}

// A Maven purl needs the groupId (its namespace); without one the package has no purl rather
// than an invented pkg:maven/NAME/NAME.
Package JavaPackage(std::string group, std::string artifact, std::string version, std::string type,
                    const image::Location& where) {
  Purl purl{"maven", group, artifact, version, {}, ""};
  std::string id = group.empty() ? artifact : group + ":" + artifact;
  Package p = NewLanguagePackage(std::move(artifact), std::move(version), std::move(type), kName,
                                 purl, where, id);
  if (group.empty()) p.purl.clear();
  return p;
}

// The main package from the manifest and file name, when no pom names the archive.
Package FromManifest(const Manifest& manifest, const FileNameParts& fn,
                     const image::Location& where) {
  std::string name = fn.name;
  std::string bsn = manifest.Get("Bundle-SymbolicName");
  bsn = bsn.substr(0, bsn.find(';'));
  if (name.empty()) name = manifest.Get("Implementation-Title");
  if (name.empty()) name = manifest.Get("Specification-Title");
  std::string version = manifest.Get("Implementation-Version");
  if (version.empty()) version = manifest.Get("Specification-Version");
  if (version.empty()) version = manifest.Get("Bundle-Version");
  if (version.empty()) version = fn.version;
  std::string group = manifest.Get("Group-Id");
  if (group.empty()) group = manifest.Get("Implementation-Vendor-Id");
  if (group.empty() && !bsn.empty() && bsn.find('.') != std::string::npos) {
    group = bsn;
    if (group.ends_with("." + name)) group.resize(group.size() - name.size() - 1);
  }
  if (group.empty()) group = manifest.Get("Automatic-Module-Name");
  return JavaPackage(group, name, version, "java-archive", where);
}

void Collect(std::string_view bytes, std::string_view name, const image::Location& where, int depth,
             Budget* budget, Found* out) {
  auto c = ReadArchive(bytes, budget);
  if (!c.ok()) {
    out->unknowns.push_back({where, std::string(name) + ": " + c.error().message});
    return;
  }
  Manifest m = ParseManifest(c->manifest);
  if (!m.Get("Weave-Classes").empty())
    return;  // instrumentation jar (spring), no package of its own
  FileNameParts fn = ParseFileName(name);
  image::Location loc = where;
  if (depth > 0) loc.path = std::string(name);

  // Jenkins plugins name themselves in the manifest.
  std::string ext = Lower(fn.extension);
  if ((ext == "hpi" || ext == "jpi") ||
      (!m.Get("Short-Name").empty() && !m.Get("Plugin-Version").empty())) {
    std::string short_name = m.Get("Short-Name").empty() ? fn.name : m.Get("Short-Name");
    std::string version = m.Get("Plugin-Version").empty() ? fn.version : m.Get("Plugin-Version");
    out->packages.push_back(
        JavaPackage(m.Get("Group-Id"), short_name, version, "jenkins-plugin", loc));
  } else {
    // Maven coordinates: pom.properties, else pom.xml. The one whose artifactId the file name
    // carries is the archive itself; the others are packages shaded into it.
    struct Coord {
      std::string group, artifact, version;
    };
    std::vector<Coord> coords;
    for (const auto& [path, text] : c->pom_properties) {
      PomProperties p = ParsePomProperties(text);
      if (!p.artifact_id.empty()) coords.push_back({p.group_id, p.artifact_id, p.version});
    }
    if (coords.empty())
      for (const auto& [path, text] : c->pom_xml) {
        PomXml p = ParsePomXml(text);
        if (p.version.starts_with("${")) p.version = "";
        if (p.version.empty()) p.version = m.Get("Implementation-Version");
        if (!p.artifact_id.empty() && !p.artifact_id.starts_with("${"))
          coords.push_back({p.group_id, p.artifact_id, p.version});
      }
    int main = -1;
    for (size_t i = 0; i < coords.size() && main < 0; ++i)
      if (coords[i].artifact == fn.name) main = static_cast<int>(i);
    for (size_t i = 0; i < coords.size() && main < 0; ++i)
      if (!coords[i].artifact.empty() && fn.name.ends_with(coords[i].artifact))
        main = static_cast<int>(i);
    if (main < 0 && coords.size() == 1) main = 0;
    if (main < 0) {
      out->packages.push_back(FromManifest(m, fn, loc));
    }
    for (size_t i = 0; i < coords.size(); ++i)
      out->packages.push_back(
          JavaPackage(coords[i].group, coords[i].artifact, coords[i].version, "java-archive", loc));
  }
  if (depth + 1 >= kMaxDepth) return;
  for (const auto& [path, data] : c->nested)
    Collect(data, std::string(name) + ":" + path, where, depth + 1, budget, out);
}

}  // namespace

std::vector<std::string> Globs() {
  std::vector<std::string> g;
  for (const auto& e : kExtensions) g.push_back("**/*." + e);
  return g;
}

Found PackagesOfArchive(std::string_view bytes, std::string_view name,
                        const image::Location& where) {
  Found out;
  Budget budget;
  Collect(bytes, name, where, 0, &budget, &out);
  for (Package& p : out.packages) {
    if (p.locations.front().path != where.path) {
      // nested: the location names the nested entry (outer path:inner path), in the outer's layer
      p.locations.front().layer_digest = where.layer_digest;
    }
  }
  return out;
}

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  for (const image::Entry* e : GlobAll(files, Globs())) {
    if (!e->is_regular_like()) continue;
    if (!files.HasCaptured(e->path) && !IsDirSource(files)) {
      out.unknowns.push_back(
          {files.LocationOf(*e), "archive larger than the capture limit, not read"});
      continue;
    }
    auto bytes = files.Contents(e->path);
    if (!bytes.ok()) {
      out.unknowns.push_back({files.LocationOf(*e), bytes.error().message});
      continue;
    }
    Found f = PackagesOfArchive(*bytes, e->path, files.LocationOf(*e));
    for (Package& p : f.packages) {
      if (p.locations.front().path == e->path) p.files.push_back({e->path, "", ""});
      out.packages.push_back(std::move(p));
    }
    for (Unknown& u : f.unknowns) out.unknowns.push_back(std::move(u));
  }
  return out;
}

}  // namespace distill::catalog::java
