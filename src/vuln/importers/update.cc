#include "vuln/importers/update.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "util/log.h"
#include "vuln/db/fetch.h"

namespace distill::vuln::importers {

namespace {

// A local path for an input: URLs are downloaded (or reused after a 304) first. `label` heads
// the progress line ("[3/26] osv-pypi").
Result<std::string> Localize(const std::string& input, const UpdateOptions& where,
                             std::string label, UpdateReport* report,
                             const std::atomic<bool>* cancel) {
  if (!IsUrl(input)) return input;
  log::debug("fetching {}", input);
  FetchOptions fo{where.download_dir, where.progress};
  fo.label = std::move(label);
  fo.cancel = cancel;
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

// Downloads the sources, in order, on a thread of its own: the import of the first ones runs
// while the next one downloads (mostly waiting on the network). Destroying it cancels the
// download under way (an import failed) and waits for the thread.
class Downloads {
 public:
  Downloads(const std::vector<SourceSpec>& sources, const UpdateOptions& where,
            UpdateReport* report)
      : sources_(sources), where_(where), report_(report), done_(sources.size()) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Downloads() {
    cancel_ = true;
    thread_.join();
  }
  Downloads(const Downloads&) = delete;
  Downloads& operator=(const Downloads&) = delete;

  // Source i's local path (downloaded, or the path as given), once it is there; nullopt at once
  // if `stop` becomes true first (the import failed: the download under way is cancelled).
  std::optional<Result<std::string>> Get(size_t i, const std::atomic<bool>& stop) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return done_[i].has_value(); }))
      if (stop) {
        cancel_ = true;
        return std::nullopt;
      }
    return std::move(done_[i]);
  }

 private:
  void Run() {
    for (size_t i = 0; i < sources_.size() && !cancel_; ++i) {
      const SourceSpec& s = sources_[i];
      std::string label = fmt::format("[{}/{}] {}", i + 1, sources_.size(),
                                      s.name.empty() ? DownloadName(s.url) : s.name);
      auto local = Localize(s.url, where_, std::move(label), report_, &cancel_);
      if (!local.ok() && !s.name.empty()) local = std::move(local).error().wrap(SourceLabel(s));
      bool ok = local.ok();
      {
        std::lock_guard<std::mutex> lock(mu_);
        done_[i] = std::move(local);
      }
      cv_.notify_all();
      if (!ok) return;  // the import stops at this source
    }
  }

  const std::vector<SourceSpec>& sources_;
  const UpdateOptions& where_;
  UpdateReport* report_;  // its counts: written by the thread, read once it is joined
  std::vector<std::optional<Result<std::string>>> done_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> cancel_ = false;
  std::thread thread_;
};

Result<ImportReport> Run(const std::vector<SourceSpec>& sources, const UpdateOptions& where,
                         bool fresh, UpdateReport* update) {
  DISTILL_TRY(auto writer, Writer::Create(where.db_path, {fresh, where.build_time}));
  ImportReport report;
  std::vector<ImportInput> inputs;  // those given to the import so far
  bool download_failed = false;     // (its error names the source already)
  Status st;
  {
    Downloads downloads(sources, where, update);
    st = ImportPaths(
        [&](const std::atomic<bool>& stop) -> Result<std::optional<ImportInput>> {
          size_t i = inputs.size();
          if (i == sources.size()) return std::optional<ImportInput>();
          auto local = downloads.Get(i, stop);
          if (!local) return std::optional<ImportInput>();  // the import failed
          if (!local->ok()) {
            download_failed = true;
            return std::move(*local).error();
          }
          const SourceSpec& s = sources[i];
          std::error_code ec;  // local origins by absolute path, so "./x" and "x" are one origin
          std::string origin =
              IsUrl(s.url) ? s.url : std::filesystem::weakly_canonical(s.url, ec).string();
          if (origin.empty()) origin = s.url;
          inputs.push_back({std::move(**local), std::move(origin), s.options});
          return std::optional<ImportInput>(inputs.back());
        },
        *writer, &report);
  }
  if (!st.ok())
    return download_failed ? std::move(st).error()
                           : NameTheSource(std::move(st).error(), sources, inputs);
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
