// Fuzzes the declared-dependency parsers for Python projects: requirements.txt, Pipfile.lock,
// poetry.lock and uv.lock (src/catalog/python/declared.h).
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/python/declared.h"

using namespace distill::catalog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  distill::image::Location where{"requirements.txt", ""};
  (void)python::ParseRequirements(s, where);
  (void)python::ParsePipfileLock(s, where);
  (void)python::ParsePoetryLock(s, where);
  (void)python::ParseUvLock(s, where);
  return 0;
}
