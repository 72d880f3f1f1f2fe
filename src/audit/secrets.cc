#include "audit/secrets.h"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "util/digest.h"
#include "util/file.h"
#include "util/glob.h"

namespace distill::audit {

namespace {

enum class Charset { kBase64, kWord, kValue, kNone };

// The one table of secret patterns (Hyperscan syntax). `mask` is what a secret is made of, walked
// back from the match's end to find where it starts (and forward to where it ends); `keep`
// characters of it stay visible (the well-known prefix that names its kind). `path` (a glob)
// scopes a pattern to some files. For tokens, `prefixes` and `length` stand in for \b word
// boundaries (which make Hyperscan's compile several times slower): the whole word must start
// with a prefix and, when `length` is set, have exactly that length.
struct Pattern {
  const char* rule_id;
  const char* regex;
  unsigned flags;
  Charset mask;
  size_t keep;
  const char* path;
  std::array<const char*, 5> prefixes;  // unused slots are nullptr
  size_t length;
};

const Pattern kPatterns[] = {
    {"secret-private-key",
     R"(-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----\r?\n([A-Za-z-]+: [^\r\n]*\r?\n|\r?\n)*[A-Za-z0-9+/=]{40})",
     0,
     Charset::kBase64,
     0,
     nullptr,
     {},
     0},
    {"secret-aws-key",
     R"((AKIA|ASIA)[0-9A-Z]{16})",
     0,
     Charset::kWord,
     4,
     nullptr,
     {"AKIA", "ASIA"},
     20},
    {"secret-aws-key",
     R"(aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40})",
     HS_FLAG_CASELESS,
     Charset::kBase64,
     0,
     nullptr,
     {},
     0},
    {"secret-gcp-service-account",
     R"("private_key"\s*:\s*"-----BEGIN [A-Z ]*PRIVATE KEY-----)",
     0,
     Charset::kNone,
     0,
     nullptr,
     {},
     0},
    {"secret-github-token",
     R"(gh[pousr]_[A-Za-z0-9]{36})",
     0,
     Charset::kWord,
     4,
     nullptr,
     {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
     40},
    {"secret-github-token",
     R"(github_pat_[A-Za-z0-9_]{82})",
     0,
     Charset::kWord,
     11,
     nullptr,
     {"github_pat_"},
     93},
    {"secret-gitlab-token",
     R"(glpat-[A-Za-z0-9_-]{20})",
     0,
     Charset::kWord,
     6,
     nullptr,
     {"glpat-"},
     0},
    {"secret-slack-token",
     R"(xox[baprs]-[A-Za-z0-9-]{10})",
     0,
     Charset::kWord,
     5,
     nullptr,
     {"xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"},
     0},
    {"secret-slack-token",
     R"(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{8})",
     0,
     Charset::kWord,
     0,
     nullptr,
     {},
     0},
    {"secret-npm-token",
     R"(_authToken\s*=\s*[^\s$"'{][^\s"']{7})",
     0,
     Charset::kValue,
     0,
     nullptr,
     {},
     0},
    {"secret-docker-auth",
     R"("auth"\s*:\s*"[A-Za-z0-9+/=]{8})",
     0,
     Charset::kBase64,
     0,
     "**/config.json",
     {},
     0},
    {"secret-docker-auth",
     R"("auth"\s*:\s*"[A-Za-z0-9+/=]{8})",
     0,
     Charset::kBase64,
     0,
     "**/auth.json",
     {},
     0},
};
constexpr size_t kPatternCount = sizeof kPatterns / sizeof kPatterns[0];

bool InCharset(Charset c, char ch) {
  bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
  switch (c) {
    case Charset::kBase64:
      return alnum || ch == '+' || ch == '/' || ch == '=';
    case Charset::kWord:
      return alnum || ch == '-' || ch == '_';
    case Charset::kValue:
      return ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '"' && ch != '\'' &&
             ch != '=';
    case Charset::kNone:
      return false;
  }
  return false;
}

