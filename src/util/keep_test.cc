// The process's end (util/keep.h): outputs flushed, a failed flush an error, the exit handlers
// skipped. Runs the release binary, whose main() ends in ExitWithoutCleanup.
#include "util/keep.h"

#include <gtest/gtest.h>

#include "testing/shell.h"

namespace distill {
namespace {

using distill::testing::Ran;  // (Run is named in full: gtest's Test has a Run of its own)

TEST(ExitTest, OutputIsFlushedBeforeTheExit) {
  Ran r = distill::testing::Run(std::string(DISTILL_BINARY) + " --version | cat");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("distill ", 0), 0u)
      << r.out;  // a pipe: stdout is fully buffered until the flush
}

TEST(ExitTest, AnOutputThatCannotBeWrittenIsNotSuccess) {
  // /dev/full fails every write: the buffered version line is lost at the final flush, which
  // must say so and exit 2 instead of 0.
  Ran r = distill::testing::Run(std::string(DISTILL_BINARY) + " --version > /dev/full");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("cannot write to standard output"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace distill
