#include "catalog/purl.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace distill::catalog {

namespace {

// Type-specific case rules from the purl-spec type definitions (types/<type>-definition.json).
// Deliberately absent: golang. Its definition says "must be lowercased", but Go module paths are
// case-sensitive (github.com/Azure/...), and neither the test suite nor syft/trivy lowercase them;
// lowercasing would name a different module.
struct TypeRule {
  const char* type;
  bool lower_namespace;
  bool lower_name;
  bool dash_underscores;  // pypi: '_' in names is '-' (PEP 503 normalization)
};
constexpr TypeRule kTypeRules[] = {
    {"apk", true, true, false}, {"bitbucket", true, true, false}, {"composer", true, true, false},
    {"deb", true, true, false}, {"github", true, true, false},    {"hex", true, true, false},
    {"npm", true, true, false}, {"pypi", true, true, true},       {"rpm", true, false, false},
};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) return Errorf("{}: invalid percent-encoding at offset {}", what, i);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (true) {
    size_t j = text.find(sep, i);
    out.push_back(text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) return out;
    i = j + 1;
  }
}

Status ValidateType(std::string_view type) {
  if (type.empty()) return Errorf("a type is required");
  if (!IsAlpha(type[0])) return Errorf("type '{}' must start with a letter", type);
  for (char c : type) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '.' && c != '+' && c != '-')
      return Errorf("type '{}' has an invalid character '{}'", type, c);
  }
  return {};
}

Status ValidateKey(std::string_view key) {
  if (key.empty()) return Errorf("empty qualifier key");
  if (!IsAlpha(key[0])) return Errorf("qualifier key '{}' must start with a letter", key);
  for (char c : key) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '.' && c != '-' && c != '_')
      return Errorf("qualifier key '{}' has an invalid character '{}'", key, c);
  }
  return {};
}

