// An audit policy (YAML) allows or denies rules per image, e.g. a Python app's image:
//
//   # distill audit policy
//   runtime: [python3]          # interpreters the app needs: the interpreter rule allows them
//   allow:
//     - rule: secret-private-key
//       path: etc/ssl/private/test-*.pem   # glob; optional
//       reason: test fixture
//     - rule: hygiene-*                    # rule ids may be globs
//   deny:
//     - rule: interpreter
//       package: perl*                     # glob over the owning package; optional
//       severity: critical                 # what a denied finding becomes (default high)
//
// A finding a matching allow entry covers is still reported but costs nothing and never fails;
// a deny entry raises the severity of what it matches. Deny wins over allow.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/finding.h"
#include "util/result.h"

namespace distill::audit {

struct PolicyRule {
  std::string rule = "*";  // rule id glob
  std::string path;        // path glob, "" = any
  std::string package;     // package glob, "" = any
  std::string reason;
  Severity severity = Severity::kHigh;  // deny only
  bool Matches(const Finding& finding) const;
};

struct Policy {
  std::vector<std::string> runtime;  // interpreter names the app needs ("python3", "node")
  std::vector<PolicyRule> allow, deny;
  std::string source;  // file name, for messages
};

Result<Policy> ParsePolicy(const std::string& yaml_text, const std::string& name);
Result<Policy> LoadPolicy(const std::string& path);

// Applies deny (severity) then allow (allowed_by) to every finding.
void ApplyPolicy(const Policy& policy, std::vector<Finding>* findings);

// Whether an interpreter basename ("python3.11") is a runtime the policy names ("python3").
bool IsRuntime(const Policy& policy, std::string_view basename);

}  // namespace distill::audit
