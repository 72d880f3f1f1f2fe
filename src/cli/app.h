// The distill command line: one table of commands (name, summary, setup), like ninja's kTools[].
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "util/result.h"

namespace distill::cli {

// Exit codes (documented in README.md and `distill --help`).
enum ExitCode { kExitOk = 0, kExitPolicy = 1, kExitBadInput = 2, kExitInternal = 3 };

// Flags every command shares.
struct Globals {
  bool quiet = false;
  int verbose = 0;
  std::string platform;  // os/arch[/variant]; empty = the host's
  std::string from;      // --from docker|podman|registry|…: where a bare image reference is read
  // Registries (registry: sources, push, login).
  std::string ca_cert;  // --ca-cert FILE: extra CA for registry TLS
  std::vector<std::string>
      insecure_registries;       // --insecure-registry HOST: plain HTTP / unverified TLS
  bool blob_cache = false;       // --blob-cache: keep pulled blobs in the shared cache
  bool verify_diff_ids = false;  // --verify-diff-ids: hash every compressed layer's tar too
};

// A command registers its flags on `sub` and returns what to run once they are parsed.
using RunFn = std::function<int()>;
struct Command {
  const char* name;
  const char* summary;
  RunFn (*setup)(CLI::App& sub, const Globals& globals);
};

// Prints "error: <message>" to stderr and returns the exit code for the error's kind.
int ReportError(const Error& error);

int Main(int argc, char** argv);

}  // namespace distill::cli
