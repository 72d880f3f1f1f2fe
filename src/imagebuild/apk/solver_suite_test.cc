// Runs apk-tools' solver conformance suite (tests/fixtures/apk/apk-tools-solver, from
// alpinelinux/apk-tools test/solver) through Resolve. Each case is "@ARGS apk arguments",
// "@REPO [@tag] file", "@INSTALLED file", "@WORLD atoms", then "@EXPECT" and `apk --simulate`'s
// output: "(1/2) Installing b (2)" lines, or an error. The cases that build from nothing (no
// @INSTALLED, `apk add` with a world) apply to an image build and must all pass: the same
// packages in the same order, or a failure where apk fails. The others (upgrades, removals, fix,
// packages already installed, --force-broken-world, add -t) are counted as not applicable.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "imagebuild/apk/index.h"
#include "imagebuild/apk/solver.h"
#include "imagebuild/apk/world.h"
#include "util/file.h"

namespace distill::imagebuild::apk {
namespace {

std::string SuiteDir() {
  return std::string(DISTILL_SOURCE_DIR) + "/tests/fixtures/apk/apk-tools-solver";
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> repos;  // {tag, file}
  bool installed = false;
  std::vector<std::string> world;
  std::vector<std::string> expect;
};

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

Case ReadCase(const std::string& name) {
  Case c{name};
  std::string text = ReadFile(SuiteDir() + "/" + name).value();
  std::istringstream in(text);
  bool expect = false;
  for (std::string line; std::getline(in, line);) {
    if (expect) {
      c.expect.push_back(line);
      continue;
    }
    auto words = Words(line);
    if (words.empty()) continue;
    std::vector<std::string> rest(words.begin() + 1, words.end());
    if (words[0] == "@ARGS") c.args = rest;
    if (words[0] == "@REPO" || words[0] == "@CACHE") {
      // A package cache is a local repository of the same packages.
      if (rest.size() == 2) c.repos.push_back({rest[0].substr(1), rest[1]});
      if (rest.size() == 1) c.repos.push_back({"", rest[0]});
    }
    if (words[0] == "@INSTALLED") c.installed = true;
    if (words[0] == "@WORLD") c.world = rest;
    if (words[0] == "@EXPECT") expect = true;
  }
  return c;
}

// Why the case does not apply to building an image from nothing, or "".
std::string NotApplicable(const Case& c, std::vector<std::string>* atoms) {
  if (c.installed) return "starts from installed packages (@INSTALLED)";
  size_t i = 0;
  while (i < c.args.size() && c.args[i].starts_with("-")) {
    if (c.args[i] == "--force-broken-world") {
      return "--force-broken-world installs part of a world; a build installs all of it or fails";
    }
    ++i;
  }
  if (i == c.args.size() || c.args[i] != "add") {
    return fmt::format("`apk {}` changes an installed system", i < c.args.size() ? c.args[i] : "");
  }
  *atoms = c.world;
  for (++i; i < c.args.size(); ++i) {
    if (c.args[i] == "-t" || c.args[i] == "--virtual") {
      return "`add -t` makes a virtual package on the fly";
    }
    if (!c.args[i].starts_with("-")) atoms->push_back(c.args[i]);
  }
  return "";
}

// "b (2)" for "(1/2) Installing b (2)"; the rest of apk's output is not compared.
std::vector<std::string> ExpectedInstalls(const Case& c) {
  std::vector<std::string> out;
  for (const std::string& line : c.expect) {
    size_t at = line.find(") Installing ");
    if (line.starts_with("(") && at != std::string::npos) {
      out.push_back(line.substr(at + 13));
    }
  }
  return out;
}

bool ExpectsError(const Case& c) {
  return std::any_of(c.expect.begin(), c.expect.end(),
                     [](const std::string& l) { return l.starts_with("ERROR"); });
}

// What we do for the case: the installs as apk prints them, or "error: ...".
std::vector<std::string> RunCase(const Case& c, const std::vector<std::string>& atoms) {
  std::vector<Dependency> world;
  for (const std::string& a : atoms) {
    auto dep = ParseDependency(a);
    if (!dep.ok()) return {"error: " + dep.error().message};
    world.push_back(std::move(*dep));
  }
  std::vector<Repository> repos;
  for (const auto& [tag, file] : c.repos) {
    std::string text = ReadFile(SuiteDir() + "/" + file).value();
    auto entries = ParseIndex(text, file);
    if (!entries.ok()) return {"error: " + entries.error().message};
    repos.push_back(Repository{file, tag, std::move(*entries)});
  }
  auto got = Resolve(world, repos, ResolveOptions{"x86_64"});
  if (!got.ok()) return {"error: " + got.error().message};
  std::vector<std::string> out;
  for (const ResolvedPackage& p : got->packages) {
    out.push_back(fmt::format("{}{}{} ({})", p.entry->name, p.tag.empty() ? "" : "@", p.tag,
                              p.entry->version));
  }
  return out;
}

std::vector<std::string> TestNames() {
  std::vector<std::string> names;
  DIR* d = opendir(SuiteDir().c_str());
  if (!d) return names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.ends_with(".test")) names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ApkSolverSuiteTest, EveryCaseThatBuildsFromNothingPasses) {
  auto names = TestNames();
  ASSERT_EQ(names.size(), 119u);
  int applicable = 0, passed = 0;
  std::map<std::string, std::vector<std::string>> not_applicable;  // reason -> cases
  for (const std::string& name : names) {
    Case c = ReadCase(name);
    std::vector<std::string> atoms;
    std::string why = NotApplicable(c, &atoms);
    if (!why.empty()) {
      not_applicable[why].push_back(name);
      continue;
    }
    ++applicable;
    std::vector<std::string> got = RunCase(c, atoms);
    bool failed = got.size() == 1 && got[0].starts_with("error: ");
    if (ExpectsError(c)) {
      EXPECT_TRUE(failed) << name << ": apk fails, we install " << fmt::format("{}", got.size());
      passed += failed;
      if (failed) printf("  %s: fails as apk does: %s\n", name.c_str(), got[0].c_str() + 7);
    } else {
      auto want = ExpectedInstalls(c);
      EXPECT_EQ(got, want) << name;
      passed += got == want;
    }
  }
  printf("%d of %d applicable cases pass (%zu cases in all)\n", passed, applicable, names.size());
  for (const auto& [why, cases] : not_applicable) {
    printf("not applicable (%zu): %s:", cases.size(), why.c_str());
    for (const auto& n : cases) printf(" %s", n.substr(0, n.size() - 5).c_str());
    printf("\n");
  }
  EXPECT_EQ(passed, applicable);
  EXPECT_GE(applicable, 60);  // the classification cannot quietly drop cases
}

}  // namespace
}  // namespace distill::imagebuild::apk
