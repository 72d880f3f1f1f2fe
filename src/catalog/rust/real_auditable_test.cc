// A real Rust binary with cargo-auditable's dependency section, read back by our cataloger.
//
// Debian 12 has no cargo-auditable, so the section is made the way cargo-auditable makes it, from
// the real crate graph: Debian's cargo builds a two-crate workspace (an app and a path
// dependency, offline), `cargo metadata` gives the resolved graph, the test turns it into
// cargo-auditable's JSON (packages sorted by name/version/source, "dependencies" as indices,
// "root": true on the binary's crate, "source": "local" for path crates), zlib-compresses it and
// attaches it with `objcopy --add-section .dep-v0=...` to the ELF rustc produced.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/rust/cataloger.h"
#include "image/image.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/file.h"

namespace distill::catalog::rust {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;

// cargo-auditable's JSON for the graph `cargo metadata` resolved.
std::string AuditJson(const nlohmann::json& meta) {
  struct Pkg {
    std::string id, name, version, source;
  };
  std::vector<Pkg> pkgs;
  for (const auto& p : meta["packages"]) {
    std::string source = p["source"].is_null() ? "local" : p["source"].get<std::string>();
    if (source.starts_with("registry+https://github.com/rust-lang/crates.io-index"))
      source = "crates.io";
    pkgs.push_back({p["id"], p["name"], p["version"], source});
  }
  std::sort(pkgs.begin(), pkgs.end(), [](const Pkg& a, const Pkg& b) {
    return std::tie(a.name, a.version, a.source) < std::tie(b.name, b.version, b.source);
  });
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < pkgs.size(); ++i) index[pkgs[i].id] = i;
  nlohmann::json out = {{"packages", nlohmann::json::array()}};
  for (const Pkg& p : pkgs) {
    nlohmann::json j = {{"name", p.name}, {"version", p.version}, {"source", p.source}};
    for (const auto& node : meta["resolve"]["nodes"]) {
      if (node["id"] != p.id) continue;
      std::vector<size_t> deps;
      for (const auto& d : node["deps"]) deps.push_back(index.at(d["pkg"]));
      std::sort(deps.begin(), deps.end());
      if (!deps.empty()) j["dependencies"] = deps;
    }
    if (meta["resolve"]["root"] == p.id) j["root"] = true;
    out["packages"].push_back(j);
  }
  return out.dump();
}

std::string Deflate(const std::string& in) {
  uLongf n = compressBound(in.size());
  std::string out(n, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(in.data()),
            in.size(), 9);
  out.resize(n);
  return out;
}

TEST(RealRustAuditableTest, CargoBuiltBinaryWithDepV0Section) {
  const std::string cargo = "/usr/bin/cargo";  // Debian's toolchain (apt-get install cargo)
  if (!fs::exists(cargo) || !fs::exists("/usr/bin/rustc") || !fs::exists("/usr/bin/objcopy"))
    GTEST_SKIP() << "no Debian Rust toolchain (apt-get install cargo rustc binutils)";
  std::string dir = distill::testing::TempDir();
  distill::testing::WriteDir(
      dir, {
               {"app/Cargo.toml",
                "[package]\nname = \"auditapp\"\nversion = \"0.3.1\"\nedition = \"2021\"\n\n"
                "[dependencies]\nhelper = { path = \"../helper\" }\n"},
               {"app/src/main.rs", "fn main() { println!(\"{}\", helper::greeting()); }\n"},
               {"helper/Cargo.toml",
                "[package]\nname = \"helper\"\nversion = \"1.2.0\"\nedition = \"2021\"\n"},
               {"helper/src/lib.rs", "pub fn greeting() -> &'static str { \"audited\" }\n"},
           });
  std::string env = "cd '" + dir + "/app' && PATH=/usr/bin:/bin CARGO_HOME='" + dir +
                    "/cargo-home' CARGO_TARGET_DIR='" + dir + "/target' RUSTC=/usr/bin/rustc ";
  int rc = 0;
  std::string log = Shell(env + cargo + " build --release --offline 2>&1", &rc);
  ASSERT_EQ(rc, 0) << log;
  std::string meta = Shell(env + cargo + " metadata --format-version 1 --offline 2>/dev/null", &rc);
  ASSERT_EQ(rc, 0);
  std::string json = AuditJson(nlohmann::json::parse(meta));
  ASSERT_TRUE(WriteFileAtomic(dir + "/dep-v0.zlib", Deflate(json)).ok());
  fs::create_directories(dir + "/root/usr/local/bin");
  std::string bin = dir + "/root/usr/local/bin/auditapp";
  log = Shell("objcopy --add-section .dep-v0='" + dir +
                  "/dep-v0.zlib' --set-section-flags .dep-v0=noload,readonly '" + dir +
                  "/target/release/auditapp' '" + bin + "' 2>&1",
              &rc);
  ASSERT_EQ(rc, 0) << log;
  ASSERT_EQ(Shell("'" + bin + "'", &rc), "audited\n");  // still a working program

  auto data = ReadFile(bin);
  ASSERT_TRUE(data.ok());
  auto pkgs = PackagesOfBinary(*data, {"usr/local/bin/auditapp", ""});
  ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
  std::vector<std::string> purls;
  for (const Package& p : *pkgs) purls.push_back(p.purl);
  EXPECT_EQ(purls, (std::vector<std::string>{"pkg:cargo/auditapp@0.3.1", "pkg:cargo/helper@1.2.0"}))
      << json;
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].depends_on, std::vector<std::string>{"helper"});

  // The same through the whole pipeline: a dir: source read like `distill sbom dir:ROOT`.
  CatalogOptions o;
  image::LoadOptions lo;
  lo.plan = CatalogPlan(o);
  auto img = image::LoadImage("dir:" + dir + "/root", lo);
  ASSERT_TRUE(img.ok()) << img.error().message;
  auto c = CatalogImage(img->files, o);
  ASSERT_TRUE(c.ok());
  std::vector<std::string> cataloged;
  for (const Package& p : c->packages) cataloged.push_back(p.purl + " " + p.found_by);
  std::sort(cataloged.begin(), cataloged.end());
  EXPECT_EQ(cataloged,
            (std::vector<std::string>{"pkg:cargo/auditapp@0.3.1 cargo-auditable-binary-cataloger",
                                      "pkg:cargo/helper@1.2.0 cargo-auditable-binary-cataloger"}));
}

}  // namespace
}  // namespace distill::catalog::rust
