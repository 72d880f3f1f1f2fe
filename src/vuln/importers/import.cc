#include "vuln/importers/import.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <simdjson.h>

#include "util/file.h"
#include "util/libsimdjson.h"
#include "util/log.h"
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
  // `padded`: SIMDJSON_PADDING bytes after `text` are readable (a simdjson parser need not copy).
  // `warnings`: what the parser repaired or kept of the document's content (secdb versions).
  Status (*parse)(std::string_view text, const ImportOptions& opts, const Sink& sink, bool padded,
                  std::vector<std::string>* warnings);
};

const Format kFormats[] = {
    {kOsvKind, &LooksLikeOsv,
     [](std::string_view text, const ImportOptions&, const Sink& sink, bool padded,
        std::vector<std::string>*) { return ParseOsv(text, sink, padded); }},
    {kWolfiAdvisoriesKind, &LooksLikeWolfiAdvisories,
     [](std::string_view text, const ImportOptions& options, const Sink& sink, bool,
        std::vector<std::string>*) { return ParseWolfiAdvisories(text, options.ecosystem, sink); }},
    {kSecdbKind, &LooksLikeSecdb,
     [](std::string_view text, const ImportOptions& options, const Sink& sink, bool,
        std::vector<std::string>* warnings) {
       return ParseSecdb(text, options.ecosystem, sink, warnings);
     }},
    {kDebianTrackerKind, &LooksLikeDebianTracker,
     [](std::string_view text, const ImportOptions&, const Sink& sink, bool,
        std::vector<std::string>*) { return ParseDebianTracker(text, sink); }},
};

constexpr uint64_t kMaxDocument = 1ull << 30;  // the Debian tracker export is ~70 MB
// One record of an OSV all.zip is a few KB (the largest, kernel records naming hundreds of
// binary packages, ~1 MB): an entry inflating to more is a zip bomb, and ends the import.
constexpr uint64_t kMaxZipEntry = 16ull << 20;

const Format* FindFormat(std::string_view kind) {
  for (const auto& f : kFormats)
    if (f.kind == kind) return &f;
  return nullptr;
}

bool IsDataFile(std::string_view name) {
  return name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml");
}

std::string_view Detect(std::string_view text, const ImportOptions& opts) {
  if (!opts.format.empty()) return opts.format;
  for (const auto& f : kFormats)
    if (f.detect(text)) return f.kind;
  return {};
}

// One input of an import: a path and the origin its rows are recorded under.
struct Input {
  std::string path, origin;
  ImportOptions opts;
  std::map<std::string_view, int64_t> sources;  // kind → source id (the consuming thread's)
};

// A unit of work: some documents (or parts of one), parsed and encoded on any thread into
// `rows`, then written in the order jobs were queued.
struct Job {
  struct Doc {
    std::string name;
    std::string_view kind;  // "" = no known format
    size_t end = 0;         // its rows are rows[previous doc's end, end)
    Status status;          // parse error (a warning in a collection, else fatal)
    bool strict = false;    // a file given by the user: errors and unknown formats are fatal
    bool fatal = false;     // unreadable (I/O, a corrupt archive): ends the import
    bool last_part = true;  // counted as a file (a document split in parts counts once)
    std::vector<std::string> version_warnings;  // the parser's, about versions it repaired or kept
  };
  Input* input = nullptr;
  std::function<void(Job&)> run;
  std::vector<Doc> docs;
  Writer::Rows rows;
  enum { kQueued, kRunning, kReady } state = kQueued;

  // Parses `text` as one document of `kind` into rows (a new doc).
  void Parse(std::string name, std::string_view text, std::string_view kind, bool strict,
             bool padded = false) {
    Doc& d = docs.emplace_back();
    d.name = std::move(name);
    d.strict = strict;
    d.kind = kind.empty() ? Detect(text, input->opts) : kind;
    if (!d.kind.empty()) {
      auto parsed = ParseDocument(
          d.name, text, input->opts, d.kind,
          [&](Advisory&& advisory) -> Status {
            rows.Add(advisory);
            return {};
          },
          padded, &d.version_warnings);
      if (!parsed.ok()) d.status = std::move(parsed).error();
    }
    d.end = rows.size();
  }
  void Fail(std::string name, Status st) {
    Doc& d = docs.emplace_back();
    d.name = std::move(name);
    d.status = std::move(st);
    d.fatal = true;
    d.end = rows.size();
  }
};

double ThreadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Runs jobs on every core and writes their rows in queue order: whichever thread finishes a
// job takes the writer's role when the next job in order is ready, so the database is the
// same whatever the threads' timing. No thread only waits: the queuing thread helps when the
// window of jobs in flight is full, and there is one thread per core (on two cores, parsing
// and inserting overlap without a writer thread to hand batches to).
class Pipeline {
 public:
  using Consume = std::function<Status(Job&)>;
  Pipeline(Consume consume, unsigned threads)
      : consume_(std::move(consume)),
        window_(8 * threads),
        start_(std::chrono::steady_clock::now()) {
    for (unsigned i = 1; i < threads; ++i) helpers_.emplace_back([this] { Help(); });
  }
  ~Pipeline() { (void)Finish(); }

  // Queues a job; false once the import has failed (stop queuing).
  bool Push(std::unique_ptr<Job> job) {
    std::unique_lock<std::mutex> lock(mu_);
    while (jobs_.size() >= window_ && !failed_)
      if (!Step(lock)) Wait(lock);
    if (failed_) return false;
    jobs_.push_back(std::move(job));
    cv_.notify_all();
    return true;
  }

  // True once the import has failed (readable from any thread at any time).
  const std::atomic<bool>& stopped() const { return stopped_; }

  // Runs and writes everything queued; returns the first error.
  Status Finish() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_ = true;
      cv_.notify_all();
      while (!jobs_.empty() || consuming_)
        if (!Step(lock)) Wait(lock);
    }
    for (auto& t : helpers_) t.join();
    if (!helpers_.empty() || consumed_)
      log::debug(
          "import: {} jobs on {} threads in {:.3f} s: {:.3f} s parsing, {:.3f} s writing (CPU), "
          "{:.3f} s waiting",
          consumed_, helpers_.size() + 1,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
          parse_s_, write_s_, wait_s_);
    helpers_.clear();
    consumed_ = 0;
    return error_;
  }

 private:
  void Help() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!(done_ && jobs_.empty() && !consuming_))
      if (!Step(lock)) Wait(lock);
  }

  void Wait(std::unique_lock<std::mutex>& lock) {
    auto t0 = std::chrono::steady_clock::now();
    cv_.wait(lock);
    wait_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  // One piece of work, `lock` released while doing it: write the ready jobs at the head of the
  // queue, else run the oldest queued job. False when there is none.
  bool Step(std::unique_lock<std::mutex>& lock) {
    if (!consuming_ && !jobs_.empty() && jobs_.front()->state == Job::kReady) {
      consuming_ = true;
      while (!jobs_.empty() && jobs_.front()->state == Job::kReady) {
        std::unique_ptr<Job> job = std::move(jobs_.front());
        jobs_.pop_front();
        ++consumed_;
        bool failed = failed_;
        lock.unlock();
        cv_.notify_all();  // room in the window
        double t0 = ThreadSeconds();
        Status st = failed ? Status() : consume_(*job);
        job.reset();
        write_s_ += ThreadSeconds() - t0;
        lock.lock();
        if (!st.ok() && !failed_) error_ = std::move(st), failed_ = true, stopped_ = true;
      }
      consuming_ = false;
      cv_.notify_all();
      return true;
    }
    if (next_ < consumed_ + jobs_.size()) {
      Job& job = *jobs_[next_ - consumed_];
      ++next_;
      job.state = Job::kRunning;
      bool failed = failed_;
      lock.unlock();
      double t0 = ThreadSeconds();
      if (!failed) job.run(job);
      double s = ThreadSeconds() - t0;
      lock.lock();
      parse_s_ += s;
      job.state = Job::kReady;
      cv_.notify_all();
      return true;
    }
    return false;
  }

  Consume consume_;
  const size_t window_;  // jobs queued and not yet written, at most
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> jobs_;  // not yet written, in order
  size_t consumed_ = 0;                    // jobs written (the index of jobs_.front())
  size_t next_ = 0;                        // the next job to run
  bool consuming_ = false, done_ = false, failed_ = false;
  std::atomic<bool> stopped_ = false;  // failed_, read without the lock
  Status error_;
  double parse_s_ = 0, write_s_ = 0;  // CPU time in jobs, for -v
  double wait_s_ = 0;                 // time threads waited for work, for -v
  std::chrono::steady_clock::time_point start_;
  std::vector<std::thread> helpers_;
};

