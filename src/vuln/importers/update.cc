#include "vuln/importers/update.h"

#include <filesystem>

#include <fmt/format.h>

#include "util/log.h"
#include "vuln/db/fetch.h"

namespace distill::vuln::importers {

namespace {

// A local path for an input: URLs are downloaded (or reused after a 304) first. `label` heads
// the progress line ("[3/26] osv-pypi").
Result<std::string> Localize(const std::string& input, const UpdateOptions& where,
                             std::string label, UpdateReport* report) {
  if (!IsUrl(input)) return input;
  log::debug("fetching {}", input);
  FetchOptions fo{where.download_dir, where.progress};
  fo.label = std::move(label);
  DISTILL_TRY(Fetched f, Fetch(input, fo));
  if (report) ++(f.not_modified ? report->not_modified : report->fetched);
  return f.path;
}

// "source osv-pypi": the name a failure is reported under (config entries are named by their URL,
// which the error already says).
std::string SourceLabel(const SourceSpec& spec) {
  return spec.name.empty() ? "" : "source " + spec.name;
}

// The import's error names the downloaded copy (downloads/<hash>-all.zip): say which source it is.
Error NameTheSource(Error e, const std::vector<SourceSpec>& sources,
                    const std::vector<ImportInput>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].path != sources[i].url && e.message.find(inputs[i].path) != std::string::npos) {
      std::string label = SourceLabel(sources[i]);
      return std::move(e).wrap(label.empty() ? sources[i].url
                                             : label + " (" + sources[i].url + ")");
    }
  return e;
}

Result<ImportReport> Run(const std::vector<SourceSpec>& sources, const UpdateOptions& where,
                         bool fresh, UpdateReport* update) {
  DISTILL_TRY(auto writer, Writer::Create(where.db_path, {fresh, where.build_time}));
  ImportReport report;
  std::vector<ImportInput> inputs;  // downloaded first, then imported together (parsing overlaps)
  for (size_t i = 0; i < sources.size(); ++i) {
    const SourceSpec& s = sources[i];
    std::string label = fmt::format("[{}/{}] {}", i + 1, sources.size(),
                                    s.name.empty() ? DownloadName(s.url) : s.name);
    auto local = Localize(s.url, where, std::move(label), update);
    if (!local.ok()) {
      if (s.name.empty()) return local.error();
      return std::move(local).error().wrap(SourceLabel(s));
    }
    std::error_code ec;  // local origins by absolute path, so "./x" and "x" are one origin
    std::string origin =
        IsUrl(s.url) ? s.url : std::filesystem::weakly_canonical(s.url, ec).string();
    if (origin.empty()) origin = s.url;
    inputs.push_back({std::move(*local), std::move(origin), s.options});
  }
  if (auto st = ImportPaths(inputs, *writer, &report); !st.ok())
    return NameTheSource(std::move(st).error(), sources, inputs);
  DISTILL_TRY_VOID(writer->Commit());
  return report;
}

}  // namespace

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
