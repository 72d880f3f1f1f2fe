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

nlohmann::json EntryJson(const image::Entry& entry, const std::vector<std::string>& digests) {
  nlohmann::json j = {{"path", entry.path},
                      {"type", image::FileTypeName(entry.type)},
                      {"mode", fmt::format("{:04o}", entry.mode)},
                      {"uid", entry.uid},
                      {"gid", entry.gid},
                      {"size", entry.size},
                      {"mtime", entry.mtime}};
  if (entry.type == image::FileType::kSymlink || entry.type == image::FileType::kHardlink)
    j["link"] = entry.link.view();
  if (entry.type == image::FileType::kCharDevice || entry.type == image::FileType::kBlockDevice)
    j["device"] = {{"major", entry.dev_major}, {"minor", entry.dev_minor}};
  j["layer"] = entry.layer >= 0 && static_cast<size_t>(entry.layer) < digests.size()
                   ? nlohmann::json(digests[entry.layer])
                   : nlohmann::json(nullptr);
  return j;
}

std::string EntryLine(const image::Entry& entry, const std::vector<std::string>& digests,
                      bool with_layer) {
  std::string line;
  if (with_layer) {
    std::string d = entry.layer >= 0 && static_cast<size_t>(entry.layer) < digests.size()
                        ? ShortDigest(digests[entry.layer])
                        : "-";
    line += fmt::format("{:<20} ", d);
  }
  if (entry.type == image::FileType::kWhiteout)
    return line + fmt::format("{:<47} {} (deleted)", "deleted", entry.path);
  if (entry.type == image::FileType::kOpaque)
    return line + fmt::format("{:<47} {}/ (opaque: lower entries hidden)", "opaque", entry.path);
  std::string size =
      (entry.type == image::FileType::kCharDevice || entry.type == image::FileType::kBlockDevice)
          ? fmt::format("{},{}", entry.dev_major, entry.dev_minor)
          : std::to_string(entry.size);
  line += fmt::format("{} {:>5}/{:<5} {:>10} {} {}", image::ModeString(entry), entry.uid, entry.gid,
                      size, FormatTime(entry.mtime), entry.path);
  if (entry.type == image::FileType::kSymlink) line += " -> " + entry.link.str();
  if (entry.type == image::FileType::kHardlink) line += " link to " + entry.link.str();
  return line;
}

bool Selected(const image::Entry& entry, const std::string& prefix) {
  return prefix.empty() || entry.path == prefix || entry.path.starts_with(prefix + "/");
}

int Run(const LsOptions& options, const Globals& globals) {
  if (options.output != "table" && options.output != "json")
    return ReportError(Errorf("ls: unknown output format '{}' (table, json)", options.output));
  auto prefix = image::NormalizeEntryPath(options.path);
  if (!prefix.ok()) return ReportError(std::move(prefix).error());
  image::LoadOptions opt;
  opt.keep_layers = options.all_layers;
  auto img = Load(options.source, globals, opt);
  if (!img.ok()) return ReportError(img.error());
  const auto& digests = img->files.layer_digests();
  std::vector<const image::Entry*> rows;
  if (options.all_layers) {
    for (const auto& layer : img->layer_entries)
      for (const auto& e : layer)
        if (Selected(e, *prefix)) rows.push_back(&e);
  } else {
    for (const auto& e : img->files.entries())
      if (Selected(e, *prefix)) rows.push_back(&e);
  }
  if (options.output == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto* e : rows) arr.push_back(EntryJson(*e, digests));
    fmt::print("{}\n", arr.dump(2));
    return kExitOk;
  }
  std::string out;
  for (const auto* e : rows)
    out += EntryLine(*e, digests, options.layers || options.all_layers) + "\n";
  fmt::print("{}", out);
  return kExitOk;
}

}  // namespace

RunFn SetupLs(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<LsOptions>();
  sub.add_option("image", o->source, "Image source (see distill --help)")->required();
  sub.add_option("path", o->path, "Only this path and what is below it");
  sub.add_flag("--layers", o->layers, "Show the layer that last wrote each entry");
  sub.add_flag("--all-layers", o->all_layers,
               "Show every layer's own entries, shadowed and deleted ones too");
  sub.add_option("-o,--output", o->output, "table or json");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
