#include "util/glob.h"

#include <gtest/gtest.h>

namespace distill {

TEST(GlobTest, Segments) {
  EXPECT_TRUE(GlobMatch("var/lib/dpkg/status", "var/lib/dpkg/status"));
  EXPECT_TRUE(GlobMatch("var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/libc6"));
  EXPECT_FALSE(GlobMatch("var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/a/b"));
  EXPECT_TRUE(GlobMatch("usr/bin/?ash", "usr/bin/bash"));
  EXPECT_FALSE(GlobMatch("usr/bin/?ash", "usr/bin/ash"));
  EXPECT_TRUE(GlobMatch("usr/lib/*.so.[0-9]", "usr/lib/libz.so.1"));
  EXPECT_FALSE(GlobMatch("usr/lib/*.so.[!0-9]", "usr/lib/libz.so.1"));
  EXPECT_FALSE(GlobMatch("*", "a/b"));
}

TEST(GlobTest, DoubleStar) {
  EXPECT_TRUE(GlobMatch("**/var/lib/dpkg/status", "var/lib/dpkg/status"));
  EXPECT_TRUE(GlobMatch("**/var/lib/dpkg/status", "x/y/var/lib/dpkg/status"));
  EXPECT_FALSE(GlobMatch("**/var/lib/dpkg/status", "xvar/lib/dpkg/status"));
  EXPECT_TRUE(GlobMatch("**/*.dist-info/METADATA",
                        "usr/lib/python3/dist-packages/flask-2.2.2.dist-info/METADATA"));
  EXPECT_TRUE(GlobMatch("usr/**", "usr/a/b/c"));
  EXPECT_TRUE(GlobMatch("**/node_modules/**/package.json", "app/node_modules/@s/x/package.json"));
  EXPECT_TRUE(GlobMatch("**", "anything/at/all"));
}

}  // namespace distill
