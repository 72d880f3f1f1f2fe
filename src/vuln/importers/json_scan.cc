#include "vuln/importers/json_scan.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace distill::vuln::importers::json_scan {

namespace {

// True when one of the 8 bytes of `w` is '"' or '\\' (SWAR: exact for "any").
bool HasQuoteOrBackslash(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return (zero(w ^ ('"' * kOnes)) | zero(w ^ ('\\' * kOnes))) != 0;
}

// Skips a JSON string starting at text[i] == '"'; returns the index after its closing quote.
// Eight bytes at a time while none is a quote or a backslash (the tracker's descriptions).
Result<size_t> SkipString(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    while (i + 8 <= text.size()) {
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      if (HasQuoteOrBackslash(w)) break;
      i += 8;
    }
    if (i >= text.size()) break;
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '"')
      return i + 1;
  }
  return Errorf("offset {}: unterminated string", i);
}

// Skips one JSON value (object, array, string or scalar) starting at text[i].
Result<size_t> SkipValue(std::string_view text, size_t i) {
  if (i < text.size() && text[i] == '"') return SkipString(text, i);
  int depth = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      DISTILL_TRY(i, SkipString(text, i));
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      return i;
    }
  }
  if (depth != 0) return Errorf("offset {}: unexpected end of document", i);
  return i;
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  return i;
}

// After an item: ',' continues (returns true), `close` ends (false), anything else is an error.
Result<bool> Next(std::string_view text, size_t* pos, char close) {
  *pos = SkipSpace(text, *pos);
  if (*pos < text.size() && text[*pos] == ',') {
    *pos = SkipSpace(text, *pos + 1);
    return true;
  }
  if (*pos < text.size() && text[*pos] == close) return false;
  return Errorf("offset {}: expected ',' or '{}'", *pos, close);
}

}  // namespace

Status ForEachMember(std::string_view text, std::string_view what,
                     const std::function<Status(std::string_view, std::string_view)>& fn) {
  size_t i = SkipSpace(text, 0);
  if (i >= text.size() || text[i] != '{') return Errorf("not a {} (expected an object)", what);
  i = SkipSpace(text, i + 1);
  if (i < text.size() && text[i] == '}') return {};
  for (bool more = true; more;) {
    size_t start = i;
    if (i >= text.size() || text[i] != '"') return Errorf("offset {}: expected a key", i);
    DISTILL_TRY(i, SkipString(text, i));
    std::string_view key = text.substr(start + 1, i - start - 2);
    i = SkipSpace(text, i);
    if (i >= text.size() || text[i] != ':') return Errorf("offset {}: expected ':'", i);
    DISTILL_TRY(i, SkipValue(text, SkipSpace(text, i + 1)));
    DISTILL_TRY_VOID(fn(key, text.substr(start, i - start)));
    DISTILL_TRY(more, Next(text, &i, '}'));
  }
  return {};
}

Status ForEachElement(std::string_view text, size_t start,
                      const std::function<Status(size_t, std::string_view)>& fn) {
  size_t i = SkipSpace(text, start);
  if (i >= text.size() || text[i] != '[') return Errorf("offset {}: expected '['", i);
  i = SkipSpace(text, i + 1);
  if (i < text.size() && text[i] == ']') return {};
  size_t index = 0;
  for (bool more = true; more; ++index) {
    size_t begin = i;
    DISTILL_TRY(i, SkipValue(text, i));
    if (i == begin) return Errorf("offset {}: expected a value", i);
    DISTILL_TRY_VOID(fn(index, text.substr(begin, i - begin)));
    DISTILL_TRY(more, Next(text, &i, ']'));
  }
  return {};
}

}  // namespace distill::vuln::importers::json_scan
