// The parts of a request's target the routers read: the path's segments, a
// percent-decoded segment, a query value. Shared by the Router and, in a
// Kafka-fed questd, kafka::ScaleOutRouter.
#pragma once

#include <string>
#include <vector>

namespace questline::daemon {

// %XX escapes of a path segment (a user id may hold any byte); false when
// malformed or empty.
bool PercentDecode(const std::string& in, std::string* out);
// The value of `key` in a query string (a=1&b=2), or empty.
std::string QueryValue(const std::string& query, const std::string& key);
// "/v1/leaderboards/weekly" split at its slashes: {"v1", "leaderboards", "weekly"}.
std::vector<std::string> Segments(const std::string& path);

}  // namespace questline::daemon
