// distill inspect IMAGE: digest, platform, distro, config and layers, as a table or JSON.
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "util/digest.h"

namespace distill::cli {

namespace {

struct InspectOptions {
  std::string source, output = "table";
};

// PRETTY_NAME from os-release (symlinks resolved inside the image), or "".
std::string OsName(const image::FileIndex& files) {
  for (const char* p : {"etc/os-release", "usr/lib/os-release"}) {
    auto c = files.Contents(p);
    if (!c.ok()) continue;
    std::string_view s = *c;
    size_t pos = s.find("PRETTY_NAME=");
    if (pos == std::string_view::npos || (pos > 0 && s[pos - 1] != '\n')) continue;
    std::string_view v = s.substr(pos + 12);
    v = v.substr(0, v.find('\n'));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    return std::string(v);
  }
  return "";
}

nlohmann::json ConfigJson(const nlohmann::json& cfg) {
  const auto& c = cfg.is_object() && cfg.contains("config") && cfg["config"].is_object()
                      ? cfg["config"]
                      : nlohmann::json::object();
  nlohmann::json out = nlohmann::json::object();
  for (const char* k : {"User", "Entrypoint", "Cmd", "Env", "WorkingDir", "ExposedPorts", "Labels",
                        "Healthcheck", "StopSignal", "Volumes"})
    if (c.contains(k) && !c[k].is_null()) out[k] = c[k];
  return out;
}

nlohmann::json ToJson(const image::LoadedImage& img) {
  const auto& m = img.meta;
  nlohmann::json layers = nlohmann::json::array();
  uint64_t stored = 0, tar = 0;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const auto& l = m.layers[i];
    const auto& st = img.layer_stats[i];
    stored += l.size;
    tar += st.tar_size;
    // diff_id is the config's word; verified when the tar was hashed against it (a plain-tar blob,
    // a layer without a digest, --verify-diff-ids) or an earlier such read vouches for it.
    const bool verified = st.diff_id != image::DiffIdCheck::kTrusted;
    layers.push_back({{"digest", l.digest},
                      {"diff_id", l.diff_id},
                      {"diff_id_verified", verified},
                      {"media_type", l.media_type},
                      {"size", l.size},
                      {"uncompressed_size", st.tar_size},
                      {"files", st.entries},
                      {"created_by", l.created_by}});
  }
  nlohmann::json j = {{"source", img.source.text},
                      {"type", m.scheme},
                      {"manifest_digest", m.manifest_digest},
                      {"config_digest", m.config_digest},
                      {"tags", m.tags},
                      {"platform", m.platform.ToString()},
                      {"os", OsName(img.files)},
                      {"created", m.config.value("created", "")},
                      {"config", ConfigJson(m.config)},
                      {"layers", layers},
                      {"totals",
                       {{"layers", m.layers.size()},
                        {"size", stored},
                        {"uncompressed_size", tar},
                        {"files", img.files.size()}}}};
  if (!m.index_digest.empty()) j["index_digest"] = m.index_digest;
  return j;
}

std::string JoinJson(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string s;
    for (const auto& x : value)
      s += (s.empty() ? "" : " ") + (x.is_string() ? x.get<std::string>() : x.dump());
    return s;
  }
  if (value.is_object()) {
    std::string s;
    for (auto it = value.begin(); it != value.end(); ++it)
      s += (s.empty() ? "" : ", ") + it.key() +
           (it.value().is_string() ? "=" + it.value().get<std::string>() : "");
    return s;
  }
  return value.dump();
}

void PrintTable(const nlohmann::json& doc) {
  auto row = [](std::string_view key, const std::string& value) {
    if (!value.empty()) fmt::print("{:<14}{}\n", key, value);
  };
  row("Source", doc["source"].get<std::string>() + " (" + doc["type"].get<std::string>() + ")");
  row("Tags", JoinJson(doc["tags"]));
  row("Digest", doc["manifest_digest"].get<std::string>());
  row("Config", doc["config_digest"].get<std::string>());
  row("Platform", doc["platform"].get<std::string>());
  row("OS", doc["os"].get<std::string>());
  row("Created", doc["created"].get<std::string>());
  const auto& c = doc["config"];
  for (auto it = c.begin(); it != c.end(); ++it) {
    if (it.key() == "Env" && it.value().is_array()) {
      bool first = true;
      for (const auto& e : it.value()) {
        row(first ? "Env" : "", e.is_string() ? e.get<std::string>() : e.dump());
        first = false;
      }
      continue;
    }
    row(it.key(), JoinJson(it.value()));
  }
  fmt::print("\nLayers:\n{:>3}  {:<20} {:>10} {:>12} {:>7}  {}\n", "#", "DIGEST", "SIZE",
             "UNCOMPRESSED", "FILES", "CREATED BY");
  int i = 0;
  for (const auto& l : doc["layers"]) {
    std::string by = l["created_by"].get<std::string>();
    if (by.size() > 60) by = by.substr(0, 57) + "...";
    fmt::print("{:>3}  {:<20} {:>10} {:>12} {:>7}  {}\n", i++,
               ShortDigest(l["digest"].get<std::string>()), HumanSize(l["size"].get<uint64_t>()),
               HumanSize(l["uncompressed_size"].get<uint64_t>()), l["files"].get<uint64_t>(), by);
  }
  const auto& t = doc["totals"];
  fmt::print("\nTotal: {} layers, {} compressed, {} uncompressed, {} files in the squashed tree\n",
             t["layers"].get<uint64_t>(), HumanSize(t["size"].get<uint64_t>()),
             HumanSize(t["uncompressed_size"].get<uint64_t>()), t["files"].get<uint64_t>());
}

int Run(const InspectOptions& options, const Globals& globals) {
  if (options.output != "table" && options.output != "json")
    return ReportError(Errorf("inspect: unknown output format '{}' (table, json)", options.output));
  image::LoadOptions opt;
  opt.plan.globs = {"etc/os-release", "usr/lib/os-release"};
  auto img = Load(options.source, globals, opt);
  if (!img.ok()) return ReportError(img.error());
  if (img->meta.scheme == "dir")
    return ReportError(Errorf("inspect: {}: a dir: source has no image metadata; use `distill ls`",
                              options.source));
  auto j = ToJson(*img);
  if (options.output == "json")
    fmt::print("{}\n", j.dump(2));
  else
    PrintTable(j);
  return kExitOk;
}

}  // namespace

RunFn SetupInspect(CLI::App& sub, const Globals& globals) {
  auto o = std::make_shared<InspectOptions>();
  sub.add_option("image", o->source, "Image source (see distill --help)")->required();
  sub.add_option("-o,--output", o->output, "table or json");
  return [o, &globals] { return Run(*o, globals); };
}

}  // namespace distill::cli
