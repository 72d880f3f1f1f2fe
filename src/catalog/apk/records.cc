#include "catalog/apk/records.h"

#include "util/text.h"

namespace distill::catalog::apk {

Status ForEachRecord(std::string_view text, const std::function<Status(const RawRecord&)>& visit) {
  RawRecord record;
  bool open = false;
  Status status;
  auto finish = [&] {
    if (open) status = visit(record);
    record.fields.clear();
    record.bad_line = 0;
    record.bad_text = {};
    open = false;
    return status.ok();
  };
  ForEachLine(text, [&](int n, std::string_view line) {
    if (line.empty()) return finish();
    if (!open) record.line = n;
    open = true;
    if (record.bad_line != 0) return true;  // the rest of a malformed record
    if (line.size() < 2 || line[1] != ':') {
      record.bad_line = n;
      record.bad_text = line;
    } else {
      record.fields.push_back({n, line[0], line.substr(2)});
    }
    return true;
  });
  if (status.ok()) finish();
  return status;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace distill::catalog::apk
