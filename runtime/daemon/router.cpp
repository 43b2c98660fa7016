#include "runtime/daemon/router.h"

#include <chrono>
#include <memory>

#include "runtime/daemon/auth.h"
#include "runtime/daemon/batch.h"
#include "runtime/daemon/json_out.h"
#include "runtime/daemon/package_store.h"
#include "runtime/daemon/request_path.h"

namespace questline::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// After a failed file sink flush the input stays applied (it is journaled);
// its actions are held and go out before the next input is taken.
constexpr const char* kAppliedNotWritten =
    "journaled and applied: its actions are written to the action file before the next input is taken";

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// The endpoint's name in /metrics: a fixed set, whatever the path holds.
std::string EndpointName(const std::vector<std::string>& s) {
  if (s.size() == 1 && (s[0] == "healthz" || s[0] == "metrics")) return s[0];
  if (s.size() >= 2 && s[0] == "v1") {
    if (s[1] == "events" || s[1] == "users" || s[1] == "leaderboards" || s[1] == "missions" || s[1] == "reload")
      return s[1];
    if (s[1] == "segments" || s[1] == "balances") return s[1] + "_import";
  }
  return "other";
}

Response ImportAnswer(const ImportResult& r) {
  switch (r.status) {
    case ImportResult::Status::Applied:
      if (!r.sink_error.empty())
        return Json(503, "{\"applied\":" + std::to_string(r.applied) + ",\"error\":" +
                             JsonString(r.sink_error + "; " + kAppliedNotWritten) + "}\n");
      return Json(200, "{\"applied\":" + std::to_string(r.applied) + "}\n");
    case ImportResult::Status::BadRows: {
      std::string body = "{\"applied\":" + std::to_string(r.applied) + ",\"rejected\":";
      AppendRejections(body, r.rejected);
      return Json(422, body + "}\n");
    }
    case ImportResult::Status::UnknownName: return Json(404, ErrorJson(r.error));
    case ImportResult::Status::Refused: return Json(409, ErrorJson(r.error));
    case ImportResult::Status::Unavailable:
      // "sink…": SinksReady refused it; else the journal did.
      return Json(503, ErrorJson(r.error.rfind("sink", 0) == 0 ? r.error : "not journaled, nothing applied: " + r.error));
  }
  return Json(500, ErrorJson("unknown import status"));
}

}  // namespace

Response ErrorResponse(int status, const std::string& message) { return Json(status, ErrorJson(message)); }

std::string IngestJson(const IngestResult& result, int64_t last_line) {
  std::string out = "{\"accepted\":" + std::to_string(result.accepted) +
                    ",\"duplicates\":" + std::to_string(result.duplicates) + ",\"rejected\":";
  AppendRejections(out, result.rejected);
  if (last_line >= 0) out += ",\"last_line\":" + std::to_string(last_line);
  if (!result.refused.empty()) out += ",\"error\":" + JsonString(result.refused);
  else if (!result.journal_error.empty())
    out += ",\"error\":" + JsonString("not journaled, nothing applied: " + result.journal_error);
  else if (!result.sink_error.empty())
    out += ",\"error\":" + JsonString(result.sink_error + "; " + kAppliedNotWritten);
  return out + "}\n";
}

Response ReloadResponse(const ReloadResult& r) {
  const std::string hashes = "\"package\":\"" + HashHex(r.package) + "\",\"previous\":\"" + HashHex(r.previous) + "\"";
  switch (r.status) {
    case ReloadResult::Status::Reloaded: return Json(200, "{\"reloaded\":true," + hashes + "}\n");
    case ReloadResult::Status::Unchanged: return Json(200, "{\"reloaded\":false,\"unchanged\":true," + hashes + "}\n");
    case ReloadResult::Status::Refused: {
      const std::string diagnostics = r.diagnostics_json.empty() ? "[]" : r.diagnostics_json;
      const std::string why = r.diagnostics_json.empty() ? r.error : "the package has errors (see diagnostics)";
      return Json(422, "{\"error\":" + JsonString("the package was refused, the running one goes on: " + why) +
                           ",\"diagnostics\":" + diagnostics + "}\n");
    }
    case ReloadResult::Status::Failed:
      return Json(500, "{\"error\":" + JsonString("the reload failed, the running package goes on: " + r.error) +
                           "," + hashes + "}\n");
  }
  return Json(500, ErrorJson("unknown reload status"));
}

