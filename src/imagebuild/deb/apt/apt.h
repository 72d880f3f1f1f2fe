// The apt-grade client behind `distill build`: the host's sources, indexes verified from a signed
// InRelease down to every .deb, dependency resolution, and a content-addressed download cache.
// Nothing here unpacks or assembles: it hands verified .deb files to build/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/result.h"

namespace distill::imagebuild::apt {

// One suite of one repository, as a sources entry names it.
struct Source {
  std::string uri;    // "http://MIRROR/debian", "file:/srv/repo" (no trailing '/')
  std::string suite;  // "bookworm", "bookworm-updates", "bookworm-security"
  std::vector<std::string> components;  // "main", ...
  std::string signed_by;                // keyring file; empty = the default Debian archive keyring
  bool allow_unsigned = false;          // only ever true for file: repositories (--allow-unsigned)
};

// The host's apt sources (deb822 /etc/apt/sources.list.d/*.sources and one-line sources.list) for a
// distro codename: every configured suite that belongs to it (bookworm, bookworm-updates,
// bookworm-security). Mirrors are read from the host, never written into the project.
// CODENAME-backports only with with_backports (apt pins backports below the release).
Result<std::vector<Source>> HostSources(const std::string& codename, bool with_backports = false);

// What identifies one .deb to download: the lock file's row.
struct DebRef {
  std::string name, version, arch;  // arch may be "all"
  std::string url;                  // full URL of the .deb
  std::string sha256;               // hex, from the verified Packages index
  uint64_t size = 0;
  bool operator==(const DebRef&) const = default;
};

// A binary package as a (verified) Packages index lists it.
struct PackageInfo {
  DebRef ref;
  std::string multi_arch;              // "same", "foreign", "allowed" or ""
  std::string source, source_version;  // from Source: (empty when same as the binary)
  std::string pre_depends, depends, provides, conflicts, breaks;  // raw relationship fields
  std::string section, priority;
  uint64_t installed_size_kib = 0;
  std::string suite;       // the suite whose index listed it
  bool essential = false;  // "Essential: yes"
};

struct IndexOptions {
  std::string arch = "amd64";
  std::string keyring;    // default keyring for sources without signed_by
  std::string cache_dir;  // verified indexes between runs; "" = BlobCache::Default()
  bool offline = false;   // use only cached, previously verified indexes
};

// Every package of every source for one architecture (plus arch "all"). InRelease is checked with
// gpgv against the keyring; each Packages file (xz/gz) against InRelease's SHA256 and size.
// For each name the newest version across suites wins (apt's default pinning).
struct Index {
  std::vector<PackageInfo> packages;  // sorted by name, then version (newest first)
  const PackageInfo* Find(std::string_view name) const;  // newest version
  // The candidates (newest version of each name) whose Provides names virtual_name.
  std::vector<const PackageInfo*> Providers(std::string_view virtual_name) const;
  std::vector<std::string> CloseMatches(std::string_view name, size_t n = 5) const;
  // All versions of a name, newest first (empty when unknown).
  std::vector<const PackageInfo*> Versions(std::string_view name) const;

  // Sorts (name, then newest version first; the first of equal name+version+arch wins) and indexes
  // Provides. LoadIndex uses it; so do tests that build an index by hand.
  static Index From(std::vector<PackageInfo> packages);

 private:
  std::unordered_map<std::string, std::vector<size_t>> provided_by_;  // virtual → candidate indexes
};
Result<Index> LoadIndex(const std::vector<Source>& sources, const IndexOptions& opt);

struct Resolved {
  PackageInfo pkg;
  std::string
      reason;  // "requested", or the chain: "python3 → Depends: libpython3.11-stdlib (= 3.11.2-6)"
};

struct ResolveOptions {
  bool with_dependencies = true;  // false: only the listed packages, as Google distroless does
};

// Depends + Pre-Depends with alternatives, virtual packages (Provides), version constraints and
// Multi-Arch qualifiers; Conflicts/Breaks among the result are errors. An unknown name errors with
// close matches; an unsatisfiable dependency errors with the chain that fails. Sorted by name.
// A request is "name", "name=version" (any version the index holds) or "name:arch". The choices
// are apt's for a fresh install without recommends (doc/build-apt.md).
Result<std::vector<Resolved>> Resolve(const Index& index, const std::vector<std::string>& requested,
                                      const ResolveOptions& opt);

struct Fetched {
  DebRef ref;
  std::string path;  // the verified .deb inside the content-addressed cache
};

struct FetchOptions {
  std::string cache_dir;  // BlobCache root (util/blob_cache.h); "" = BlobCache::Default()
  int jobs = 4;           // parallel downloads
  bool progress = true;   // progress bar on stderr when it is a TTY
};

// Downloads what the cache lacks (in parallel), checks each file's size and SHA256 before it enters
// the cache; a mismatch is an error and leaves nothing behind. Same order as refs.
Result<std::vector<Fetched>> Fetch(const std::vector<DebRef>& refs, const FetchOptions& opt);

// distill.lock: one DebRef per package, sorted by name then arch; a stable, diffable text format.
Result<std::vector<DebRef>> ReadLock(const std::string& path);
Status WriteLock(const std::string& path, const std::vector<DebRef>& refs);

}  // namespace distill::imagebuild::apt
