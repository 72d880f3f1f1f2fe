// distill ls IMAGE [PATH]: the squashed tree like `tar tv`, or every layer's own entries.
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "util/digest.h"

namespace distill::cli {

namespace {

struct LsOptions {
  std::string source, path, output = "table";
  bool layers = false, all_layers = false;
};

nlohmann::json EntryJson(const image::Entry& e, const std::vector<std::string>& digests) {
  nlohmann::json j = {{"path", e.path},
                      {"type", image::FileTypeName(e.type)},
                      {"mode", fmt::format("{:04o}", e.mode)},
                      {"uid", e.uid},
                      {"gid", e.gid},
                      {"size", e.size},
                      {"mtime", e.mtime}};
  if (e.type == image::FileType::kSymlink || e.type == image::FileType::kHardlink) j["link"] = e.link.view();
  if (e.type == image::FileType::kCharDevice || e.type == image::FileType::kBlockDevice)
    j["device"] = {{"major", e.dev_major}, {"minor", e.dev_minor}};
  j["layer"] = e.layer >= 0 && static_cast<size_t>(e.layer) < digests.size() ? nlohmann::json(digests[e.layer]) : nlohmann::json(nullptr);
  return j;
}

std::string EntryLine(const image::Entry& e, const std::vector<std::string>& digests, bool with_layer) {
  std::string line;
  if (with_layer) {
    std::string d = e.layer >= 0 && static_cast<size_t>(e.layer) < digests.size() ? ShortDigest(digests[e.layer]) : "-";
    line += fmt::format("{:<20} ", d);
  }
  if (e.type == image::FileType::kWhiteout) return line + fmt::format("{:<47} {} (deleted)", "deleted", e.path);
  if (e.type == image::FileType::kOpaque) return line + fmt::format("{:<47} {}/ (opaque: lower entries hidden)", "opaque", e.path);
  std::string size = (e.type == image::FileType::kCharDevice || e.type == image::FileType::kBlockDevice)
                         ? fmt::format("{},{}", e.dev_major, e.dev_minor)
                         : std::to_string(e.size);
  line += fmt::format("{} {:>5}/{:<5} {:>10} {} {}", image::ModeString(e), e.uid, e.gid, size, FormatTime(e.mtime), e.path);
  if (e.type == image::FileType::kSymlink) line += " -> " + e.link.str();
  if (e.type == image::FileType::kHardlink) line += " link to " + e.link.str();
  return line;
}

bool Selected(const image::Entry& e, const std::string& prefix) {
  return prefix.empty() || e.path == prefix || e.path.starts_with(prefix + "/");
}

int Run(const LsOptions& o, const Globals& g) {
  if (o.output != "table" && o.output != "json") return ReportError(Errorf("ls: unknown output format '{}' (table, json)", o.output));
  auto prefix = image::NormalizeEntryPath(o.path);
  if (!prefix.ok()) return ReportError(std::move(prefix).error());
  image::LoadOptions opt;
  opt.keep_layers = o.all_layers;
  auto img = Load(o.source, g, opt);
  if (!img.ok()) return ReportError(img.error());
  const auto& digests = img->files.layer_digests();
  std::vector<const image::Entry*> rows;
  if (o.all_layers) {
    for (const auto& layer : img->layer_entries)
      for (const auto& e : layer)
        if (Selected(e, *prefix)) rows.push_back(&e);
  } else {
    for (const auto& e : img->files.entries())
      if (Selected(e, *prefix)) rows.push_back(&e);
  }
  if (o.output == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto* e : rows) arr.push_back(EntryJson(*e, digests));
    fmt::print("{}\n", arr.dump(2));
    return kExitOk;
  }
  std::string out;
  for (const auto* e : rows) out += EntryLine(*e, digests, o.layers || o.all_layers) + "\n";
  fmt::print("{}", out);
  return kExitOk;
}

}  // namespace

RunFn SetupLs(CLI::App& sub, const Globals& g) {
  auto o = std::make_shared<LsOptions>();
  sub.add_option("image", o->source, "Image source (see distill --help)")->required();
  sub.add_option("path", o->path, "Only this path and what is below it");
  sub.add_flag("--layers", o->layers, "Show the layer that last wrote each entry");
  sub.add_flag("--all-layers", o->all_layers, "Show every layer's own entries, shadowed and deleted ones too");
  sub.add_option("-o,--output", o->output, "table or json");
  return [o, &g] { return Run(*o, g); };
}

}  // namespace distill::cli
