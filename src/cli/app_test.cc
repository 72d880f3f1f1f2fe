// The command line as users meet it, through the real binary: a mistyped or missing command, the
// completion scripts (run by the real shells) and the manual page (checked by groff).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "testing/image_builder.h"
#include "testing/shell.h"

namespace distill::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

testing::Ran Distill(const std::string& args) {
  return testing::Run(std::string(DISTILL_BINARY) + " " + args);
}

TEST(AppCli, UnknownCommandIsNamedWithTheCommandsAndASuggestion) {
  testing::Ran ran = Distill("scna alpine:3.18");
  EXPECT_EQ(ran.rc, 2);
  EXPECT_EQ(ran.out, "");
  EXPECT_THAT(ran.err, HasSubstr("error: unknown command \"scna\" for \"distill\""));
  EXPECT_THAT(ran.err, HasSubstr("Did you mean this?\n\tscan\n"));
  EXPECT_THAT(ran.err, HasSubstr("\n  inspect "));
  EXPECT_THAT(ran.err, HasSubstr("\n  build "));
  EXPECT_THAT(ran.err, Not(HasSubstr("A subcommand is required")));

  testing::Ran far = Distill("--platform linux/amd64 frobnicate");
  EXPECT_EQ(far.rc, 2);
  EXPECT_THAT(far.err, HasSubstr("unknown command \"frobnicate\""));
  EXPECT_THAT(far.err, Not(HasSubstr("Did you mean")));

  testing::Ran none = Distill("-q");
  EXPECT_EQ(none.rc, 2);
  EXPECT_THAT(none.err, HasSubstr("error: no command given"));
  EXPECT_THAT(none.err, HasSubstr("\n  sbom "));

  EXPECT_EQ(Distill("--help").rc, 0);
  EXPECT_EQ(Distill("--version").rc, 0);
}

std::string WriteScript(const std::string& shell) {
  testing::Ran ran = Distill("completion " + shell);
  EXPECT_EQ(ran.rc, 0) << ran.err;
  std::string path = testing::TempDir() + "/distill-completion." + shell;
  std::ofstream(path) << ran.out;
  return path;
}

// What bash completes for `words` (the last one being typed), by the generated function itself.
std::string BashCompletes(const std::string& script, const std::string& words) {
  return testing::Shell(
      "bash -c 'source " + script + "; COMP_WORDS=(" + words +
      "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _distill; printf \"%s\\n\" \"${COMPREPLY[@]}\"'");
}

TEST(AppCli, BashCompletionCompletesCommandsNestedCommandsAndFlags) {
  std::string script = WriteScript("bash");
  int rc = -1;
  testing::Shell("bash -n " + script, &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(BashCompletes(script, "distill sc"), "scan\n");
  EXPECT_EQ(BashCompletes(script, "distill c"), "compare\ncompletion\n");
  EXPECT_EQ(BashCompletes(script, "distill db im"), "import\n");
  // A global option's value is not taken for the command.
  EXPECT_EQ(BashCompletes(script, "distill --platform linux/arm64 sb"), "sbom\n");
  EXPECT_THAT(BashCompletes(script, "distill sbom --no-"), HasSubstr("--no-languages\n"));
  EXPECT_THAT(BashCompletes(script, "distill sbom --plat"),
              HasSubstr("--platform\n"));  // global flags everywhere
  EXPECT_THAT(BashCompletes(script, "distill scan --no-"), Not(HasSubstr("--no-languages")));
  // After a flag that takes a value, or where the image goes: files.
  std::string dir = testing::TempDir() + "/complete-here";
  testing::Shell("mkdir -p " + dir + " && touch " + dir + "/image.tar");
  EXPECT_EQ(BashCompletes(script, "distill sbom " + dir + "/ima"), dir + "/image.tar\n");
}

TEST(AppCli, FishCompletionCompletesCommandsAndFlags) {
  ASSERT_NE(testing::Shell("command -v fish"), "")
      << "fish is not installed (scripts/install-deps.sh installs it)";
  std::string script = WriteScript("fish");
  auto completes = [&](const std::string& line) {
    return testing::Shell("fish --no-config -c 'source " + script + "; complete -C \"" + line +
                          "\"'");
  };
  EXPECT_THAT(completes("distill sc"), HasSubstr("scan\tReport the known vulnerabilities"));
  EXPECT_THAT(completes("distill db "), HasSubstr("update\t"));
  EXPECT_THAT(completes("distill sbom --no-"), HasSubstr("--no-languages\t"));
  EXPECT_THAT(completes("distill scan --no-"), Not(HasSubstr("--no-languages")));
}

TEST(AppCli, ZshCompletionIsValidZsh) {
  ASSERT_NE(testing::Shell("command -v zsh"), "")
      << "zsh is not installed (scripts/install-deps.sh installs it)";
  std::string script = WriteScript("zsh");
  int rc = -1;
  testing::Shell("zsh -n " + script, &rc);
  EXPECT_EQ(rc, 0);
  // Loaded the way zsh's completion system loads it, it defines the function and registers it.
  std::string out = testing::Shell("zsh -f -c 'autoload -U compinit && compinit -u -D && source " +
                                   script + " && print -r -- ${_comps[distill]}'");
  EXPECT_EQ(out, "_distill\n");
}

TEST(AppCli, UnknownShellIsNamed) {
  testing::Ran ran = Distill("completion tcsh");
  EXPECT_EQ(ran.rc, 2);
  EXPECT_THAT(ran.err, HasSubstr("unknown shell \"tcsh\" (completion scripts: bash zsh fish)"));
}

TEST(AppCli, ManPageListsEveryCommandAndFlagAndIsCleanTroff) {
  testing::Ran man = Distill("man");
  ASSERT_EQ(man.rc, 0) << man.err;
  EXPECT_THAT(man.out, HasSubstr(".TH DISTILL 1"));
  for (const char* section :
       {".SS inspect", ".SS sbom", ".SS db import", ".SS db status", ".SS build", ".SS completion"})
    EXPECT_THAT(man.out, HasSubstr(section));
  EXPECT_THAT(man.out, HasSubstr("\\fB\\-\\-no\\-languages\\fR"));
  EXPECT_THAT(man.out, HasSubstr("\\fB\\-\\-verify\\-diff\\-ids\\fR"));
  std::string path = testing::TempDir() + "/distill.1";
  std::ofstream(path) << man.out;
  // groff's warnings (-ww) on stderr: none for a well-formed page.
  testing::Ran groff = testing::Run("groff -man -Tutf8 -ww -z " + path);
  EXPECT_EQ(groff.rc, 0);
  EXPECT_EQ(groff.err, "");
  std::string text = testing::Shell("MANWIDTH=100 man -l " + path + " 2>/dev/null | col -b");
  EXPECT_THAT(text, HasSubstr("--no-languages"));
  EXPECT_THAT(text, HasSubstr("distill db import"));
}

}  // namespace
}  // namespace distill::cli
