#include "cli/completion.h"

#include <functional>

#include <fmt/format.h>

#include "cli/commands.h"

namespace distill::cli {

namespace {

// Every command level, depth first, with its path ("", "/db", "/db/import") and the options in
// scope there (the root's global options fall through to every command).
struct CommandLevel {
  std::string path;
  const CommandDoc* doc;
  std::vector<const OptionDoc*> options;
};

std::vector<CommandLevel> CommandLevels(const CommandDoc& root) {
  std::vector<CommandLevel> out;
  std::function<void(const CommandDoc&, std::string, std::vector<const OptionDoc*>)> walk =
      [&](const CommandDoc& doc, std::string path, std::vector<const OptionDoc*> inherited) {
        for (const auto& opt : doc.options) inherited.push_back(&opt);
        out.push_back({path, &doc, inherited});
        for (const auto& sub : doc.subcommands) walk(sub, path + "/" + sub.name, inherited);
      };
  walk(root, "", {});
  return out;
}

std::vector<std::string> Spellings(const OptionDoc& opt) {
  std::vector<std::string> out;
  for (const auto& s : opt.shorts) out.push_back("-" + s);
  for (const auto& l : opt.longs) out.push_back("--" + l);
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Text inside single quotes, for bash, zsh and fish alike: ' ends the quote, \' adds one, '
// reopens.
std::string SingleQuoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The first sentence-ish part of a help text, on one line: completion menus are narrow.
std::string Short(std::string_view text) {
  std::string out(text.substr(0, text.find('\n')));
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

std::string Bash(const CommandDoc& root) {
  std::string levels;
  for (const auto& level : CommandLevels(root)) {
    std::vector<std::string> cmds, opts, vals;
    for (const auto& sub : level.doc->subcommands) cmds.push_back(sub.name);
    for (const auto* opt : level.options)
      for (const auto& spelling : Spellings(*opt)) {
        opts.push_back(spelling);
        if (!opt->value.empty()) vals.push_back(spelling);
      }
    opts.push_back("--help");
    levels +=
        fmt::format("    {}) cmds={}; opts={}; vals={} ;;\n", SingleQuoted(level.path),
                    SingleQuoted(Join(cmds)), SingleQuoted(Join(opts)), SingleQuoted(Join(vals)));
  }
  return fmt::format(R"(# bash completion for distill: source it, or put it in
# /usr/share/bash-completion/completions/distill (made by `distill completion bash`)
__distill_level() {{
  case $1 in
{}    *) cmds=''; opts='--help'; vals='' ;;
  esac
}}

_distill() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
  local cmdpath='' cmds opts vals i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${{COMP_WORDS[i]}}
    __distill_level "$cmdpath"
    if [[ " $vals " == *" $word "* ]]; then ((i++)); continue; fi
    if [[ " $cmds " == *" $word "* ]]; then cmdpath="$cmdpath/$word"; fi
  done
  __distill_level "$cmdpath"
  COMPREPLY=()
  if [[ " $vals " == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $cmds ]]; then
    COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -o default -F _distill distill
)",
                     levels);
}

// zsh's _describe takes "word:description"; a colon inside the word is escaped.
std::string ZshItem(std::string_view word, std::string_view description) {
  std::string escaped;
  for (char c : word) escaped += c == ':' ? std::string("\\:") : std::string(1, c);
  return SingleQuoted(escaped + ":" + Short(description));
}

std::string Zsh(const CommandDoc& root) {
  std::string levels;
  for (const auto& level : CommandLevels(root)) {
    std::string cmds, opts, vals;
    for (const auto& sub : level.doc->subcommands) cmds += " " + ZshItem(sub.name, sub.summary);
    for (const auto* opt : level.options)
      for (const auto& spelling : Spellings(*opt)) {
        opts += " " + ZshItem(spelling, opt->description);
        if (!opt->value.empty()) vals += " " + SingleQuoted(spelling);
      }
    levels += fmt::format("    {}) cmds=({}); opts=({}); vals=({}) ;;\n", SingleQuoted(level.path),
                          cmds, opts, vals);
  }
  return fmt::format(R"(#compdef distill
# zsh completion for distill: put it in a directory of $fpath as _distill
# (made by `distill completion zsh`)
__distill_level() {{
  case $1 in
{}    *) cmds=(); opts=(); vals=() ;;
  esac
}}

_distill() {{
  local -a cmds opts vals
  local cmdpath='' word
  local -i i
  for ((i = 2; i < CURRENT; i++)); do
    word=${{words[i]}}
    __distill_level "$cmdpath"
    if (( ${{vals[(Ie)$word]}} )); then ((i++)); continue; fi
    if [[ -n ${{cmds[(r)${{word}}:*]}} ]]; then cmdpath="$cmdpath/$word"; fi
  done
  __distill_level "$cmdpath"
  if (( ${{vals[(Ie)${{words[CURRENT-1]}}]}} )); then
    _files
  elif [[ $PREFIX == -* ]]; then
    _describe -t options option opts
  elif (( ${{#cmds}} )); then
    _describe -t commands command cmds
  else
    _files
  fi
}}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _distill "$@"
else
  compdef _distill distill
fi
)",
                     levels);
}

std::string Fish(const CommandDoc& root) {
  std::string out =
      "# fish completion for distill: put it in ~/.config/fish/completions/distill.fish\n"
      "# (made by `distill completion fish`)\n";
  for (const auto& level : CommandLevels(root)) {
    // The condition under which this level's words apply: its own command seen and none of its
    // subcommands yet. fish's helper looks at every word, so a nested name is enough.
    std::string name = level.path.empty() ? "" : level.path.substr(level.path.rfind('/') + 1);
    std::vector<std::string> subs;
    for (const auto& sub : level.doc->subcommands) subs.push_back(sub.name);
    std::string condition =
        name.empty() ? "__fish_use_subcommand" : "__fish_seen_subcommand_from " + name;
    if (!name.empty() && !subs.empty())
      condition += "; and not __fish_seen_subcommand_from " + Join(subs);
    for (const auto& sub : level.doc->subcommands)
      out += fmt::format("complete -c distill -n {} -f -a {} -d {}\n", SingleQuoted(condition),
                         sub.name, SingleQuoted(Short(sub.summary)));
    if (name.empty()) {
      // The root's options are global: offered everywhere.
      for (const auto& opt : level.doc->options) {
        std::string flags;
        for (const auto& s : opt.shorts) flags += " -s " + s;
        for (const auto& l : opt.longs) flags += " -l " + l;
        out += fmt::format("complete -c distill{}{} -d {}\n", flags, opt.value.empty() ? "" : " -r",
                           SingleQuoted(Short(opt.description)));
      }
      continue;
    }
    for (const auto& opt : level.doc->options) {
      std::string flags;
      for (const auto& s : opt.shorts) flags += " -s " + s;
      for (const auto& l : opt.longs) flags += " -l " + l;
      out += fmt::format("complete -c distill -n {}{}{} -d {}\n",
                         SingleQuoted("__fish_seen_subcommand_from " + name), flags,
                         opt.value.empty() ? "" : " -r", SingleQuoted(Short(opt.description)));
    }
  }
  return out;
}

struct Shell {
  const char* name;
  std::string (*render)(const CommandDoc&);
};
const Shell kShells[] = {{"bash", &Bash}, {"zsh", &Zsh}, {"fish", &Fish}};

}  // namespace

Result<std::string> CompletionScript(const CommandDoc& root, std::string_view shell) {
  std::vector<std::string> names;
  for (const auto& s : kShells) {
    if (shell == s.name) return s.render(root);
    names.push_back(s.name);
  }
  return Errorf("unknown shell \"{}\" (completion scripts: {})", shell, Join(names));
}

RunFn SetupCompletion(CLI::App& sub, const Globals& globals) {
  auto shell = std::make_shared<std::string>();
  sub.add_option("shell", *shell, "bash, zsh or fish")->required();
  CLI::App* root = sub.get_parent();
  return [shell, root] {
    auto script = CompletionScript(Describe(*root), *shell);
    if (!script.ok()) return ReportError(script.error());
    fmt::print("{}", *script);
    return static_cast<int>(kExitOk);
  };
}

}  // namespace distill::cli
