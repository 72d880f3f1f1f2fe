#include "imagebuild/apk/lock.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "image/registry/auth.h"
#include "imagebuild/apk/checksum.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/text.h"
#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {
namespace {

constexpr std::string_view kLockHeader = "# distill.lock v1 apk";
constexpr std::string_view kLockColumns = "NAME VERSION ARCH CHECKSUM DATAHASH SIZE URL";

// The fields of a LockedPackage, as each format names them in errors.
enum class LockField { kName, kVersion, kArch, kChecksum, kDatahash, kSize, kUrl };
constexpr std::array<std::string_view, 7> kTextFieldNames = {
    "NAME", "VERSION", "ARCH", "CHECKSUM", "DATAHASH", "SIZE", "URL"};
constexpr std::array<std::string_view, 7> kJsonFieldNames = {
    "name", "version", "architecture", "checksum", "data.checksum", "data.range", "url"};

struct LockFieldError {
  LockField field;
  std::string what;
};

bool HasBlankOrControl(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return true;
  return false;
}

// base64 text that decodes to exactly `size` bytes and is written as apk writes it (padded).
Result<std::string> DecodeExactBase64(std::string_view text, size_t size) {
  auto raw = image::registry::Base64Decode(text);
  if (!raw.ok() || raw->size() != size || Base64(*raw) != text)
    return Errorf("not the base64 of {} bytes", size);
  return std::move(*raw);
}

bool IsIdentity(std::string_view q1) {
  return q1.size() == 30 && q1.starts_with("Q1") && DecodeExactBase64(q1.substr(2), 20).ok();
}

// What is wrong with an entry, whichever file it came from (or is written to).
std::optional<LockFieldError> CheckLockedFields(const LockedPackage& p) {
  auto word = [](LockField f, const std::string& v) -> std::optional<LockFieldError> {
    if (v.empty()) return LockFieldError{f, "empty"};
    if (HasBlankOrControl(v))
      return LockFieldError{f, fmt::format("'{}' has a blank or control character", v)};
    return std::nullopt;
  };
  using Field = std::pair<LockField, const std::string*>;
  for (auto [f, v] : std::initializer_list<Field>{{LockField::kName, &p.name},
                                                  {LockField::kVersion, &p.version},
                                                  {LockField::kArch, &p.arch},
                                                  {LockField::kChecksum, &p.checksum},
                                                  {LockField::kUrl, &p.url}})
    if (auto e = word(f, *v)) return e;
  if (p.name.front() == '#')  // distill.lock would read the line as a comment
    return LockFieldError{LockField::kName, fmt::format("'{}' starts with '#'", p.name)};
  if (!vuln::version::apk::IsValid(p.version))
    return LockFieldError{LockField::kVersion,
                          fmt::format("'{}' is not a valid apk version", p.version)};
  if (!IsIdentity(p.checksum))
    return LockFieldError{
        LockField::kChecksum,
        fmt::format("'{}' is not a package identity (Q1 + base64 of a SHA-1)", p.checksum)};
  if (!p.datahash.empty() && !IsSha256Hex(p.datahash))
    return LockFieldError{LockField::kDatahash,
                          fmt::format("'{}' is not 64 lowercase hex digits", p.datahash)};
  return std::nullopt;
}

// Where each (arch, name) and (arch, identity) was first seen: an arch installs one package of a
// name, and one identity is one package.
template <typename Where>
class LockDuplicates {
 public:
  // The field locked twice and where it was first, or nullopt.
  std::optional<std::pair<LockField, Where>> Add(const LockedPackage& p, const Where& here) {
    auto [n, new_name] = names_.emplace(std::pair{p.arch, p.name}, here);
    if (!new_name) return std::pair{LockField::kName, n->second};
    auto [c, new_sum] = sums_.emplace(std::pair{p.arch, p.checksum}, here);
    if (!new_sum) return std::pair{LockField::kChecksum, c->second};
    return std::nullopt;
  }

