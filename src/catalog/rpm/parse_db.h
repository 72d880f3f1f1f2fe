// The three rpmdb backends, each yielding the header blobs it stores:
//  - sqlite: var/lib/rpm/rpmdb.sqlite (rpm >= 4.16), table Packages(hnum, blob);
//  - BerkeleyDB hash: var/lib/rpm/Packages (rpm < 4.16), values on overflow pages;
//  - NDB: var/lib/rpm/Packages.db (SUSE), blobs in slots.
// All read from memory, bounds-checked; a broken record is an error in `errors`, the rest go on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::catalog::rpm {

struct Blobs {
  std::vector<std::string> blobs;
  std::vector<Error> errors;
};

Result<Blobs> ReadBerkeleyDb(std::string_view file);
Result<Blobs> ReadSqlite(std::string_view file);
Result<Blobs> ReadNdb(std::string_view file);

}  // namespace distill::catalog::rpm
