// The text format apk keeps its package metadata in: the installed database (lib/apk/db/installed)
// and the APKINDEX member of APKINDEX.tar.gz (apk-tools src/database.c apk_db_index_read,
// src/package.c apk_pkg_write_index_header). Records of "K:value" lines (a one-character key, a
// colon, the value) separated by blank lines. One reader splits it for the three parsers of it:
// the SBOM's (parse_installed.h), and imagebuild/apk's index (ParseIndex) and installed database
// (ParseInstalledDb); each gives the fields their meaning and its own errors.
#pragma once

#include <charconv>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::catalog::apk {

// One "K:value" line.
struct Field {
  int line = 0;  // 1-based
  char key = 0;
  std::string_view value;
};

// One record: the lines from its first to the blank line (or end of text) after it.
struct RawRecord {
  int line = 0;  // 1-based line of its first line
  // Its "K:value" lines in order, up to (not including) the first line that is not one.
  std::vector<Field> fields;
  int bad_line = 0;           // that line's number; 0 when every line is "K:value"
  std::string_view bad_text;  // that line
};

// Calls visit for each record of text in order ("\r\n" line ends tolerated; several blank lines
// are one separator; a last record needs no blank line after it). Stops at the first error visit
// returns, and returns it.
Status ForEachRecord(std::string_view text, const std::function<Status(const RawRecord&)>& visit);

// apk's space-separated lists (D:, p:, i:, r:; .PKGINFO's depend, provides...): the words between
// spaces and tabs, empty ones dropped.
std::vector<std::string> SplitWords(std::string_view text);

// A whole value of decimal digits (a '-' first for a signed T): false when empty, anything else
// is in it, or it overflows T.
template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

}  // namespace distill::catalog::apk
