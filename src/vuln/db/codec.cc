#include "vuln/db/codec.h"

#include <nlohmann/json.hpp>

namespace distill::vuln::codec {

namespace {

void Quote(std::string& out, std::string_view s) {
  out += '"';
  size_t start = 0;  // copy runs of characters that need no escape in one append
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += fmt::format("\\u{:04x}", c);
    }
  }
  out.append(s.data() + start, s.size() - start);
  out += '"';
}

void Field(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  Quote(out, key);
  out += ':';
  Quote(out, value);
}

template <typename T, typename F>
std::string Array(const std::vector<T>& v, F each) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    each(out, v[i]);
  }
  out += ']';
  return out;
}

Result<nlohmann::json> ParseArray(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Errorf("malformed JSON column: {}", text.substr(0, 80));
  return j;
}

std::string Str(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string EncodeStrings(const std::vector<std::string>& v) {
  return Array(v, [](std::string& out, const std::string& s) { Quote(out, s); });
}

std::string EncodeRanges(const std::vector<Range>& v) {
  return Array(v, [](std::string& out, const Range& r) {
    out += '{';
    Field(out, "type", r.type, true);
    out += ",\"events\":";
    out += Array(r.events, [](std::string& o, const Event& e) {
      o += '{';
      Field(o, EventKindName(e.kind), e.version, true);
      o += '}';
    });
    out += '}';
  });
}

std::string EncodeSeverities(const std::vector<Severity>& v) {
  return Array(v, [](std::string& out, const Severity& s) {
    out += '{';
    Field(out, "source", s.source, true);
    Field(out, "type", s.type);
    if (!s.vector.empty()) Field(out, "vector", s.vector);
    if (s.score >= 0) {  // one decimal, as CVSS scores are: 7.5 → "7.5"
      auto tenths = static_cast<long>(s.score * 10 + 0.5);
      out += ",\"score\":";
      out += std::to_string(tenths / 10);
      out += '.';
      out += static_cast<char>('0' + tenths % 10);
    }
    if (!s.rating.empty()) Field(out, "rating", s.rating);
    out += '}';
  });
}

std::string EncodeReferences(const std::vector<Reference>& v) {
  return Array(v, [](std::string& out, const Reference& r) {
    out += '{';
    Field(out, "type", r.type, true);
    Field(out, "url", r.url);
    out += '}';
  });
}

Result<std::vector<std::string>> DecodeStrings(std::string_view json) {
  DISTILL_TRY(auto j, ParseArray(json));
  std::vector<std::string> out;
  for (const auto& e : j)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

Result<std::vector<Range>> DecodeRanges(std::string_view json) {
  DISTILL_TRY(auto j, ParseArray(json));
  std::vector<Range> out;
  for (const auto& r : j) {
    if (!r.is_object()) return Errorf("malformed ranges column: {}", json.substr(0, 80));
    Range range{Str(r, "type"), {}};
    if (auto ev = r.find("events"); ev != r.end() && ev->is_array())
      for (const auto& e : *ev)
        if (e.is_object() && !e.empty()) {
          auto kind = ParseEventKind(e.begin().key());
          if (!kind || !e.begin()->is_string())
            return Errorf("malformed range event in column: {}", json.substr(0, 80));
          range.events.push_back({*kind, e.begin()->get<std::string>()});
        }
    out.push_back(std::move(range));
  }
  return out;
}

Result<std::vector<Severity>> DecodeSeverities(std::string_view json) {
  DISTILL_TRY(auto j, ParseArray(json));
  std::vector<Severity> out;
  for (const auto& s : j) {
    if (!s.is_object()) continue;
    Severity sev{Str(s, "source"), Str(s, "type"), Str(s, "vector"), -1, Str(s, "rating")};
    if (auto it = s.find("score"); it != s.end() && it->is_number()) sev.score = it->get<double>();
    out.push_back(std::move(sev));
  }
  return out;
}

Result<std::vector<Reference>> DecodeReferences(std::string_view json) {
  DISTILL_TRY(auto j, ParseArray(json));
  std::vector<Reference> out;
  for (const auto& r : j)
    if (r.is_object()) out.push_back({Str(r, "type"), Str(r, "url")});
  return out;
}

}  // namespace distill::vuln::codec
