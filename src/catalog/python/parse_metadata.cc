#include "catalog/python/parse_metadata.h"

#include <fmt/format.h>

#include "catalog/language.h"
#include "util/text.h"

namespace distill::catalog::python {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

void Assign(CoreMetadata* metadata, std::string_view key, std::string value) {
  std::string k;
  for (char c : key) k += AsciiLower(c);
  if (k == "name")
    metadata->name = std::move(value);
  else if (k == "version")
    metadata->version = std::move(value);
  else if (k == "license")
    metadata->license = std::move(value);
  else if (k == "license-expression")
    metadata->license_expression = std::move(value);
  else if (k == "requires-dist")
    metadata->requires_dist.push_back(std::move(value));
  else if (k == "provides-extra")
    metadata->provides_extra.push_back(std::move(value));
  else if (k == "requires-python")
    metadata->requires_python = std::move(value);
  else if (k == "classifier" && value.starts_with("License :: ")) {
    size_t last = value.rfind(" :: ");
    metadata->license_classifiers.push_back(value.substr(last + 4));
  }
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

// urlsafe base64 (padding optional) to lowercase hex; "" when malformed.
std::string Base64ToHex(std::string_view b64) {
  while (!b64.empty() && b64.back() == '=') b64.remove_suffix(1);
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    int v = Base64Value(c);
    if (v < 0) return "";
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  std::string hex;
  for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
  return hex;
}

}  // namespace

Result<CoreMetadata> ParseCoreMetadata(std::string_view text) {
  CoreMetadata m;
  std::string key, value;
  bool have = false;
  Status bad;
  ForEachLine(text, [&](int n, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return false;  // the body (description) starts here
    if (line[0] == ' ' || line[0] == '\t') {
      if (!have) {
        bad = Errorf("line {}: continuation line without a field", n);
        return false;
      }
      value += "\n";
      value += Trim(line);
      return true;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      bad = Errorf("line {}: expected 'Field: value', got '{}'", n, line.substr(0, 80));
      return false;
    }
    if (have) Assign(&m, key, std::string(Trim(value)));
    key = std::string(line.substr(0, colon));
    value = std::string(Trim(line.substr(colon + 1)));
    have = true;
    return true;
  });
  if (!bad.ok()) return bad.error();
  if (have) Assign(&m, key, std::string(Trim(value)));
  return m;
}

std::vector<OwnedFile> ParseRecord(std::string_view text, std::string_view base) {
  std::vector<OwnedFile> out;
  ForEachLine(text, [&](int, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return true;
    // CSV: the path may be quoted (when it holds a comma); hash and size never are.
    std::string path;
    size_t i = 0;
    if (line[0] == '"') {
      for (i = 1; i < line.size(); ++i) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            path += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        path += line[i];
      }
    } else {
      i = line.find(',');
      if (i == std::string_view::npos) i = line.size();
      path = std::string(line.substr(0, i));
    }
    std::string_view rest = i < line.size() ? line.substr(i + 1) : std::string_view{};
    std::string_view hash = rest.substr(0, rest.find(','));
    OwnedFile f;
    f.path = JoinImagePath(base, path);
    if (f.path.empty()) return true;
    size_t eq = hash.find('=');
    if (eq != std::string_view::npos) {
      f.digest = Base64ToHex(hash.substr(eq + 1));
      if (!f.digest.empty()) f.algorithm = std::string(hash.substr(0, eq));
    }
    out.push_back(std::move(f));
    return true;
  });
  return out;
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += AsciiLower(c);
  }
  return out;
}

std::vector<std::string> Licenses(const CoreMetadata& metadata) {
  if (!metadata.license_expression.empty()) return {metadata.license_expression};
  if (!metadata.license.empty() && metadata.license != "UNKNOWN" &&
      metadata.license.find('\n') == std::string::npos)
    return {metadata.license};
  return metadata.license_classifiers;
}

}  // namespace distill::catalog::python
