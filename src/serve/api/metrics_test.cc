#include "serve/api/metrics.h"

#include <gtest/gtest.h>

namespace distill::serve {
namespace {

TEST(ServeMetrics, ExpositionText) {
  RequestMetrics m;
  m.Count("/api/v1/scan", 202);
  m.Count("/api/v1/scan", 202);
  m.Count("/api/v1/scan", 400);
  m.Count("odd\"route\\\n", 404);
  ServiceInfo info;
  info.ready = true;
  info.queue_depth = 7;
  info.scan_seconds = DurationHistogram{{0.5, 2}, {1, 3}, 4, 9.25};
  EXPECT_EQ(
      m.Render(info),
      "# HELP distill_serve_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE distill_serve_http_requests_total counter\n"
      "distill_serve_http_requests_total{route=\"/api/v1/scan\",status=\"202\"} 2\n"
      "distill_serve_http_requests_total{route=\"/api/v1/scan\",status=\"400\"} 1\n"
      "distill_serve_http_requests_total{route=\"odd\\\"route\\\\\\n\",status=\"404\"} 1\n"
      "# HELP distill_serve_ready 1 when the service is ready to take scans.\n"
      "# TYPE distill_serve_ready gauge\n"
      "distill_serve_ready 1\n"
      "# HELP distill_serve_queue_depth Scans waiting for a worker.\n"
      "# TYPE distill_serve_queue_depth gauge\n"
      "distill_serve_queue_depth 7\n"
      "# HELP distill_serve_scan_duration_seconds Time from a scan's start to its report.\n"
      "# TYPE distill_serve_scan_duration_seconds histogram\n"
      "distill_serve_scan_duration_seconds_bucket{le=\"0.5\"} 1\n"
      "distill_serve_scan_duration_seconds_bucket{le=\"2\"} 3\n"
      "distill_serve_scan_duration_seconds_bucket{le=\"+Inf\"} 4\n"
      "distill_serve_scan_duration_seconds_sum 9.25\n"
      "distill_serve_scan_duration_seconds_count 4\n");
  // Unknown queue depth and no durations: those metrics are left out.
  EXPECT_EQ(
      RequestMetrics().Render(ServiceInfo{}),
      "# HELP distill_serve_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE distill_serve_http_requests_total counter\n"
      "# HELP distill_serve_ready 1 when the service is ready to take scans.\n"
      "# TYPE distill_serve_ready gauge\n"
      "distill_serve_ready 0\n");
}

}  // namespace
}  // namespace distill::serve