// Writes each job's documents under the source of their kind (on the thread in the writer's
// role: one at a time, in order).
class Importer {
 public:
  Importer(Writer& writer, ImportReport* import_report) : writer_(writer), report_(import_report) {}

  Status Consume(Job& job) {
    Input& in = *job.input;
    // The rows of consecutive documents of one source are inserted together: an OSV record is
    // one row, and the writer puts kMultiRow rows in a statement.
    int64_t source = -1;
    size_t begin = 0, pending = 0;  // rows [pending, begin) are `source`'s, not yet inserted
    auto flush = [&]() -> Status {
      if (begin > pending) DISTILL_TRY_VOID(writer_.Insert(source, job.rows, pending, begin));
      pending = begin;
      return {};
    };
    for (Job::Doc& d : job.docs) {
      size_t end = d.end;
      if (d.fatal) return std::move(d.status);
      if (d.kind.empty()) {  // (no rows)
        DISTILL_TRY_VOID(Unknown(d.name, d.strict));
        continue;
      }
      auto [it, fresh] = in.sources.try_emplace(d.kind, -1);
      if (fresh || it->second != source) DISTILL_TRY_VOID(flush());
      if (fresh) {
        DISTILL_TRY(it->second, writer_.Source(d.kind, in.origin));
      }
      source = it->second;
      report_->rows[std::string(d.kind)] += static_cast<int64_t>(end - begin);
      begin = end;
      if (d.last_part) ++report_->files;
      for (auto& w : d.version_warnings) report_->version_warnings.push_back(d.name + ": " + w);
      if (d.status.ok()) continue;
      if (d.strict) return std::move(d.status);
      // A record that fails inside a collection is reported, and the rest imported.
      report_->warnings.push_back(d.status.error().message);
    }
    return flush();
  }

 private:
  Status Unknown(std::string_view name, bool strict) {
    if (strict)
      return Errorf(
          "{}: unknown vulnerability data format (expected OSV JSON, a secdb, Wolfi "
          "advisories or Debian tracker JSON)",
          name);
    ++report_->skipped;
    log::debug("{}: skipped (no known format)", name);
    return {};
  }

  Writer& writer_;
  ImportReport* report_;
};

// Queues the jobs of one input. False once the pipeline stopped (an error).
class Producer {
 public:
  explicit Producer(Pipeline& pipeline) : pipe_(pipeline) {}

  bool Queue(Input& in) {
    std::error_code ec;
    if (!fs::exists(in.path, ec)) return Fail(in, Errorf("{}: no such file or directory", in.path));
    if (fs::is_directory(in.path, ec)) return Directory(in);
    if (zip::IsZip(in.path)) return Zip(in);
    return File(in);
  }

 private:
  std::unique_ptr<Job> NewJob(Input& in) {
    auto job = std::make_unique<Job>();
    job->input = &in;
    return job;
  }
  bool Fail(Input& in, Status st) {
    auto job = NewJob(in);
    job->Fail(in.path, std::move(st));
    job->run = [](Job&) {};
    return pipe_.Push(std::move(job));
  }

