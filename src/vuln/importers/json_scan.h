// A structural JSON scanner: walks the members of the top-level object, or the elements of an
// array, without building a DOM, so big documents (the Debian tracker's ~70 MB, a secdb's
// packages) are parsed one piece at a time by nlohmann::json and imported while the rest is
// still being read. It checks nesting and string quoting only; each piece is validated by the
// real parser. Errors give the byte offset.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "util/result.h"

namespace distill::vuln::importers::json_scan {

// fn(member) for each `"key": value` of the object `text` — member is the source text of the
// pair, from the key's opening quote to the value's end. `what` names the document in errors
// ("not a <what> (expected an object)").
Status ForEachMember(
    std::string_view text, std::string_view what,
    const std::function<Status(std::string_view key, std::string_view member)>& fn);

// fn(index, element) for each element of the array at text[start] (after optional spaces);
// offsets in errors are offsets in `text`.
Status ForEachElement(std::string_view text, size_t start,
                      const std::function<Status(size_t index, std::string_view element)>& fn);

}  // namespace distill::vuln::importers::json_scan
