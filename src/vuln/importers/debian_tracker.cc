#include "vuln/importers/debian_tracker.h"

#include <nlohmann/json.hpp>

#include "vuln/db/ecosystem.h"
#include "vuln/importers/json_scan.h"

namespace distill::vuln::importers {

namespace {

using Json = nlohmann::json;

std::string Str(const Json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Ecosystem(const std::string& codename) {
  std::string_view n = DebianReleaseNumber(codename);
  return "debian:" + (n.empty() ? codename : std::string(n));
}

// Urgency → vendor rating; "" when it says nothing about severity.
std::string Rating(std::string urgency) {
  if (urgency.ends_with("**")) urgency.resize(urgency.size() - 2);
  if (urgency == "unimportant") return "negligible";
  if (urgency == "low" || urgency == "medium" || urgency == "high") return urgency;
  return "";  // "not yet assigned", "end-of-life", ""
}

// Sets state, note and ranges from one release entry; false when the entry says nothing usable.
bool ApplyRelease(const Json& rel, Advisory& a) {
  std::string status = Str(rel, "status"), fixed = Str(rel, "fixed_version");
  std::string nodsa = Str(rel, "nodsa"), reason = Str(rel, "nodsa_reason");
  if (status == "resolved") {
    if (fixed.empty()) return false;
    if (fixed == "0") {
      a.state = FixState::kNotAffected;
      return true;
    }
    a.state = FixState::kFixed;
    a.fixed_versions = {fixed};
    a.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, fixed}}}};
    return true;
  }
  if (status != "open" && status != "undetermined") return false;
  a.state = FixState::kNotFixed;
  a.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}}}};
  if (status == "undetermined") a.state_note = "undetermined";
  if (!nodsa.empty() || !reason.empty()) {
    if (reason == "ignored") {
      a.state = FixState::kWontFix;
      a.state_note = "ignored";
    } else {
      a.state_note = reason == "postponed" ? "postponed" : "minor issue";
    }
  }
  if (Str(rel, "urgency") == "end-of-life") a.state_note = "end-of-life";
  return true;
}

Status EmitPackage(const std::string& package, const Json& cves, const Sink& sink) {
  if (!cves.is_object()) return Errorf("{}: not an object", package);
  for (const auto& [id, cve] : cves.items()) {
    if (!cve.is_object()) return Errorf("{}.{}: not an object", package, id);
    auto releases = cve.find("releases");
    if (releases == cve.end() || !releases->is_object()) continue;
    for (const auto& [codename, rel] : releases->items()) {
      if (!rel.is_object()) return Errorf("{}.{}.releases.{}: not an object", package, id, codename);
      Advisory a;
      a.id = id;
      a.source = std::string(kDebianTrackerKind);
      a.ecosystem = Ecosystem(codename);
      a.package = package;
      a.summary = Str(cve, "description");
      if (!ApplyRelease(rel, a)) continue;
      if (std::string r = Rating(Str(rel, "urgency")); !r.empty())
        a.severities.push_back({"debian", "vendor", "", -1, r});
      DISTILL_TRY_VOID(sink(std::move(a)));
    }
  }
  return {};
}

}  // namespace

Status ParseDebianTracker(std::string_view json, const Sink& sink) {
  return json_scan::ForEachMember(json, "tracker document", [&](std::string_view, std::string_view member) -> Status {
    std::string wrapped = "{" + std::string(member) + "}";
    Json j = Json::parse(wrapped, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || j.size() != 1)
      return Errorf("invalid JSON in package {}", member.substr(0, member.find(':')));
    return EmitPackage(j.begin().key(), j.begin().value(), sink);
  });
}

bool LooksLikeDebianTracker(std::string_view json) {
  std::string_view head = json.substr(0, 8192);
  size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && head[i] == '{' &&
         head.find("\"releases\"") != std::string_view::npos &&
         head.find("\"affected\"") == std::string_view::npos;
}

}  // namespace distill::vuln::importers