// Subpath segments: "", "." and ".." are dropped (spec: never climb out of the package).
template <typename Decode>
Result<std::string> CleanSubpath(std::string_view raw, Decode decode) {
  std::string out;
  for (std::string_view seg : Split(raw, '/')) {
    if (seg.empty()) continue;
    Result<std::string> decoded = decode(seg);  // (not DISTILL_TRY: GCC 12 warns falsely there)
    if (!decoded.ok()) return std::move(decoded).error();
    const std::string& s = *decoded;
    if (s == "." || s == "..") continue;
    if (s.find('/') != std::string::npos) return Errorf("subpath segment '{}' contains '/'", s);
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

Result<std::string> DecodeNamespace(std::string_view raw) {
  std::string out;
  for (std::string_view seg : Split(raw, '/')) {
    if (seg.empty()) continue;
    DISTILL_TRY(std::string s, PercentDecode(seg, "namespace"));
    // The spec: a decoded segment must not contain '/' (it would print as a separator, so the
    // canonical form would not parse back to the same namespace).
    if (s.find('/') != std::string::npos)
      return Errorf("namespace segment '{}' contains '/' once decoded", seg);
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

// The qualifier string after '?': key=value pairs separated by '&'.
Status ParseQualifiers(std::string_view raw, bool lenient, Purl& purl) {
  for (std::string_view pair : Split(raw, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return Errorf("qualifier '{}' has no '='", pair);
    std::string key(pair.substr(0, eq));
    std::string lowered = ToLower(key);
    if (!lenient && lowered != key) return Errorf("qualifier key '{}' is not lowercase", key);
    DISTILL_TRY_VOID(ValidateKey(lowered));
    DISTILL_TRY(std::string value, PercentDecode(pair.substr(eq + 1), "qualifier " + lowered));
    if (value.empty()) continue;
    if (purl.qualifiers.count(lowered)) return Errorf("duplicate qualifier key '{}'", lowered);
    purl.qualifiers[lowered] = std::move(value);
  }
  return {};
}

Result<Purl> Parse(std::string_view text, bool lenient) {
  Purl p;
  std::string_view rest = text;
  // 1. subpath, after the first '#' (a '#' cannot appear unencoded elsewhere).
  if (size_t h = rest.find('#'); h != std::string_view::npos) {
    DISTILL_TRY(p.subpath, CleanSubpath(rest.substr(h + 1), [](std::string_view seg) {
                  return PercentDecode(seg, "subpath");
                }));
    rest = rest.substr(0, h);
  }
  // 2. qualifiers, after the first '?'.
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    DISTILL_TRY_VOID(ParseQualifiers(rest.substr(q + 1), lenient, p));
    rest = rest.substr(0, q);
  }
  // 3. scheme.
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || ToLower(rest.substr(0, colon)) != "pkg")
    return Errorf("missing the 'pkg:' scheme");
  rest = rest.substr(colon + 1);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  // 4. type.
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return Errorf("a type and a name are required");
  p.type = ToLower(rest.substr(0, slash));
  DISTILL_TRY_VOID(ValidateType(p.type));
  rest = rest.substr(slash + 1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // 5. version, after the last '@' — unless a '/' follows it: then the '@' is an unencoded npm
  // scope in the namespace ("pkg:npm/@babel/core", accepted as the spec's recommended tests do).
  if (size_t at = rest.rfind('@');
      at != std::string_view::npos && rest.find('/', at) == std::string_view::npos) {
    DISTILL_TRY(p.version, PercentDecode(rest.substr(at + 1), "version"));
    rest = rest.substr(0, at);
  }
  // 6. name, then namespace.
  size_t last = rest.rfind('/');
  std::string_view raw_name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  DISTILL_TRY(p.name, PercentDecode(raw_name, "name"));
  if (last != std::string_view::npos) {
    DISTILL_TRY(p.namespace_, DecodeNamespace(rest.substr(0, last)));
  }
  if (p.name.empty()) return Errorf("a name is required");
  p.Normalize();
  return p;
}

}  // namespace

std::string PurlEncode(std::string_view text, bool keep_colon) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = IsAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c)) || c == '-' ||
                      c == '.' || c == '_' || c == '~' || (keep_colon && c == ':');
    if (unreserved)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

void Purl::Normalize() {
  type = ToLower(type);
  for (const TypeRule& r : kTypeRules) {
    if (type != r.type) continue;
    if (r.lower_namespace) namespace_ = ToLower(namespace_);
    if (r.lower_name) name = ToLower(name);
    if (r.dash_underscores) std::replace(name.begin(), name.end(), '_', '-');
  }
  std::map<std::string, std::string> q;
  for (auto& [k, v] : qualifiers) {
    if (!v.empty()) q[ToLower(k)] = std::move(v);
  }
  qualifiers = std::move(q);
  auto clean = CleanSubpath(
      subpath, [](std::string_view seg) { return Result<std::string>(std::string(seg)); });
  if (clean.ok()) subpath = *clean;
}

std::string Purl::ToString() const {
  Purl p = *this;
  p.Normalize();
  return p.Encode();
}

std::string Purl::Encode() const {
  std::string out = "pkg:" + type + "/";
  for (std::string_view seg : Split(namespace_, '/')) {
    if (!seg.empty()) out += PurlEncode(seg) + "/";
  }
  out += PurlEncode(name);
  if (!version.empty()) out += "@" + PurlEncode(version);
  char sep = '?';
  for (const auto& [k, v] : qualifiers) {
    if (v.empty()) continue;
    out += sep;
    sep = '&';
    out += k + "=" + PurlEncode(v);
  }
  if (!subpath.empty()) {
    out += '#';
    bool first = true;
    for (std::string_view seg : Split(subpath, '/')) {
      if (seg.empty() || seg == "." || seg == "..") continue;
      if (!first) out += '/';
      first = false;
      out += PurlEncode(seg);
    }
  }
  return out;
}

Result<Purl> ParsePurl(std::string_view text) {
  auto r = Parse(text, /*lenient=*/false);
  if (!r.ok()) return std::move(r).error().wrap(fmt::format("purl '{}'", text));
  return r;
}

Result<Purl> ParsePurlLenient(std::string_view text) {
  auto r = Parse(text, /*lenient=*/true);
  if (!r.ok()) return std::move(r).error().wrap(fmt::format("purl '{}'", text));
  return r;
}

Result<Purl> MakePurl(Purl p) {
  auto check = [&]() -> Status {
    DISTILL_TRY_VOID(ValidateType(p.type));
    if (p.name.empty()) return Errorf("a name is required");
    for (const auto& [k, v] : p.qualifiers) DISTILL_TRY_VOID(ValidateKey(ToLower(k)));
    return {};
  };
  if (auto st = check(); !st.ok()) {
    return std::move(st).error().wrap(fmt::format("purl {}/{}", p.type, p.name));
  }
  p.Normalize();
  return p;
}

Distro DistroFromQualifier(std::string_view value, std::string_view purl_namespace) {
  Distro d;
  if (value.empty()) return d;
  if (IsDigit(value[0])) {  // trivy's apk form: the release alone
    d.id = std::string(purl_namespace);
    d.version_id = std::string(value);
    return d;
  }
  for (size_t dash = value.rfind('-'); dash != std::string_view::npos && dash > 0;
       dash = value.rfind('-', dash - 1)) {
    if (dash + 1 < value.size() && IsDigit(value[dash + 1])) {
      d.id = std::string(value.substr(0, dash));
      d.version_id = std::string(value.substr(dash + 1));
      return d;
    }
  }
  if (!purl_namespace.empty() && value != purl_namespace) {  // a codename: "jessie"
    d.id = std::string(purl_namespace);
    d.version_codename = std::string(value);
    return d;
  }
  d.id = std::string(value);
  return d;
}

}  // namespace distill::catalog
