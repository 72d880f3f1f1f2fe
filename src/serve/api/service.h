// What the HTTP API asks of the rest of `distill serve`: the one interface the job store
// implements (src/serve/store/, PostgreSQL) and the API calls. The API parses and checks what
// Harbor sends, then hands over a ScanRequest; it never scans, stores or queues anything itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "serve/api/protocol.h"
#include "util/result.h"

namespace distill::serve {

// One scan as Harbor asks for it (ScanRequest in the spec), checked: the URL is http(s), the
// repository, tag and digest are well-formed, and `reports` names only what distill produces.
struct ScanRequest {
  std::string registry_url;   // "http://core:8080": where to pull from
  std::string authorization;  // the HTTP Authorization value for the pull, or "". A credential:
                              // never logged, never stored in clear, dropped when the job ends
  Artifact artifact;
  std::vector<ReportKind> reports;  // what enabled_capabilities asked for (all when absent),
                                    // sorted, each once
};

// The state of one report of one scan.
struct ReportAnswer {
  enum class State {
    kPending,  // queued or running: Harbor is told to come back (302 + Refresh-After)
    kDone,     // `body` is the report, rendered by report.h for the kind asked (200)
    kFailed,   // the scan ended without a report: `body` is the reason (500). Every job ends in
               // kDone or kFailed: Harbor polls a pending one for ever
    kUnknown,  // no such scan, or it never asked for this kind, or it has expired (404: Harbor
               // fails its job and sends a new request)
  };
  State state = State::kUnknown;
  int refresh_after = 5;  // kPending: seconds until the report may be ready (the API clamps it
                          // to 1..127, what Harbor can parse)
  std::string body;
};

// Durations of finished scans as a Prometheus histogram: counts[i] scans took <= bounds[i]
// seconds (cumulative), `count` scans in all, `sum` seconds in all.
struct DurationHistogram {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  uint64_t count = 0;
  double sum = 0;
};

// What the service tells /metadata, /readyz and /metrics.
struct ServiceInfo {
  bool ready = false;
  std::string not_ready_reason;     // why not ready ("database: connection refused")
  std::string database_updated_at;  // RFC 3339: when the vulnerability database was built, or ""
  int64_t queue_depth = -1;         // scans waiting, -1 when unknown
  std::optional<DurationHistogram> scan_seconds;
};

class ScanService {
 public:
  virtual ~ScanService() = default;
  // Queues the scan and returns the id Harbor polls with (unique, at most 128 characters of
  // [A-Za-z0-9._-]). An error is the service's own failure: 500 with its message.
  virtual Result<std::string> Submit(const ScanRequest& request) = 0;
  // The report of `kind` for scan `id`. An error is the service's own failure (500).
  virtual Result<ReportAnswer> Report(const std::string& id, ReportKind kind) = 0;
  // Called on every /metadata, /readyz and /metrics request: should be cheap.
  virtual ServiceInfo Info() = 0;
};

}  // namespace distill::serve