struct Span {
  size_t pattern, begin, end;  // the secret's bytes [begin, end)
};

}  // namespace

struct SecretScanner::Db {
  hs_database_t* db = nullptr;
  ~Db() { hs_free_database(db); }
};

SecretScanner::~SecretScanner() = default;

namespace {

Result<hs_database_t*> Compile() {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < kPatternCount; ++i) {
    exprs.push_back(kPatterns[i].regex);
    flags.push_back(kPatterns[i].flags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(kPatternCount),
                       HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    int which = err ? err->expression : -1;
    hs_free_compile_error(err);
    return InternalErrorf("secret patterns: pattern {}: {}", which, msg);
  }
  return db;
}

std::string CachePath(const std::string& dir) {
  std::string key = hs_version();
  for (const Pattern& p : kPatterns) key += fmt::format("\n{}\t{}", p.regex, p.flags);
  return dir + "/secrets-" + std::string(DigestHex(Sha256Digest(key)).substr(0, 16)) + ".hsdb";
}

int Count(unsigned, unsigned long long, unsigned long long, unsigned, void* count) {
  ++*static_cast<int*>(count);
  return 0;
}

// A loaded database must find a planted key on this machine (CPU features may differ).
bool SelfTest(const hs_database_t* db) {
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return false;
  int n = 0;
  static constexpr std::string_view kProbe = "id = AKIAIOSFODNN7EXAMPLE\n";
  bool ok =
      hs_scan(db, kProbe.data(), kProbe.size(), 0, scratch, &Count, &n) == HS_SUCCESS && n > 0;
  hs_free_scratch(scratch);
  return ok;
}

hs_database_t* LoadCached(const std::string& path) {
  auto bytes = ReadFile(path, 64 << 20);
  if (!bytes.ok()) return nullptr;
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes->data(), bytes->size(), &db) != HS_SUCCESS) return nullptr;
  if (SelfTest(db)) return db;
  hs_free_database(db);
  return nullptr;
}

void StoreCached(const std::string& dir, const std::string& path, const hs_database_t* db) {
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec)
    (void)WriteFileAtomic(path,
                          std::string_view(bytes, size));  // a cache: failing to write is fine
  std::free(bytes);
}

}  // namespace

Result<std::unique_ptr<SecretScanner>> SecretScanner::Create(const std::string& cache_dir) {
  hs_database_t* db = nullptr;
  std::string path = cache_dir.empty() ? "" : CachePath(cache_dir);
  if (!path.empty()) db = LoadCached(path);
  if (!db) {
    DISTILL_TRY(db, Compile());
    if (!path.empty()) StoreCached(cache_dir, path, db);
  }
  std::unique_ptr<SecretScanner> s(new SecretScanner);
  s->db_ = std::make_unique<Db>();
  s->db_->db = db;
  return s;
}

namespace {

// Per-thread Hyperscan scratch, grown to fit whichever database it is used with.
struct Scratch {
  hs_scratch_t* s = nullptr;
  ~Scratch() { hs_free_scratch(s); }
};

struct MatchState {
  std::string_view data;
  std::vector<Span>* spans;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
            unsigned int /*flags*/, void* ctx) {
  auto* st = static_cast<MatchState*>(ctx);
  const Pattern& p = kPatterns[id];
  size_t end = static_cast<size_t>(to), begin = end;
  // Extend over the rest of the token (a {n,} match ends at its first possible end).
  while (end < st->data.size() && InCharset(p.mask, st->data[end])) ++end;
  while (begin > 0 && InCharset(p.mask, st->data[begin - 1])) --begin;
  if (p.mask == Charset::kNone) begin = end = static_cast<size_t>(to);
  if (p.mask == Charset::kBase64 && std::string_view(p.rule_id) == "secret-private-key") {
    // Mask the key body from the first line after the header to the end of the base64 run.
    size_t header = st->data.rfind("-----BEGIN", to);
    size_t nl = header == std::string_view::npos ? begin : st->data.find('\n', header);
    begin = nl == std::string_view::npos ? begin : nl + 1;
  }
  if (p.prefixes[0]) {
    std::string_view word = st->data.substr(begin, end - begin);
    bool ok = false;
    for (const char* pre : p.prefixes) ok = ok || (pre && word.starts_with(pre));
    if (!ok || (p.length && word.size() != p.length)) return 0;  // part of a longer word
  }
  st->spans->push_back({id, begin, end});
  return 0;
}

}  // namespace

