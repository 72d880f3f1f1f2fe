#include "cli/man.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "version.h"

namespace distill::cli {

namespace {

// Text safe for troff: backslashes and hyphens escaped, a line never starting with a control
// character ('.' or '\''), and anything beyond ASCII (the help texts' dashes and arrows) as
// troff's \[uXXXX] escape, since troff reads bytes, not UTF-8.
std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      // A UTF-8 sequence: its length from the lead byte; a stray byte stands for itself.
      size_t len = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      uint32_t code = len == 1 ? byte : byte & (0x7f >> len);
      for (size_t k = 1; k < len && i + k < text.size(); ++k)
        code = code << 6 | (text[i + k] & 0x3f);
      out += fmt::format("\\[u{:04X}]", code);
      i += len - 1;
    } else if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

std::string OptionsSection(const std::vector<OptionDoc>& options) {
  std::string out;
  for (const auto& opt : options) {
    std::string names;
    for (const auto& s : opt.shorts)
      names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-{}\\fR", Roff(s));
    for (const auto& l : opt.longs)
      names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-\\-{}\\fR", Roff(l));
    if (!opt.value.empty()) names += fmt::format(" \\fI{}\\fR", Roff(opt.value));
    out += fmt::format(".TP\n{}\n{}\n", names, Roff(opt.description));
  }
  return out;
}

std::string Synopsis(const std::string& path, const CommandDoc& cmd) {
  std::string line = fmt::format("\\fBdistill {}\\fR", Roff(path));
  if (!cmd.options.empty()) line += " [\\fIOPTIONS\\fR]";
  for (const auto& p : cmd.positionals) line += fmt::format(" \\fI{}\\fR", Roff(p));
  return line;
}

void CommandSection(const std::string& path, const CommandDoc& cmd, std::string& out) {
  if (!cmd.subcommands.empty()) {
    for (const auto& sub : cmd.subcommands) CommandSection(path + " " + sub.name, sub, out);
    return;
  }
  out += fmt::format(".SS {}\n{}\n.PP\n{}\n", Roff(path), Synopsis(path, cmd), Roff(cmd.summary));
  if (!cmd.options.empty()) out += ".RS\n" + OptionsSection(cmd.options) + ".RE\n";
}

}  // namespace

std::string ManPage(const CommandDoc& root, std::string_view version, std::string_view footer) {
  std::string out =
      fmt::format(".TH DISTILL 1 \"\" \"distill {}\" \"User Commands\"\n", Roff(version));
  out +=
      ".SH NAME\ndistill \\- minimal, provable container images: build, sbom, scan, audit, "
      "compare\n";
  out +=
      ".SH SYNOPSIS\n\\fBdistill\\fR [\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
      "[\\fIARGS\\fR]\n";
  out += ".SH DESCRIPTION\n" + Roff(root.summary) + "\n";
  out += ".SH COMMANDS\n";
  for (const auto& cmd : root.subcommands) CommandSection(cmd.name, cmd, out);
  out += ".SH GLOBAL OPTIONS\n" + OptionsSection(root.options);
  out += ".SH NOTES\n.nf\n" + Roff(footer) + "\n.fi\n";
  out += ".SH SEE ALSO\nThe documentation in /usr/share/doc/distill (README.md, doc/).\n";
  return out;
}

RunFn SetupMan(CLI::App& sub, const Globals& globals) {
  CLI::App* root = sub.get_parent();
  return [root] {
    fmt::print("{}", ManPage(Describe(*root), DISTILL_VERSION, root->get_footer()));
    return static_cast<int>(kExitOk);
  };
}

}  // namespace distill::cli
