#include "vuln/importers/debian_tracker.h"

#include <simdjson.h>

#include "vuln/db/ecosystem.h"
#include "vuln/importers/json_scan.h"

namespace distill::vuln::importers {

namespace {

// One source package's object is parsed at a time, with simdjson (DOM, one parser per thread):
// the tracker export is ~70 MB, and parsing it is most of an import's CPU time with a slower
// parser such as nlohmann::json's (doc/vuln-db.md, "Performance"). A release entry's members are
// found in one pass over it, and one Advisory per thread is filled row after row (its strings
// keep their buffers: a description is a heap string, and there is a row per release).
using Object = simdjson::dom::object;

// The string members of `o` named `names`, in one pass: "" when absent or not a string. The
// first of a repeated key counts, as with at_key.
template <size_t N>
void Strings(Object o, const std::string_view (&names)[N], std::string_view (&out)[N]) {
  bool seen[N] = {};
  for (auto [key, value] : o)
    for (size_t i = 0; i < N; ++i)
      if (!seen[i] && key == names[i]) {
        seen[i] = true;
        if (value.get_string().get(out[i]) != simdjson::SUCCESS) out[i] = {};
        break;
      }
}

std::string_view Str(Object o, std::string_view key) {
  std::string_view v;
  return o.at_key(key).get_string().get(v) == simdjson::SUCCESS ? v : std::string_view();
}

void SetEcosystem(std::string& out, std::string_view codename) {
  std::string_view n = DebianReleaseNumber(codename);
  out.assign("debian:");
  out.append(n.empty() ? codename : n);
}

// Urgency → vendor rating; "" when it says nothing about severity.
std::string_view Rating(std::string_view urgency) {
  if (urgency.ends_with("**")) urgency.remove_suffix(2);
  if (urgency == "unimportant") return "negligible";
  if (urgency == "low" || urgency == "medium" || urgency == "high") return urgency;
  return "";  // "not yet assigned", "end-of-life", ""
}

// A release entry's members.
enum { kStatus, kFixedVersion, kNodsa, kNodsaReason, kUrgency, kReleaseMembers };
constexpr std::string_view kReleaseNames[] = {"status", "fixed_version", "nodsa", "nodsa_reason",
                                              "urgency"};

// ranges = [{ECOSYSTEM: introduced 0[, fixed `fixed`]}], in the advisory's own buffers.
void SetRange(Advisory& advisory, std::string_view fixed) {
  advisory.ranges.resize(1);
  Range& r = advisory.ranges[0];
  r.type.assign("ECOSYSTEM");
  r.events.resize(fixed.empty() ? 1 : 2);
  r.events[0].kind = Event::kIntroduced;
  r.events[0].version.assign("0");
  if (fixed.empty()) return;
  r.events[1].kind = Event::kFixed;
  r.events[1].version.assign(fixed);
}

// Sets state, note, fixed versions and ranges from one release entry (the advisory's other
// fields are the caller's); false when the entry says nothing usable.
bool ApplyRelease(const std::string_view (&rel)[kReleaseMembers], Advisory& advisory) {
  std::string_view status = rel[kStatus], fixed = rel[kFixedVersion];
  std::string_view nodsa = rel[kNodsa], reason = rel[kNodsaReason];
  advisory.state_note.clear();
  advisory.fixed_versions.clear();
  advisory.ranges.clear();
  if (status == "resolved") {
    if (fixed.empty()) return false;
    if (fixed == "0") {
      advisory.state = FixState::kNotAffected;
      return true;
    }
    advisory.state = FixState::kFixed;
    advisory.fixed_versions.resize(1);
    advisory.fixed_versions[0].assign(fixed);
    SetRange(advisory, fixed);
    return true;
  }
  if (status != "open" && status != "undetermined") return false;
  advisory.state = FixState::kNotFixed;
  SetRange(advisory, "");
  if (status == "undetermined") advisory.state_note = "undetermined";
  if (!nodsa.empty() || !reason.empty()) {
    if (reason == "ignored") {
      advisory.state = FixState::kWontFix;
      advisory.state_note = "ignored";
    } else {
      advisory.state_note = reason == "postponed" ? "postponed" : "minor issue";
    }
  }
  if (rel[kUrgency] == "end-of-life") advisory.state_note = "end-of-life";
  return true;
}

Status EmitPackage(std::string_view package, simdjson::dom::element cves, const Sink& sink) {
  Object by_id;
  if (cves.get_object().get(by_id) != simdjson::SUCCESS)
    return Errorf("{}: not an object", package);
  static thread_local Advisory a;  // reused: its buffers outlive the row
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
      std::string_view fields[kReleaseMembers];
      Strings(rel, kReleaseNames, fields);
      if (!ApplyRelease(fields, a)) continue;
      a.id.assign(id);
      a.aliases.clear();
      a.source.assign(kDebianTrackerKind);
      SetEcosystem(a.ecosystem, codename);
      a.package.assign(package);
      a.versions.clear();
      a.summary.assign(description);
      a.references.clear();
      a.published.clear();
      a.modified.clear();
      std::string_view rating = Rating(fields[kUrgency]);
      a.severities.resize(rating.empty() ? 0 : 1);
      if (!rating.empty()) {
        Severity& sev = a.severities[0];
        sev.source.assign("debian");
        sev.type.assign("vendor");
        sev.vector.clear();
        sev.score = -1;
        sev.rating.assign(rating);
      }
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
