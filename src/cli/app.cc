#include "cli/app.h"

#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.h"
#include "util/log.h"
#include "version.h"

namespace distill::cli {

namespace {

// Every command distill has, in the order `--help` lists them.
const Command kCommands[] = {
    {"inspect", "Show an image's digest, platform, distro, config and layers", &SetupInspect},
    {"ls", "List the files of an image (squashed, or per layer)", &SetupLs},
    {"sbom", "List every OS package in an image as SPDX, CycloneDX, distill-json or a table",
     &SetupSbom},
    {"db",
     "Manage the offline vulnerability database (update, sources, import, status, push, pull, "
     "export)",
     &SetupDb},
    {"scan", "Report the known vulnerabilities of an image's packages (or of an SBOM)", &SetupScan},
    {"audit",
     "Is the image really distroless? Shells, package managers, secrets, blind spots, score",
     &SetupAudit},
    {"compare", "Compare two images: sizes, layers, packages, vulnerabilities, audit score",
     &SetupCompare},
    {"push", "Push an OCI image layout (one image or a multi-platform index) to a registry",
     &SetupPush},
    {"login", "Store credentials for a registry in the Docker config (~/.docker/config.json)",
     &SetupLogin},
    {"logout", "Remove a registry's credentials from the Docker config", &SetupLogout},
    {"build",
     "Build a minimal, reproducible image from Debian or APK packages (spec, apko.yaml or "
     "--preset)",
     &SetupBuild},
    {"apk",
     "APK packages and repositories: keygen, pack a directory, index (signed, reproducible), "
     "verify",
     &SetupApk},
    {"serve",
     "Serve Harbor's pluggable scanner API: scan a registry's images on a PostgreSQL job queue",
     &SetupServe},
    {"completion", "Print a shell completion script: distill completion bash|zsh|fish",
     &SetupCompletion},
    {"man", "Print distill's manual page (troff), made from this table: distill man | man -l -",
     &SetupMan},
};

// Commands that describe the whole command line, so every command's options are set up for them.
bool DescribesAllCommands(std::string_view name) { return name == "completion" || name == "man"; }

constexpr const char* kFooter = R"(Image sources (scheme optional; detected when omitted):
  docker-archive:PATH        a `docker save` tar (also Docker 25+ OCI-layout tars)
  oci-archive:PATH[:REF]     a tar of an OCI image layout
  oci-dir:PATH[:REF]         an OCI image layout directory (also skopeo's oci:PATH[:REF])
  dir:PATH                   a root filesystem directory
  registry:HOST[:PORT]/REPO[:TAG|@DIGEST]   an image in a registry (doc/registry.md)
  docker:REF / podman:REF    an image in the Docker daemon ($DOCKER_HOST) / podman's service
  REF (no scheme, not a path)   looked up in docker, then podman, then its registry (--from picks one)

Exit codes: 0 ok, 1 policy failure (e.g. --fail-on), 2 bad usage or bad input, 3 internal error.)";

// The word in the command's place on the command line: the first that is not a global option or
// its value; "" when there is none.
std::string_view FirstWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--platform" || a == "--ca-cert" || a == "--insecure-registry" || a == "--from") {
      ++i;
      continue;
    }
    if (a.starts_with("-")) continue;
    return a;
  }
  return "";
}

bool IsCommand(std::string_view word) {
  for (const auto& c : kCommands)
    if (word == c.name) return true;
  return false;
}

// Levenshtein distance, for "did you mean" (a handful of short words: no need to be clever).
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "unknown command "scna"" (or "no command given"), a suggestion when one command is close, and
// the list of commands: what cobra-based tools (syft, grype, trivy) print.
int ReportNoCommand(std::string_view word) {
  if (word.empty())
    fmt::print(stderr, "error: no command given\n");
  else
    fmt::print(stderr, "error: unknown command \"{}\" for \"distill\"\n", word);
  for (const auto& c : kCommands)
    if (!word.empty() && EditDistance(word, c.name) <= 2) {
      fmt::print(stderr, "\nDid you mean this?\n\t{}\n", c.name);
      break;
    }
  fmt::print(stderr, "\nCommands:\n");
  for (const auto& c : kCommands) fmt::print(stderr, "  {:<12}{}\n", c.name, c.summary);
  fmt::print(stderr, "\nRun 'distill --help' for usage.\n");
  return kExitBadInput;
}

bool AsksForHelpOrVersion(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-h" || a == "--help" || a == "--version") return true;
  }
  return false;
}

}  // namespace

int ReportError(const Error& error) {
  fmt::print(stderr, "error: {}\n", error.message);
  return error.kind == ErrorKind::kInternal ? kExitInternal : kExitBadInput;
}

int Main(int argc, char** argv) {
  CLI::App app{"distill: minimal, provable container images — build, sbom, scan, audit, compare",
               "distill"};
  app.set_version_flag("--version", std::string("distill ") + DISTILL_VERSION);
  app.require_subcommand(1);
  app.footer(kFooter);
  Globals g;
  app.add_flag("-q,--quiet", g.quiet, "No progress or warnings on stderr")->configurable(false);
  app.add_flag("-v,--verbose", g.verbose, "Debug logs on stderr (repeatable)");
  app.add_option("--platform", g.platform,
                 "os/arch[/variant] to pick from a multi-platform image (default: the host's)");
  app.add_option(
      "--from", g.from,
      "Where image references are read: docker, podman, registry, docker-archive, oci-archive, "
      "oci-dir or dir "
      "(default: a path by its content; a reference from docker, then podman, then its registry)");
  app.add_option("--ca-cert", g.ca_cert, "Extra CA certificate (PEM) trusted for registry TLS");
  app.add_option("--insecure-registry", g.insecure_registries,
                 "Registry HOST[:PORT] reached over plain HTTP or unverified TLS (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--blob-cache", g.blob_cache,
               "Keep pulled registry blobs in the content-addressed cache ($DISTILL_CACHE)");
  app.add_flag("--verify-diff-ids", g.verify_diff_ids,
               "Also hash each compressed layer's tar and check it against the config's diff_id, "
               "as docker pull does "
               "(every blob's digest is always checked)");

  RunFn run;
  std::string_view chosen = FirstWord(argc, argv);
  if (!IsCommand(chosen) && !AsksForHelpOrVersion(argc, argv)) return ReportNoCommand(chosen);
  bool set_up_all = DescribesAllCommands(chosen);
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->fallthrough();
    // Only the command being run gets its options: setting up all of them touches code all over
    // the binary (a measurable part of a short run's RSS). --help and errors set up every one.
    if (!set_up_all && !chosen.empty() && chosen != c.name) continue;
    RunFn fn = c.setup(*sub, g);
    sub->final_callback([&run, fn] { run = fn; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitBadInput;
  }
  log::set_level(g.quiet         ? log::Level::kQuiet
                 : g.verbose > 0 ? log::Level::kDebug
                                 : log::Level::kNormal);
  if (!run) return kExitBadInput;
  try {
    return run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: internal: {}\n", e.what());
    return kExitInternal;
  }
}

}  // namespace distill::cli
