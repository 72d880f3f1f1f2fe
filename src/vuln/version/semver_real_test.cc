// RealGoSemverOracle: distill's Go dialect against golang.org/x/mod/semver itself, the copy
// vendored in the installed Go toolchain (Debian golang-go: GOROOT/src/cmd/vendor/...). The
// test builds a tiny oracle program around it under <build>/go-oracle (nothing is copied into
// the repository) and feeds it generated versions: shorthands, pre-releases with leading
// zeros, pseudo-versions, +incompatible and malformed strings.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "vuln/version/semver.h"
#include "vuln/version/testing/vectors.h"

namespace distill::vuln::version::semver {
namespace {

using namespace testing;
namespace fs = std::filesystem;

std::string BuildGoOracle() {
  std::vector<std::string> goroot = RunOracle("go env GOROOT", "");
  if (goroot.empty()) return "";
  fs::path src = fs::path(goroot[0]) / "src/cmd/vendor/golang.org/x/mod/semver/semver.go";
  fs::path dir = fs::path(DISTILL_BINARY).parent_path() / "go-oracle";
  if (!fs::exists(src)) return "";
  fs::create_directories(dir / "semver");
  fs::copy_file(src, dir / "semver/semver.go", fs::copy_options::overwrite_existing);
  std::ofstream(dir / "go.mod") << "module oracle\n\ngo 1.19\n";
  std::ofstream(dir / "main.go") << R"(package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"oracle/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		fmt.Println(semver.IsValid(f[0]), semver.IsValid(f[1]), semver.Compare(f[0], f[1]))
	}
}
)";
  std::string d = dir.string();
  if (!HaveCommand("cd '" + d + "' && GOCACHE='" + d +
                   "/cache' GOFLAGS=-mod=mod go build -o oracle ."))
    return "";
  return d + "/oracle";
}

std::string Generate(Rng& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  std::string v = pick({"v", "v", "v", "v", "", "V"}) + pick({"0", "1", "2", "01", "10"});
  if (rng.Below(6)) {
    v += "." + pick({"0", "1", "2", "00", "10"});
    if (rng.Below(5)) v += "." + pick({"0", "1", "3", "01", "12"});
  }
  if (rng.Below(3) == 0) {
    v += pick({"-0.20191109021931-daa7c04131f5", "-20191109021931-daa7c04131f5", "-pre", "-rc.1",
               "-rc.01", "-0", "-alpha.beta", "-x-y", "-", "-a..b",
               "-0.20200101000000-abcdefabcdef"});
  }
  if (rng.Below(5) == 0) v += pick({"+incompatible", "+meta.1", "+", "+a_b"});
  return v;
}

TEST(RealGoSemverOracle, GeneratedVersions) {
  if (!HaveCommand("go version")) GTEST_SKIP() << "go not installed";
  std::string oracle = BuildGoOracle();
  ASSERT_FALSE(oracle.empty()) << "could not build the Go oracle";
  Rng rng{1};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 8000; ++i) pairs.emplace_back(Generate(rng), Generate(rng));
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  std::vector<std::string> out = RunOracle(oracle, input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0;
  for (size_t i = 0; i < pairs.size() && mismatches < 20; ++i) {
    const auto& [a, b] = pairs[i];
    // x/mod/semver wants the canonical 'v'; distill also takes OSV's v-less spelling, so the
    // oracle's verdict applies to the strings that have it.
    bool has_v = !a.empty() && a[0] == 'v' && !b.empty() && b[0] == 'v';
    if (!has_v) continue;
    bool va = ValidateGo(a).ok(), vb = ValidateGo(b).ok();
    // Go orders invalid below valid and two invalid as equal.
    int c = va && vb ? *CompareGo(a, b) : va ? 1 : vb ? -1 : 0;
    std::string mine = std::string(va ? "true" : "false") + " " + (vb ? "true" : "false") + " " +
                       std::to_string(c);
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << a << " vs " << b << ": distill \"" << mine << "\", go \"" << out[i] << "\"";
    }
    // The v-less spelling must agree with the v spelling.
    if (va && vb) EXPECT_EQ(*CompareGo(a.substr(1), b), c) << a;
  }
}

