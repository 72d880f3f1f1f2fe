#include "vuln/db/codec.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <simdjson.h>

namespace distill::vuln::codec {

namespace {

// Characters JSON strings must escape: controls, '"' and '\\'.
constexpr auto kEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

// True when one of the 8 bytes of `w` is a control character, '"' or '\\' (SWAR: a byte's
// high bit is set in the result only for such bytes, or above one; "any" is exact).
bool NeedsEscape8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return (((w - 0x20 * kOnes) & ~w & kHigh) | zero(w ^ ('"' * kOnes)) | zero(w ^ ('\\' * kOnes))) !=
         0;
}

void Quote(std::string& out, std::string_view text) {
  out += '"';
  size_t start = 0;  // copy runs of characters that need no escape in one append
  size_t i = 0;
  for (;;) {
    // Eight bytes at a time while none needs escaping (URLs, summaries: nearly always).
    while (i + 8 <= text.size()) {
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      if (NeedsEscape8(w)) break;
      i += 8;
    }
    if (i >= text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!kEscape[c]) [[likely]] {
      ++i;
      continue;
    }
    out.append(text.data() + start, i - start);
    start = ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\u{:04x}", c);
    }
  }
  out.append(text.data() + start, text.size() - start);
  out += '"';
}

// `"key":"value"` (keys are plain ASCII: not escaped), after a comma unless first.
void Field(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  out.append(first ? "\"" : ",\"", first ? 1 : 2);
  out.append(key);
  out.append("\":", 2);
  Quote(out, value);
}

template <typename T, typename F>
void Array(std::string& out, const std::vector<T>& values, F each) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    each(out, values[i]);
  }
  out += ']';
}

}  // namespace

void AppendStrings(std::string& out, const std::vector<std::string>& strings) {
  Array(out, strings, [](std::string& out, const std::string& text) { Quote(out, text); });
}

void AppendRanges(std::string& out, const std::vector<Range>& ranges) {
  Array(out, ranges, [](std::string& out, const Range& range) {
    out += '{';
    Field(out, "type", range.type, true);
    out += ",\"events\":";
    Array(out, range.events, [](std::string& o2, const Event& event) {
      o2 += '{';
      Field(o2, EventKindName(event.kind), event.version, true);
      o2 += '}';
    });
    out += '}';
  });
}

void AppendSeverities(std::string& out, const std::vector<Severity>& severities) {
  Array(out, severities, [](std::string& out, const Severity& severity) {
    out += '{';
    Field(out, "source", severity.source, true);
    Field(out, "type", severity.type);
    if (!severity.vector.empty()) Field(out, "vector", severity.vector);
    if (severity.score >= 0) {  // one decimal, as CVSS scores are: 7.5 → "7.5"
      auto tenths = static_cast<long>(severity.score * 10 + 0.5);
      out += ",\"score\":";
      out += std::to_string(tenths / 10);
      out += '.';
      out += static_cast<char>('0' + tenths % 10);
    }
    if (!severity.rating.empty()) Field(out, "rating", severity.rating);
    out += '}';
  });
}

namespace {

// Bytes `url` shares with the start of `prev`, ending on a UTF-8 character boundary (the rest
// is written as a JSON string, which must be valid UTF-8 on its own).
size_t SharedPrefix(std::string_view prev, std::string_view url) {
  size_t n = std::min(prev.size(), url.size()), k = 0;
  for (; k + 8 <= n; k += 8) {  // eight bytes at a time: URLs share tens of bytes
    uint64_t a, b;
    std::memcpy(&a, prev.data() + k, 8);
    std::memcpy(&b, url.data() + k, 8);
    if (a != b) {
      static_assert(std::endian::native == std::endian::little);  // the lowest byte comes first
      k += static_cast<size_t>(__builtin_ctzll(a ^ b)) / 8;
      n = k;
      break;
    }
  }
  while (k < n && prev[k] == url[k]) ++k;
  while (k > 0 && k < url.size() && (static_cast<unsigned char>(url[k]) & 0xC0) == 0x80) --k;
  return k;
}

constexpr size_t kMinShared = 4;  // shorter shared prefixes are not worth their number

}  // namespace

// Runs of references of one type, `[TYPE, URL...]`, each URL front-coded against the previous
// one: an integer before it says how many bytes it shares with it (GHSA's ~20 references a
// record mostly differ only after "https://github.com/OWNER/REPO/commit/").
void AppendReferences(std::string& out, const std::vector<Reference>& references) {
  out += '[';
  std::string_view prev;
  for (size_t i = 0; i < references.size(); ++i) {
    const Reference& r = references[i];
    if (i == 0 || references[i - 1].type != r.type) {
      out += i ? "],[" : "[";
      Quote(out, r.type);
    }
    out += ',';
    size_t k = SharedPrefix(prev, r.url);
    if (k >= kMinShared) {
      char digits[24];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, k);
      out.append(digits, end);
      out += ',';
    } else {
      k = 0;
    }
    Quote(out, std::string_view(r.url).substr(k));
    prev = r.url;
  }
  if (!references.empty()) out += ']';
  out += ']';
}

