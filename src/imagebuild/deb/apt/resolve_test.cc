#include <gtest/gtest.h>

#include "imagebuild/deb/apt/apt.h"

namespace distill::imagebuild::apt {
namespace {

// A small index written as text: "name version [arch] | Field: value | Field: value".
PackageInfo Pkg(std::string name, std::string version,
                std::vector<std::pair<std::string, std::string>> fields = {},
                std::string arch = "amd64") {
  PackageInfo p;
  p.ref = {name, version, arch, "file:/r/" + name + ".deb", std::string(64, 'a'), 1};
  for (auto& [k, v] : fields) {
    if (k == "Depends")
      p.depends = v;
    else if (k == "Pre-Depends")
      p.pre_depends = v;
    else if (k == "Provides")
      p.provides = v;
    else if (k == "Conflicts")
      p.conflicts = v;
    else if (k == "Breaks")
      p.breaks = v;
    else if (k == "Multi-Arch")
      p.multi_arch = v;
    else if (k == "Priority")
      p.priority = v;
    else
      ADD_FAILURE() << k;
  }
  return p;
}

std::string Names(const Result<std::vector<Resolved>>& result) {
  if (!result.ok()) return "error: " + result.error().message;
  std::string s;
  for (const auto& x : *result)
    s += (s.empty() ? "" : " ") + x.pkg.ref.name + "=" + x.pkg.ref.version;
  return s;
}

std::string Solve(const Index& idx, std::vector<std::string> req, bool deps = true) {
  return Names(Resolve(idx, req, {deps}));
}

TEST(AptResolveTest, DependsAndPreDependsTransitively) {
  auto idx = Index::From({Pkg("app", "1", {{"Depends", "libb (>= 2)"}, {"Pre-Depends", "libc"}}),
                          Pkg("libb", "2.1", {{"Depends", "libc (>= 1)"}}), Pkg("libc", "1.5"),
                          Pkg("unrelated", "1")});
  EXPECT_EQ(Solve(idx, {"app"}), "app=1 libb=2.1 libc=1.5");
  EXPECT_EQ(Solve(idx, {"app"}, false), "app=1");
  auto r = Resolve(idx, {"app"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].reason, "requested");
  EXPECT_EQ((*r)[1].reason, "app → Depends: libb (>= 2)");
  EXPECT_EQ((*r)[2].reason, "app → Pre-Depends: libc");
}

TEST(AptResolveTest, NewestVersionWinsAndConstraintsUseDpkgOrder) {
  auto idx = Index::From({Pkg("app", "1", {{"Depends", "lib (>= 1.0~rc1), lib (<< 1.0.1)"}}),
                          Pkg("lib", "1.0~rc2"), Pkg("lib", "1.0"), Pkg("lib", "0.9")});
  EXPECT_EQ(Solve(idx, {"app"}), "app=1 lib=1.0");
  EXPECT_EQ(idx.Find("lib")->ref.version, "1.0");
  EXPECT_EQ(idx.Versions("lib").size(), 3u);
  // An exact request picks an older version.
  EXPECT_EQ(Solve(idx, {"lib=0.9"}), "lib=0.9");
  EXPECT_EQ(
      Solve(idx, {"lib=7"}),
      "error: package 'lib': no version 7 (the index has 1.0 amd64, 1.0~rc2 amd64, 0.9 amd64)");
}

TEST(AptResolveTest, CandidateOnlyLikeApt) {
  // apt never falls back to an older version to satisfy "<<": the candidate does not, so it fails.
  auto idx =
      Index::From({Pkg("app", "1", {{"Depends", "lib (<< 2)"}}), Pkg("lib", "2"), Pkg("lib", "1")});
  EXPECT_EQ(Solve(idx, {"app"}),
            "error: unsatisfiable dependency: app → Depends: lib (<< 2) (lib 2 (amd64) does not "
            "satisfy lib (<< 2))");
}

TEST(AptResolveTest, AlternativesFirstSatisfiableAndPreferSelected) {
  auto idx =
      Index::From({Pkg("a", "1", {{"Depends", "missing | y (>= 2) | x"}}), Pkg("x", "1"),
                   Pkg("y", "1"), Pkg("b", "1", {{"Depends", "x | y"}, {"Pre-Depends", "y"}})});
  // "missing" is not there, y is too old: x.
  EXPECT_EQ(Solve(idx, {"a"}), "a=1 x=1");
  // b needs y anyway (no alternative), so "x | y" is already satisfied by y: x is not pulled in.
  EXPECT_EQ(Solve(idx, {"b"}), "b=1 y=1");
  auto r = Resolve(idx, {"b"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1].reason, "b → Pre-Depends: y");
}

TEST(AptResolveTest, VirtualPackages) {
  auto idx = Index::From({Pkg("app", "1", {{"Depends", "awk, mta (>= 2)"}}),
                          Pkg("mawk", "1.3", {{"Provides", "awk"}, {"Priority", "required"}}),
                          Pkg("gawk", "5", {{"Provides", "awk"}, {"Priority", "optional"}}),
                          Pkg("exim", "4", {{"Provides", "mta (= 2.5)"}}),
                          Pkg("postfix", "3", {{"Provides", "mta"}}),
                          Pkg("only", "1", {{"Provides", "solo"}})});
  // awk: the higher Priority provider; mta (>= 2): only a versioned Provides can satisfy it.
  EXPECT_EQ(Solve(idx, {"app"}), "app=1 exim=4 mawk=1.3");
  EXPECT_EQ(Solve(idx, {"solo"}), "only=1")
      << "a virtual with one provider is that provider, as apt says 'selecting'";
  EXPECT_EQ(Solve(idx, {"awk"}),
            "error: 'awk' is a virtual package provided by: gawk, mawk; request one of them");
  EXPECT_EQ(idx.Providers("awk").size(), 2u);
  // Already selected gawk satisfies awk.
  EXPECT_EQ(Solve(idx, {"gawk", "app"}), "app=1 exim=4 gawk=5");
}

TEST(AptResolveTest, ArchQualifiersAndMultiArch) {
  auto idx = Index::From({Pkg("tool", "1", {{"Depends", "python3:any, perl:any, libz:native"}}),
                          Pkg("python3", "3.11", {{"Multi-Arch", "allowed"}}),
                          Pkg("perl", "5", {{"Multi-Arch", "foreign"}}),
                          Pkg("libz", "1", {{"Multi-Arch", "same"}}), Pkg("doc", "1", {}, "all"),
                          Pkg("x", "1", {{"Depends", "doc, libz:amd64"}})});
  // perl is not Multi-Arch: allowed, so perl:any cannot be satisfied (dpkg and apt agree).
  EXPECT_EQ(Solve(idx, {"tool"}),
            "error: unsatisfiable dependency: tool → Depends: perl:any (perl 5 (amd64) does not "
            "satisfy perl:any)");
  EXPECT_EQ(Solve(idx, {"x"}), "doc=1 libz=1 x=1")
      << "arch all satisfies plain deps; :amd64 names the arch";
}

TEST(AptResolveTest, ConflictsAndBreaksAreErrors) {
  auto idx = Index::From(
      {Pkg("a", "1", {{"Depends", "b"}}), Pkg("b", "1", {{"Breaks", "c (<< 2)"}}), Pkg("c", "1"),
       Pkg("d", "1", {{"Conflicts", "mail"}}), Pkg("e", "1", {{"Provides", "mail"}}),
       Pkg("self", "1", {{"Conflicts", "mail"}, {"Provides", "mail"}})});
  EXPECT_EQ(Solve(idx, {"a", "c"}),
            "error: b 1 Breaks: c (<< 2), but c 1 is in the set (requested)");
  EXPECT_EQ(Solve(idx, {"d", "e"}),
            "error: d 1 Conflicts: mail, but e 1 is in the set (requested)");
  EXPECT_EQ(Solve(idx, {"self"}), "self=1")
      << "a package that conflicts with what it provides is fine alone";
  EXPECT_EQ(Solve(idx, {"a"}), "a=1 b=1");
}

TEST(AptResolveTest, UnknownAndUnsatisfiable) {
  auto idx = Index::From({Pkg("python3", "3.11", {{"Depends", "python3.11"}}),
                          Pkg("python3.11", "3.11", {{"Depends", "libpython3.11-stdlib (= 3.11)"}}),
                          Pkg("libpython3.11-stdlib", "3.10"), Pkg("python3-flask", "2")});
  EXPECT_EQ(Solve(idx, {"pyhton3"}), "error: unknown package 'pyhton3'; did you mean: python3");
  EXPECT_EQ(Solve(idx, {"python3"}),
            "error: unsatisfiable dependency: python3 → python3.11 → Depends: libpython3.11-stdlib "
            "(= 3.11) "
            "(libpython3.11-stdlib 3.10 (amd64) does not satisfy libpython3.11-stdlib (= 3.11))");
  EXPECT_EQ(Solve(idx, {}), "error: no packages requested");
  auto bad = Index::From({Pkg("a", "1", {{"Depends", "b (>= "}})});
  EXPECT_EQ(Solve(bad, {"a"}), "error: a 1: Depends: 'b (>=': missing ')'");
}

TEST(AptResolveTest, CycleAndDuplicateRequests) {
  auto idx =
      Index::From({Pkg("a", "1", {{"Depends", "b"}}), Pkg("b", "1", {{"Pre-Depends", "a"}})});
  EXPECT_EQ(Solve(idx, {"a", "a", "b"}), "a=1 b=1");
}

}  // namespace
}  // namespace distill::imagebuild::apt
