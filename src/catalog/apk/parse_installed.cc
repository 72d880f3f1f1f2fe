#include "catalog/apk/parse_installed.h"

#include "catalog/apk/records.h"
#include "util/digest.h"
#include "vuln/version/apk.h"

namespace distill::catalog::apk {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Applies one "K:value" line to the record being built. Returns an error message or "".
std::string ApplyField(char key, std::string_view value, std::string* dir, Record* record) {
  ApkMetadata& m = record->meta;
  auto number = [&](uint64_t* out) -> std::string {
    if (!ParseNumber(value, out)) return fmt::format("'{}:' not a number: '{}'", key, value);
    return "";
  };
  switch (key) {
    case 'P':
      record->name = std::string(value);
      break;
    case 'V':
      record->version = std::string(value);
      break;
    case 'A':
      record->arch = std::string(value);
      break;
    case 'L':
      record->license = std::string(value);
      break;
    case 'o':
      m.origin = std::string(value);
      break;
    case 'm':
      m.maintainer = std::string(value);
      break;
    case 'U':
      m.url = std::string(value);
      break;
    case 'T':
      m.description = std::string(value);
      break;
    case 'C':
      m.checksum = std::string(value);
      break;
    case 'c':
      m.git_commit = std::string(value);
      break;
    case 'S':
      return number(&m.size);
    case 'I':
      return number(&m.installed_size);
    case 'D':
      m.depends = SplitWords(value);
      break;
    case 'p':
      m.provides = SplitWords(value);
      break;
    case 'F':
      *dir = std::string(value);
      while (dir->starts_with('/')) dir->erase(0, 1);
      if (!dir->empty()) record->files.push_back({*dir, "", ""});
      break;
    case 'R':
      record->files.push_back(
          {dir->empty() ? std::string(value) : *dir + "/" + std::string(value), "", ""});
      break;
    case 'Z': {
      if (record->files.empty()) return "'Z:' before any file";
      auto [algo, hex] = DecodeChecksum(value);
      record->files.back().algorithm = algo;
      record->files.back().digest = hex;
      break;
    }
    default:
      break;  // t (build time), r (replaces), i (install-if), k (priority), a/M (acls), q, s, ...
  }
  return "";
}

// The record's fields applied in order; the first malformed line, or a record apk would not
// install (no name, no version, a version apk's grammar rejects), is its error.
Result<Record> ReadRecord(const RawRecord& raw) {
  Record record;
  record.line = raw.line;
  std::string dir;
  for (const Field& f : raw.fields) {
    std::string error = ApplyField(f.key, f.value, &dir, &record);
    if (!error.empty()) return Errorf("line {}: {}", f.line, error);
  }
  if (raw.bad_line != 0)
    return Errorf("line {}: expected 'K:value', got '{}'", raw.bad_line,
                  raw.bad_text.substr(0, 60));
  if (record.name.empty())
    return Errorf("line {}: record without 'P:' (package name)", record.line);
  if (record.version.empty())
    return Errorf("line {}: package \"{}\": record without 'V:' (version)", record.line,
                  record.name);
  if (!vuln::version::apk::IsValid(record.version))
    return Errorf("line {}: package \"{}\": 'V:' is not a valid apk version: \"{}\"", record.line,
                  record.name, record.version);
  return record;
}

}  // namespace

std::pair<std::string, std::string> DecodeChecksum(std::string_view checksum) {
  if (!checksum.starts_with("Q1")) return {"", ""};
  checksum.remove_prefix(2);
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : checksum) {
    if (c == '=') break;
    int v = Base64Value(c);
    if (v < 0) return {"", ""};
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bytes.size() != 20) return {"", ""};
  return {"sha1", HexEncode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size())};
}

std::string DependencyName(std::string_view token) {
  if (token.empty() || token[0] == '!') return "";
  size_t end = token.find_first_of("<>=~");
  return std::string(token.substr(0, end));
}

std::vector<std::string> SplitLicense(std::string_view license) {
  std::string_view l = license;
  while (!l.empty() && l.front() == ' ') l.remove_prefix(1);
  while (!l.empty() && l.back() == ' ') l.remove_suffix(1);
  if (l.empty()) return {};
  bool expression =
      l.find(" AND ") != std::string_view::npos || l.find(" OR ") != std::string_view::npos ||
      l.find(" WITH ") != std::string_view::npos || l.find('(') != std::string_view::npos;
  if (expression) return {std::string(l)};
  return SplitWords(l);
}

ParsedDb ParseInstalled(std::string_view text) {
  ParsedDb db;
  (void)ForEachRecord(text, [&db](const RawRecord& raw) -> Status {
    auto record = ReadRecord(raw);
    if (record.ok())
      db.records.push_back(std::move(*record));
    else
      db.errors.push_back(std::move(record).error());
    return {};
  });
  return db;
}

}  // namespace distill::catalog::apk
