// /metrics in Prometheus' text format (version 0.0.4,
// https://prometheus.io/docs/instrumenting/exposition_formats/): requests answered by route and
// status, counted by the server; readiness, queue depth and scan durations, from the service.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "serve/api/service.h"

namespace distill::serve {

inline constexpr std::string_view kMetricsMime = "text/plain; version=0.0.4; charset=utf-8";

class RequestMetrics {
 public:
  // One answered request. `route` is the route's pattern ("/api/v1/scan/{id}/report"), never the
  // path, so the label set stays small whatever callers send.
  void Count(std::string_view route, int status);
  // The exposition: every counter so far, then what `info` says.
  std::string Render(const ServiceInfo& info) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
};

}  // namespace distill::serve
