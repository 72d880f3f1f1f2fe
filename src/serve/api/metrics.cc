#include "serve/api/metrics.h"

#include <fmt/format.h>

namespace distill::serve {

namespace {

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// A label value: backslash, double quote and newline escaped, as the format says.
std::string LabelValue(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Histogram(std::string& out, const DurationHistogram& h) {
  constexpr std::string_view kName = "distill_serve_scan_duration_seconds";
  Header(out, kName, "histogram", "Time from a scan's start to its report.");
  for (size_t i = 0; i < h.bounds.size() && i < h.counts.size(); ++i)
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", kName, h.bounds[i], h.counts[i]);
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", kName, h.count);
  out += fmt::format("{}_sum {}\n{}_count {}\n", kName, h.sum, kName, h.count);
}

}  // namespace

void RequestMetrics::Count(std::string_view route, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(route), status}];
}

std::string RequestMetrics::Render(const ServiceInfo& info) const {
  std::string out;
  Header(out, "distill_serve_http_requests_total", "counter",
         "HTTP requests answered, by route and status.");
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, n] : requests_)
      out += fmt::format("distill_serve_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         LabelValue(key.first), key.second, n);
  }
  Header(out, "distill_serve_ready", "gauge", "1 when the service is ready to take scans.");
  out += fmt::format("distill_serve_ready {}\n", info.ready ? 1 : 0);
  if (info.queue_depth >= 0) {
    Header(out, "distill_serve_queue_depth", "gauge", "Scans waiting for a worker.");
    out += fmt::format("distill_serve_queue_depth {}\n", info.queue_depth);
  }
  if (info.scan_seconds) Histogram(out, *info.scan_seconds);
  return out;
}

}  // namespace distill::serve