 private:
  std::map<std::pair<std::string, std::string>, Where> names_, sums_;
};

std::string_view TwiceValue(LockField f, const LockedPackage& p) {
  return f == LockField::kName ? p.name : p.checksum;
}

std::string Label(const LockedPackage& p) { return p.name + "-" + p.version; }

std::string LockName(const ApkLock& lock) { return lock.source.empty() ? "the lock" : lock.source; }

// ---- distill.lock -------------------------------------------------------------------------------

Result<ApkLock> ParseDistillApkLock(std::string_view text, const std::string& path) {
  ApkLock lock;
  lock.source = path;
  LockDuplicates<int> seen;
  Error err;
  bool failed = false, header = false;
  ForEachLine(text, [&](int n, std::string_view line) {
    auto fail = [&](std::string_view what) {
      err = Errorf("{}:{}: {}", path, n, what);
      failed = true;
      return false;
    };
    if (n == 1) {
      if (line == kLockHeader.substr(0, kLockHeader.size() - 4))
        return fail(fmt::format("expected '{}' (this is the Debian lock's header)", kLockHeader));
      if (line != kLockHeader) return fail(fmt::format("expected '{}'", kLockHeader));
      header = true;
      return true;
    }
    if (Trim(line).empty() || line.front() == '#') return true;
    std::vector<std::string_view> f = Split(line, ' ');
    if (f.size() != 7) return fail(fmt::format("expected '{}'", kLockColumns));
    for (auto v : f)
      if (v.empty()) return fail("empty field");
    LockedPackage p{std::string(f[0]),
                    std::string(f[1]),
                    std::string(f[2]),
                    std::string(f[3]),
                    f[4] == "-" ? "" : std::string(f[4]),
                    0,
                    std::string(f[6])};
    if (!ParseU64(f[5], &p.size)) return fail("SIZE: not a number");
    if (auto e = CheckLockedFields(p))
      return fail(fmt::format("{}: {}", kTextFieldNames[static_cast<size_t>(e->field)], e->what));
    if (auto twice = seen.Add(p, n))
      return fail(fmt::format("{}: {} is locked twice for {} (first on line {})",
                              kTextFieldNames[static_cast<size_t>(twice->first)],
                              TwiceValue(twice->first, p), p.arch, twice->second));
    lock.packages.push_back(std::move(p));
    return true;
  });
  if (failed) return err;
  if (!header) return Errorf("{}: empty (expected '{}')", path, kLockHeader);
  return lock;
}

// ---- apko.lock.json -----------------------------------------------------------------------------

using Json = nlohmann::json;

// The error every JSON check gives: "FILE: contents.packages[1].checksum: what".
struct JsonPlace {
  const std::string& file;
  std::string path;  // "" for the document

  JsonPlace At(std::string_view key) const {
    return {file, path.empty() ? std::string(key) : path + "." + std::string(key)};
  }
  JsonPlace At(size_t i) const { return {file, fmt::format("{}[{}]", path, i)}; }
  Error Fail(std::string_view what) const {
    return path.empty() ? Errorf("{}: {}", file, what) : Errorf("{}: {}: {}", file, path, what);
  }
};

Result<const Json*> JsonMember(const Json& object, std::string_view key, const JsonPlace& where,
                               Json::value_t type, std::string_view expected) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->type() != type) return where.At(key).Fail(expected);
  return &*it;
}

Result<std::string> JsonString(const Json& object, std::string_view key, const JsonPlace& where) {
  DISTILL_TRY(const Json* v,
              JsonMember(object, key, where, Json::value_t::string, "expected a string"));
  return v->get<std::string>();
}