std::vector<SecretHit> SecretScanner::Scan(std::string_view path, std::string_view data) const {
  thread_local Scratch scratch;
  std::vector<SecretHit> out;
  if (hs_alloc_scratch(db_->db, &scratch.s) != HS_SUCCESS) return out;
  std::vector<Span> spans;
  MatchState st{data, &spans};
  hs_scan(db_->db, data.data(), static_cast<unsigned>(data.size()), 0, scratch.s, &OnMatch, &st);
  // Path-scoped patterns, and one hit per secret (a {n,} pattern reports several ends).
  std::erase_if(spans, [&](const Span& span) {
    return kPatterns[span.pattern].path && !GlobMatch(kPatterns[span.pattern].path, path);
  });
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Span> uniq;
  for (const Span& s : spans)
    if (uniq.empty() || s.begin >= uniq.back().end ||
        std::string_view(kPatterns[s.pattern].rule_id) != kPatterns[uniq.back().pattern].rule_id)
      uniq.push_back(s);
  for (const Span& s : uniq) {
    const Pattern& p = kPatterns[s.pattern];
    // The line holding the start of the match (for a key: its BEGIN line).
    size_t anchor = s.begin;
    if (std::string_view(p.rule_id) == "secret-private-key") {
      size_t h = data.rfind("-----BEGIN", s.begin);
      if (h != std::string_view::npos) anchor = h;
    }
    size_t line_start = data.rfind('\n', anchor == 0 ? 0 : anchor - 1);
    line_start = (line_start == std::string_view::npos || anchor == 0) ? 0 : line_start + 1;
    if (anchor > 0 && data[anchor - 1] == '\n') line_start = anchor;
    SecretHit h;
    h.rule_id = p.rule_id;
    h.line = 1 + std::count(data.begin(), data.begin() + line_start, '\n');
    // Show up to 40 bytes before the secret on its line, then the masked secret; never what
    // follows (it may be more of the secret).
    size_t shown_from =
        std::max(line_start, (s.begin > line_start + 40 ? s.begin - 40 : line_start));
    if (std::string_view(p.rule_id) == "secret-private-key") {
      size_t eol = data.find('\n', anchor);
      std::string hdr(
          data.substr(anchor, (eol == std::string_view::npos ? data.size() : eol) - anchor));
      if (!hdr.empty() && hdr.back() == '\r') hdr.pop_back();
      h.masked = hdr + " (key body masked)";
    } else {
      size_t cut = std::min(s.begin, data.find('\n', line_start));
      std::string prefix(data.substr(shown_from, cut - shown_from));
      // Any other secret that starts in the shown prefix is masked too.
      for (auto o = uniq.rbegin(); o != uniq.rend(); ++o)
        if (o->begin >= shown_from && o->begin < cut)
          prefix.replace(o->begin - shown_from, std::min(o->end, cut) - o->begin, "********");
      h.masked = prefix + MaskToken(data.substr(s.begin, s.end - s.begin), p.keep);
    }
    for (char& c : h.masked)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    out.push_back(std::move(h));
  }
  return out;
}

bool IsDotenvPath(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base == ".env") return true;
  if (!base.starts_with(".env.")) return false;
  for (std::string_view harmless : {".example", ".sample", ".template", ".dist", ".defaults"})
    if (base.ends_with(harmless)) return false;
  return true;
}

std::string MaskToken(std::string_view token, size_t keep) {
  if (keep > token.size() / 2) keep = token.size() / 2;
  return std::string(token.substr(0, keep)) + "********";
}

}  // namespace distill::audit
