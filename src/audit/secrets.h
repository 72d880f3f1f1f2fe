// Secret detection over file contents: one Hyperscan database compiled from the table of
// patterns in secrets.cc (private keys, cloud credentials, tokens), scanned in a single pass per
// file. Hits carry the line number and the line with every secret on it masked: the secret itself
// never leaves this module.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::audit {

struct SecretHit {
  std::string rule_id;  // the audit rule: "secret-private-key", "secret-aws-key", ...
  uint64_t line = 0;    // 1-based
  std::string masked;   // the line up to and including the secret, secrets masked ("AKIA********")
};

class SecretScanner {
 public:
  // Compiles the pattern table. With cache_dir, the compiled database is kept there
  // (secrets-<hash of patterns, Hyperscan version>.hsdb) and later runs load it instead of
  // compiling, which is the slow part of a start (doc/audit.md, "Benchmark"); a cached database
  // that fails a self-test is compiled again.
  static Result<std::unique_ptr<SecretScanner>> Create(const std::string& cache_dir = "");
  ~SecretScanner();
  SecretScanner(const SecretScanner&) = delete;
  SecretScanner& operator=(const SecretScanner&) = delete;

  // Every secret in one file's contents (path decides path-scoped patterns). Thread-safe.
  std::vector<SecretHit> Scan(std::string_view path, std::string_view data) const;

 private:
  SecretScanner() = default;
  struct Db;
  std::unique_ptr<Db> db_;
};

// Whether a path is a dotenv file (".env", ".env.production"; not ".env.example" and the like).
bool IsDotenvPath(std::string_view path);

// "AKIAIOSFODNN7EXAMPLE" → "AKIA********": the first `keep` characters, then a fixed mask.
std::string MaskToken(std::string_view token, size_t keep);

}  // namespace distill::audit