// "bytes=FIRST-LAST" (inclusive) -> LAST + 1: the data member ends the .apk, so its last byte
// is the file's.
Result<uint64_t> SizeFromDataRange(std::string_view range, const JsonPlace& where) {
  uint64_t first = 0, last = 0;
  std::string_view rest = range;
  size_t dash = rest.find('-');
  if (!rest.starts_with("bytes=") || dash == std::string_view::npos ||
      !ParseU64(rest.substr(6, dash - 6), &first) || !ParseU64(rest.substr(dash + 1), &last) ||
      first > last || last == UINT64_MAX)
    return where.Fail(fmt::format("'{}' is not 'bytes=FIRST-LAST'", range));
  return last + 1;
}

// One element of contents.packages.
Result<LockedPackage> ApkoLockedPackage(const Json& j, const JsonPlace& where) {
  if (!j.is_object()) return where.Fail("expected an object");
  LockedPackage p;
  DISTILL_TRY(p.name, JsonString(j, "name", where));
  DISTILL_TRY(p.version, JsonString(j, "version", where));
  DISTILL_TRY(p.arch, JsonString(j, "architecture", where));
  DISTILL_TRY(p.url, JsonString(j, "url", where));
  DISTILL_TRY(p.checksum, JsonString(j, "checksum", where));
  DISTILL_TRY(const Json* data,
              JsonMember(j, "data", where, Json::value_t::object, "expected an object"));
  JsonPlace data_at = where.At("data");
  DISTILL_TRY(std::string data_sum, JsonString(*data, "checksum", data_at));
  auto raw = data_sum.starts_with("sha256-") ? DecodeExactBase64(data_sum.substr(7), 32)
                                             : Result<std::string>(Errorf("no sha256- prefix"));
  if (!raw.ok())
    return data_at.At("checksum")
        .Fail(fmt::format("'{}' is not 'sha256-' + the base64 of a SHA-256", data_sum));
  p.datahash = HexEncode(reinterpret_cast<const unsigned char*>(raw->data()), raw->size());
  DISTILL_TRY(std::string range, JsonString(*data, "range", data_at));
  DISTILL_TRY(p.size, SizeFromDataRange(range, data_at.At("range")));
  if (auto e = CheckLockedFields(p))
    return where.At(kJsonFieldNames[static_cast<size_t>(e->field)]).Fail(e->what);
  // The identity is the control member's SHA-1: apko writes it twice, and both must agree.
  if (auto control = j.find("control"); control != j.end()) {
    JsonPlace control_at = where.At("control");
    if (!control->is_object()) return control_at.Fail("expected an object");
    DISTILL_TRY(std::string sum, JsonString(*control, "checksum", control_at));
    if (sum != "sha1-" + p.checksum.substr(2))
      return control_at.At("checksum")
          .Fail(fmt::format("'{}' is not the SHA-1 the checksum {} says the control member has",
                            sum, p.checksum));
  }
  return p;
}

Result<ApkLock> ParseApkoLock(std::string_view text, const std::string& path) {
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {  // nlohmann throws; nothing leaves this function
    size_t at = 0;
    if (auto* pe = dynamic_cast<const Json::parse_error*>(&e)) at = pe->byte;
    at = std::min(at, text.size());
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    return Errorf("{}:{}: not valid JSON", path, line);
  }
  JsonPlace root{path, ""};
  DISTILL_TRY(std::string version, JsonString(doc, "version", root));
  if (version != "v1")
    return root.At("version").Fail(
        fmt::format("unsupported apko lock version '{}' (distill reads v1)", version));
  DISTILL_TRY(const Json* contents,
              JsonMember(doc, "contents", root, Json::value_t::object, "expected an object"));
  JsonPlace contents_at = root.At("contents");
  DISTILL_TRY(const Json* packages, JsonMember(*contents, "packages", contents_at,
                                               Json::value_t::array, "expected an array"));
  ApkLock lock;
  lock.source = path;
  LockDuplicates<size_t> seen;
  JsonPlace packages_at = contents_at.At("packages");
  for (size_t i = 0; i < packages->size(); ++i) {
    DISTILL_TRY(LockedPackage p, ApkoLockedPackage((*packages)[i], packages_at.At(i)));
    if (auto twice = seen.Add(p, i))
      return packages_at.At(i).Fail(fmt::format("{} is locked twice for {} (also {})",
                                                TwiceValue(twice->first, p), p.arch,
                                                packages_at.At(twice->second).path));
    lock.packages.push_back(std::move(p));
  }
  return lock;
}

