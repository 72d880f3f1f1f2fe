#include "util/sarif.h"

#include "version.h"

namespace distill::sarif {

nlohmann::ordered_json Log(nlohmann::ordered_json rules, nlohmann::ordered_json results) {
  using J = nlohmann::ordered_json;
  return J{
      {"$schema", kSchemaUri},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "distill"}, {"version", DISTILL_VERSION}, {"rules", std::move(rules)}}}}},
         {"results", std::move(results)}}}}};
}

nlohmann::ordered_json Location(std::string_view uri, int line, std::string_view message) {
  nlohmann::ordered_json phys = {{"artifactLocation", {{"uri", uri}}}};
  if (line > 0) phys["region"] = {{"startLine", line}};
  nlohmann::ordered_json loc = {{"physicalLocation", std::move(phys)}};
  if (!message.empty()) loc["message"] = {{"text", message}};
  return loc;
}

}  // namespace distill::sarif
