// What every OS package cataloger is: a name, the globs of the files it reads (the image reader
// captures exactly these), and a plain parse function over the file view. A cataloger never
// fails as a whole: a record it cannot read becomes an Unknown at its location, and it goes on.
#pragma once

#include <string>
#include <vector>

#include "catalog/package.h"
#include "image/file_index.h"

namespace distill::catalog {

struct Found {
  std::vector<Package> packages;
  std::vector<Unknown> unknowns;
};

using ParseFn = Found (*)(const image::FileIndex& files, const Distro& distro);

struct Cataloger {
  std::string name;                // syft's cataloger name, e.g. "dpkg-db-cataloger"
  std::vector<std::string> globs;  // image-relative, util/glob.h syntax
  ParseFn parse;
};

// The location of an entry (path + layer), or just the path when the entry is unknown.
inline image::Location LocationFor(const image::FileIndex& files, std::string_view path) {
  if (const image::Entry* e = files.Find(path)) return files.LocationOf(*e);
  return {std::string(path), ""};
}

}  // namespace distill::catalog
