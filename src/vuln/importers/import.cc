#include "vuln/importers/import.h"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

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

  // `strict`: a single file given by the user (errors are fatal, unknown formats too). Records
  // go to the writer as they are parsed (the Debian tracker's one document is ~70 MB).
  Status Document(std::string_view name, std::string_view text, bool strict) {
    std::string_view kind = Detect(text);
    if (kind.empty()) return Unknown(name, strict);
    DISTILL_TRY(int64_t source, SourceOf(kind));
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

  // One document of a collection, parsed (and encoded) on a worker thread, then written in
  // document order by Consume on the importing thread.
  struct Parsed {
    std::string name;
    std::string_view kind;  // "" = no known format
    std::vector<std::pair<Advisory, Writer::Encoded>> rows;
    Status status;
  };

  // Thread-safe: detects the format, parses and encodes the JSON columns.
  void Parse(std::string_view text, Parsed& p) const {
    p.kind = Detect(text);
    if (p.kind.empty()) return;
    auto parsed = ParseDocument(p.name, text, opts_, p.kind, [&](Advisory&& a) -> Status {
      Writer::Encoded e = Writer::Encode(a);
      // The encoded columns are all the writer needs of these: freed here, on the thread that
      // allocated them (cheaper than on the writer's).
      a.aliases = {}, a.severities = {}, a.references = {};
      a.fixed_versions = {}, a.ranges = {}, a.versions = {};
      p.rows.emplace_back(std::move(a), std::move(e));
      return {};
    });
    if (!parsed.ok()) p.status = std::move(parsed).error();
  }

  // Writes a parsed document of a collection: its records (also those parsed before an error;
  // the error itself becomes a warning).
  Status Consume(Parsed& p) {
    if (p.kind.empty()) return Unknown(p.name, /*strict=*/false);
    DISTILL_TRY(int64_t source, SourceOf(p.kind));
    report_->rows[std::string(p.kind)] += static_cast<int64_t>(p.rows.size());
    for (auto& [a, e] : p.rows) DISTILL_TRY_VOID(writer_.Add(source, std::move(a), std::move(e)));
    ++report_->files;
    if (!p.status.ok()) report_->warnings.push_back(p.status.error().message);
    return {};
  }

 private:
  std::string_view Detect(std::string_view text) const {
    if (!opts_.format.empty()) return opts_.format;
    for (const auto& f : kFormats)
      if (f.detect(text)) return f.kind;
    return {};
  }

  Status Unknown(std::string_view name, bool strict) {
    if (strict)
      return Errorf("{}: unknown vulnerability data format (expected OSV JSON, a secdb, Wolfi "
                    "advisories or Debian tracker JSON)",
                    name);
    ++report_->skipped;
    log::debug("{}: skipped (no known format)", name);
    return {};
  }

  Result<int64_t> SourceOf(std::string_view kind) {
    auto [it, fresh] = sources_.try_emplace(std::string(kind), -1);
    if (fresh) {
      DISTILL_TRY(it->second, writer_.Source(kind, origin_));
    }
    return it->second;
  }

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

// Zip archives (OSV's all.zip: tens of thousands of 3-8 KB records) are inflated, parsed and
// encoded by worker threads, a chunk of entries at a time; the chunks are written in archive
// order, so the database is the same whatever the threads' timing.
Status ImportZip(const std::string& path, Importer& imp) {
  DISTILL_TRY(auto archive, zip::Archive::Open(path));
  std::vector<const zip::Entry*> files;
  for (const auto& e : archive->entries())
    if (e.is_file() && IsDataFile(e.name)) files.push_back(&e);
  constexpr size_t kChunk = 32;
  const size_t chunks = (files.size() + kChunk - 1) / kChunk;
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  const size_t window = 4 * threads;  // chunks parsed ahead of the writer, at most

  struct Chunk {
    std::vector<Importer::Parsed> docs;
    bool ready = false;
  };
  std::vector<Chunk> done(chunks);
  std::mutex mu;
  std::condition_variable cv;
  size_t next = 0, consumed = 0;
  bool stop = false;
  auto work = [&] {
    std::string text;
    std::vector<uint8_t> scratch;
    for (;;) {
      size_t c;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stop || next >= chunks || next < consumed + window; });
        if (stop || next >= chunks) return;
        c = next++;
      }
      std::vector<Importer::Parsed> docs;
      for (size_t i = c * kChunk; i < std::min(files.size(), (c + 1) * kChunk); ++i) {
        Importer::Parsed& p = docs.emplace_back();
        p.name = path + ":" + files[i]->name;
        if (Status st = archive->Read(*files[i], kMaxDocument, text, scratch); !st.ok()) {
          p.status = std::move(st);  // a corrupt archive ends the import
          break;
        }
        imp.Parse(text, p);
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        done[c].docs = std::move(docs);
        done[c].ready = true;
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(work);
  Status st;
  for (size_t c = 0; c < chunks && st.ok(); ++c) {
    std::vector<Importer::Parsed> docs;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done[c].ready; });
      docs = std::move(done[c].docs);
      consumed = c + 1;
    }
    cv.notify_all();
    for (auto& p : docs) {
      if (p.kind.empty() && !p.status.ok()) {  // the archive could not be read
        st = std::move(p.status);
        break;
      }
      st = imp.Consume(p);
      if (!st.ok()) break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (auto& t : pool) t.join();
  return st;
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
