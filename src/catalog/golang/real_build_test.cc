// Go binaries as they are really built, each read by the cataloger and checked against the Go
// toolchain's own reader (`go version -m`, debug/buildinfo):
//  - built here with Debian's Go (golang-go) in module mode, with -ldflags -X main.version,
//    stripped (-s -w, and without section headers as sstrip leaves it), static (CGO_ENABLED=0),
//    PIE, with a GOEXPERIMENT, and in GOPATH mode;
//  - the same Go 1.19 binary with its build info header rewritten as Go 1.13-1.17 linked it
//    (pointers to the runtime.buildVersion and runtime.modinfo variables, whose addresses
//    `go tool nm` gives): Go's reader still reads that layout, so it is the oracle;
//  - a real Go 1.15 binary: Debian bullseye's ebnflint package, fetched from the host's apt mirror.
// Skipped without a go toolchain (apt-get install golang-go) or, for the last, without the mirror.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "catalog/golang/cataloger.h"
#include "catalog/golang/parse_buildinfo.h"
#include "testing/image_builder.h"
#include "testing/shell.h"
#include "util/elf.h"
#include "util/file.h"
#include "util/testing/elf_builder.h"
#include "util/text.h"

namespace distill::catalog::golang {
namespace {

namespace fs = std::filesystem;
using distill::testing::Shell;
using S = std::set<std::string>;

// What `go version -m FILE` prints: the toolchain version, then "\tpath\t...", "\tmod\t...",
// "\tdep\t...", "\t=>\t..." and "\tbuild\t..." lines.
struct GoVersionM {
  std::string go_version;
  S modules;  // "path@version" of mod and dep lines, replacements applied as the cataloger does
  std::vector<std::string> lines;
};

GoVersionM Oracle(const std::string& env, const std::string& file) {
  int rc = 0;
  std::string out = Shell(env + "go version -m '" + file + "'", &rc);
  EXPECT_EQ(rc, 0) << out;
  GoVersionM m;
  std::vector<std::pair<std::string, std::string>> mods;
  ForEachLine(out, [&](int n, std::string_view line) {
    if (n == 1) {
      m.go_version = std::string(line.substr(line.find(": ") + 2));
      EXPECT_TRUE(m.go_version.starts_with("go"))
          << line;  // "FILE: not executable file" exits 0 too
      return true;
    }
    if (line.empty()) return true;
    m.lines.emplace_back(line);
    auto f = Split(line.substr(1), '\t');
    if ((f[0] == "mod" || f[0] == "dep") && f.size() >= 3) mods.emplace_back(f[1], f[2]);
    if (f[0] == "=>" && !mods.empty()) {
      if (!f[1].starts_with(".") && !f[1].starts_with("/")) mods.back().first = std::string(f[1]);
      mods.back().second = f.size() >= 3 && !f[2].empty() ? std::string(f[2]) : "(devel)";
    }
    return true;
  });
  for (const auto& [path, version] : mods) m.modules.insert(path + "@" + version);
  return m;
}

S Catalogued(const std::string& binary) {
  auto pkgs = PackagesOfBinary(binary, {"usr/local/bin/app", ""});
  EXPECT_TRUE(pkgs.ok()) << pkgs.error().message;
  S out;
  if (pkgs.ok())
    for (const Package& p : *pkgs) out.insert(p.name + "@" + p.version);
  return out;
}

// `go version` reads only executable files.
void WriteExecutable(const std::string& path, const std::string& data) {
  ASSERT_TRUE(WriteFileAtomic(path, data).ok());
  fs::permissions(path, fs::perms::owner_exec, fs::perm_options::add);
}

bool HaveGo() {
  int rc = 0;
  Shell("command -v go >/dev/null", &rc);
  return rc == 0;
}

// One GOCACHE for the suite: the standard library is compiled once per configuration.
class RealGoBuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cache_ = distill::testing::TempDir(); }
  void SetUp() override {
    if (!HaveGo()) GTEST_SKIP() << "no go toolchain (apt-get install golang-go)";
    dir_ = distill::testing::TempDir();
    Write("src/go.mod", "module example.com/app\n\ngo 1.19\n");
    Write("src/main.go",
          "package main\n\nimport \"fmt\"\n\nvar version = \"dev\"\n\nfunc main() { "
          "fmt.Println(version) }\n");
  }
  void Write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(dir_ + "/" + path).parent_path());
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/" + path, text).ok());
  }
  std::string Env(const std::string& extra = "") const {
    return "cd '" + dir_ + "/src' && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOCACHE='" +
           cache_ + "' GOPATH='" + dir_ + "/gopath' " + extra + " ";
  }
  // Builds ./src with `env` and `flags` into dir_/name; its path.
  std::string Build(const std::string& name, const std::string& env, const std::string& flags) {
    int rc = 0;
    std::string out = dir_ + "/" + name;
    std::string log = Shell(Env(env) + "go build " + flags + " -o '" + out + "' . 2>&1", &rc);
    EXPECT_EQ(rc, 0) << log;
    return out;
  }

  static inline std::string cache_;
  std::string dir_;
};