Router::Router(const Config& config, std::string token, EngineHost& host, EngineWorker& worker,
               NetworkMetrics& metrics, Reloader& reloader)
    : config_(config), token_(std::move(token)), host_(host), worker_(worker), metrics_(metrics),
      reloader_(reloader) {}

void Router::Handle(Request request, Reply reply) {
  const size_t q = request.target.find('?');
  const std::string path = request.target.substr(0, q);
  const std::string query = q == std::string::npos ? "" : request.target.substr(q + 1);
  const auto start = Clock::now();
  const std::string endpoint = path.empty() || path[0] != '/' ? "other" : EndpointName(Segments(path));
  Reply timed = [this, start, endpoint, reply = std::move(reply)](Response response) {
    metrics_.Observe(endpoint, response.status, std::chrono::duration<double>(Clock::now() - start).count());
    reply(std::move(response));
  };
  if (path.empty() || path[0] != '/') return timed(ErrorResponse(400, "the request target must be a path"));
  if (path == "/healthz") {
    if (request.method != "GET") return timed(ErrorResponse(405, "use GET"));
    return timed(Json(200, "{\"status\":\"ok\"}\n"));
  }
  if (!Authorized(request.authorization, token_)) {
    Response r = ErrorResponse(401, "missing or wrong bearer token (Authorization: Bearer TOKEN)");
    r.headers.push_back({"WWW-Authenticate", "Bearer"});
    return timed(std::move(r));
  }
  Route(request, path, query, std::move(timed));
}

void Router::Route(Request& request, const std::string& path, const std::string& query, Reply reply) {
  const std::vector<std::string> s = Segments(path);
  const std::string& method = request.method;
  auto wrong_method = [&](const char* allowed) {
    Response r = ErrorResponse(405, std::string("use ") + allowed);
    r.headers.push_back({"Allow", allowed});
    reply(std::move(r));
  };
  std::string name;
  if (s.size() == 1 && s[0] == "metrics") {
    if (method != "GET") return wrong_method("GET");
    return OnEngine(
        [this] {
          Response r;
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          host_.AppendMetrics(r.body);
          return r;
        },
        [this, reply](Response r) {
          metrics_.Append(r.body, worker_.QueueDepth());   // the network's side, on its own thread
          reply(std::move(r));
        });
  }
  if (s.size() < 2 || s[0] != "v1") return reply(ErrorResponse(404, "no such endpoint: " + path));
  if (s.size() == 2 && s[1] == "events") {
    if (method != "POST") return wrong_method("POST");
    return PostEvents(request, std::move(reply));
  }
  if (s.size() == 3 && s[1] == "users") {
    if (method != "GET") return wrong_method("GET");
    if (!PercentDecode(s[2], &name)) return reply(ErrorResponse(400, "bad user id in the path"));
    return OnEngine(
        [this, name] {
          std::string state;
          if (!host_.UserState(name, &state)) return ErrorResponse(404, "no player '" + name + "'");
          return Json(200, state + "\n");
        },
        std::move(reply));
  }
  if (s.size() == 3 && s[1] == "leaderboards") {
    if (method != "GET") return wrong_method("GET");
    const std::string top_text = QueryValue(query, "top");
    size_t top = 10;
    if (!top_text.empty()) {
      bool ok = top_text.size() <= 6;
      for (char c : top_text) ok &= c >= '0' && c <= '9';
      if (!ok || (top = std::stoul(top_text)) == 0)
        return reply(ErrorResponse(400, "top must be a whole number from 1 to 999999"));
    }
    if (!PercentDecode(s[2], &name)) return reply(ErrorResponse(400, "bad leaderboard name in the path"));
    // Asked on the engine thread: a reload changes the package's names.
    return OnEngine(
        [this, name, top] {
          if (!host_.HasCompetition(name)) return ErrorResponse(404, "no leaderboard or tournament '" + name + "'");
          return Json(200, host_.Leaderboard(name, top));
        },
        std::move(reply));
  }
  if (s.size() == 4 && s[1] == "missions" && s[3] == "stats") {
    if (method != "GET") return wrong_method("GET");
    if (!PercentDecode(s[2], &name)) return reply(ErrorResponse(404, "no mission '" + s[2] + "'"));
    return OnEngine(
        [this, name] {
          if (!host_.HasMission(name)) return ErrorResponse(404, "no mission '" + name + "'");
          return Json(200, host_.MissionStatsJson(name));
        },
        std::move(reply));
  }
  if (s.size() == 4 && s[1] == "segments" && s[3] == "import") {
    if (method != "POST") return wrong_method("POST");
    if (!PercentDecode(s[2], &name)) return reply(ErrorResponse(400, "bad segment name in the path"));
    return Import(request, name, std::move(reply));
  }
  if (s.size() == 3 && s[1] == "balances" && s[2] == "import") {
    if (method != "POST") return wrong_method("POST");
    return Import(request, "", std::move(reply));
  }
  if (s.size() == 2 && s[1] == "reload") {
    if (method != "POST") return wrong_method("POST");
    return PostReload(std::move(reply));
  }
  reply(ErrorResponse(404, "no such endpoint: " + path));
}

