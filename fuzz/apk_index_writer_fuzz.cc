// Fuzzes what `distill apk index` reads from each .apk: the gzip member splitter, the control
// member's tar entries and .PKGINFO (imagebuild/apk/index_writer.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "imagebuild/apk/index_writer.h"

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)imagebuild::apk::IndexEntry(bytes, size);
  (void)imagebuild::apk::PkgInfoFields(bytes);
  return 0;
}
