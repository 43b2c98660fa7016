#include "runtime/daemon/metrics.h"

#include <cstdio>

namespace questline::daemon {
namespace {

std::string Number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

}  // namespace

void NetworkMetrics::Observe(const std::string& endpoint, int status, double seconds) {
  Histogram& h = latency_[endpoint];
  for (size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
  ++by_status_[status];
}

void NetworkMetrics::Append(std::string& out, uint64_t queue_depth) const {
  out += "# HELP questd_request_duration_seconds Time from a request's arrival to its answer, by endpoint.\n"
         "# TYPE questd_request_duration_seconds histogram\n";
  for (const auto& [endpoint, h] : latency_) {
    const std::string label = "questd_request_duration_seconds_bucket{endpoint=\"" + endpoint + "\",le=\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
      cumulative += h.buckets[i];
      out += label + Number(kBounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += label + "+Inf\"} " + std::to_string(h.count) + "\n";
    out += "questd_request_duration_seconds_sum{endpoint=\"" + endpoint + "\"} " + Number(h.sum) + "\n";
    out += "questd_request_duration_seconds_count{endpoint=\"" + endpoint + "\"} " + std::to_string(h.count) + "\n";
  }
  out += "# HELP questd_http_responses_total HTTP answers, by status code.\n"
         "# TYPE questd_http_responses_total counter\n";
  for (const auto& [status, n] : by_status_)
    out += "questd_http_responses_total{code=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  out += "# HELP questd_connections Open HTTP and TCP connections.\n# TYPE questd_connections gauge\n"
         "questd_connections " + std::to_string(connections_) + "\n";
  out += "# HELP questd_connections_accepted_total Connections accepted.\n"
         "# TYPE questd_connections_accepted_total counter\n"
         "questd_connections_accepted_total " + std::to_string(connections_total_) + "\n";
  out += "# HELP questd_connections_refused_total Connections refused over limits.max_connections.\n"
         "# TYPE questd_connections_refused_total counter\n"
         "questd_connections_refused_total " + std::to_string(refused_) + "\n";
  out += "# HELP questd_engine_queue_depth Requests waiting for or running on the engine's thread.\n"
         "# TYPE questd_engine_queue_depth gauge\n"
         "questd_engine_queue_depth " + std::to_string(queue_depth) + "\n";
}

}  // namespace questline::daemon
