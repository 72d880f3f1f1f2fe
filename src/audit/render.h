// Presentation of an audit Report: a table for people, JSON, and SARIF 2.1.0 for code scanning.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "audit/audit.h"

namespace distill::audit {

void WriteTable(const Report& report, std::ostream& out);
nlohmann::ordered_json ToJson(const Report& report);
void WriteJson(const Report& report, std::ostream& out);
void WriteSarif(const Report& report, std::ostream& out);

}  // namespace distill::audit
