// Fuzzes the binary classifier table: every classifier's patterns over the input, as the file
// each one names (the first byte picks a sibling file's contents for the VERSION-style matchers).
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/binary/classifier.h"

using namespace distill::catalog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  binary::SiblingReader siblings = [&](std::string_view) -> std::optional<std::string> {
    return s;
  };
  for (const binary::Classifier& c : binary::Classifiers()) {
    std::string name = c.names.empty() ? "mysqld" : std::string(c.names.front());
    for (char& ch : name)
      if (ch == '*' || ch == '?') ch = '1';
    (void)binary::ClassifyAll("usr/bin/" + name, s, {"x", ""}, &siblings);
  }
  return 0;
}
