// Presentation of an audit Report: a table for people, JSON, and SARIF 2.1.0 for code scanning.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "audit/audit.h"

namespace distill::audit {

void WriteTable(const Report& r, std::ostream& out);
nlohmann::ordered_json ToJson(const Report& r);
void WriteJson(const Report& r, std::ostream& out);
void WriteSarif(const Report& r, std::ostream& out);

}  // namespace distill::audit
