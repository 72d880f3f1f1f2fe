#include "vuln/importers/update.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "util/log.h"
#include "vuln/db/fetch.h"

namespace distill::vuln::importers {

namespace {

std::string Scalar(const YAML::Node& n, const char* key) {
  YAML::Node v = n[key];
  return v && v.IsScalar() ? v.Scalar() : std::string();
}

Result<std::vector<SourceSpec>> FromNode(const YAML::Node& root) {
  if (!root.IsMap() || !root["sources"] || !root["sources"].IsSequence())
    return Errorf("expected a \"sources:\" list");
  std::vector<SourceSpec> out;
  YAML::Node list = root["sources"];
  for (size_t i = 0; i < list.size(); ++i) {
    SourceSpec s;
    if (list[i].IsScalar()) {
      s.url = list[i].Scalar();
    } else if (list[i].IsMap()) {
      s.url = Scalar(list[i], "url");
      s.options.format = Scalar(list[i], "format");
      s.options.ecosystem = Scalar(list[i], "ecosystem");
    }
    if (s.url.empty()) return Errorf("sources[{}]: url missing", i);
    out.push_back(std::move(s));
  }
  return out;
}

// A local path for an input: URLs are downloaded (or reused after a 304) first.
Result<std::string> Localize(const std::string& input, const UpdateOptions& where,
                             UpdateReport* report) {
  if (!IsUrl(input)) return input;
  log::debug("fetching {}", input);
  DISTILL_TRY(Fetched f, Fetch(input, {where.download_dir, where.progress}));
  if (report) ++(f.not_modified ? report->not_modified : report->fetched);
  return f.path;
}

Result<ImportReport> Run(const std::vector<SourceSpec>& sources, const UpdateOptions& where,
                         bool fresh, UpdateReport* update) {
  DISTILL_TRY(auto writer, Writer::Create(where.db_path, {fresh, where.build_time}));
  ImportReport report;
  std::vector<ImportInput> inputs;  // downloaded first, then imported together (parsing overlaps)
  for (const auto& s : sources) {
    DISTILL_TRY(std::string local, Localize(s.url, where, update));
    std::error_code ec;  // local origins by absolute path, so "./x" and "x" are one origin
    std::string origin = IsUrl(s.url) ? s.url : std::filesystem::weakly_canonical(s.url, ec).string();
    if (origin.empty()) origin = s.url;
    inputs.push_back({std::move(local), std::move(origin), s.options});
  }
  DISTILL_TRY_VOID(ImportPaths(inputs, *writer, &report));
  DISTILL_TRY_VOID(writer->Commit());
  return report;
}

}  // namespace

Result<std::vector<SourceSpec>> ParseSourcesConfig(std::string_view yaml) {
  try {  // yaml-cpp throws; this is the boundary.
    return FromNode(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    return Errorf("line {}: {}", e.mark.line + 1, e.msg);
  }
}

Result<UpdateReport> Update(const std::vector<SourceSpec>& sources, const UpdateOptions& opts) {
  if (sources.empty()) return Errorf("no sources configured");
  UpdateReport report;
  DISTILL_TRY(report.import, Run(sources, opts, /*fresh=*/true, &report));
  return report;
}

Result<ImportReport> ImportInputs(const std::vector<std::string>& inputs, const ImportOptions& opts,
                                  const UpdateOptions& where, bool fresh) {
  std::vector<SourceSpec> sources;
  for (const auto& in : inputs) sources.push_back({in, opts});
  return Run(sources, where, fresh, nullptr);
}

}  // namespace distill::vuln::importers
