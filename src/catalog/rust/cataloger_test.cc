#include "catalog/rust/cataloger.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "util/testing/elf_builder.h"

namespace distill::catalog::rust {
namespace {

std::string Deflate(const std::string& in) {
  uLongf n = compressBound(in.size());
  std::string out(n, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(in.data()),
           in.size());
  out.resize(n);
  return out;
}

TEST(RustAuditableTest, DepV0Section) {
  std::string json =
      R"({"packages":[{"name":"app","version":"0.1.0","source":"local","dependencies":[1],"root":true},)"
      R"({"name":"serde","version":"1.0.193","source":"crates.io"}]})";
  std::string elf = elf::testing::MakeElf64({{".text", "x"}, {".dep-v0", Deflate(json)}});
  auto pkgs = PackagesOfBinary(elf, {"usr/bin/app", ""});
  ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].purl, "pkg:cargo/app@0.1.0");
  EXPECT_EQ((*pkgs)[0].depends_on, std::vector<std::string>{"serde"});
  EXPECT_EQ((*pkgs)[1].purl, "pkg:cargo/serde@1.0.193");
  EXPECT_EQ((*pkgs)[1].type, "rust-crate");
  EXPECT_EQ((*pkgs)[1].found_by, "cargo-auditable-binary-cataloger");
}

TEST(RustAuditableTest, BombsAndGarbage) {
  std::string bomb = Deflate(std::string(64u << 20, ' '));
  auto r = PackagesOfBinary(elf::testing::MakeElf64({{".dep-v0", bomb}}), {"", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, ".dep-v0: more than 8388608 bytes decompressed");
  EXPECT_FALSE(PackagesOfBinary(elf::testing::MakeElf64({{".dep-v0", "garbage"}}), {"", ""}).ok());
  EXPECT_FALSE(
      PackagesOfBinary(elf::testing::MakeElf64({{".dep-v0", Deflate("[1]")}}), {"", ""}).ok());
  auto none = PackagesOfBinary("#!/bin/sh\n", {"", ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace distill::catalog::rust
