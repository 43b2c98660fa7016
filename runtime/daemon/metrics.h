// The network's side of /metrics (the engine's side is EngineHost's):
// handler latency per endpoint as a Prometheus histogram, answers by status,
// connections. Touched by the network thread only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace questline::daemon {

class NetworkMetrics {
 public:
  // One request of `endpoint` ("events", "users", …) answered with `status`
  // after `seconds` (from its arrival to its answer, the engine's queue included).
  void Observe(const std::string& endpoint, int status, double seconds);
  void ConnectionOpened() { ++connections_; ++connections_total_; }
  void ConnectionClosed() { --connections_; }
  void ConnectionRefused() { ++refused_; }   // over max_connections
  int64_t Connections() const { return connections_; }

  // Appends these metrics, and the engine queue's depth, in the text format.
  void Append(std::string& out, uint64_t queue_depth) const;

 private:
  // Upper bounds in seconds: 50 µs to 2.5 s, the span between a health check
  // and a large batch behind a busy engine.
  static constexpr std::array<double, 14> kBounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,    0.025,  0.05,    0.1,    0.25,  1.0,    2.5};
  struct Histogram {
    std::array<uint64_t, kBounds.size()> buckets{};   // not cumulative; summed when written
    uint64_t count = 0;
    double sum = 0;
  };
  std::map<std::string, Histogram> latency_;
  std::map<int, uint64_t> by_status_;
  int64_t connections_ = 0;
  uint64_t connections_total_ = 0, refused_ = 0;
};

}  // namespace questline::daemon
