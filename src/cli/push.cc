// distill push oci-dir:DIR[:REF] HOST[:PORT]/REPO[:TAG]: publish an OCI layout; prints the digest.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "image/registry/push.h"

namespace distill::cli {

namespace {

struct PushCmdOptions {
  std::string source, dest, mount_from;
  uint64_t chunk_size = 0;
};

int Run(const PushCmdOptions& options, const Globals& globals) {
  auto src = image::ParseSource(options.source);
  if (!src.ok()) return ReportError(src.error());
  if (src->scheme != "oci-dir")
    return ReportError(
        Errorf("{}: push reads an OCI image layout directory (oci-dir:DIR[:REF]), not a {} source",
               options.source, src->scheme));
  image::registry::PushOptions opt;
  opt.registry = RegistryOptions(globals);
  opt.mount_from = options.mount_from;
  opt.chunk_size = options.chunk_size;
  image::registry::PushStats stats;
  auto digest = image::registry::PushOciLayout(src->path, src->ref, options.dest, opt, &stats);
  if (!digest.ok()) return ReportError(digest.error());
  if (!globals.quiet)
    fmt::print(
        stderr,
        "pushed {}: {} blobs uploaded ({:.1f} MB), {} already present, {} mounted, {} manifests\n",
        options.dest, stats.blobs_uploaded, stats.bytes_uploaded / 1e6, stats.blobs_skipped,
        stats.blobs_mounted, stats.manifests);
  fmt::print("{}\n", *digest);
  return kExitOk;
}

}  // namespace

RunFn SetupPush(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<PushCmdOptions>();
  sub.add_option("source", o->source, "oci-dir:DIR[:REF] (an OCI image layout)")->required();
  sub.add_option("destination", o->dest, "HOST[:PORT]/REPO[:TAG]")->required();
  sub.add_option("--mount-from", o->mount_from,
                 "Repository on the same registry to mount existing blobs from");
  sub.add_option("--chunk-size", o->chunk_size,
                 "Upload blobs larger than this many bytes in chunks of that size (0: monolithic)");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
