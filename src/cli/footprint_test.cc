// The release binary's start-up footprint (doc/design.md, "Footprint"): libraries that only some
// commands need are loaded with dlopen on first use, and with no C++ library linked the release
// binary carries libstdc++ itself. A new DT_NEEDED entry here costs every run its mapping and
// relocation (libstdc++.so alone was 1.5 MB of peak RSS), so adding one must be a decision.
#include <gtest/gtest.h>

#include <algorithm>

#include "testing/sanitized.h"
#include "util/elf.h"
#include "util/file.h"

namespace distill {
namespace {

using testing::kSanitized;

TEST(FootprintTest, OnDemandLibrariesAreNotLinked) {
  auto bytes = FileBytes::Map(DISTILL_BINARY, 4ull << 30);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto elf = elf::ReadLinkInfo(bytes->view());
  ASSERT_TRUE(elf.ok()) << elf.error().message;
  auto linked = [&](std::string_view prefix) {
    return std::any_of(elf->needed.begin(), elf->needed.end(),
                       [&](const std::string& name) { return name.starts_with(prefix); });
  };
  ASSERT_TRUE(linked("libc.so")) << "the dynamic section was read";  // so the checks below can fail
  EXPECT_FALSE(linked("libsimdjson.so")) << "simdjson is loaded by util/libsimdjson.cc";
  EXPECT_FALSE(linked("libcurl")) << "libcurl is loaded by util/libcurl.cc";
  EXPECT_FALSE(linked("libpq")) << "libpq is loaded by serve/store/pg.cc";
  EXPECT_FALSE(linked("libmicrohttpd")) << "libmicrohttpd is loaded by util/libmicrohttpd.cc";
  EXPECT_FALSE(linked("httplib")) << "no C++ HTTP server library at start-up";
  EXPECT_FALSE(linked("libarchive.so")) << "libarchive is linked statically";
  EXPECT_FALSE(linked("libhs.so")) << "Hyperscan is linked statically";
  EXPECT_FALSE(linked("libisal.so")) << "ISA-L is loaded by util/libisal.cc";
  EXPECT_FALSE(linked("libnettle.so")) << "nettle (libarchive's digests) is linked statically";
  EXPECT_FALSE(linked("libbz2.so")) << "bzip2 is linked statically";
  // libarchive's write side names every format's writer in one table: calling it (not
  // image/writer_tar) links xar's, and with it libxml2 and ICU, into every run.
  EXPECT_FALSE(linked("libxml2.so")) << "no libarchive writer is linked (xar needs libxml2)";
  // The sanitizer builds keep libstdc++ shared (CMakeLists.txt); the release binary must not.
  if (!kSanitized) {
    EXPECT_FALSE(linked("libstdc++.so")) << "the release binary links libstdc++ statically";
    EXPECT_FALSE(linked("libgcc_s.so")) << "and libgcc";
  }
}

}  // namespace
}  // namespace distill
