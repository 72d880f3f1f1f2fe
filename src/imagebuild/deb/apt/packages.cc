#include "imagebuild/deb/apt/packages.h"

#include <charconv>
#include <functional>

#include "util/digest.h"
#include "util/text.h"

namespace distill::imagebuild::apt {

namespace {

// A Filename must stay inside the repository.
bool SafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == ".." || seg.empty()) return false;
    i = j + 1;
  }
  for (char c : path)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

}  // namespace

std::string_view ParagraphView::Get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  for (const auto& [k, v] : fields)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

Status ForEachParagraph(std::string_view text,
                        const std::function<void(const ParagraphView&)>& fn) {
  ParagraphView p;
  size_t pos = 0;
  int n = 0;
  auto flush = [&] {
    if (!p.fields.empty()) fn(p);
    p.fields.clear();
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    size_t start = pos;
    pos = nl + 1;
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || Trim(line).empty()) {
      flush();
      continue;
    }
    char c = line.front();
    if (c == ' ' || c == '\t') {
      if (p.fields.empty()) return Errorf("line {}: continuation line without a field", n);
      // Extend the value's view over this line (the text is contiguous).
      auto& v = p.fields.back().second;
      const char* begin = v.empty() ? text.data() + start : v.data();
      v = std::string_view(begin, static_cast<size_t>(text.data() + start + line.size() - begin));
      continue;
    }
    if (c == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return Errorf("line {}: expected 'Field: value'", n);
    if (p.fields.empty()) p.line = n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    p.fields.emplace_back(line.substr(0, colon), value);
  }
  flush();
  return {};
}

Result<std::vector<PackageInfo>> ParsePackages(std::string_view text,
                                               const PackagesOrigin& origin) {
  std::vector<PackageInfo> out;
  out.reserve(text.size() / 800);
  Error err;
  bool failed = false;
  auto status = ForEachParagraph(text, [&](const ParagraphView& paragraph_view) {
    if (failed) return;
    auto fail = [&](std::string_view field, std::string_view what) {
      err = Errorf("line {}: field \"{}\": {}", paragraph_view.line, field, what);
      failed = true;
    };
    PackageInfo pkg;
    std::string_view sha, size, filename, isize, source;
    for (const auto& [k, v] : paragraph_view.fields) {
      // Packages files use canonical case; the switch on the first letter keeps this a few
      // compares.
      switch (k.empty() ? 0 : k[0]) {
        case 'P':
          if (k == "Package")
            pkg.ref.name = v;
          else if (k == "Pre-Depends")
            pkg.pre_depends = v;
          else if (k == "Provides")
            pkg.provides = v;
          else if (k == "Priority")
            pkg.priority = v;
          break;
        case 'V':
          if (k == "Version") pkg.ref.version = v;
          break;
        case 'A':
          if (k == "Architecture") pkg.ref.arch = v;
          break;
        case 'M':
          if (k == "Multi-Arch") pkg.multi_arch = v;
          break;
        case 'S':
          if (k == "SHA256")
            sha = v;
          else if (k == "Size")
            size = v;
          else if (k == "Source")
            source = v;
          else if (k == "Section")
            pkg.section = v;
          break;
        case 'E':
          if (k == "Essential") pkg.essential = v == "yes";
          break;
        case 'F':
          if (k == "Filename") filename = v;
          break;
        case 'D':
          if (k == "Depends") pkg.depends = v;
          break;
        case 'C':
          if (k == "Conflicts") pkg.conflicts = v;
          break;
        case 'B':
          if (k == "Breaks") pkg.breaks = v;
          break;
        case 'I':
          if (k == "Installed-Size") isize = v;
          break;
        default:
          break;
      }
    }
    if (pkg.ref.name.empty()) return fail("Package", "missing");
    if (pkg.ref.version.empty()) return fail("Version", "missing");
    if (pkg.ref.arch.empty()) return fail("Architecture", "missing");
    if (!IsSha256Hex(sha))
      return fail("SHA256", sha.empty() ? "missing" : "expected 64 hex digits");
    if (!ParseU64(size, &pkg.ref.size))
      return fail("Size", size.empty() ? "missing" : "not a number");
    if (!SafeRelativePath(filename))
      return fail("Filename",
                  filename.empty() ? "missing" : "not a relative path inside the repository");
    if (!isize.empty() && !ParseU64(isize, &pkg.installed_size_kib))
      return fail("Installed-Size", "not a number");
    pkg.ref.sha256 = sha;
    pkg.ref.url = origin.base_uri;
    pkg.ref.url += '/';
    pkg.ref.url += filename;
    if (!source.empty()) {
      // "Source: name" or "Source: name (version)".
      size_t paren = source.find('(');
      pkg.source = Trim(source.substr(0, paren));
      if (paren != std::string_view::npos) {
        size_t close = source.find(')', paren);
        if (close == std::string_view::npos) return fail("Source", "unterminated '('");
        pkg.source_version = Trim(source.substr(paren + 1, close - paren - 1));
      }
    }
    pkg.suite = origin.suite;
    out.push_back(std::move(pkg));
  });
  if (!status.ok()) return std::move(status).error();
  if (failed) return err;
  return out;
}

}  // namespace distill::imagebuild::apt
