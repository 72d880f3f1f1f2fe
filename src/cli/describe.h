// The command line as data, read back from the CLI11 tree that the command table set up: what the
// completion scripts and the manual page are rendered from, so neither can drift from the flags.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace distill::cli {

struct OptionDoc {
  std::vector<std::string> shorts;  // "o" for -o
  std::vector<std::string> longs;   // "output" for --output
  std::string value;                // "TEXT", "FILE", ...; empty for a flag
  std::string description;
};

struct CommandDoc {
  std::string name, summary;
  std::vector<std::string> positionals;  // their names, in order ("image", "A", "B")
  std::vector<OptionDoc> options;        // without --help
  std::vector<CommandDoc> subcommands;   // `db import`, `db update`, ...
};

// `app` with its options, positionals and subcommands, recursively (in the order they were added).
CommandDoc Describe(const CLI::App& app);

}  // namespace distill::cli
