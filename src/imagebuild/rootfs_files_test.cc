#include "imagebuild/rootfs_files.h"

#include <gtest/gtest.h>

namespace distill::imagebuild {
namespace {

// The exact contents distroless's base.yaml structure test expects.
TEST(RootfsFilesTest, AccountsAsDistrolessWritesThem) {
  EXPECT_EQ(PasswdFile(DefaultUsers()),
            "root:x:0:0:root:/root:/sbin/nologin\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  EXPECT_EQ(GroupFile(DefaultGroups()),
            "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n");
  EXPECT_EQ(GroupFile({{"app", 10, {"a", "b"}}}), "app:x:10:a,b\n");
}

TEST(RootfsFilesTest, OsReleaseKeepsBaseFilesButThePrettyName) {
  EXPECT_EQ(OsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                      "VERSION=\"12 (bookworm)\"\nID=debian\n",
                      "Distroless", "bookworm"),
            "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nVERSION=\"Debian GNU/Linux 12 "
            "(bookworm)\"\nID=debian\n");
  std::string minimal = OsRelease("", "Distroless", "bookworm");
  EXPECT_NE(minimal.find("VERSION_ID=\"12\"\n"), std::string::npos);
  EXPECT_EQ(minimal.rfind("PRETTY_NAME=\"Distroless\"\n", 0), 0u);
}

TEST(RootfsFilesTest, CaBundleConcatenatesPemsInPathOrder) {
  Deb ca;
  auto file = [](std::string p, std::string d) {
    image::TarItem t;
    t.path = std::move(p);
    t.data = std::move(d);
    return t;
  };
  ca.files = {file("usr/share/ca-certificates/mozilla/B.crt", "B\n"),
              file("usr/share/ca-certificates/mozilla/A.crt", "A"),
              file("usr/share/doc/ca-certificates/copyright", "c")};
  EXPECT_EQ(CaBundle(ca), "A\nB\n");
}

}  // namespace
}  // namespace distill::imagebuild