namespace {
template <typename T>
std::string Encoded(void (*append)(std::string&, const std::vector<T>&), const std::vector<T>& v) {
  std::string out;
  append(out, v);
  return out;
}
}  // namespace

std::string EncodeStrings(const std::vector<std::string>& strings) {
  return Encoded(&AppendStrings, strings);
}
std::string EncodeRanges(const std::vector<Range>& ranges) {
  return Encoded(&AppendRanges, ranges);
}
std::string EncodeSeverities(const std::vector<Severity>& severities) {
  return Encoded(&AppendSeverities, severities);
}
std::string EncodeReferences(const std::vector<Reference>& references) {
  return Encoded(&AppendReferences, references);
}

// Decoding runs for every row the matcher looks up: simdjson (DOM), one parser per thread.
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

Result<array> ParseArray(std::string_view text) {
  static thread_local simdjson::dom::parser parser;
  array a;
  if (parser.parse(text.data(), text.size()).get_array().get(a) != simdjson::SUCCESS)
    return Errorf("malformed JSON column: {}", text.substr(0, 80));
  return a;
}

std::string Str(object o, std::string_view key) {
  std::string_view v;
  return o.at_key(key).get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}

}  // namespace

// (The parser's document lives until the next ParseArray on this thread: each decoder copies
// everything out before returning.)

Result<std::vector<std::string>> DecodeStrings(std::string_view json) {
  if (json == "[]") return std::vector<std::string>();  // most versions columns: no parse
  DISTILL_TRY(array j, ParseArray(json));
  std::vector<std::string> out;
  for (element e : j) {
    std::string_view v;
    if (e.get_string().get(v) == simdjson::SUCCESS) out.emplace_back(v);
  }
  return out;
}

Result<std::vector<Range>> DecodeRanges(std::string_view json) {
  DISTILL_TRY(array j, ParseArray(json));
  std::vector<Range> out;
  for (element e : j) {
    object r;
    if (e.get_object().get(r) != simdjson::SUCCESS)
      return Errorf("malformed ranges column: {}", json.substr(0, 80));
    Range range{Str(r, "type"), {}};
    array events;
    if (r.at_key("events").get_array().get(events) == simdjson::SUCCESS)
      for (element x : events) {
        object ev;
        if (x.get_object().get(ev) != simdjson::SUCCESS || ev.size() == 0) continue;
        auto [key, value] = *ev.begin();
        auto kind = ParseEventKind(key);
        std::string_view v;
        if (!kind || value.get_string().get(v) != simdjson::SUCCESS)
          return Errorf("malformed range event in column: {}", json.substr(0, 80));
        range.events.push_back({*kind, std::string(v)});
      }
    out.push_back(std::move(range));
  }
  return out;
}

Result<std::vector<Severity>> DecodeSeverities(std::string_view json) {
  DISTILL_TRY(array j, ParseArray(json));
  std::vector<Severity> out;
  for (element e : j) {
    object s;
    if (e.get_object().get(s) != simdjson::SUCCESS) continue;
    Severity sev{Str(s, "source"), Str(s, "type"), Str(s, "vector"), -1, Str(s, "rating")};
    double score;
    if (s.at_key("score").get_double().get(score) == simdjson::SUCCESS) {
      // The encoder writes base scores, 0 to 10 in tenths; anything else is not from it.
      if (!(score >= 0 && score <= 10))
        return Errorf("malformed severities column: score {} is not 0-10", score);
      sev.score = std::round(score * 10) / 10;
    }
    out.push_back(std::move(sev));
  }
  return out;
}

Result<std::vector<Reference>> DecodeReferences(std::string_view json, std::string_view type) {
  if (json == "[]") return std::vector<Reference>();
  DISTILL_TRY(array j, ParseArray(json));
  auto malformed = [&] { return Errorf("malformed refs column: {}", json.substr(0, 80)); };
  std::vector<Reference> out;
  std::string prev;  // the previous URL: the next one may start with part of it
  for (element e : j) {
    array run;
    if (e.get_array().get(run) != simdjson::SUCCESS) return malformed();
    auto it = run.begin();
    std::string_view t;
    if (it == run.end() || (*it).get_string().get(t) != simdjson::SUCCESS) return malformed();
    bool want = type.empty() || t == type;
    uint64_t shared = 0;
    for (++it; it != run.end(); ++it) {
      element x = *it;
      std::string_view rest;
      uint64_t n;
      if (x.get_uint64().get(n) == simdjson::SUCCESS) {
        shared = n;
        continue;
      }
      if (x.get_string().get(rest) != simdjson::SUCCESS || shared > prev.size()) return malformed();
      prev.resize(shared);
      prev += rest;
      shared = 0;
      if (want) out.push_back({std::string(t), prev});
    }
  }
  return out;
}

}  // namespace distill::vuln::codec