  // Sorted (deterministic: same input, same database), up to 16 files or 64 KB of them a job
  // (a directory of a few large secdbs is parsed on every core too).
  bool Directory(Input& in) {
    std::vector<std::pair<std::string, uint64_t>> files;  // path, size
    std::error_code ec;
    for (fs::recursive_directory_iterator it(in.path, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && IsDataFile(it->path().filename().string())) {
        std::error_code size_ec;
        uint64_t size = it->file_size(size_ec);
        files.emplace_back(it->path().string(), size_ec ? 0 : size);
      }
    if (ec) return Fail(in, Errorf("{}: cannot list: {}", in.path, ec.message()));
    std::sort(files.begin(), files.end());
    constexpr size_t kFilesPerJob = 16;
    constexpr uint64_t kBytesPerJob = 64 << 10;
    for (size_t i = 0; i < files.size();) {
      std::vector<std::string> names;
      uint64_t bytes = 0;
      for (; i < files.size() && names.size() < kFilesPerJob && bytes < kBytesPerJob; ++i) {
        names.push_back(files[i].first);
        bytes += files[i].second;
      }
      auto job = NewJob(in);
      job->run = [names = std::move(names)](Job& job) {
        for (const auto& f : names) {
          auto text = ReadFile(f, kMaxDocument);
          if (!text.ok()) return job.Fail(f, text.error());
          job.Parse(f, *text, {}, /*strict=*/false);
        }
      };
      if (!pipe_.Push(std::move(job))) return false;
    }
    return true;
  }

  // OSV's all.zip: tens of thousands of 3-8 KB records, inflated and parsed kZipChunk a job.
  bool Zip(Input& in) {
    auto opened = zip::Archive::Open(in.path);
    if (!opened.ok()) return Fail(in, opened.error());
    std::shared_ptr<const zip::Archive> archive = std::move(*opened);
    std::vector<const zip::Entry*> files;
    for (const auto& e : archive->entries())
      if (e.is_file() && IsDataFile(e.name)) files.push_back(&e);
    constexpr size_t kZipChunk = 64;
    for (size_t i = 0; i < files.size(); i += kZipChunk) {
      auto job = NewJob(in);
      job->run = [archive, entries = std::vector<const zip::Entry*>(
                               files.begin() + i,
                               files.begin() + std::min(files.size(), i + kZipChunk))](Job& job) {
        static thread_local std::string text;
        static thread_local std::vector<uint8_t> scratch;
        const zip::Archive::Window window =
            archive->ReadWindow(entries, 8 << 20);  // one read for the chunk
        size_t json = 0;
        for (const zip::Entry* e : entries) json += std::min<uint64_t>(e->usize, 1 << 20);
        job.rows.Reserve(json / 2);  // (a GHSA record's columns are ~half its JSON)
        for (const zip::Entry* e : entries) {
          std::string name = archive->path() + ":" + e->name;
          auto content = archive->ReadPadded(*e, kMaxZipEntry, text, scratch, &window);
          if (!content.ok())
            return job.Fail(std::move(name), content.error());  // a corrupt archive ends the import
          static_assert(zip::Archive::kPadding >= simdjson::SIMDJSON_PADDING);
          job.Parse(std::move(name), *content, {}, /*strict=*/false, /*padded=*/true);
        }
      };
      if (!pipe_.Push(std::move(job))) return false;
    }
    return true;
  }

  // A single file: errors are fatal, unknown formats too. The Debian tracker's one document
  // (~70 MB) and a JSON secdb are parsed a few hundred packages a job.
  bool File(Input& in) {
    auto read = ReadFile(in.path, kMaxDocument);
    if (!read.ok()) return Fail(in, read.error());
    auto text = std::make_shared<const std::string>(std::move(*read));
    std::string_view kind = Detect(*text, in.opts);
    if (kind == kDebianTrackerKind)
      return Parts(
          in, text, kind,
          [&](const PartFn& fn) {
            return ForEachDebianTrackerPackage(
                *text, [&](std::string_view member) { return fn(member, 0, ""); });
          },
          [](std::string_view member, size_t, const std::string&, const Sink& sink,
             std::vector<std::string>*) { return ParseDebianTrackerPackage(member, sink); });
    if (kind == kSecdbKind && IsJsonSecdb(*text))
      return Parts(
          in, text, kind,
          [&](const PartFn& fn) {
            return ForEachSecdbJsonPackage(
                *text, in.opts.ecosystem,
                [&](std::string_view eco, size_t i, std::string_view element) {
                  return fn(element, i, eco);
                });
          },
          &ParseSecdbJsonPackage);
    auto job = NewJob(in);
    job->run = [text, kind](Job& job) { job.Parse(job.input->path, *text, kind, /*strict=*/true); };
    return pipe_.Push(std::move(job));
  }

  // A document whose parser can go one part at a time (`for_each` gives each part's text, its
  // index and a context string such as the secdb's ecosystem; `parse` parses one): ~128 KB of
  // parts a job. The jobs are the one document's: one file, strict, errors name the file.
  using PartFn =
      std::function<Status(std::string_view part, size_t index, std::string_view context)>;
  using ParsePart = Status (*)(std::string_view part, size_t index, const std::string& context,
                               const Sink& sink, std::vector<std::string>* warnings);
  bool Parts(Input& in, std::shared_ptr<const std::string> text, std::string_view kind,
             const std::function<Status(const PartFn&)>& for_each, ParsePart parse) {
    constexpr size_t kPartBytes = 128 << 10;  // of the document, a job
    struct Part {
      std::string_view text;
      size_t index;
    };
    std::vector<Part> parts;
    auto context = std::make_shared<std::string>();  // set by the first part, before any job runs
    size_t bytes = 0;
    bool stopped = false;
    auto flush = [&](bool last) {
      auto job = NewJob(in);
      job->run = [text, context, kind, parse, parts = std::move(parts), last](Job& job) {
        Job::Doc& d = job.docs.emplace_back();
        d.name = job.input->path;
        d.kind = kind;
        d.strict = true;
        d.last_part = last;
        for (const Part& p : parts) {
          Status st = parse(
              p.text, p.index, *context,
              [&](Advisory&& advisory) -> Status {
                job.rows.Add(advisory);
                return {};
              },
              &d.version_warnings);
          if (!st.ok()) {
            d.status = std::move(st).error().wrap(d.name);
            break;
          }
        }
        d.end = job.rows.size();
      };
      parts = {};
      bytes = 0;
      if (!pipe_.Push(std::move(job))) stopped = true;
      return !stopped;
    };
    Status scanned =
        for_each([&](std::string_view part, size_t index, std::string_view ctx) -> Status {
          if (parts.empty() && bytes == 0 && context->empty()) context->assign(ctx);
          parts.push_back({part, index});
          bytes += part.size();
          if (bytes >= kPartBytes && !flush(false)) return Errorf("stopped");
          return {};
        });
    if (stopped) return false;
    if (!scanned.ok()) return Fail(in, std::move(scanned).error().wrap(in.path));
    return flush(true);
  }

  Pipeline& pipe_;
};

}  // namespace

