// Where the tests find the source tree and the distill binary. Every test file sees these through
// `-include testing/paths.h`; only paths.cc is compiled with the checkout's absolute paths, so
// every other test object is the same bytes in any clone and the compiler cache can serve it.
#pragma once

namespace distill::testing {
const char* SourceDir();
const char* DistillBinary();
}  // namespace distill::testing

#define DISTILL_SOURCE_DIR (::distill::testing::SourceDir())
#define DISTILL_BINARY (::distill::testing::DistillBinary())
