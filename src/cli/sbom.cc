// distill sbom IMAGE [-o FORMAT[@VERSION][=FILE]]...: every OS package in the image, in the formats
// syft's users know (spdx-json, cyclonedx-json, ...), read in one pass over the layers.
#include <iostream>

#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "sbom/formats.h"
#include "util/keep.h"
#include "util/log.h"
#include "version.h"

namespace distill::cli {

namespace {

struct SbomOptions {
  std::string source;
  std::vector<std::string> outputs;
  catalog::CatalogOptions catalog;
  bool no_languages = false;
};

sbom::SourceInfo SourceOf(const image::LoadedImage& img) {
  sbom::SourceInfo s;
  s.name = img.source.text;
  s.type = img.meta.scheme;
  s.manifest_digest = img.meta.manifest_digest;
  s.config_digest = img.meta.config_digest;
  s.repo_tags = img.meta.tags;
  if (!img.meta.platform.empty()) s.platform = img.meta.platform.ToString();
  return s;
}

int Run(const SbomOptions& options, const Globals& globals) {
  // Check everything the user typed before reading a byte of the image.
  auto specs = sbom::ParseOutputSpecs(options.outputs, "table");
  if (!specs.ok()) return ReportError(specs.error());
  auto created = sbom::CreatedFromEnvironment();
  if (!created.ok()) return ReportError(created.error());
  catalog::CatalogOptions copts = options.catalog;
  copts.languages = !options.no_languages;
  auto c = LoadAndCatalog(options.source, globals, copts);
  if (!c.ok()) return ReportError(c.error());
  sbom::Sbom doc;
  doc.source = SourceOf(c->image);
  doc.catalog = std::move(c->catalog);
  doc.created = *created;
  doc.tool_name = "distill";
  doc.tool_version = DISTILL_VERSION;
  auto written = sbom::WriteOutputs(doc, *specs, std::cout);
  if (!written.ok()) return ReportError(written.error());
  std::cout.flush();
  // The index and the catalog are left to the exit: freeing them node by node is time the user
  // waits for and nothing needs (doc/design.md, "Footprint").
  KeepUntilExit(std::move(c->image));
  KeepUntilExit(std::move(doc));
  return kExitOk;
}

}  // namespace

RunFn SetupSbom(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<SbomOptions>();
  sub.add_option("image", o->source, "Image source (see distill --help)")->required();
  sub.add_option(
      "-o,--output", o->outputs,
      "FORMAT[@VERSION][=FILE], repeatable (default: table). Formats: " + sbom::EncoderIds());
  sub.add_flag(
      "--keep-owned", o->catalog.keep_owned,
      "Also report language packages and binaries an OS package installed (linked with 'owns')");
  sub.add_flag("--no-languages", o->no_languages,
               "OS packages only (no language ecosystems or binaries)");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
