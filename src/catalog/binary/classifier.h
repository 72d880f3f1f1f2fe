// Binary classifiers: version strings inside well-known executables that no package database
// lists (a python built from source in /usr/local, a copied-in busybox, a grafana tarball, ...).
//
// One table of data (classifiers.cc), the facts taken from syft's classifiers
// (syft/pkg/cataloger/binary/classifiers.go): file-name globs, version patterns, purls, CPEs.
//
// Cost model: a file is looked at only when its base name matches a classifier's glob (one hash
// lookup plus a prefix test per wildcard glob), so the common executable costs nothing. A matching
// file is searched for each pattern's literal anchor (memchr/memcmp); the regex runs only on a
// window around each anchor hit, never over the whole file, and the hits per pattern are bounded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"

namespace distill::catalog::binary {

// One way to find the version. The regex (ECMAScript) has the version as group 1; every match
// contains `anchor`; "{v}" in both stands for the version taken from the file name.
struct Matcher {
  std::string_view anchor;
  std::string_view regex;
  bool digit_after = false;  // the anchor is followed by "<digits>." (prefilter for "\0" + version)
  unsigned before = 64, after = 192;    // the regex window around an anchor hit; before = 0: the
                                        // regex starts at the anchor (one anchored attempt per hit)
  std::string_view requires_text = "";  // a literal that must also occur somewhere in the file
  std::string_view sibling = "";  // read this file (relative to the binary's directory) instead
  // Go's "...\x00.{0,1000}envoy_reloadable_features": a literal near the match, checked with a
  // substring search instead of a large bounded repeat (std::regex expands {0,1000} into a big
  // automaton). near_within > 0: starts within that many bytes after the match; < 0: before it.
  std::string_view near = "";
  int near_within = 0;
};

struct Classifier {
  std::string_view cls;      // syft's class name, e.g. "busybox-binary"
  std::string_view package;  // "busybox"
  std::string_view purl;     // "type/name" or "type/namespace/name"; the version is appended
  std::vector<std::string_view> names;  // globs over the file's base name
  std::vector<Matcher> matchers;        // the first that matches gives the version
  std::vector<std::string_view> cpes;   // "vendor:product" -> cpe:2.3:a:vendor:product:<version>
  std::string_view name_version = "";   // regex over the base name; group 1 -> "{v}"
  std::string_view path_glob = "";      // an extra condition on the whole path ("**/*zulu*/**")
  bool also_next = false;  // a match also tries the next entry (two packages, one file)
};

const std::vector<Classifier>& Classifiers();

// Reads a file next to the binary ("VERSION", "../VERSION"); nullopt when absent.
using SiblingReader = std::function<std::optional<std::string>(std::string_view relative)>;

// The version the classifier finds in the file at `path` (contents given), "" if none.
std::string Classify(const Classifier& classifier, std::string_view path, std::string_view contents,
                     const SiblingReader* siblings = nullptr);

// Told of each part of the contents a full-file search has passed, so a caller that mapped the
// file can drop those pages from its resident set (FileBytes::Release). They fault back in if a
// later search reads them: what a classifier finds never depends on it.
using Releaser = std::function<void(std::string_view passed)>;

// Every package the classifiers find in the file: the first classifier (in table order) that
// matches, plus the entries it chains to with also_next. Type "binary", purl from the table.
std::vector<Package> ClassifyAll(std::string_view path, std::string_view contents,
                                 const image::Location& where,
                                 const SiblingReader* siblings = nullptr,
                                 const Releaser* release = nullptr);
// The first of ClassifyAll.
bool ClassifyFile(std::string_view path, std::string_view contents, const image::Location& where,
                  Package* out);

// True when some classifier's name glob accepts the base name (the cheap gate before any read).
bool NameMatches(std::string_view path);

// Globs of the non-executable files classifiers read (shared libraries, elixir.app), and the
// same test made fast for every entry of an image (a base-name prefix before the glob).
std::vector<std::string> ClassifierFileGlobs();
bool IsClassifiedFile(std::string_view path);

}  // namespace distill::catalog::binary
