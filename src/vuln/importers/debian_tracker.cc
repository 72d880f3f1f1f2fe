#include "vuln/importers/debian_tracker.h"

#include <simdjson.h>

#include "vuln/db/ecosystem.h"
#include "vuln/importers/json_scan.h"

namespace distill::vuln::importers {

namespace {

// One source package's object is parsed at a time, with simdjson (DOM, one parser per thread):
// the tracker export is ~70 MB, and parsing it is most of an import's CPU time with a slower
// parser such as nlohmann::json's (doc/vuln-db.md, "Performance").
using Object = simdjson::dom::object;

std::string_view Str(Object o, std::string_view key) {
  std::string_view v;
  return o.at_key(key).get_string().get(v) == simdjson::SUCCESS ? v : std::string_view();
}

std::string Ecosystem(std::string_view codename) {
  std::string_view n = DebianReleaseNumber(codename);
  return "debian:" + std::string(n.empty() ? codename : n);
}

// Urgency → vendor rating; "" when it says nothing about severity.
std::string_view Rating(std::string_view urgency) {
  if (urgency.ends_with("**")) urgency.remove_suffix(2);
  if (urgency == "unimportant") return "negligible";
  if (urgency == "low" || urgency == "medium" || urgency == "high") return urgency;
  return "";  // "not yet assigned", "end-of-life", ""
}

// Sets state, note and ranges from one release entry; false when the entry says nothing usable.
bool ApplyRelease(Object rel, Advisory& advisory) {
  std::string_view status = Str(rel, "status"), fixed = Str(rel, "fixed_version");
  std::string_view nodsa = Str(rel, "nodsa"), reason = Str(rel, "nodsa_reason");
  if (status == "resolved") {
    if (fixed.empty()) return false;
    if (fixed == "0") {
      advisory.state = FixState::kNotAffected;
      return true;
    }
    advisory.state = FixState::kFixed;
    advisory.fixed_versions = {std::string(fixed)};
    advisory.ranges = {
        {"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, std::string(fixed)}}}};
    return true;
  }
  if (status != "open" && status != "undetermined") return false;
  advisory.state = FixState::kNotFixed;
  advisory.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}}}};
  if (status == "undetermined") advisory.state_note = "undetermined";
  if (!nodsa.empty() || !reason.empty()) {
    if (reason == "ignored") {
      advisory.state = FixState::kWontFix;
      advisory.state_note = "ignored";
    } else {
      advisory.state_note = reason == "postponed" ? "postponed" : "minor issue";
    }
  }
  if (Str(rel, "urgency") == "end-of-life") advisory.state_note = "end-of-life";
  return true;
}

Status EmitPackage(std::string_view package, simdjson::dom::element cves, const Sink& sink) {
  Object by_id;
  if (cves.get_object().get(by_id) != simdjson::SUCCESS)
    return Errorf("{}: not an object", package);
  for (auto [id, value] : by_id) {
    Object cve, releases;
    if (value.get_object().get(cve) != simdjson::SUCCESS)
      return Errorf("{}.{}: not an object", package, id);
    if (cve.at_key("releases").get_object().get(releases) != simdjson::SUCCESS) continue;
    std::string_view description = Str(cve, "description");
    for (auto [codename, r] : releases) {
      Object rel;
      if (r.get_object().get(rel) != simdjson::SUCCESS)
        return Errorf("{}.{}.releases.{}: not an object", package, id, codename);
      Advisory a;
      if (!ApplyRelease(rel, a)) continue;
      a.id = id;
      a.source = std::string(kDebianTrackerKind);
      a.ecosystem = Ecosystem(codename);
      a.package = package;
      a.summary = description;
      if (std::string_view rating = Rating(Str(rel, "urgency")); !rating.empty())
        a.severities.push_back({"debian", "vendor", "", -1, std::string(rating)});
      DISTILL_TRY_VOID(sink(std::move(a)));
    }
  }
  return {};
}

}  // namespace

Status ForEachDebianTrackerPackage(std::string_view json,
                                   const std::function<Status(std::string_view member)>& fn) {
  return json_scan::ForEachMember(
      json, "tracker document",
      [&](std::string_view, std::string_view member) { return fn(member); });
}

Status ParseDebianTrackerPackage(std::string_view member, const Sink& sink) {
  static thread_local simdjson::dom::parser parser;
  static thread_local std::string wrapped;
  wrapped.clear();
  wrapped.reserve(member.size() + 2 + simdjson::SIMDJSON_PADDING);
  wrapped += '{';
  wrapped += member;
  wrapped += '}';
  Object j;
  if (parser.parse(wrapped.data(), wrapped.size(), /*realloc_if_needed=*/false).get(j) !=
          simdjson::SUCCESS ||
      j.size() != 1)
    return Errorf("invalid JSON in package {}", member.substr(0, member.find(':')));
  auto [package, cves] = *j.begin();
  return EmitPackage(package, cves, sink);
}

Status ParseDebianTracker(std::string_view json, const Sink& sink) {
  return ForEachDebianTrackerPackage(
      json, [&](std::string_view member) { return ParseDebianTrackerPackage(member, sink); });
}

bool LooksLikeDebianTracker(std::string_view json) {
  std::string_view head = json.substr(0, 8192);
  size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && head[i] == '{' &&
         head.find("\"releases\"") != std::string_view::npos &&
         head.find("\"affected\"") == std::string_view::npos;
}

}  // namespace distill::vuln::importers