// "a-1 (Q1…), b-2 (Q1…)".
std::string DescribeLocked(const std::vector<const LockedPackage*>& list) {
  std::string out;
  for (const LockedPackage* p : list) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", Label(*p), p->checksum);
  }
  return out;
}

}  // namespace

const LockedPackage* ApkLock::Find(std::string_view arch, std::string_view checksum) const {
  for (const LockedPackage& p : packages)
    if (p.arch == arch && p.checksum == checksum) return &p;
  return nullptr;
}

Result<ApkLock> ParseApkLock(std::string_view text, const std::string& path) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return ParseApkoLock(text, path);
  return ParseDistillApkLock(text, path);
}

Result<ApkLock> ReadApkLock(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 64 << 20));
  return ParseApkLock(text, path);
}

Result<std::string> FormatApkLock(const ApkLock& lock) {
  std::vector<const LockedPackage*> sorted;
  for (const LockedPackage& p : lock.packages) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const LockedPackage* a, const LockedPackage* b) {
    return std::tie(a->arch, a->name, a->version, a->checksum) <
           std::tie(b->arch, b->name, b->version, b->checksum);
  });
  std::string out(kLockHeader);
  out += "\n";
  LockDuplicates<std::string> seen;
  for (const LockedPackage* entry : sorted) {
    const LockedPackage& p = *entry;
    std::string label = fmt::format("{} {} {}", p.name, p.version, p.arch);
    if (auto e = CheckLockedFields(p))
      return Errorf("{}: {}: {}", label, kTextFieldNames[static_cast<size_t>(e->field)], e->what);
    if (auto twice = seen.Add(p, label))
      return Errorf("{}: {}: {} is locked twice for {} (also {})", label,
                    kTextFieldNames[static_cast<size_t>(twice->first)], TwiceValue(twice->first, p),
                    p.arch, twice->second);
    out += fmt::format("{} {} {} {} {} {} {}\n", p.name, p.version, p.arch, p.checksum,
                       p.datahash.empty() ? "-" : p.datahash, p.size, p.url);
  }
  return out;
}

Status WriteApkLock(const std::string& path, const ApkLock& lock) {
  auto text = FormatApkLock(lock);
  if (!text.ok()) return std::move(text).error().wrap(path);
  return WriteFileAtomic(path, *text);
}

Status RestrictToLock(const ApkLock& lock, const std::string& apk_arch,
                      std::vector<Repository>* repos) {
  std::unordered_map<std::string_view, const LockedPackage*> pinned;  // identity -> entry
  std::set<std::string> archs;
  for (const LockedPackage& p : lock.packages) {
    archs.insert(p.arch);
    if (p.arch == apk_arch) pinned.emplace(p.checksum, &p);
  }
  if (pinned.empty()) {
    std::string has;
    for (const std::string& a : archs) has += (has.empty() ? "" : ", ") + a;
    return Errorf("{} pins nothing for {} ({}): run with --update-lock", LockName(lock), apk_arch,
                  has.empty() ? "it is empty" : "it has " + has);
  }
  // First check everything, so that an error leaves the repositories as they were.
  std::unordered_set<std::string_view> listed;
  std::map<std::string, std::string> other_identity;  // "name-version" -> a C: the lock lacks
  for (const Repository& repo : *repos) {
    for (const IndexEntry& e : repo.packages) {
      auto it = pinned.find(e.checksum);
      if (it == pinned.end()) {
        other_identity.emplace(e.name + "-" + e.version, e.checksum);
        continue;
      }
      const LockedPackage& p = *it->second;
      if (e.name != p.name || e.version != p.version)
        return Errorf("{}:{}: {}-{} has the identity {}, which {} pins as {}", repo.name, e.line,
                      e.name, e.version, e.checksum, LockName(lock), Label(p));
      listed.insert(e.checksum);
    }
  }
  std::vector<const LockedPackage*> missing;
  for (const LockedPackage& p : lock.packages)
    if (p.arch == apk_arch && !listed.contains(p.checksum)) missing.push_back(&p);
  if (!missing.empty()) {
    std::string rebuilt;
    for (const LockedPackage* p : missing) {
      auto it = other_identity.find(Label(*p));
      if (it == other_identity.end()) continue;
      rebuilt += fmt::format("{}{} is {}", rebuilt.empty() ? "" : ", ", it->first, it->second);
    }
    return Errorf("{} pins {} for {}, but no repository lists {}{}", LockName(lock),
                  DescribeLocked(missing), apk_arch, missing.size() == 1 ? "it" : "them",
                  rebuilt.empty() ? "" : " (the repositories' " + rebuilt + ": rebuilt?)");
  }
  for (Repository& repo : *repos)
    std::erase_if(repo.packages, [&](const IndexEntry& e) { return !pinned.contains(e.checksum); });
  return {};
}

