#include "vuln/importers/import.h"

#include <algorithm>
#include <filesystem>

#include "util/file.h"
#include "util/log.h"
#include "vuln/db/async_writer.h"
#include "vuln/importers/debian_tracker.h"
#include "vuln/importers/osv.h"
#include "vuln/importers/secdb.h"
#include "vuln/importers/wolfi_advisories.h"
#include "vuln/importers/zip.h"

namespace distill::vuln::importers {

namespace {

namespace fs = std::filesystem;

// Every format the importer reads, in the order detection tries them.
struct Format {
  std::string_view kind;
  bool (*detect)(std::string_view text);
  Status (*parse)(std::string_view text, const ImportOptions& opts, const Sink& sink);
};

const Format kFormats[] = {
    {kOsvKind, &LooksLikeOsv,
     [](std::string_view t, const ImportOptions&, const Sink& s) { return ParseOsv(t, s); }},
    {kWolfiAdvisoriesKind, &LooksLikeWolfiAdvisories,
     [](std::string_view t, const ImportOptions& o, const Sink& s) {
       return ParseWolfiAdvisories(t, o.ecosystem, s);
     }},
    {kSecdbKind, &LooksLikeSecdb,
     [](std::string_view t, const ImportOptions& o, const Sink& s) {
       return ParseSecdb(t, o.ecosystem, s);
     }},
    {kDebianTrackerKind, &LooksLikeDebianTracker,
     [](std::string_view t, const ImportOptions&, const Sink& s) { return ParseDebianTracker(t, s); }},
};

constexpr uint64_t kMaxDocument = 1ull << 30;  // the Debian tracker export is ~70 MB

const Format* FindFormat(std::string_view kind) {
  for (const auto& f : kFormats)
    if (f.kind == kind) return &f;
  return nullptr;
}

bool IsDataFile(std::string_view name) {
  return name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml");
}

// Writes each parsed record under the source of its kind.
class Importer {
 public:
  Importer(const std::string& origin, const ImportOptions& opts, AsyncWriter& w, ImportReport* r)
      : origin_(origin), opts_(opts), writer_(w), report_(r) {}

  // `strict`: a single file given by the user (errors are fatal, unknown formats too).
  Status Document(std::string_view name, std::string_view text, bool strict) {
    std::string_view kind = opts_.format;
    if (kind.empty()) {
      for (const auto& f : kFormats)
        if (f.detect(text)) {
          kind = f.kind;
          break;
        }
    }
    if (kind.empty()) {
      if (strict)
        return Errorf("{}: unknown vulnerability data format (expected OSV JSON, a secdb, Wolfi "
                      "advisories or Debian tracker JSON)",
                      name);
      ++report_->skipped;
      log::debug("{}: skipped (no known format)", name);
      return {};
    }
    auto [it, fresh] = sources_.try_emplace(std::string(kind), -1);
    if (fresh) {
      auto id = writer_.Source(kind, origin_);
      if (!id.ok()) return id.error();
      it->second = *id;
    }
    int64_t source = it->second;
    int64_t& rows = report_->rows[std::string(kind)];
    bool write_failed = false;
    auto parsed = ParseDocument(name, text, opts_, kind, [&](Advisory&& a) -> Status {
      ++rows;
      Status st = writer_.Add(source, std::move(a));
      write_failed |= !st.ok();
      return st;
    });
    ++report_->files;
    if (parsed.ok()) return {};
    if (strict || write_failed) return std::move(parsed).error();  // a database error ends it
    // A record that fails inside a collection is reported, and the rest imported.
    report_->warnings.push_back(parsed.error().message);
    return {};
  }

 private:
  const std::string& origin_;
  const ImportOptions& opts_;
  AsyncWriter& writer_;
  ImportReport* report_;
  std::map<std::string, int64_t> sources_;  // kind → source id
};

Status ImportDirectory(const std::string& dir, Importer& imp) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && IsDataFile(it->path().filename().string())) files.push_back(it->path());
  if (ec) return Errorf("{}: cannot list: {}", dir, ec.message());
  std::sort(files.begin(), files.end());  // deterministic: same input, same database
  for (const auto& f : files) {
    DISTILL_TRY(std::string text, ReadFile(f.string(), kMaxDocument));
    DISTILL_TRY_VOID(imp.Document(f.string(), text, /*strict=*/false));
  }
  return {};
}

Status ImportZip(const std::string& path, Importer& imp) {
  return zip::ForEachFile(path, kMaxDocument, IsDataFile, [&](std::string_view name, std::string_view text) {
    return imp.Document(path + ":" + std::string(name), text, /*strict=*/false);
  });
}

}  // namespace

std::vector<std::string_view> Formats() {
  std::vector<std::string_view> out;
  for (const auto& f : kFormats) out.push_back(f.kind);
  return out;
}

Result<std::string_view> ParseDocument(std::string_view name, std::string_view text,
                                       const ImportOptions& opts, std::string_view kind,
                                       const Sink& sink) {
  const Format* f = nullptr;
  if (kind.empty()) {
    for (const auto& candidate : kFormats)
      if (candidate.detect(text)) {
        f = &candidate;
        break;
      }
  } else {
    f = FindFormat(kind);
  }
  if (!f) return Errorf("{}: unknown format \"{}\"", name, kind);
  if (auto st = f->parse(text, opts, sink); !st.ok()) return std::move(st).error().wrap(name);
  return f->kind;
}

Status ImportPath(const std::string& path, const std::string& origin, const ImportOptions& opts,
                  Writer& writer, ImportReport* report) {
  if (!opts.format.empty() && !FindFormat(opts.format))
    return Errorf("unknown format \"{}\" (known: osv, wolfi-advisories, secdb, debian-tracker)",
                  opts.format);
  std::error_code ec;
  if (!fs::exists(path, ec)) return Errorf("{}: no such file or directory", path);
  AsyncWriter async(writer);  // parse here, insert on a worker thread
  Importer imp(origin, opts, async, report);
  Status st;
  if (fs::is_directory(path, ec)) {
    st = ImportDirectory(path, imp);
  } else if (zip::IsZip(path)) {
    st = ImportZip(path, imp);
  } else if (auto text = ReadFile(path, kMaxDocument); !text.ok()) {
    st = text.error();
  } else {
    st = imp.Document(path, *text, /*strict=*/true);
  }
  Status written = async.Finish();
  return st.ok() ? written : st;
}

}  // namespace distill::vuln::importers