struct Variant {
  std::string name, env, flags;
  std::string main_version;  // what the cataloger reports for example.com/app
};

TEST_F(RealGoBuildTest, EveryBuildModeEqualsGoVersionM) {
  const std::vector<Variant> variants = {
      {"default", "", "", "(devel)"},
      {"ldflags-version", "", "-ldflags '-X main.version=1.2.3'", "v1.2.3"},
      {"ldflags-quoted", "", "-ldflags \"-s -w -X 'main.version=v2.0.1-rc.1'\"", "v2.0.1-rc.1"},
      {"stripped", "", "-ldflags '-s -w'", "(devel)"},
      {"static", "CGO_ENABLED=0", "", "(devel)"},
      {"pie", "", "-buildmode=pie", "(devel)"},
      {"experiment", "GOEXPERIMENT=fieldtrack", "", "(devel)"},
  };
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    std::string bin = Build(v.name, v.env, v.flags);
    auto data = ReadFile(bin);
    ASSERT_TRUE(data.ok());
    GoVersionM want = Oracle(Env(), bin);
    auto bi = ReadBuildInfo(*data);
    ASSERT_TRUE(bi.ok()) << bi.error().message;
    EXPECT_EQ(bi->go_version, want.go_version);
    if (v.env.starts_with("GOEXPERIMENT")) {
      EXPECT_TRUE(want.go_version.ends_with(" X:fieldtrack")) << want.go_version;
    }
    ASSERT_TRUE(want.modules.count("example.com/app@(devel)"));
    S expected = want.modules;
    expected.erase("example.com/app@(devel)");
    expected.insert("example.com/app@" + v.main_version);
    expected.insert("stdlib@" + std::string(ToolchainVersion(want.go_version)));
    EXPECT_EQ(Catalogued(*data), expected);
  }
}

// sstrip-like: the section header table gone (e_shoff, e_shnum, e_shstrndx zeroed); Go's reader
// then finds the header at the start of the first writable segment, and so do we.
TEST_F(RealGoBuildTest, NoSectionHeaders) {
  std::string bin = Build("app", "CGO_ENABLED=0", "-ldflags '-s -w'");
  std::string data = *ReadFile(bin);
  elf::testing::PutLE(&data, 0x28, 0, 8);
  elf::testing::PutLE(&data, 0x3C, 0, 2);
  elf::testing::PutLE(&data, 0x3E, 0, 2);
  ASSERT_FALSE(elf::Section(data, kBuildInfoSection)->has_value());
  WriteExecutable(bin + ".sstrip", data);
  GoVersionM want = Oracle(Env(), bin + ".sstrip");
  EXPECT_EQ(want.lines, Oracle(Env(), bin).lines);
  EXPECT_EQ(Catalogued(data), (S{"example.com/app@(devel)", "stdlib@" + want.go_version}));
}