void Router::PostEvents(Request& request, Reply reply) {
  // The body moves into the job: the batch's lines point into it.
  auto body = std::make_shared<std::string>(std::move(request.body));
  auto batch = std::make_shared<Batch>();
  std::string error;
  if (!SplitEvents(*body, size_t(config_.limits.max_event_bytes), batch.get(), &error))
    return reply(ErrorResponse(400, error));
  const size_t events = batch->lines.size() + batch->rejected.size();
  if (int64_t(events) > config_.limits.max_batch_events)
    return reply(ErrorResponse(413, "the batch has " + std::to_string(events) + " events; max_batch_events is " +
                                        std::to_string(config_.limits.max_batch_events)));
  // Answered once the group the batch joins is durable and applied.
  worker_.RunDeferred<Response>(
      [this, body, batch](std::function<void(Response)> answer) {
        host_.Stage(*batch, [answer = std::move(answer)](IngestResult result) {
          const bool unavailable =
              !result.refused.empty() || !result.journal_error.empty() || !result.sink_error.empty();
          answer(Json(unavailable ? 503 : 200, IngestJson(result, -1)));
        });
      },
      std::move(reply));
}

void Router::Import(Request& request, const std::string& segment, Reply reply) {
  auto body = std::make_shared<std::string>(std::move(request.body));
  OnEngine(
      [this, body, segment] {
        return ImportAnswer(segment.empty() ? host_.ImportBalances(*body) : host_.ImportSegment(segment, *body));
      },
      std::move(reply));
}

void Router::PostReload(Reply reply) {
  // `reply` is kept for when the reload ends; Start refusing leaves it unused.
  auto shared = std::make_shared<Reply>(std::move(reply));
  if (!reloader_.Start([shared](ReloadResult result) { (*shared)(ReloadResponse(result)); }))
    (*shared)(ErrorResponse(409, "a reload is in progress; try again when it has finished"));
}

void Router::OnEngine(std::function<Response()> job, Reply reply) {
  worker_.Run<Response>(std::move(job), std::move(reply));
}

}  // namespace questline::daemon
