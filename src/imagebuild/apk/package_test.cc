#include "imagebuild/apk/package.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "imagebuild/apk/checksum.h"
#include "imagebuild/apk/signed_index.h"
#include "imagebuild/apk/testing/apk_fixture.h"

namespace distill::imagebuild::apk {
namespace {

using testing::FixtureKeyring;
using testing::FixturePath;
using ::testing::HasSubstr;
using testing::ReadFixture;

struct Expected {
  const char* file;
  const char* keys;   // keyring (file or folder under tests/fixtures/apk)
  const char* label;  // pkgname-pkgver arch
  const char* key;    // the key that verifies ("" = unsigned)
  const char* q1;     // VERIFY.txt's C:
  size_t members;
};

// Every package of VERIFY.txt (tests/fixtures/apk/MANIFEST.md), the verdict verify.py got with
// openssl and the Q1 it computed in Python.
const Expected kPackages[] = {
    {"alpine/v3.16-main-aarch64/alpine-baselayout-3.2.0-r23.apk", "keys/alpine",
     "alpine-baselayout-3.2.0-r23 aarch64", "alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub",
     "Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=", 3},
    {"apko-e2e/packages/aarch64/custom-ca-certs-1-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "custom-ca-certs-1-1.0.0-r0 aarch64", "melange.rsa.pub", "Q1HYV3GHk9wRjFNygSSkFi7+gHkMs=", 3},
    {"apko-e2e/packages/aarch64/custom-ca-certs-2-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "custom-ca-certs-2-1.0.0-r0 aarch64", "melange.rsa.pub", "Q1E9ECSFYVWX/JK7euE0qnWbi45bA=", 3},
    {"apko-e2e/packages/aarch64/pretend-baselayout-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "pretend-baselayout-1.0.0-r0 aarch64", "melange.rsa.pub", "Q1JQ8nfsxa27d0f6oa056sdT5IcJY=", 3},
    {"apko-e2e/packages/aarch64/replayout-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "replayout-1.0.0-r0 aarch64", "melange.rsa.pub", "Q1u62watWiRSQgVtAIuVuYoDOaVO4=", 3},
    {"apko-e2e/packages/x86_64/custom-ca-certs-1-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "custom-ca-certs-1-1.0.0-r0 x86_64", "melange.rsa.pub", "Q1L7EnY9Q9b23ejRHAmb0g09QaLEo=", 3},
    {"apko-e2e/packages/x86_64/custom-ca-certs-2-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "custom-ca-certs-2-1.0.0-r0 x86_64", "melange.rsa.pub", "Q1yXDHMYWZPTTipwenGmJ4rs1ZoQk=", 3},
    {"apko-e2e/packages/x86_64/pretend-baselayout-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "pretend-baselayout-1.0.0-r0 x86_64", "melange.rsa.pub", "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=", 3},
    {"apko-e2e/packages/x86_64/replayout-1.0.0-r0.apk", "apko-e2e/melange.rsa.pub",
     "replayout-1.0.0-r0 x86_64", "melange.rsa.pub", "Q11/HhSewwwOXgl0r0ffb0O0BRtYc=", 3},
    {"apko-e2e/private_packages/packages/aarch64/package-x-1.0.0-r0.apk",
     "apko-e2e/private_packages/private_pkg_key.rsa.pub", "package-x-1.0.0-r0 aarch64",
     "private_pkg_key.rsa.pub", "Q19EfeYO8EvkWtw2p6+d3RYHK8DMU=", 3},
    {"apko-e2e/private_packages/packages/aarch64/package-y-1.0.0-r0.apk",
     "apko-e2e/private_packages/private_pkg_key.rsa.pub", "package-y-1.0.0-r0 aarch64",
     "private_pkg_key.rsa.pub", "Q10Kit8VfVk/eXBIzHVl3QAg2k/Jg=", 3},
    {"apko-e2e/private_packages/packages/x86_64/package-x-1.0.0-r0.apk",
     "apko-e2e/private_packages/private_pkg_key.rsa.pub", "package-x-1.0.0-r0 x86_64",
     "private_pkg_key.rsa.pub", "Q1Vl3vU8cV22CofaOpqDJHyDPEzH8=", 3},
    {"apko-e2e/private_packages/packages/x86_64/package-y-1.0.0-r0.apk",
     "apko-e2e/private_packages/private_pkg_key.rsa.pub", "package-y-1.0.0-r0 x86_64",
     "private_pkg_key.rsa.pub", "Q1GsmJ2snap2o2kZ+vvMmuEc+bSnM=", 3},
    {"apko-misc/hello-0.1.0-r0.apk", "keys/wolfi-signing.rsa.pub", "hello-0.1.0-r0 x86_64", "",
     "Q1DNWZeWkviN7MJedLpYM8yBvmnGM=", 2},
    {"apko-misc/replaces/replaces-0.0.1-r0.apk", "keys/wolfi-signing.rsa.pub",
     "replaces-0.0.1-r0 aarch64", "", "Q1fHE4AsjeXVD+2kHg7AHvGDN+FPg=", 2},
    {"wolfi/aarch64/kubeflow-pipelines-2.1.3-r7.apk", "keys/wolfi-signing.rsa.pub",
     "kubeflow-pipelines-2.1.3-r7 aarch64", "wolfi-signing.rsa.pub",
     "Q1YaPopCnj/TLEn+Ot5rdXpKA8/iw=", 3},
    {"wolfi/aarch64/libcap-2.69-r0.apk", "keys/wolfi-signing.rsa.pub", "libcap-2.69-r0 aarch64",
     "wolfi-signing.rsa.pub", "Q1GTjdDWSAN/e8mRmTQLLkcs0qRkA=", 3},
    {"wolfi/aarch64/wolfi-base-1-r1.apk", "keys/wolfi-signing.rsa.pub", "wolfi-base-1-r1 aarch64",
     "wolfi-signing.rsa.pub", "Q1L7sf44xazgWI/LVaudVgNmofCys=", 3},
    {"wolfi/x86_64/ruby3.2-base64-0.2.0-r2.apk", "keys/wolfi-signing.rsa.pub",
     "ruby3.2-base64-0.2.0-r2 x86_64", "wolfi-signing.rsa.pub",
     "Q1kQfQXs+MLbCqi4Tb9KF229uRI10=", 3},
};

TEST(ApkPackageTest, EveryFixturePackageReadsAndVerifiesAsVerifyTxtSays) {
  for (const auto& want : kPackages) {
    SCOPED_TRACE(want.file);
    std::string bytes = ReadFixture(want.file);
    auto pkg = ReadPackage(bytes, want.file);
    ASSERT_TRUE(pkg.ok()) << pkg.error().message;
    EXPECT_EQ(pkg->info.pkgname + "-" + pkg->info.pkgver + " " + pkg->info.arch, want.label);
    EXPECT_EQ(pkg->identity, want.q1);
    EXPECT_EQ(pkg->members.size(), want.members);
    EXPECT_EQ(pkg->data_sha256, pkg->info.datahash);  // every fixture has datahash, and it holds
    EXPECT_FALSE(pkg->files.empty());
    Verification v = VerifyPackage(bytes, *pkg, FixtureKeyring({want.keys}));
    if (*want.key) {
      EXPECT_EQ(v.verdict, Verdict::kVerified) << v.reason;
      EXPECT_EQ(v.key, want.key);
      EXPECT_EQ(pkg->signed_range.offset, pkg->control_member.offset);  // datahash: control only
      EXPECT_EQ(pkg->signed_range.size, pkg->control_member.size);
    } else {
      EXPECT_EQ(v.verdict, Verdict::kUnsigned);
      EXPECT_EQ(pkg->signature_member.size, 0u);
    }
  }
}

TEST(ApkPackageTest, ReadsEntriesControlFilesAndRanges) {
  std::string bytes = ReadFixture("alpine/v3.16-main-aarch64/alpine-baselayout-3.2.0-r23.apk");
  auto pkg = ReadPackage(bytes, "alpine-baselayout.apk");
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  // Member ranges as Python's zlib found them (verify.py): 0+666, 666+1563, 2229+8783.
  ASSERT_EQ(pkg->members.size(), 3u);
  EXPECT_EQ(pkg->signature_member.offset, 0u);
  EXPECT_EQ(pkg->signature_member.size, 666u);
  EXPECT_EQ(pkg->control_member.offset, 666u);
  EXPECT_EQ(pkg->control_member.size, 1563u);
  EXPECT_EQ(pkg->data_member.offset, 2229u);
  EXPECT_EQ(pkg->data_member.size, 8783u);
  EXPECT_EQ(Describe(pkg->control_member), "bytes 666-2228");
  EXPECT_EQ(pkg->data_tar.size(), 153600u);
  ASSERT_EQ(pkg->signatures.size(), 1u);
  EXPECT_EQ(pkg->signatures[0].algorithm, "RSA");
  EXPECT_EQ(pkg->signatures[0].key_name, "alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub");
  EXPECT_EQ(pkg->info.datahash, "1a3a8e47d2287da6d505d973412cee1ad64bcc17bc5995069e4e932055ecb0c4");
  std::vector<std::string> scripts;
  for (const auto& s : pkg->scripts) scripts.push_back(s.name);
  EXPECT_THAT(scripts, ::testing::ElementsAre(".pre-install", ".pre-upgrade", ".post-upgrade",
                                              ".post-install"));
  const DataEntry* crontab = nullptr;
  for (const auto& f : pkg->files)
    if (f.path == "etc/crontabs/root") crontab = &f;
  ASSERT_NE(crontab, nullptr);
  EXPECT_EQ(crontab->mode, 0600u);
  EXPECT_EQ(crontab->size, 283u);
  EXPECT_EQ(crontab->mtime, 1662926906);
  EXPECT_EQ(crontab->sha1, "bdf9356a9516238c8b2468613517749098b17ef6");
  EXPECT_EQ(Sha1Hex(pkg->Content(*crontab)), crontab->sha1);
  EXPECT_EQ(pkg->files[0].path, "dev");
  EXPECT_EQ(pkg->files[0].type, image::TarItem::Type::kDir);
}

TEST(ApkPackageTest, SymlinkChecksumIsOfTheTarget) {
  std::string bytes = ReadFixture("wolfi/aarch64/libcap-2.69-r0.apk");
  auto pkg = ReadPackage(bytes, "libcap.apk");
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  const DataEntry& link = pkg->files[2];
  EXPECT_EQ(link.path, "usr/lib/libcap.so.2");
  EXPECT_EQ(link.type, image::TarItem::Type::kSymlink);
  EXPECT_EQ(link.link, "libcap.so.2.69");
  EXPECT_EQ(link.sha1, "32a9390352c3622f0c920bb22b07f5a82d33c0dc");
  EXPECT_EQ(Sha1Hex("libcap.so.2.69"), link.sha1);
}

TEST(ApkPackageTest, ControlOnlyLeavesTheDataPacked) {
  std::string bytes = ReadFixture("wolfi/aarch64/libcap-2.69-r0.apk");
  ReadOptions opt;
  opt.files = false;
  auto pkg = ReadPackage(bytes, "libcap.apk", opt);
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  EXPECT_TRUE(pkg->data_tar.empty());
  EXPECT_TRUE(pkg->files.empty());
  EXPECT_EQ(pkg->data_sha256, pkg->info.datahash);
  EXPECT_EQ(pkg->identity, "Q1GTjdDWSAN/e8mRmTQLLkcs0qRkA=");
}

// Every C: of apko's golden repository is the Q1 this reader computes for the package it names.
TEST(ApkPackageTest, ApkoRepositoryChecksumsAreOurIdentities) {
  for (std::string arch : {"aarch64", "x86_64"}) {
    std::string dir = "apko-e2e/packages/" + arch + "/";
    std::string index = ReadFixture(dir + "APKINDEX.tar.gz");
    auto idx =
        ReadVerifiedIndex(index, "APKINDEX.tar.gz", FixtureKeyring({"apko-e2e/melange.rsa.pub"}));
    ASSERT_TRUE(idx.ok()) << idx.error().message;
    std::map<std::string, std::string> c_of;  // "name-version" -> C:
    std::string c, p;
    std::istringstream in(idx->apkindex);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("C:")) c = line.substr(2);
      if (line.starts_with("P:")) p = line.substr(2);
      if (line.starts_with("V:")) c_of[p + "-" + line.substr(2)] = c;
    }
    ASSERT_EQ(c_of.size(), 4u);
    for (const auto& [nv, checksum] : c_of) {
      std::string bytes = ReadFixture(dir + nv + ".apk");
      auto pkg = ReadPackage(bytes, nv);
      ASSERT_TRUE(pkg.ok()) << pkg.error().message;
      EXPECT_EQ(pkg->identity, checksum) << nv;
    }
  }
}

// --- Tampered copies: one byte changed in each member is refused, naming what differed. ---

constexpr const char* kLibcap = "wolfi/aarch64/libcap-2.69-r0.apk";

std::string Flip(std::string bytes, uint64_t at) {
  bytes[at] ^= 0x01;
  return bytes;
}

TEST(ApkPackageTest, OneByteChangedInsideAnyMemberIsRefused) {
  std::string bytes = ReadFixture(kLibcap);
  auto pkg = ReadPackage(bytes, "libcap.apk");
  ASSERT_TRUE(pkg.ok());
  struct Case {
    ByteRange member;
    const char* names;
  } cases[] = {
      {pkg->signature_member, "libcap.apk: first gzip member: gzip member at offset 0 is corrupt"},
      {pkg->control_member, "libcap.apk: control member: gzip member at offset 649 is corrupt"},
      {pkg->data_member, "libcap.apk: data member: gzip member at offset 990 is corrupt"}};
  for (const auto& c : cases) {
    auto r = ReadPackage(Flip(bytes, c.member.offset + c.member.size / 2), "libcap.apk");
    ASSERT_FALSE(r.ok()) << c.names;
    EXPECT_THAT(r.error().message, HasSubstr(c.names));
  }
}

// A change in a gzip header (its mtime) inflates fine: the signature or datahash must catch it.
TEST(ApkPackageTest, ChangedControlHeaderFailsTheSignatureAndDataHeaderTheDatahash) {
  std::string bytes = ReadFixture(kLibcap);
  Keyring wolfi = FixtureKeyring({"keys/wolfi-signing.rsa.pub"});
  auto control = Flip(bytes, 649 + 4);
  auto pkg = ReadPackage(control, "libcap.apk");
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  EXPECT_NE(pkg->identity, "Q1GTjdDWSAN/e8mRmTQLLkcs0qRkA=");
  Verification v = VerifyPackage(control, *pkg, wolfi);
  EXPECT_EQ(v.verdict, Verdict::kBadSignature);
  EXPECT_EQ(v.reason,
            ".SIGN.RSA.wolfi-signing.rsa.pub: bad signature: the key of that name, "
            "wolfi-signing.rsa.pub (" +
                FixturePath("keys/wolfi-signing.rsa.pub") + ", sha256 " +
                wolfi.keys()[0].fingerprint.substr(0, 12) +
                "), does not verify it (RSA PKCS#1 v1.5 over the SHA-1 of control member (bytes "
                "649-989)), and no "
                "other key in the keyring does: either the key's bytes are not the signer's or the "
                "signed bytes "
                "changed");
  auto st = ReadVerifiedPackage(control, "libcap.apk", wolfi);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.error().message,
              HasSubstr("libcap.apk: .SIGN.RSA.wolfi-signing.rsa.pub: bad signature"));

  auto data = ReadPackage(Flip(bytes, 990 + 4), "libcap.apk");
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().message,
            "libcap.apk: datahash mismatch: .PKGINFO says "
            "fb2e6aef71e85e7eb738d8029b1939d779034b14e23168fd27238e10cd908ed0, "
            "the data member (bytes 990-29588) hashes to " +
                Sha256Hex(Flip(bytes, 990 + 4).substr(990)));
}

TEST(ApkPackageTest, ReMadeMembersWithOneByteChangedAreRefused) {
  std::string bytes = ReadFixture(kLibcap);
  Keyring wolfi = FixtureKeyring({"keys/wolfi-signing.rsa.pub"});
  // Signature member: one byte of the signature itself.
  std::string sig = testing::Remake(bytes, 0, [](std::string& tar) { tar[512 + 100] ^= 0x01; });
  auto pkg = ReadPackage(sig, "libcap.apk");
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  EXPECT_EQ(pkg->identity, "Q1GTjdDWSAN/e8mRmTQLLkcs0qRkA=");  // control untouched
  EXPECT_EQ(VerifyPackage(sig, *pkg, wolfi).verdict, Verdict::kBadSignature);
  // Control member: one byte of .PKGINFO (pkgdesc "POSIX" -> "POSIY").
  std::string ctl =
      testing::Remake(bytes, 1, [](std::string& tar) { tar[tar.find("POSIX") + 4] = 'Y'; });
  pkg = ReadPackage(ctl, "libcap.apk");
  ASSERT_TRUE(pkg.ok()) << pkg.error().message;
  EXPECT_EQ(pkg->info.pkgdesc, "POSIY 1003.1e capabilities");
  EXPECT_EQ(VerifyPackage(ctl, *pkg, wolfi).verdict, Verdict::kBadSignature);
  // Data member: one byte of a file.
  std::string data =
      testing::Remake(bytes, 2, [](std::string& tar) { tar[tar.size() / 2] ^= 0x01; });
  auto r = ReadPackage(data, "libcap.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("libcap.apk: datahash mismatch: .PKGINFO says fb2e6aef"));
}

// With datahash made to match (so only the per-file checksum can tell), a changed file content or
// symlink target is refused by its APK-TOOLS.checksum.SHA1.
TEST(ApkPackageTest, PaxChecksumsCatchChangedFilesAndLinks) {
  std::string bytes = ReadFixture(kLibcap);
  auto with_datahash = [](std::string changed) {
    auto members = testing::Split(changed);
    std::string hash = Sha256Hex(members[2].compressed);
    return testing::Remake(changed, 1, [&](std::string& tar) {
      size_t at = tar.find("datahash = ") + 11;
      tar.replace(at, 64, hash);
    });
  };
  auto pkg = ReadPackage(bytes, "libcap.apk");
  ASSERT_TRUE(pkg.ok());
  const DataEntry& lib = pkg->files[3];
  ASSERT_EQ(lib.path, "usr/lib/libcap.so.2.69");
  uint64_t at = lib.offset + 1000;
  std::string content =
      with_datahash(testing::Remake(bytes, 2, [&](std::string& tar) { tar[at] ^= 0x01; }));
  auto r = ReadPackage(content, "libcap.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, ::testing::StartsWith("libcap.apk: data member (bytes "));
  EXPECT_THAT(r.error().message,
              HasSubstr("usr/lib/libcap.so.2.69: APK-TOOLS.checksum.SHA1 says "
                        "9243f92e21180e1fd30f18924cea09f2075e1802, its content hashes to "));

  const DataEntry& link = pkg->files[2];
  uint64_t header = link.offset - 512;
  std::string target = with_datahash(testing::Remake(bytes, 2, [&](std::string& tar) {
    tar[header + 157] = 'L';  // "libcap.so.2.69" -> "Libcap.so.2.69"
    testing::FixTarChecksum(tar, header);
  }));
  r = ReadPackage(target, "libcap.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("usr/lib/libcap.so.2: APK-TOOLS.checksum.SHA1 says "
                        "32a9390352c3622f0c920bb22b07f5a82d33c0dc, its target hashes to " +
                        Sha1Hex("Libcap.so.2.69")));
}

// --- Limits: a bomb is an error, not an allocation. ---

std::string TarHeader(const std::string& name, uint64_t size, char type = '0') {
  std::string h(512, '\0');
  h.replace(0, name.size(), name);
  h.replace(100, 7, "0000644");
  h.replace(108, 7, "0000000");
  h.replace(116, 7, "0000000");
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%011llo", static_cast<unsigned long long>(size));
  h.replace(124, 11, buf);
  h.replace(136, 11, "00000000000");
  h[156] = type;
  h.replace(257, 6, std::string("ustar\0", 6));
  h.replace(263, 2, "00");
  testing::FixTarChecksum(h, 0);
  return h;
}

std::string TarFile(const std::string& name, const std::string& content) {
  std::string t = TarHeader(name, content.size()) + content;
  t.resize((t.size() + 511) / 512 * 512, '\0');
  return t;
}

TEST(ApkPackageTest, HugeDeclaredPkgInfoAndGzipBombAreErrors) {
  std::string pkginfo = "pkgname = x\npkgver = 1-r0\narch = noarch\n";
  // A .PKGINFO header that claims 4 GiB in a member of a few hundred bytes.
  std::string claim = testing::Gzip(TarHeader(".PKGINFO", 4ull << 30) + pkginfo) +
                      testing::Gzip(TarFile("x", "x") + std::string(1024, '\0'));
  auto r = ReadPackage(claim, "claim.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "claim.apk: control member (bytes 0-" +
                std::to_string(testing::Split(claim)[0].compressed.size() - 1) +
                "): tar entry at offset 0 declares 4294967296 bytes, only 40 remain");
  // A control member that inflates past the limit.
  ReadOptions small;
  small.limits.max_control_member = 1 << 20;
  std::string bomb = testing::Gzip(TarFile(".PKGINFO", pkginfo) + std::string(8 << 20, '\0'));
  r = ReadPackage(bomb + testing::Gzip(TarFile("x", "x")), "bomb.apk", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message,
      "bomb.apk: first gzip member: gzip member at offset 0 inflates to more than 1048576 bytes");
  // A data member that does.
  small.limits.max_data_tar = 1 << 20;
  std::string ok_control = testing::Gzip(TarFile(".PKGINFO", pkginfo));
  r = ReadPackage(ok_control + testing::Gzip(std::string(8 << 20, '\0')), "bomb.apk", small);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("bomb.apk: data member: gzip member at offset"));
  EXPECT_THAT(r.error().message, HasSubstr("inflates to more than 1048576 bytes"));
}

TEST(ApkPackageTest, StructuralErrorsNameThePackage) {
  std::string pkginfo = "pkgname = x\npkgver = 1-r0\narch = noarch\n";
  auto r = ReadPackage("not gzip", "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.apk: first gzip member: no gzip member at offset 0");
  std::string control = testing::Gzip(TarFile(".PKGINFO", pkginfo));
  r = ReadPackage(control, "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.apk: no data member after the control member");
  r = ReadPackage(testing::Gzip(TarFile("usr/bin/x", "")) + control, "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("holds 'usr/bin/x', not a control file"));
  r = ReadPackage(testing::Gzip(TarFile(".PKGINFO", "pkgname = x\n")) + control, "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr(".PKGINFO: no pkgver"));
  std::string ok = control + testing::Gzip(TarFile("a", "b"));
  r = ReadPackage(ok.substr(0, ok.size() - 3), "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("is truncated"));
  r = ReadPackage(ok + "junk", "x.apk");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("no gzip member at offset"));
  // Without datahash the signature covers control and data (old packages, apk-v2.5.scd).
  auto plain = ReadPackage(ok, "x.apk");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->signed_range.offset, 0u);
  EXPECT_EQ(plain->signed_range.size, ok.size());
  EXPECT_EQ(plain->signed_what,
            "control and data members (bytes 0-" + std::to_string(ok.size() - 1) + ")");
}

}  // namespace
}  // namespace distill::imagebuild::apk