// GO111MODULE=off: a "path" line and build settings, no module; the package path names the main
// module (as syft), and -X still gives its version.
TEST_F(RealGoBuildTest, GopathMode) {
  Write("gopath/src/example.com/app/main.go", *ReadFile(dir_ + "/src/main.go"));
  int rc = 0;
  std::string gopath = dir_ + "/gopath";
  std::string env = "cd '" + gopath + "/src/example.com/app' && GO111MODULE=off GOPATH='" + gopath +
                    "' GOCACHE='" + cache_ + "' ";
  std::string log = Shell(
      env + "go build -ldflags '-X main.version=0.4.0' -o '" + dir_ + "/gopath-app' . 2>&1", &rc);
  ASSERT_EQ(rc, 0) << log;
  GoVersionM want = Oracle(env, dir_ + "/gopath-app");
  EXPECT_TRUE(want.modules.empty());
  EXPECT_EQ(want.lines.at(0), "\tpath\texample.com/app");
  EXPECT_EQ(Catalogued(*ReadFile(dir_ + "/gopath-app")),
            (S{"example.com/app@v0.4.0", "stdlib@" + want.go_version}));
}

// The layout of Go 1.13-1.17 made from a Go 1.19 binary: the .go.buildinfo header's flags byte
// set to 0 (little endian, pointers), its two pointer fields set to the addresses of the
// runtime.buildVersion and runtime.modinfo string variables (which Go 1.19 still links, from
// `go tool nm`), and the inline strings after the 32-byte header zeroed. Go 1.17's linker wrote
// exactly that header (cmd/link/internal/ld/data.go, go1.17: two R_ADDR relocations to those
// symbols).
TEST_F(RealGoBuildTest, Go117PointerLayout) {
  std::string bin = Build("app", "", "-ldflags '-X main.version=1.2.3'");
  std::string data = *ReadFile(bin);
  int rc = 0;
  std::string nm = Shell(Env() + "go tool nm '" + bin + "'", &rc);
  ASSERT_EQ(rc, 0);
  uint64_t version_var = 0, modinfo_var = 0;
  std::istringstream symbols(nm);
  for (std::string addr, type, name;
       symbols >> addr >> type >> name;) {  // "  521fe0 D runtime.buildVersion"
    if (name == "runtime.buildVersion") version_var = std::stoull(addr, nullptr, 16);
    if (name == "runtime.modinfo") modinfo_var = std::stoull(addr, nullptr, 16);
  }
  ASSERT_NE(version_var, 0u);
  ASSERT_NE(modinfo_var, 0u);
  auto sec = elf::Section(data, kBuildInfoSection);
  ASSERT_TRUE(sec.ok() && sec->has_value());
  const size_t off = static_cast<size_t>((*sec)->data() - data.data()), size = (*sec)->size();
  data[off + 15] = 0;
  elf::testing::PutLE(&data, off + 16, version_var, 8);
  elf::testing::PutLE(&data, off + 24, modinfo_var, 8);
  std::fill(data.begin() + off + 32, data.begin() + off + size, '\0');
  WriteExecutable(bin + ".go117", data);
  GoVersionM want = Oracle(Env(), bin + ".go117");
  EXPECT_EQ(want.lines, Oracle(Env(), bin).lines);  // Go reads the same build info from both
  auto bi = ReadBuildInfo(data);
  ASSERT_TRUE(bi.ok()) << bi.error().message;
  EXPECT_EQ(bi->go_version, want.go_version);
  EXPECT_EQ(bi->Setting("-ldflags"), "-X main.version=1.2.3");
  EXPECT_EQ(Catalogued(data), Catalogued(*ReadFile(bin)));
  EXPECT_EQ(Catalogued(data), (S{"example.com/app@v1.2.3", "stdlib@" + want.go_version}));
}

