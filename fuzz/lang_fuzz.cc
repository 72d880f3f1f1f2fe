// Fuzzes the language catalogers' byte and text parsers: ELF sections and segments, Go build info
// (both layouts: inline strings, and Go 1.13-1.17's pointers read through the segments), Rust
// cargo-auditable, Java archives (libarchive zip, nested), Python core metadata/RECORD,
// package.json and lock files, deps.json, installed.json, gemspecs, and the binary classifiers.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "catalog/binary/classifier.h"
#include "catalog/dotnet/cataloger.h"
#include "catalog/golang/cataloger.h"
#include "catalog/golang/parse_buildinfo.h"
#include "catalog/java/cataloger.h"
#include "catalog/java/parse_manifest.h"
#include "catalog/javascript/cataloger.h"
#include "catalog/php/cataloger.h"
#include "catalog/python/parse_metadata.h"
#include "catalog/ruby/cataloger.h"
#include "catalog/rust/cataloger.h"
#include "util/elf.h"

using namespace distill::catalog;
namespace elf = distill::elf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  distill::image::Location where{"x", ""};
  (void)elf::Section(s, ".go.buildinfo");
  (void)elf::FirstDataSegment(s);
  for (uint64_t addr : {0x400000ull, 0x4000b0ull, ~0ull})  // where the Go 1.17-layout seed maps
    (void)elf::AtAddress(s, addr, 64);
  {  // the same headers read from a file with a few reads (the dir: probe)
    static const std::string path = "/tmp/distill-lang-fuzz-" + std::to_string(::getpid()) + ".elf";
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(s.data(), 1, s.size(), f);
      std::fclose(f);
      if (auto file = distill::RandomAccessFile::OpenRegular(path); file.ok())
        (void)elf::ProbeFile(**file, {".go.buildinfo", ".dep-v0"}, 64 << 10);
    }
  }
  (void)golang::PackagesOfBinary(s, where);
  (void)golang::ParseModInfo(s);
  (void)rust::PackagesOfBinary(s, where);
  (void)rust::ParseAuditJson(s, where);
  (void)java::PackagesOfArchive(s, "a-1.0.jar", where);
  (void)java::ParseManifest(s);
  (void)java::ParsePomProperties(s);
  (void)java::ParsePomXml(s);
  (void)java::ParseFileName(s);
  (void)python::ParseCoreMetadata(s);
  (void)python::ParseRecord(s, "usr/lib/python3/dist-packages");
  (void)javascript::ParsePackageJson(s, where);
  (void)javascript::ParsePackageLock(s, where);
  (void)javascript::ParseYarnLock(s, where);
  (void)javascript::ParsePnpmLock(s, where);
  (void)dotnet::ParseDepsJson(s, where);
  (void)php::ParseInstalledJson(s, where);
  (void)ruby::ParseGemspec(s, where);
  Package p;
  for (const char* name :
       {"bin/busybox", "usr/bin/python3.11", "usr/bin/redis-server", "usr/bin/jq"})
    (void)binary::ClassifyFile(name, s, where, &p);
  return 0;
}
