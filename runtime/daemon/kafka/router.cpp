#include "runtime/daemon/kafka/router.h"

#include <chrono>

#include "runtime/daemon/auth.h"
#include "runtime/daemon/json_out.h"
#include "runtime/daemon/kafka/source.h"
#include "runtime/daemon/request_path.h"

namespace questline::daemon::kafka {
namespace {

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

ScaleOutRouter::ScaleOutRouter(const Config& config, std::string token, Source& source,
                               std::unique_ptr<LeaderboardMirror> mirror, NetworkMetrics& metrics)
    : config_(config), token_(std::move(token)), source_(source), mirror_(std::move(mirror)), metrics_(metrics) {}

void ScaleOutRouter::Handle(Request request, Reply reply) {
  const auto start = std::chrono::steady_clock::now();
  const size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const std::string query = question == std::string::npos ? "" : request.target.substr(question + 1);
  Response response;
  if (path != "/healthz" && !token_.empty() && !Authorized(request.authorization, token_)) {
    response = ErrorResponse(401, "a bearer token is required (Authorization: Bearer …)");
    response.headers.push_back({"WWW-Authenticate", "Bearer"});
  } else {
    response = Route(request, path, query);
  }
  const std::vector<std::string> s = Segments(path);
  const std::string endpoint = s.size() == 1 ? s[0] : s.size() >= 2 ? s[1] : "other";
  metrics_.Observe(endpoint == "healthz" || endpoint == "metrics" || endpoint == "users" || endpoint == "leaderboards" ||
                           endpoint == "kafka" || endpoint == "events"
                       ? endpoint
                       : "other",
                   response.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  reply(std::move(response));
}

Response ScaleOutRouter::Route(const Request& request, const std::string& path, const std::string& query) {
  const std::vector<std::string> s = Segments(path);
  const bool get = request.method == "GET";
  if (path == "/healthz" && get) return Json(200, "{\"status\":\"ok\"}\n");
  if (path == "/metrics" && get) {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    source_.AppendMetrics(r.body);
    metrics_.Append(r.body, 0);
    return r;
  }
  if (path == "/v1/kafka" && get) return Json(200, source_.StatusJson());
  if (s.size() == 3 && s[0] == "v1" && s[1] == "users" && get) {
    std::string user, out;
    if (!PercentDecode(s[2], &user)) return ErrorResponse(400, "a malformed user id in the path");
    bool busy = false;
    const bool found = source_.UserState(user, &out, &busy);
    if (busy) return ErrorResponse(503, "the partitions are busy with a transaction; retry");
    if (!found)
      return ErrorResponse(404, "no player '" + user + "' in the partitions this instance owns (" +
                                    "GET /v1/kafka lists them; another instance may own the player)");
    return Json(200, out + "\n");
  }
  if (s.size() == 3 && s[0] == "v1" && s[1] == "leaderboards" && get) return Leaderboard(s[2], query);
  if (s.size() >= 2 && s[0] == "v1" &&
      (s[1] == "events" || s[1] == "segments" || s[1] == "balances" || s[1] == "reload") && request.method == "POST")
    return ErrorResponse(409, "this questd takes its inputs from the Kafka topic " + config_.kafka.topic +
                                  " (source: kafka); produce them there, keyed by user id");
  return ErrorResponse(404, "no such endpoint: " + request.method + " " + path);
}

Response ScaleOutRouter::Leaderboard(const std::string& name, const std::string& query) {
  if (!mirror_) return ErrorResponse(404, "leaderboards are read from the Redis mirror: set source.redis");
  std::string competition;
  if (!PercentDecode(name, &competition)) return ErrorResponse(400, "a malformed leaderboard name in the path");
  if (!source_.HasCompetition(competition)) return ErrorResponse(404, "no leaderboard or tournament '" + competition + "'");
  size_t top = 10;
  const std::string top_text = QueryValue(query, "top");
  if (!top_text.empty()) {
    if (top_text.size() > 6 || top_text.find_first_not_of("0123456789") != std::string::npos)
      return ErrorResponse(400, "top must be a number from 1 to 100000");
    top = std::stoul(top_text);
    if (top == 0 || top > 100'000) return ErrorResponse(400, "top must be a number from 1 to 100000");
  }
  std::vector<std::pair<std::string, double>> entries;
  int64_t window_start = 0;
  std::string error;
  if (!mirror_->Top(competition, top, &entries, &window_start, &error))
    return ErrorResponse(503, "the leaderboard mirror cannot be read: " + error);
  std::string out = "{\"leaderboard\":" + JsonString(competition) + ",\"window_start\":" + std::to_string(window_start) +
                    ",\"source\":\"redis\",\"entries\":[";
  for (size_t i = 0; i < entries.size(); ++i) {
    out += i ? ",{\"rank\":" : "{\"rank\":";
    out += std::to_string(i + 1) + ",\"user\":" + JsonString(entries[i].first) + ",\"score\":";
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", entries[i].second);
    out += std::string(number) + "}";
  }
  return Json(200, out + "]}\n");
}

}  // namespace questline::daemon::kafka
