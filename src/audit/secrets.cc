#include "audit/secrets.h"

#include <hs/hs.h>

#include <algorithm>
#include <mutex>

#include "util/glob.h"

namespace distill::audit {

namespace {

enum class Charset { kBase64, kToken, kValue, kNone };

// The one table of secret patterns (Hyperscan syntax). `mask` is what a secret is made of, walked
// back from the match's end to find where it starts; `keep` characters of it stay visible (the
// well-known prefix that names its kind). `path` (a glob) scopes a pattern to some files.
struct Pattern {
  const char* rule_id;
  const char* regex;
  unsigned flags;
  Charset mask;
  size_t keep;
  const char* path;
};

const Pattern kPatterns[] = {
    {"secret-private-key", R"(-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----\r?\n([A-Za-z-]+: [^\r\n]*\r?\n|\r?\n)*[A-Za-z0-9+/=]{40})", 0, Charset::kBase64, 0, nullptr},
    {"secret-aws-key", R"(\b(AKIA|ASIA)[0-9A-Z]{16}\b)", 0, Charset::kToken, 4, nullptr},
    {"secret-aws-key", R"(aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40})", HS_FLAG_CASELESS, Charset::kBase64, 0, nullptr},
    {"secret-gcp-service-account", R"("private_key"\s*:\s*"-----BEGIN [A-Z ]*PRIVATE KEY-----)", 0, Charset::kNone, 0, nullptr},
    {"secret-github-token", R"(\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b)", 0, Charset::kToken, 4, nullptr},
    {"secret-github-token", R"(\bgithub_pat_[A-Za-z0-9_]{82}\b)", 0, Charset::kToken, 11, nullptr},
    {"secret-gitlab-token", R"(\bglpat-[A-Za-z0-9_-]{20}\b)", 0, Charset::kToken, 6, nullptr},
    {"secret-slack-token", R"(\bxox[baprs]-[A-Za-z0-9-]{10,})", 0, Charset::kToken, 5, nullptr},
    {"secret-slack-token", R"(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{8,})", 0, Charset::kToken, 0, nullptr},
    {"secret-npm-token", R"(_authToken\s*=\s*[^\s$"'{][^\s"']{7,})", 0, Charset::kValue, 0, nullptr},
    {"secret-docker-auth", R"("auth"\s*:\s*"[A-Za-z0-9+/=]{8,})", 0, Charset::kBase64, 0, "**/config.json"},
    {"secret-docker-auth", R"("auth"\s*:\s*"[A-Za-z0-9+/=]{8,})", 0, Charset::kBase64, 0, "**/auth.json"},
};
constexpr size_t kPatternCount = sizeof kPatterns / sizeof kPatterns[0];

bool InCharset(Charset c, char ch) {
  bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
  switch (c) {
    case Charset::kBase64: return alnum || ch == '+' || ch == '/' || ch == '=';
    case Charset::kToken: return alnum || ch == '-' || ch == '_' || ch == '/' || ch == '.' || ch == ':';
    case Charset::kValue: return ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '"' && ch != '\'' && ch != '=';
    case Charset::kNone: return false;
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

Result<std::unique_ptr<SecretScanner>> SecretScanner::Create() {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < kPatternCount; ++i) {
    exprs.push_back(kPatterns[i].regex);
    flags.push_back(kPatterns[i].flags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(kPatternCount), HS_MODE_BLOCK,
                       nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    int which = err ? err->expression : -1;
    hs_free_compile_error(err);
    return InternalErrorf("secret patterns: pattern {}: {}", which, msg);
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

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/, void* ctx) {
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
  std::erase_if(spans, [&](const Span& s) { return kPatterns[s.pattern].path && !GlobMatch(kPatterns[s.pattern].path, path); });
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Span> uniq;
  for (const Span& s : spans)
    if (uniq.empty() || s.begin >= uniq.back().end || std::string_view(kPatterns[s.pattern].rule_id) != kPatterns[uniq.back().pattern].rule_id)
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
    size_t shown_from = std::max(line_start, (s.begin > line_start + 40 ? s.begin - 40 : line_start));
    if (std::string_view(p.rule_id) == "secret-private-key") {
      size_t eol = data.find('\n', anchor);
      std::string hdr(data.substr(anchor, (eol == std::string_view::npos ? data.size() : eol) - anchor));
      if (!hdr.empty() && hdr.back() == '\r') hdr.pop_back();
      h.masked = hdr + " (key body masked)";
    } else {
      size_t cut = std::min(s.begin, data.find('\n', line_start));
      std::string prefix(data.substr(shown_from, cut - shown_from));
      // Any other secret that starts in the shown prefix is masked too.
      for (auto o = uniq.rbegin(); o != uniq.rend(); ++o)
        if (o->begin >= shown_from && o->begin < cut) prefix.replace(o->begin - shown_from, std::min(o->end, cut) - o->begin, "********");
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