// RealCargoSemverOracle: the crates.io dialect against the Rust `semver` crate that cargo
// uses (Debian librust-semver-dev sources, built offline under <build>/cargo-oracle).
// Precedence: the crate's Ord with build metadata cleared (SemVer §11 ignores it).
constexpr const char* kSemverCrate = "/usr/share/cargo/registry/semver-1.0.14";

std::string BuildCargoOracle() {
  if (!fs::exists(kSemverCrate)) return "";
  fs::path dir = fs::path(DISTILL_BINARY).parent_path() / "cargo-oracle";
  fs::create_directories(dir / "src");
  std::ofstream(dir / "Cargo.toml")
      << "[package]\nname = \"oracle\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
      << "[dependencies]\nsemver = { path = \"" << kSemverCrate << "\" }\n";
  std::ofstream(dir / "src/main.rs") << R"(use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let f: Vec<&str> = line.split('\t').collect();
        match (semver::Version::parse(f[0]), semver::Version::parse(f[1])) {
            (Ok(mut a), Ok(mut b)) => {
                a.build = semver::BuildMetadata::EMPTY;
                b.build = semver::BuildMetadata::EMPTY;
                println!("{}", a.cmp(&b) as i32);
            }
            (a, b) => println!("invalid {} {}", a.is_ok(), b.is_ok()),
        }
    }
}
)";
  std::string d = dir.string();
  if (!HaveCommand("cd '" + d + "' && CARGO_TARGET_DIR='" + d +
                   "/target' cargo build --offline --release -q"))
    return "";
  return d + "/target/release/oracle";
}

std::string GenerateCargo(Rng& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng.Below(xs.size())]);
  };
  std::string v = pick({"0", "1", "2", "01", "10", "18446744073709551615", "18446744073709551616"});
  v += "." + pick({"0", "1", "2", "00", "10"});
  if (rng.Below(8)) v += "." + pick({"0", "1", "3", "01", "12"});
  if (rng.Below(3) == 0) {
    v += pick({"-pre", "-rc.1", "-rc.01", "-0", "-alpha.beta", "-x-y", "-", "-a..b", "-1.2.3",
               "-99999999999999999999999", "-A", "-a_b"});
  }
  if (rng.Below(5) == 0) v += pick({"+build", "+001", "+", "+a.b", "+a..b"});
  if (rng.Below(20) == 0) v = pick({"v", " ", "="}) + v;
  return v;
}

TEST(RealCargoSemverOracle, GeneratedVersions) {
  if (!HaveCommand("cargo --version")) GTEST_SKIP() << "cargo not installed";
  std::string oracle = BuildCargoOracle();
  if (oracle.empty())
    GTEST_SKIP() << "semver crate sources (librust-semver-dev) missing or build failed";
  Rng rng{9};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 8000; ++i) pairs.emplace_back(GenerateCargo(rng), GenerateCargo(rng));
  std::string input;
  for (const auto& [a, b] : pairs) input += a + "\t" + b + "\n";
  std::vector<std::string> out = RunOracle(oracle, input);
  ASSERT_EQ(out.size(), pairs.size());
  int mismatches = 0;
  for (size_t i = 0; i < pairs.size() && mismatches < 20; ++i) {
    const auto& [a, b] = pairs[i];
    auto r = CompareCargo(a, b);
    std::string mine = r.ok()
                           ? std::to_string(*r)
                           : std::string("invalid ") + (ValidateCargo(a).ok() ? "true" : "false") +
                                 " " + (ValidateCargo(b).ok() ? "true" : "false");
    if (mine != out[i]) {
      ++mismatches;
      ADD_FAILURE() << a << " vs " << b << ": distill \"" << mine << "\", semver crate \"" << out[i]
                    << "\"";
    }
  }
}

}  // namespace
}  // namespace distill::vuln::version::semver
