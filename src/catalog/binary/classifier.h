// Binary classifiers: version strings inside well-known executables that no package database
// lists (a python built from source in /usr/local, a copied-in busybox, ...). One table of data:
// file-name globs, a literal anchor found with memmem, and a regex run only on a window around
// each anchor hit (so a 100 MB binary costs a substring search, not a regex scan). Patterns
// follow syft's classifiers (syft/pkg/cataloger/binary/classifiers.go).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/package.h"

namespace distill::catalog::binary {

struct Classifier {
  std::string_view cls;       // syft's class name, e.g. "busybox-binary"
  std::string_view package;   // "busybox"
  std::vector<std::string_view> name_globs;  // matched against the file's base name
  std::string_view anchor;    // literal that every match contains; "{v}" = the name's version
  std::string_view regex;     // ECMAScript; group 1 is the version; "{v}" as above
  std::string_view name_version;  // optional regex over the base name; group 1 -> "{v}"
  std::string_view cpe;       // "vendor:product" for cpe:2.3:a:vendor:product:<version>
};

const std::vector<Classifier>& Classifiers();

// The version the classifier finds in the file (base name + contents), "" if none.
std::string Classify(const Classifier& c, std::string_view base_name, std::string_view contents);

// The first classifier that matches, as a package (type "binary", pkg:generic purl).
bool ClassifyFile(std::string_view path, std::string_view contents, const image::Location& where, Package* out);

}  // namespace distill::catalog::binary
