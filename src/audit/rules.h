// The audit's rules: one table (id, title, severity, family, check), in rules.cc. A check reads
// the Context — the file view, the image config, the package catalog, what the content scan
// found — and emits findings with their evidence.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/content.h"
#include "audit/finding.h"
#include "audit/policy.h"
#include "catalog/package.h"
#include "image/file_index.h"

namespace distill::audit {

// What the rules look at.
struct Context {
  const image::FileIndex& files;
  const nlohmann::json&
      config;       // the image config's "config" object (User, Entrypoint, ...); null for dir:
  bool has_config;  // false for dir: sources (no config to judge)
  const catalog::Catalog& catalog;
  const ContentScan& content;
  const Policy& policy;
  // path (as in the file view) → name of the package that owns it; filled by Prepare.
  std::unordered_map<std::string, std::string> owners;
  // symlink/hardlink entry → the regular file it ends at (nullptr when dangling); filled by
  // Prepare.
  std::unordered_map<const image::Entry*, const image::Entry*> link_targets;

  void Prepare();
  std::string OwnerOf(std::string_view path) const;
  // The regular file an entry is or ends at (following links), nullptr if none.
  const image::Entry* Target(const image::Entry& entry) const;
};

enum class Family : uint8_t {
  kShell,
  kPackageManager,
  kLotl,
  kPrivilege,
  kSecret,
  kBlindSpot,
  kHygiene
};
std::string_view FamilyName(Family f);

struct Rule;
using CheckFn = void (*)(const Context&, const Rule&, std::vector<Finding>*);

struct Rule {
  std::string_view id;
  std::string_view title;
  Severity severity;
  Family family;
  bool breaks_distroless;  // a finding of this rule (not allowed by policy) means "distroless: no"
  std::string_view fix;    // the one-line hint
  CheckFn check;
};

// THE table of rules, in report order.
const std::vector<Rule>& Rules();
const Rule* FindRule(std::string_view id);

// A finding of `rule` at `entry` (path, layer, owning package, fix filled in).
Finding At(const Context& context, const Rule& rule, const image::Entry& entry, std::string message,
           std::string evidence = "");
// A finding of `rule` about the image as a whole (its config, its accounts): no path or layer.
Finding Config(const Rule& rule, std::string message, std::string evidence);

}  // namespace distill::audit
