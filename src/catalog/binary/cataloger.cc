#include "catalog/binary/cataloger.h"

#include "catalog/binary/classifier.h"
#include "catalog/golang/cataloger.h"
#include "catalog/golang/parse_buildinfo.h"
#include "catalog/language.h"
#include "catalog/rust/cataloger.h"
#include "util/elf.h"
#include "util/glob.h"

namespace distill::catalog::binary {

namespace {

constexpr uint64_t kMinBinaryBytes = 64;  // shorter files are scripts' stubs, never binaries

bool Executable(const image::Entry& entry) {
  return entry.is_regular_like() && (entry.mode & 0111) != 0;
}

}  // namespace

std::vector<std::string> Globs() { return ClassifierFileGlobs(); }

namespace {

bool IsLibrary(const image::Entry& entry) {
  return entry.is_regular_like() && IsClassifiedFile(entry.path);
}

// Everything one file holds: Go modules, else Rust crates, else a classifier's match. With a file
// index (dir: sources), classifiers may also read files beside the binary (a Go toolchain's
// VERSION).
Found Analyse(const std::string& path, std::string_view data, const image::Location& where,
              const image::FileIndex* files = nullptr, const Releaser* release = nullptr) {
  Found out;
  auto add = [&](std::vector<Package>& ps) {
    for (Package& p : ps) {
      p.files.push_back({path, "", ""});
      out.packages.push_back(std::move(p));
    }
  };
  if (elf::IsElf(data)) {
    auto go = golang::PackagesOfBinary(data, where);
    if (!go.ok()) out.unknowns.push_back({where, go.error().message});
    if (go.ok() && !go->empty()) return add(*go), out;
    auto rs = rust::PackagesOfBinary(data, where);
    if (!rs.ok()) out.unknowns.push_back({where, rs.error().message});
    if (rs.ok() && !rs->empty()) return add(*rs), out;
  }
  SiblingReader siblings = [&](std::string_view rel) -> std::optional<std::string> {
    std::string sibling = JoinImagePath(image::Dirname(path), rel);
    if (!files || !files->Find(sibling)) return std::nullopt;
    auto text = files->Contents(sibling);
    return text.ok() ? std::optional<std::string>(std::move(*text)) : std::nullopt;
  };
  std::vector<Package> classified =
      ClassifyAll(path, data, where, files ? &siblings : nullptr, release);
  add(classified);
  return out;
}

bool Candidate(const image::Entry& entry) {
  return (Executable(entry) || IsLibrary(entry)) && entry.size >= kMinBinaryBytes;
}

// Analyse finds nothing in a file no classifier names unless it is ELF with Go build info or Rust
// audit data. Whether it could be is asked of a large file on disk with a few reads (its headers,
// section names and Go's 64 KiB window), so most are never mapped: each mapping's unmap flushed
// the TLBs of every core, which with the other catalogers running beside this one is dear in a VM
// (doc/design.md, "Footprint"). True when in doubt (any error): the file is then
// read whole, and Analyse reports what is wrong with it.
bool MayHoldPackages(const image::FileIndex& files, const image::Entry& entry) {
  if (entry.size <= FileBytes::kReadBelow || NameMatches(entry.path))
    return true;  // read whole anyway
  auto file = files.Open(entry.path);
  if (!file.ok()) return true;
  auto probe = elf::ProbeFile(**file, {golang::kBuildInfoSection, rust::kAuditSection},
                              golang::kDataSegmentWindow);
  if (!probe.ok()) return true;
  return probe->elf && (!probe->sections.empty() || golang::MayHoldBuildInfo(probe->data));
}

}  // namespace

Found Catalog(const image::FileIndex& files, const Distro&) {
  Found out;
  for (const image::Entry& e : files.entries()) {
    if (!Candidate(e)) continue;
    if (e.size > kMaxBinaryBytes) {  // the same bound for dir: sources, which could read it
      out.unknowns.push_back(
          {files.LocationOf(e), "executable larger than the read limit, not classified"});
      continue;
    }
    if (!files.HasCaptured(e.path) && !IsDirSource(files)) continue;
    if (IsDirSource(files) && !MayHoldPackages(files, e)) continue;
    auto bytes =
        files.Bytes(e.path);  // a dir: source maps the file: no heap copy of each executable
    if (!bytes.ok()) continue;
    Releaser release = [&](std::string_view passed) { bytes->Release(passed); };
    Found one = Analyse(e.path, bytes->view(), files.LocationOf(e), &files, &release);
    for (Package& p : one.packages) out.packages.push_back(std::move(p));
    for (Unknown& u : one.unknowns) out.unknowns.push_back(std::move(u));
  }
  return out;
}

bool Prescan::Wants(const image::Entry& entry) const {
  return Candidate(entry) && entry.size <= kMaxBinaryBytes;
}

void Prescan::Visit(const image::Entry& entry, std::string_view data) {
  Found one = Analyse(entry.path, data, {entry.path, ""});
  std::lock_guard lock(mu_);
  found_[{entry.path, entry.layer}] = std::move(one);
}

Found Prescan::Take(const image::FileIndex& files, const Distro& distro) {
  if (IsDirSource(files)) return Catalog(files, distro);
  Found out;
  std::lock_guard lock(mu_);
  for (const image::Entry& e : files.entries()) {
    if (!Candidate(e)) continue;
    if (e.size > kMaxBinaryBytes) {
      out.unknowns.push_back(
          {files.LocationOf(e), "executable larger than the read limit, not classified"});
      continue;
    }
    // A hardlink's bytes were visited under its target's path (the layer's first copy).
    std::string key_path = e.type == image::FileType::kHardlink ? e.link.str() : e.path;
    auto it = found_.find({key_path, e.layer});
    image::Location where = files.LocationOf(e);
    if (it == found_.end()) {
      // Not streamed past us (an index built without CatalogPlan): read what was captured.
      if (!files.HasCaptured(e.path)) continue;
      auto bytes = files.Contents(e.path);
      if (!bytes.ok()) continue;
      it = found_.emplace(std::pair{key_path, e.layer}, Analyse(e.path, *bytes, {key_path, ""}))
               .first;
    }
    for (Package p : it->second.packages) {  // copies: two hardlinks may share one result
      for (image::Location& l : p.locations)
        if (l.path == key_path && l.layer_digest.empty()) l = where;
      for (OwnedFile& f : p.files)
        if (f.path == key_path) f.path = e.path;
      out.packages.push_back(std::move(p));
    }
    for (Unknown u : it->second.unknowns) {
      if (u.location.path == key_path && u.location.layer_digest.empty()) u.location = where;
      out.unknowns.push_back(std::move(u));
    }
  }
  found_.clear();
  return out;
}

}  // namespace distill::catalog::binary
