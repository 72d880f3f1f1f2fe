// `distill audit`: is this image really distroless? Runs every rule of the table (rules.cc) over
// an image's file view, config, package catalog and content scan, applies the policy, and scores.
//
// Invariant: "distroless: yes" only when no rule marked breaks_distroless (shell, multi-call,
// package manager, network tools, unowned executables, no package database) has a finding the
// policy does not allow.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/content.h"
#include "audit/finding.h"
#include "audit/policy.h"
#include "catalog/package.h"
#include "image/file_index.h"

namespace distill::audit {

struct RuleCost {
  std::string rule_id;
  Severity severity;  // the highest severity among the rule's findings
  int points;
  size_t findings;
};

struct Report {
  std::string target;
  bool distroless = false;
  int score = 100;  // 100 minus the cost of every rule with a finding (not allowed), >= 0
  std::vector<RuleCost> costs;    // in table order
  std::vector<Finding> findings;  // in table order, then by path
  uint64_t files = 0, files_scanned = 0;
  size_t packages = 0;
};

struct AuditInput {
  std::string target;
  const image::FileIndex* files = nullptr;
  const nlohmann::json* config = nullptr;  // the image config's "config" object; nullptr for dir:
  const catalog::Catalog* catalog = nullptr;
  const ContentScan* content = nullptr;
  const Policy* policy = nullptr;
};

Report RunAudit(const AuditInput& in);

// The files whose contents the rules read (passwd, ld.so.conf): add to the ContentPlan's globs.
std::vector<std::string> AuditGlobs();

// Whether a finding (not allowed by the policy) is at or above `s`.
bool FailsOn(const Report& report, Severity s);

}  // namespace distill::audit