// The first http(s) Debian archive URI of the host's apt configuration whose suites are not
// security ones ("" when none), from one-line sources.list files and deb822 .sources stanzas. The
// pool is shared by every suite, so the bullseye file is asked of that same mirror.
std::string DebianMirror() {
  std::vector<std::string> files = {"/etc/apt/sources.list"};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/etc/apt/sources.list.d", ec))
    files.push_back(e.path().string());
  auto usable = [](const std::string& uri, const std::string& suite) {
    return (uri.starts_with("http://") || uri.starts_with("https://")) &&
           suite.find("security") == std::string::npos;
  };
  for (const std::string& f : files) {
    if (!f.ends_with(".list") && !f.ends_with(".sources")) continue;
    auto text = ReadFile(f);
    if (!text.ok()) continue;
    std::string found, types, uri, suite;
    auto stanza_end = [&] {
      if (found.empty() && types.find("deb") != std::string::npos && usable(uri, suite))
        found = uri;
      types.clear(), uri.clear(), suite.clear();
    };
    ForEachLine(*text, [&](int, std::string_view line) {
      std::vector<std::string> w;
      for (std::string_view x : Split(line, ' '))
        if (!x.empty()) w.emplace_back(x);
      if (w.empty()) {
        stanza_end();
      } else if (w[0] == "Types:") {
        types = std::string(line);
      } else if (w[0] == "URIs:" && w.size() >= 2) {
        uri = w[1];
      } else if (w[0] == "Suites:" && w.size() >= 2) {
        suite = w[1];
      } else if (w[0] == "deb") {  // deb [options] uri suite components
        size_t i = 1;
        if (i < w.size() && w[i].starts_with("[")) {
          while (i < w.size() && !w[i].ends_with("]")) ++i;
          ++i;
        }
        if (found.empty() && i + 1 < w.size() && usable(w[i], w[i + 1])) found = w[i];
      }
      return true;
    });
    stanza_end();
    while (found.ends_with("/")) found.pop_back();
    if (!found.empty()) return found;
  }
  return "";
}

// ebnflint 0.0~git20181112.a3060d4-2+b6 (bullseye main, amd64), Built-Using: golang-1.15 (=
// 1.15.9-6): a GOPATH-mode Go 1.15.9 binary, pointer-format build info with an empty
// runtime.modinfo. The .deb is pinned by the SHA256 of bullseye's Packages index.
TEST(RealGoPre118Test, DebianBullseyeGo115Binary) {
  if (!HaveGo()) GTEST_SKIP() << "no go toolchain (apt-get install golang-go)";
  std::string mirror = DebianMirror();
  if (mirror.empty()) GTEST_SKIP() << "no Debian mirror in the apt configuration";
  const std::string deb = "ebnflint_0.0~git20181112.a3060d4-2+b6_amd64.deb";
  const std::string sha256 = "6e13259846a9f3ebab323c0a324e97524e83c87bc79635b29de7b1292627c807";
  std::string dir = distill::testing::TempDir();
  int rc = 0;
  std::string log = Shell("/usr/lib/apt/apt-helper download-file '" + mirror +
                              "/pool/main/g/golang-golang-x-exp/" + deb + "' '" + dir + "/" + deb +
                              "' SHA256:" + sha256 + " 2>&1",
                          &rc);
  if (rc != 0) GTEST_SKIP() << "the mirror does not serve bullseye's " << deb << ": " << log;
  log = Shell("dpkg-deb -x '" + dir + "/" + deb + "' '" + dir + "/root' 2>&1", &rc);
  ASSERT_EQ(rc, 0) << log;
  const std::string bin = dir + "/root/usr/bin/ebnflint";
  std::string data = *ReadFile(bin);
  auto sec = elf::Section(data, kBuildInfoSection);
  ASSERT_TRUE(sec.ok() && sec->has_value());
  ASSERT_EQ((*sec)->size(), 32u);  // the header alone
  EXPECT_EQ((**sec)[15], '\0');    // pointers, little endian
  GoVersionM want = Oracle("GOTOOLCHAIN=local ", bin);
  EXPECT_EQ(want.go_version, "go1.15.9");
  EXPECT_TRUE(want.lines.empty());
  auto pkgs = PackagesOfBinary(data, {"usr/bin/ebnflint", ""});
  ASSERT_TRUE(pkgs.ok()) << pkgs.error().message;
  ASSERT_EQ(pkgs->size(), 1u);
  EXPECT_EQ((*pkgs)[0].name + " " + (*pkgs)[0].version + " " + (*pkgs)[0].purl,
            "stdlib go1.15.9 pkg:golang/stdlib@1.15.9");
  EXPECT_EQ((*pkgs)[0].arch, "");  // Go 1.15 recorded no build settings
}

}  // namespace
}  // namespace distill::catalog::golang
