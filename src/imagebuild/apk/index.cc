#include "imagebuild/apk/index.h"

#include "catalog/apk/records.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {
namespace {

using catalog::apk::ParseNumber;

// D:, p:, i: as apk-tools reads them (src/package.c): a bad atom in D: makes the package not
// installable, a bad i: drops the whole install_if rule, a provide keeps a version apk's grammar
// rejects (and a malformed provide is dropped).
void AddAtoms(char key, std::string_view value, int line, std::vector<Dependency>* out,
              IndexEntry* e) {
  auto atoms = ParseDependencies(value, key == 'p' ? AtomContext::kProvides : AtomContext::kIndex);
  if (atoms.ok()) {
    for (auto& a : *atoms) out->push_back(std::move(a));
  } else if (key == 'D' && e->broken.empty()) {
    e->broken = fmt::format("line {}: {}", line, atoms.error().message);
  } else if (key == 'i') {
    out->clear();
  } else if (key == 'p') {
    for (std::string_view rest = value; !rest.empty();) {
      size_t start = rest.find_first_not_of(" \t");
      if (start == std::string_view::npos) break;
      size_t end = rest.find_first_of(" \t", start);
      auto one = ParseDependency(rest.substr(start, end - start), AtomContext::kProvides);
      if (one.ok()) out->push_back(std::move(*one));
      rest = end == std::string_view::npos ? "" : rest.substr(end);
    }
  }
}

// Applies one "X:value" field; returns the reason it is malformed, or "".
std::string ApplyField(char key, std::string_view value, int line, IndexEntry* e) {
  bool ok = true;
  switch (key) {
    case 'C':
      e->checksum = std::string(value);
      break;
    case 'P':
      e->name = std::string(value);
      break;
    case 'V':
      e->version = std::string(value);
      break;
    case 'A':
      e->arch = std::string(value);
      break;
    case 'S':
      ok = ParseNumber(value, &e->size);
      break;
    case 'I':
      ok = ParseNumber(value, &e->installed_size);
      break;
    case 'T':
      e->description = std::string(value);
      break;
    case 'U':
      e->url = std::string(value);
      break;
    case 'L':
      e->license = std::string(value);
      break;
    case 'o':
      e->origin = std::string(value);
      break;
    case 'm':
      e->maintainer = std::string(value);
      break;
    case 't':
      ok = ParseNumber(value, &e->build_time);
      break;
    case 'c':
      e->commit = std::string(value);
      break;
    case 'k':
      ok = ParseNumber(value, &e->provider_priority);
      break;
    case 'q':
      ok = ParseNumber(value, &e->replaces_priority);
      break;
    case 'D':
      AddAtoms(key, value, line, &e->depends, e);
      break;
    case 'p':
      AddAtoms(key, value, line, &e->provides, e);
      break;
    case 'i':
      AddAtoms(key, value, line, &e->install_if, e);
      break;
    case 'r': {
      auto atoms = ParseDependencies(value, AtomContext::kIndex);
      if (atoms.ok()) {
        for (auto& a : *atoms) e->replaces.push_back(a.name);
      }
      break;
    }
    default:
      break;  // F R a M Z (installed files) and letters apk added later
  }
  if (!ok) return fmt::format("field {}: '{}' is not a number", key, value);
  return "";
}

Status FinishEntry(IndexEntry* e, std::string_view file) {
  if (e->name.empty()) return Errorf("{}:{}: package without a name (P:)", file, e->line);
  if (e->version.empty()) {
    return Errorf("{}:{}: package {} without a version (V:)", file, e->line, e->name);
  }
  if (!vuln::version::apk::IsValid(e->version)) {
    return Errorf("{}:{}: package {}: '{}' is not a valid apk version", file, e->line, e->name,
                  e->version);
  }
  return {};
}

}  // namespace

Result<std::vector<IndexEntry>> ParseIndex(std::string_view text, std::string_view file) {
  std::vector<IndexEntry> out;
  auto entry = [&](const catalog::apk::RawRecord& r) -> Status {
    IndexEntry e;
    e.line = r.line;
    for (const auto& f : r.fields) {
      std::string reason = ApplyField(f.key, f.value, f.line, &e);
      if (!reason.empty()) return Errorf("{}:{}: {}", file, f.line, reason);
    }
    if (r.bad_line != 0)
      return Errorf("{}:{}: expected 'X:value', got '{}'", file, r.bad_line,
                    r.bad_text.substr(0, 60));
    DISTILL_TRY_VOID(FinishEntry(&e, file));
    out.push_back(std::move(e));
    return {};
  };
  DISTILL_TRY_VOID(catalog::apk::ForEachRecord(text, entry));
  return out;
}

}  // namespace distill::imagebuild::apk
