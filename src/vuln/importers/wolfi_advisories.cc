#include "vuln/importers/wolfi_advisories.h"

#include <yaml-cpp/yaml.h>

#include "util/yaml.h"

#include "vuln/db/ecosystem.h"

namespace distill::vuln::importers {

namespace {

// The index of the latest event: the greatest timestamp, the later one in the list on a tie;
// -1 if none. (Indexes, not Nodes: assigning a yaml-cpp Node rebinds the document's node.)
int LatestEvent(const YAML::Node& events) {
  int best = -1;
  std::string best_ts;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!events[i].IsMap()) continue;
    std::string ts = ScalarAt(events[i], "timestamp");
    if (best < 0 || ts >= best_ts) {
      best = static_cast<int>(i);
      best_ts = ts;
    }
  }
  return best;
}

// false when the event type decides nothing we record.
bool ApplyEvent(const YAML::Node& event, Advisory& advisory) {
  std::string type = ScalarAt(event, "type");
  YAML::Node data = event["data"];
  if (type == "fixed") {
    std::string v = data && data.IsMap() ? ScalarAt(data, "fixed-version") : "";
    if (v.empty()) return false;
    advisory.state = FixState::kFixed;
    advisory.fixed_versions = {v};
    advisory.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}, {Event::kFixed, v}}}};
    return true;
  }
  if (type == "false-positive-determination") {
    advisory.state = FixState::kNotAffected;
    advisory.state_note = data && data.IsMap() ? ScalarAt(data, "type") : "";
    return true;
  }
  advisory.ranges = {{"ECOSYSTEM", {{Event::kIntroduced, "0"}}}};
  if (type == "fix-not-planned") {
    advisory.state = FixState::kWontFix;
    return true;
  }
  advisory.state = FixState::kNotFixed;
  if (type == "pending-upstream-fix") advisory.state_note = "pending upstream fix";
  return type == "pending-upstream-fix" || type == "detection" ||
         type == "true-positive-determination" || type == "analysis-not-planned";
}

Status ParseDoc(const YAML::Node& root, const std::string& eco, const Sink& sink) {
  if (!root.IsMap()) return Errorf("not an advisories document (expected a map)");
  YAML::Node pkg = root["package"];
  std::string name = pkg && pkg.IsMap() ? ScalarAt(pkg, "name") : "";
  if (name.empty()) return Errorf("package.name: missing");
  YAML::Node advisories = root["advisories"];
  if (!advisories || advisories.IsNull()) return {};
  if (!advisories.IsSequence()) return Errorf("advisories: not a list");
  for (size_t i = 0; i < advisories.size(); ++i) {
    const YAML::Node& adv = advisories[i];
    Advisory a;
    a.id = adv.IsMap() ? ScalarAt(adv, "id") : "";
    if (a.id.empty()) return Errorf("advisories[{}].id: missing", i);
    a.source = std::string(kWolfiAdvisoriesKind);
    a.ecosystem = eco;
    a.package = name;
    if (YAML::Node al = adv["aliases"]; al && al.IsSequence())
      for (const auto& x : al)
        if (x.IsScalar()) a.aliases.push_back(x.Scalar());
    NormalizeAliases(a.aliases, a.id);
    YAML::Node events = adv["events"];
    if (!events || !events.IsSequence()) continue;
    int latest = LatestEvent(events);
    if (latest < 0 || !ApplyEvent(events[latest], a)) continue;
    a.modified = ScalarAt(events[latest], "timestamp");
    DISTILL_TRY_VOID(sink(std::move(a)));
  }
  return {};
}

}  // namespace

Status ParseWolfiAdvisories(std::string_view yaml, std::string_view ecosystem, const Sink& sink) {
  std::string eco = NormalizeEcosystem(ecosystem.empty() ? "wolfi" : ecosystem);
  try {  // yaml-cpp throws; this is the boundary.
    return ParseDoc(YAML::Load(std::string(yaml)), eco, sink);
  } catch (const YAML::Exception& e) {
    return Errorf("line {}: {}", e.mark.line + 1, e.msg);
  }
}

bool LooksLikeWolfiAdvisories(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  return head.find("schema-version") != std::string_view::npos &&
         head.find("advisories") != std::string_view::npos;
}

}  // namespace distill::vuln::importers
