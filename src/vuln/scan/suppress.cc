#include "vuln/scan/suppress.h"

#include <algorithm>
#include <cctype>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "catalog/purl.h"
#include "util/text.h"

namespace distill::vuln::scan {

namespace {

bool IsDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

bool HasId(const match::Finding& finding, std::string_view id) {
  return std::find(finding.ids.begin(), finding.ids.end(), id) != finding.ids.end() ||
         finding.id == id;
}

bool RuleApplies(const IgnoreRule& rule, const match::Finding& finding) {
  if (!HasId(finding, rule.id)) return false;
  if (!rule.package.empty() && AsciiLower(rule.package) != AsciiLower(finding.package))
    return false;
  if (!rule.purl.empty() && !PurlMatches(rule.purl, finding.purl)) return false;
  return true;
}

bool VexApplies(const VexStatement& statement, const match::Finding& finding) {
  if (std::none_of(statement.ids.begin(), statement.ids.end(),
                   [&](const std::string& id) { return HasId(finding, id); }))
    return false;
  if (statement.any_package) return true;
  return std::any_of(statement.products.begin(), statement.products.end(),
                     [&](const std::string& purl) { return PurlMatches(purl, finding.purl); });
}

// A package purl (not the image itself).
bool IsPackagePurl(std::string_view id) {
  return id.starts_with("pkg:") && !id.starts_with("pkg:oci/") && !id.starts_with("pkg:docker/");
}

}  // namespace

bool PurlMatches(std::string_view pattern, std::string_view purl) {
  if (pattern.empty() || purl.empty()) return false;
  auto p = catalog::ParsePurlLenient(std::string(pattern));
  auto q = catalog::ParsePurlLenient(std::string(purl));
  if (!p.ok() || !q.ok()) return pattern == purl;
  p->Normalize(), q->Normalize();
  if (p->type != q->type || p->namespace_ != q->namespace_ || p->name != q->name) return false;
  if (!p->version.empty() && p->version != q->version) return false;
  for (const auto& [k, v] : p->qualifiers) {
    auto it = q->qualifiers.find(k);
    if (it == q->qualifiers.end() || it->second != v) return false;
  }
  return true;
}

Result<std::vector<IgnoreRule>> ParseIgnoreFile(std::string_view text, const std::string& path) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Errorf("{}:{}: not YAML: {}", path, e.mark.line + 1, e.msg);
  }
  std::vector<IgnoreRule> out;
  if (!doc || doc.IsNull()) return out;
  if (!doc.IsMap()) return Errorf("{}: expected a mapping with an `ignore` list", path);
  for (const auto& kv : doc) {
    std::string key = kv.first.as<std::string>("");
    if (key != "ignore")
      return Errorf("{}:{}: unknown key \"{}\" (expected `ignore`)", path, kv.first.Mark().line + 1,
                    key);
  }
  YAML::Node list = doc["ignore"];
  if (!list || list.IsNull()) return out;
  if (!list.IsSequence())
    return Errorf("{}:{}: ignore: expected a list", path, list.Mark().line + 1);
  for (const auto& item : list) {
    std::string where = fmt::format("{}:{}", path, item.Mark().line + 1);
    if (!item.IsMap())
      return Errorf("{}: ignore entry: expected a mapping (id, package, purl, expires, reason)",
                    where);
    IgnoreRule r;
    r.where = where;
    for (const auto& kv : item) {
      std::string key = kv.first.as<std::string>("");
      if (!kv.second.IsScalar())
        return Errorf("{}:{}: {}: expected a string", path, kv.second.Mark().line + 1, key);
      std::string value = kv.second.as<std::string>();
      if (key == "id")
        r.id = value;
      else if (key == "package")
        r.package = value;
      else if (key == "purl")
        r.purl = value;
      else if (key == "expires")
        r.expires = value;
      else if (key == "reason")
        r.reason = value;
      else
        return Errorf("{}:{}: unknown key \"{}\" (id, package, purl, expires, reason)", path,
                      kv.first.Mark().line + 1, key);
    }
    if (r.id.empty()) return Errorf("{}: ignore entry without `id`", where);
    if (!r.expires.empty() && !IsDate(r.expires))
      return Errorf("{}: expires: \"{}\" is not a date (YYYY-MM-DD)", where, r.expires);
    if (!r.purl.empty() && !catalog::ParsePurlLenient(r.purl).ok())
      return Errorf("{}: purl: \"{}\" is not a purl", where, r.purl);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<VexStatement>> ParseOpenVex(std::string_view text, const std::string& path) {
  using Json = nlohmann::json;
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Errorf("{}: not a JSON OpenVEX document", path);
  auto str = [](const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!str(doc, "@context").starts_with("https://openvex.dev/ns"))
    return Errorf("{}: not an OpenVEX document (@context is not https://openvex.dev/ns/...)", path);
  auto statements = doc.find("statements");
  if (statements == doc.end() || !statements->is_array())
    return Errorf("{}: statements: missing or not an array", path);
  std::string doc_time = str(doc, "timestamp");
  std::vector<VexStatement> out;
  for (size_t i = 0; i < statements->size(); ++i) {
    const Json& s = (*statements)[i];
    VexStatement v;
    v.where = fmt::format("{}: statements[{}]", path, i);
    if (!s.is_object()) return Errorf("{}: not an object", v.where);
    auto vuln = s.find("vulnerability");
    if (vuln != s.end() && vuln->is_string()) {
      v.ids.push_back(vuln->get<std::string>());  // v0.0.x
    } else if (vuln != s.end() && vuln->is_object()) {
      if (auto n = str(*vuln, "name"); !n.empty()) v.ids.push_back(n);
      if (auto a = vuln->find("aliases"); a != vuln->end() && a->is_array())
        for (const auto& x : *a)
          if (x.is_string()) v.ids.push_back(x.get<std::string>());
    }
    if (v.ids.empty()) return Errorf("{}: vulnerability: missing a name", v.where);
    v.status = str(s, "status");
    static constexpr std::string_view kStatuses[] = {"not_affected", "affected", "fixed",
                                                     "under_investigation"};
    if (std::find(std::begin(kStatuses), std::end(kStatuses), v.status) == std::end(kStatuses))
      return Errorf(
          "{}: status: \"{}\" is not an OpenVEX status (not_affected, affected, fixed, "
          "under_investigation)",
          v.where, v.status);
    v.justification = str(s, "justification");
    v.statement = str(s, "impact_statement");
    if (v.statement.empty()) v.statement = str(s, "action_statement");
    v.timestamp = str(s, "timestamp");
    if (v.timestamp.empty()) v.timestamp = doc_time;
    auto products = s.find("products");
    if (products == s.end() || !products->is_array())
      return Errorf("{}: products: missing or not an array", v.where);
    for (const auto& p : *products) {
      std::string id = p.is_string()   ? p.get<std::string>()
                       : p.is_object() ? str(p, "@id")
                                       : "";  // v0.0.x: strings
      bool subs = false;
      if (p.is_object())
        if (auto sc = p.find("subcomponents"); sc != p.end() && sc->is_array())
          for (const auto& c : *sc)
            if (std::string cid = c.is_object() ? str(c, "@id") : ""; !cid.empty()) {
              v.products.push_back(cid);
              subs = true;
            }
      if (subs) continue;
      if (IsPackagePurl(id))
        v.products.push_back(id);
      else
        v.any_package = true;
    }
    out.push_back(std::move(v));
  }
  return out;
}

Filtered Apply(std::vector<match::Finding> findings, const std::vector<IgnoreRule>& rules,
               const std::vector<VexStatement>& vex, std::string_view today) {
  Filtered out;
  for (const auto& r : rules)
    if (!r.expires.empty() && r.expires < today)
      out.warnings.push_back(fmt::format("{}: the ignore rule for {} expired on {}; not applied",
                                         r.where, r.id, r.expires));
  for (auto& f : findings) {
    auto rule = std::find_if(rules.begin(), rules.end(), [&](const IgnoreRule& rule) {
      return (rule.expires.empty() || rule.expires >= today) && RuleApplies(rule, f);
    });
    if (rule != rules.end()) {
      out.suppressed.push_back({std::move(f), "ignore-file", "ignored", rule->reason});
      continue;
    }
    const VexStatement* latest = nullptr;
    for (const auto& s : vex)
      if (VexApplies(s, f) && (latest == nullptr || s.timestamp >= latest->timestamp)) latest = &s;
    if (latest != nullptr) {
      if (latest->status == "not_affected" || latest->status == "fixed") {
        std::string why = latest->justification;
        if (!latest->statement.empty()) why += (why.empty() ? "" : ": ") + latest->statement;
        out.suppressed.push_back({std::move(f), "vex", latest->status, why});
        continue;
      }
      f.vex_status = latest->status;
    }
    out.kept.push_back(std::move(f));
  }
  return out;
}

}  // namespace distill::vuln::scan