std::vector<std::string_view> Formats() {
  std::vector<std::string_view> out;
  for (const auto& f : kFormats) out.push_back(f.kind);
  return out;
}

Result<std::string_view> ParseDocument(std::string_view name, std::string_view text,
                                       const ImportOptions& opts, std::string_view kind,
                                       const Sink& sink, bool padded,
                                       std::vector<std::string>* warnings) {
  DISTILL_TRY_VOID(LoadSimdjson());
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
  if (auto st = f->parse(text, opts, sink, padded, warnings); !st.ok())
    return std::move(st).error().wrap(name);
  return f->kind;
}

namespace {

Status CheckFormat(const ImportInput& in) {
  if (!in.opts.format.empty() && !FindFormat(in.opts.format))
    return Errorf("unknown format \"{}\" (known: osv, wolfi-advisories, secdb, debian-tracker)",
                  in.opts.format);
  return {};
}

}  // namespace

Status ImportPaths(const std::vector<ImportInput>& inputs, Writer& writer, ImportReport* report) {
  for (const auto& in : inputs) DISTILL_TRY_VOID(CheckFormat(in));
  size_t i = 0;
  return ImportPaths(
      [&](const std::atomic<bool>&) -> Result<std::optional<ImportInput>> {
        if (i == inputs.size()) return std::optional<ImportInput>();
        return std::optional<ImportInput>(inputs[i++]);
      },
      writer, report);
}

Status ImportPaths(const NextInput& next, Writer& writer, ImportReport* report) {
  DISTILL_TRY_VOID(LoadSimdjson());
  std::deque<Input> queued;  // stable addresses: jobs point at their input
  Importer imp(writer, report);
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  Pipeline pipe([&](Job& job) { return imp.Consume(job); }, threads);
  Producer producer(pipe);
  Status failed;  // an input that could not be had (a download): ends the import
  for (;;) {
    auto in = next(pipe.stopped());
    if (in.ok() && *in)
      if (Status st = CheckFormat(**in); !st.ok()) in = std::move(st).error();
    if (!in.ok()) {
      failed = std::move(in).error();
      break;
    }
    if (!*in) break;
    queued.push_back(
        {std::move((*in)->path), std::move((*in)->origin), std::move((*in)->opts), {}});
    if (!producer.Queue(queued.back())) break;
  }
  Status st = pipe.Finish();
  return failed.ok() ? st : failed;
}

Status ImportPath(const std::string& path, const std::string& origin, const ImportOptions& opts,
                  Writer& writer, ImportReport* report) {
  return ImportPaths({{path, origin, opts}}, writer, report);
}

}  // namespace distill::vuln::importers
