#include "audit/policy.h"

#include <yaml-cpp/yaml.h>

#include "util/file.h"
#include "util/glob.h"

namespace distill::audit {

namespace {

Result<std::string> Scalar(const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) return Errorf("{}: expected a string", where);
  return node.as<std::string>();
}

Result<std::vector<PolicyRule>> Rules(const YAML::Node& list, const std::string& where, bool deny) {
  std::vector<PolicyRule> out;
  if (!list) return out;
  if (!list.IsSequence()) return Errorf("{}: expected a list", where);
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node& n = list[i];
    std::string at = fmt::format("{}[{}]", where, i);
    PolicyRule r;
    if (n.IsScalar()) {
      r.rule = n.as<std::string>();
      out.push_back(std::move(r));
      continue;
    }
    if (!n.IsMap()) return Errorf("{}: expected a map (rule, path, package, reason)", at);
    for (const auto& kv : n) {
      std::string key = kv.first.as<std::string>();
      DISTILL_TRY(std::string v, Scalar(kv.second, at + "." + key));
      if (key == "rule")
        r.rule = v;
      else if (key == "path")
        r.path = v;
      else if (key == "package")
        r.package = v;
      else if (key == "reason")
        r.reason = v;
      else if (key == "severity" && deny) {
        auto s = ParseSeverity(v);
        if (!s.ok()) return std::move(s).error().wrap(at + ".severity");
        r.severity = *s;
      } else {
        return Errorf("{}: unknown key \"{}\"", at, key);
      }
    }
    if (r.rule.empty()) return Errorf("{}: empty rule", at);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

bool PolicyRule::Matches(const Finding& finding) const {
  if (!GlobMatch(rule, finding.rule_id)) return false;
  if (!path.empty() && !GlobMatch(path, finding.path)) return false;
  if (!package.empty() && !GlobMatch(package, finding.package)) return false;
  return true;
}

Result<Policy> ParsePolicy(const std::string& text, const std::string& name) {
  Policy p;
  p.source = name;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}: {}", name, e.mark.line + 1, e.msg);
  }
  if (root.IsNull()) return p;
  if (!root.IsMap()) return Errorf("{}: expected a map with runtime, allow, deny", name);
  try {
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      if (key == "runtime") {
        const YAML::Node& n = kv.second;
        if (n.IsScalar())
          p.runtime.push_back(n.as<std::string>());
        else if (n.IsSequence())
          for (const auto& r : n) {
            DISTILL_TRY(std::string v, Scalar(r, name + ": runtime"));
            p.runtime.push_back(v);
          }
        else
          return Errorf("{}: runtime: expected a list of names", name);
      } else if (key == "allow") {
        DISTILL_TRY(p.allow, Rules(kv.second, name + ": allow", false));
      } else if (key == "deny") {
        DISTILL_TRY(p.deny, Rules(kv.second, name + ": deny", true));
      } else {
        return Errorf("{}: unknown key \"{}\" (expected runtime, allow, deny)", name, key);
      }
    }
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}: {}", name, e.mark.line + 1, e.msg);
  }
  return p;
}

Result<Policy> LoadPolicy(const std::string& path) {
  DISTILL_TRY(std::string text, ReadFile(path, 1 << 20));
  return ParsePolicy(text, path);
}

void ApplyPolicy(const Policy& policy, std::vector<Finding>* findings) {
  for (Finding& f : *findings) {
    bool denied = false;
    for (const PolicyRule& r : policy.deny)
      if (r.Matches(f)) {
        f.severity = std::max(f.severity, r.severity);
        denied = true;
      }
    if (denied) {
      f.allowed_by.clear();  // deny wins, also over a runtime the policy names
      continue;
    }
    for (const PolicyRule& r : policy.allow)
      if (r.Matches(f)) {
        f.allowed_by = fmt::format("{}: allow {}{}", policy.source, r.rule,
                                   r.reason.empty() ? "" : " (" + r.reason + ")");
        break;
      }
  }
}

bool IsRuntime(const Policy& policy, std::string_view base) {
  for (const std::string& r : policy.runtime) {
    if (base == r) return true;
    // "python3" covers "python3.11"; "node" covers "nodejs".
    if (base.starts_with(r) && base.size() > r.size()) {
      char c = base[r.size()];
      if (c == '.' || (c >= '0' && c <= '9') || base.substr(r.size()) == "js") return true;
    }
  }
  return false;
}

}  // namespace distill::audit
