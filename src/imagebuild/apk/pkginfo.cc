#include "imagebuild/apk/pkginfo.h"

#include "catalog/apk/records.h"
#include "util/text.h"

namespace distill::imagebuild::apk {

namespace {

void AppendWords(std::string_view v, std::vector<std::string>* out) {
  for (auto& w : catalog::apk::SplitWords(v)) out->push_back(std::move(w));
}

Result<int64_t> Integer(std::string_view v) {
  int64_t n = 0;
  if (!catalog::apk::ParseNumber(v, &n)) return Errorf("'{}' is not an integer", v);
  return n;
}

// Stores one key's value; the error (if any) says what is wrong with the value.
Status Apply(std::string_view key, std::string_view value, PkgInfo* info) {
  auto scalar = [&](std::string* field) { *field = value; };
  if (key == "pkgname")
    scalar(&info->pkgname);
  else if (key == "pkgver")
    scalar(&info->pkgver);
  else if (key == "pkgdesc")
    scalar(&info->pkgdesc);
  else if (key == "url")
    scalar(&info->url);
  else if (key == "arch")
    scalar(&info->arch);
  else if (key == "origin")
    scalar(&info->origin);
  else if (key == "maintainer")
    scalar(&info->maintainer);
  else if (key == "packager")
    scalar(&info->packager);
  else if (key == "commit")
    scalar(&info->commit);
  else if (key == "datahash")
    scalar(&info->datahash);
  else if (key == "license") {
    info->license =
        info->license.empty() ? std::string(value) : info->license + " AND " + std::string(value);
    info->licenses.emplace_back(value);
  } else if (key == "depend")
    AppendWords(value, &info->depend);
  else if (key == "provides")
    AppendWords(value, &info->provides);
  else if (key == "install_if")
    AppendWords(value, &info->install_if);
  else if (key == "replaces")
    AppendWords(value, &info->replaces);
  else if (key == "triggers")
    AppendWords(value, &info->triggers);
  else if (key == "size") {
    DISTILL_TRY(int64_t n, Integer(value));
    if (n < 0) return Errorf("negative size {}", n);
    info->size = static_cast<uint64_t>(n);
  } else if (key == "builddate") {
    DISTILL_TRY(info->builddate, Integer(value));
  } else if (key == "provider_priority") {
    DISTILL_TRY(info->provider_priority, Integer(value));
    info->has_provider_priority = true;
  } else if (key == "replaces_priority") {
    DISTILL_TRY(info->replaces_priority, Integer(value));
  } else {
    info->other.emplace_back(key, value);
  }
  return {};
}

}  // namespace

Result<PkgInfo> ParsePkgInfo(std::string_view text) {
  PkgInfo info;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;
    size_t eq = t.find('=');
    if (eq == std::string_view::npos)
      return Errorf(".PKGINFO:{}: no '=' in '{}'", line_no, t.substr(0, 80));
    std::string_view key = Trim(t.substr(0, eq)), value = Trim(t.substr(eq + 1));
    if (key.empty()) return Errorf(".PKGINFO:{}: empty key", line_no);
    auto st = Apply(key, value, &info);
    if (!st.ok()) return std::move(st).error().wrap(fmt::format(".PKGINFO:{}: {}", line_no, key));
  }
  for (auto [key, value] :
       {std::pair{"pkgname", &info.pkgname}, {"pkgver", &info.pkgver}, {"arch", &info.arch}})
    if (value->empty()) return Errorf(".PKGINFO: no {}", key);
  return info;
}

}  // namespace distill::imagebuild::apk