Status CheckResolution(const ApkLock& lock, const std::string& apk_arch,
                       const Resolution& resolution) {
  std::unordered_set<std::string_view> used;
  for (const ResolvedPackage& r : resolution.packages) {
    const IndexEntry& e = *r.entry;
    if (!lock.Find(apk_arch, e.checksum))
      return Errorf(
          "the world needs {}-{} ({}) for {}, which {} does not pin: run with "
          "--update-lock",
          e.name, e.version, e.checksum, apk_arch, LockName(lock));
    used.insert(e.checksum);
  }
  std::vector<const LockedPackage*> unused;
  for (const LockedPackage& p : lock.packages)
    if (p.arch == apk_arch && !used.contains(p.checksum)) unused.push_back(&p);
  if (!unused.empty())
    return Errorf("{} pins {} for {}, but the world no longer needs {}: run with --update-lock",
                  LockName(lock), DescribeLocked(unused), apk_arch,
                  unused.size() == 1 ? "it" : "them");
  return {};
}

Status CheckFetched(const LockedPackage& locked, const Package& read) {
  auto differs = [&](std::string_view field, const auto& want, const auto& got) {
    return Errorf("{} for {}{}: {}: locked {}, fetched {}", Label(locked), locked.arch,
                  read.file.empty() ? "" : " (" + read.file + ")", field, want, got);
  };
  if (read.identity != locked.checksum) return differs("identity", locked.checksum, read.identity);
  if (!locked.datahash.empty() && read.data_sha256 != locked.datahash)
    return differs("datahash", locked.datahash, read.data_sha256);
  uint64_t size = read.data_member.end();
  if (locked.size != 0 && size != locked.size) return differs("size", locked.size, size);
  return {};
}

Result<LockedPackage> FromResolved(const IndexEntry& entry, const Package& read,
                                   const std::string& apk_arch, const std::string& url) {
  if (!entry.checksum.empty() && entry.checksum != read.identity)
    return Errorf("{}-{}: the index lists identity {}, the package read ({}) has {}", entry.name,
                  entry.version, entry.checksum, read.file, read.identity);
  if (read.info.pkgname != entry.name || read.info.pkgver != entry.version)
    return Errorf("{}-{}: the package read ({}) is {}-{}", entry.name, entry.version, read.file,
                  read.info.pkgname, read.info.pkgver);
  LockedPackage p{entry.name,       entry.version,          apk_arch, read.identity,
                  read.data_sha256, read.data_member.end(), url};
  if (auto e = CheckLockedFields(p))
    return Errorf("{}-{}: {}: {}", entry.name, entry.version,
                  kTextFieldNames[static_cast<size_t>(e->field)], e->what);
  return p;
}

}  // namespace distill::imagebuild::apk
