// The HTTP API of a Kafka-fed questd (docs/scale-out.md, "HTTP"): events
// come from the topic, so the ingest, import and reload endpoints answer
// 409 and say where events go; a player's state is read from the partition
// this instance owns (404 when another instance owns it); a leaderboard is
// read from the Redis mirror, which holds every partition's scores.
#pragma once

#include <memory>
#include <string>

#include "runtime/daemon/config.h"
#include "runtime/daemon/leaderboard_mirror.h"
#include "runtime/daemon/metrics.h"
#include "runtime/daemon/router.h"

namespace questline::daemon::kafka {

class Source;

class ScaleOutRouter final : public RequestHandler {
 public:
  // `mirror`: a connection of the network thread's own (hiredis contexts
  // are not shared across threads); null when none is configured.
  ScaleOutRouter(const Config& config, std::string token, Source& source, std::unique_ptr<LeaderboardMirror> mirror,
                 NetworkMetrics& metrics);
  void Handle(Request request, Reply reply) override;

 private:
  Response Route(const Request& request, const std::string& path, const std::string& query);
  Response Leaderboard(const std::string& name, const std::string& query);

  const Config& config_;
  const std::string token_;
  Source& source_;
  std::unique_ptr<LeaderboardMirror> mirror_;
  NetworkMetrics& metrics_;
};

}  // namespace questline::daemon::kafka
