// The HTTP API of INTERFACES.md §6 as plain requests and answers: no Beast
// here (http_session.cpp translates), so the routing, the checks and the
// status codes read as one table. Runs on the network thread; whatever
// touches the engine is a job for the EngineWorker.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/daemon/config.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/engine_worker.h"
#include "runtime/daemon/metrics.h"
#include "runtime/daemon/reloader.h"

namespace questline::daemon {

struct Request {
  std::string method;          // GET, POST, …
  std::string target;          // the path and the query
  std::string authorization;   // the Authorization header, if any
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;   // extra ones (WWW-Authenticate, Allow)
};

using Reply = std::function<void(Response)>;

// What a session hands its requests to: the Router, or in a Kafka-fed
// questd the kafka::ScaleOutRouter.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Answers `request` through `reply`, now or later, on the network thread.
  virtual void Handle(Request request, Reply reply) = 0;
};

class Router final : public RequestHandler {
 public:
  // `token`: the bearer token, empty when none is configured.
  Router(const Config& config, std::string token, EngineHost& host, EngineWorker& worker, NetworkMetrics& metrics,
         Reloader& reloader);
  // Answers `request` through `reply`, now or once the engine has run it.
  void Handle(Request request, Reply reply) override;

 private:
  void Route(Request& request, const std::string& path, const std::string& query, Reply reply);
  void PostEvents(Request& request, Reply reply);
  void Import(Request& request, const std::string& segment, Reply reply);
  void PostReload(Reply reply);
  // Runs `job` on the engine thread and answers with its Response.
  void OnEngine(std::function<Response()> job, Reply reply);

  const Config& config_;
  const std::string token_;
  EngineHost& host_;
  EngineWorker& worker_;
  NetworkMetrics& metrics_;
  Reloader& reloader_;
};

// An answer to a request that is not HTTP enough to route (400, 413, 431, 503).
Response ErrorResponse(int status, const std::string& message);

// A batch's answer, {accepted, duplicates, rejected: [{line, reason}]}, and
// for the TCP port (last_line >= 0) the last line it covers.
std::string IngestJson(const IngestResult& result, int64_t last_line);

// A reload's answer: 200 {"reloaded","package","previous"} (and "unchanged"),
// 422 {"error","diagnostics"} for a package refused, 500 or 503 when it failed.
Response ReloadResponse(const ReloadResult& result);

}  // namespace questline::daemon
