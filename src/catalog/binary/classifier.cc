#include "catalog/binary/classifier.h"

#include <string.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>

#include "catalog/language.h"
#include "image/file_index.h"
#include "util/glob.h"

namespace distill::catalog::binary {

namespace {

constexpr std::string_view kName = "binary-classifier-cataloger";
constexpr int kMaxAnchorHits =
    20000;  // regex runs per pattern and file: bounds a file full of anchors

std::string Replace(std::string_view pattern, std::string_view version) {
  std::string out(pattern);
  for (size_t at; (at = out.find("{v}")) != std::string::npos;) out.replace(at, 3, version);
  return out;
}

std::string EscapeRegex(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Compiled patterns, shared: a caller keeps its regex alive even when the cache is cleared.
std::shared_ptr<const std::regex> Compiled(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const std::regex>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end() && cache.size() >= 512)
    cache.clear();  // "{v}" patterns vary with file names
  if (it == cache.end())
    it = cache
             .emplace(pattern, std::make_shared<const std::regex>(
                                   pattern, std::regex::ECMAScript | std::regex::optimize))
             .first;
  return it->second;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// glibc's memmem (two-way, pair hashing): string_view::find stops at every occurrence of the
// needle's first byte, and most anchors start with "\0", the commonest byte of a binary.
size_t Find(std::string_view hay, std::string_view needle, size_t from) {
  if (from > hay.size()) return std::string_view::npos;
  const void* at = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return at ? static_cast<size_t>(static_cast<const char*>(at) - hay.data())
            : std::string_view::npos;
}

// The next anchor at or after `from` that is followed by "<digits>." (where every version the
// classifiers look for starts). Found from the dots, which are far rarer in a binary than the
// "\0" most such anchors are: memchr for '.', back over the digits, compare the anchor.
// Only dots in [dot_begin, dot_end) are tried (AnchorScan searches in steps).
size_t FindBeforeVersion(std::string_view text, std::string_view anchor, size_t from,
                         size_t dot_begin, size_t dot_end) {
  for (size_t dot = std::max(dot_begin, from + anchor.size() + 1); dot < dot_end; ++dot) {
    const void* at = memchr(text.data() + dot, '.', dot_end - dot);
    if (!at) return std::string_view::npos;
    dot = static_cast<size_t>(static_cast<const char*>(at) - text.data());
    size_t start = dot;
    while (start > 0 && dot - start < 12 && IsDigit(text[start - 1])) --start;
    if (start == dot || start < anchor.size() + from) continue;
    if (text.substr(start - anchor.size(), anchor.size()) == anchor) return start - anchor.size();
  }
  return std::string_view::npos;
}

// The hits of the anchors a file's candidate classifiers look for, each distinct anchor searched
// once however many patterns share it (envoy's 16 patterns have 5 anchors). At most
// kMaxAnchorHits hits are kept per anchor: the bound on regex runs.
class AnchorScan {
 public:
  explicit AnchorScan(std::string_view text, const Releaser* release = nullptr)
      : text_(text), release_(release) {}

  // Whether the text holds `needle` anywhere (a classifier's requires_text).
  bool Contains(std::string_view needle) {
    return Next(needle, false, 0) != std::string_view::npos;
  }

  // The i-th hit (found lazily: a pattern that matches at its first hit stops the search), npos
  // after the last.
  size_t At(const std::string& anchor, bool digit_after, size_t i) {
    List& l = lists_[{anchor, digit_after}];
    while (l.hits.size() <= i && !l.done) {
      size_t pos = Next(anchor, digit_after, l.next);
      if (pos == std::string_view::npos || l.hits.size() >= static_cast<size_t>(kMaxAnchorHits)) {
        l.done = true;
        break;
      }
      l.hits.push_back(pos);
      l.next = pos + 1;
    }
    return i < l.hits.size() ? l.hits[i] : std::string_view::npos;
  }

 private:
  struct List {
    std::vector<size_t> hits;
    size_t next = 0;
    bool done = false;
  };
  // The first hit at or after `from`, searched in steps of kStep bytes: each step passed without
  // a hit is handed to the releaser, so scanning a mapped 100 MB binary never holds more than a
  // step of it resident.
  size_t Next(std::string_view anchor, bool digit_after, size_t from) {
    constexpr size_t kStep = 256 << 10;
    for (size_t begin = from; begin < text_.size();) {
      size_t end = std::min(text_.size(), begin + kStep);
      size_t pos = digit_after ? FindBeforeVersion(text_, anchor, from, begin, end)
                               : Find(text_.substr(0, std::min(text_.size(), end + anchor.size())),
                                      anchor, begin);
      if (pos != std::string_view::npos) return pos;
      if (release_ && *release_) (*release_)(text_.substr(begin, end - begin));
      begin = end;
    }
    return std::string_view::npos;
  }

  std::string_view text_;
  const Releaser* release_;
  std::map<std::pair<std::string, bool>, List> lists_;
};

// The version group of the first regex match that contains an anchor hit, "" if none.
// The `near` literal within near_within bytes after the match (before it when negative).
bool NearOk(const Matcher& matcher, std::string_view contents, size_t mstart, size_t mend) {
  if (matcher.near.empty()) return true;
  if (matcher.near_within >= 0)
    return contents.substr(mend, matcher.near_within + matcher.near.size()).find(matcher.near) !=
           std::string_view::npos;
  size_t span = static_cast<size_t>(-matcher.near_within) + matcher.near.size();
  size_t from = mstart > span ? mstart - span : 0;
  return contents.substr(from, mstart - from).find(matcher.near) != std::string_view::npos;
}

std::string Search(const Matcher& matcher, std::string_view contents, const std::string& anchor,
                   const std::regex& re, AnchorScan& scan) {
  using It = std::string_view::const_iterator;
  for (size_t i = 0, pos; (pos = scan.At(anchor, matcher.digit_after, i)) != std::string_view::npos;
       ++i) {
    if (matcher.before == 0) {  // the regex starts at the anchor: one anchored attempt per hit
      std::string_view window = contents.substr(pos, anchor.size() + matcher.after);
      auto flags = std::regex_constants::match_continuous;
      if (pos > 0) flags |= std::regex_constants::match_prev_avail;
      if (pos + window.size() < contents.size()) flags |= std::regex_constants::match_not_eol;
      std::match_results<It> match;
      if (std::regex_search(window.begin(), window.end(), match, re, flags) && match[1].matched &&
          NearOk(matcher, contents, pos,
                 pos + static_cast<size_t>(match[0].second - window.begin())))
        return match[1].str();
      continue;
    }
    size_t from = pos > matcher.before ? pos - matcher.before : 0;
    std::string_view window = contents.substr(from, pos - from + anchor.size() + matcher.after);
    auto flags = std::regex_constants::match_default;
    if (from > 0) flags |= std::regex_constants::match_prev_avail;
    if (from + window.size() < contents.size()) flags |= std::regex_constants::match_not_eol;
    std::match_results<It> match;
    for (It begin = window.begin(); std::regex_search(begin, window.end(), match, re, flags);) {
      // the match must contain this anchor hit, so each hit is judged once
      size_t mstart = static_cast<size_t>(match[0].first - window.begin()) + from;
      size_t mend = static_cast<size_t>(match[0].second - window.begin()) + from;
      if (mstart <= pos && pos + anchor.size() <= mend && match[1].matched &&
          NearOk(matcher, contents, mstart, mend))
        return match[1].str();
      if (mstart > pos) break;
      begin = match[0].first + 1;
      flags |= std::regex_constants::match_prev_avail;
    }
  }
  return "";
}

// Base-name globs indexed for the gate: exact names in a hash map, wildcard globs behind their
// literal prefix.
struct NameIndex {
  std::unordered_map<std::string_view, std::vector<size_t>> exact;
  struct Wild {
    std::string_view glob, prefix;
    size_t classifier;
  };
  std::vector<Wild> wild;

  NameIndex() {
    const auto& table = Classifiers();
    for (size_t i = 0; i < table.size(); ++i)
      for (std::string_view g : table[i].names) {
        size_t w = g.find_first_of("*?[");
        if (w == std::string_view::npos || g == "[")
          exact[g].push_back(i);
        else
          wild.push_back({g, g.substr(0, w), i});
      }
  }

  // The classifiers whose names accept base, in table order.
  std::vector<size_t> Candidates(std::string_view base) const {
    std::vector<size_t> out;
    if (auto it = exact.find(base); it != exact.end()) out = it->second;
    for (const Wild& w : wild)
      if (base.starts_with(w.prefix) && GlobMatch(w.glob, base)) out.push_back(w.classifier);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
};

const NameIndex& Index() {
  static const NameIndex index;
  return index;
}

Package MakePackage(const Classifier& classifier, const std::string& version,
                    const image::Location& where) {
  Purl purl{"", "", "", version, {}, ""};
  std::string_view p = classifier.purl;
  size_t slash = p.find('/'), last = p.rfind('/');
  purl.type = std::string(p.substr(0, slash));
  purl.name = std::string(p.substr(last + 1));
  if (last != slash) purl.namespace_ = std::string(p.substr(slash + 1, last - slash - 1));
  Package out = NewLanguagePackage(std::string(classifier.package), version, "binary", kName, purl,
                                   where, std::string(classifier.cls));
  for (std::string_view cpe : classifier.cpes)
    out.cpes.push_back("cpe:2.3:a:" + std::string(cpe) + ":" + version + ":*:*:*:*:*:*:*");
  return out;
}

}  // namespace

namespace {

// The "{v}" a classifier's name_version takes from the base name; false when it does not match.
bool NameVersion(const Classifier& classifier, std::string_view base, std::string* version) {
  version->clear();
  if (classifier.name_version.empty()) return true;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(base.begin(), base.end(), m,
                         *Compiled(std::string(classifier.name_version))))
    return false;
  *version = m[1].str();
  return true;
}

std::string ClassifyWith(const Classifier& classifier, std::string_view path,
                         std::string_view contents, const SiblingReader* siblings,
                         AnchorScan& scan) {
  if (!classifier.path_glob.empty() && !GlobMatch(classifier.path_glob, path)) return "";
  std::string v;
  if (!NameVersion(classifier, image::Basename(path), &v)) return "";
  for (const Matcher& m : classifier.matchers) {
    std::string found;
    if (!m.sibling.empty()) {
      if (!siblings || !*siblings) continue;
      std::optional<std::string> other = (*siblings)(m.sibling);
      if (!other) continue;
      if (!m.requires_text.empty() && other->find(m.requires_text) == std::string::npos) continue;
      AnchorScan own(*other);
      found =
          Search(m, *other, Replace(m.anchor, v), *Compiled(Replace(m.regex, EscapeRegex(v))), own);
    } else {
      if (!m.requires_text.empty() && !scan.Contains(m.requires_text)) continue;
      found = Search(m, contents, Replace(m.anchor, v), *Compiled(Replace(m.regex, EscapeRegex(v))),
                     scan);
    }
    if (!found.empty()) return found;
  }
  return "";
}

}  // namespace

std::string Classify(const Classifier& classifier, std::string_view path, std::string_view contents,
                     const SiblingReader* siblings) {
  AnchorScan scan(contents);
  return ClassifyWith(classifier, path, contents, siblings, scan);
}

std::vector<Package> ClassifyAll(std::string_view path, std::string_view contents,
                                 const image::Location& where, const SiblingReader* siblings,
                                 const Releaser* release) {
  const auto& table = Classifiers();
  std::vector<Package> out;
  std::vector<size_t> candidates = Index().Candidates(image::Basename(path));
  if (candidates.empty()) return out;
  AnchorScan scan(contents,
                  release);  // shared by the candidates: each distinct anchor searched once
  for (size_t i : candidates) {
    std::string v = ClassifyWith(table[i], path, contents, siblings, scan);
    if (v.empty()) continue;
    out.push_back(MakePackage(table[i], v, where));
    for (size_t j = i; table[j].also_next && j + 1 < table.size(); ++j) {
      std::string next = ClassifyWith(table[j + 1], path, contents, siblings, scan);
      if (!next.empty()) out.push_back(MakePackage(table[j + 1], next, where));
    }
    break;
  }
  return out;
}

bool ClassifyFile(std::string_view path, std::string_view contents, const image::Location& where,
                  Package* out) {
  std::vector<Package> all = ClassifyAll(path, contents, where);
  if (all.empty()) return false;
  *out = std::move(all.front());
  return true;
}

bool NameMatches(std::string_view path) {
  return !Index().Candidates(image::Basename(path)).empty();
}

std::vector<std::string> ClassifierFileGlobs() {
  // note: executables are read whatever their names; these are the library-like files (mode 0644
  // in most packages) the table names, read only because a classifier asks for them.
  return {"**/libpython*.so*", "**/libpypy*.so*",       "**/libjulia-internal.so*",
          "**/libstd-*.so",    "**/libstd-*.dylib",     "**/libruby.so*",
          "**/libkrb5.so*",    "**/libQt*Core.so*",     "**/libav*",
          "**/libswresample*", "**/liberts_internal.a", "**/elixir/ebin/elixir.app",
          "**/libphp*.so"};
}

bool IsClassifiedFile(std::string_view path) {
  struct Glob {
    std::string glob, prefix;
  };
  static const std::vector<Glob> kGlobs = [] {
    std::vector<Glob> out;
    for (std::string& g : ClassifierFileGlobs()) {
      std::string base = g.substr(g.rfind('/') + 1);
      out.push_back({g, base.substr(0, base.find_first_of("*?["))});
    }
    return out;
  }();
  std::string_view base = image::Basename(path);
  for (const Glob& g : kGlobs)
    if (base.starts_with(g.prefix) && GlobMatch(g.glob, path)) return true;
  return false;
}

}  // namespace distill::catalog::binary
