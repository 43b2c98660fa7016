// One webhook POST at a time over a kept-alive HTTP/1.1 connection
// (Boost.Beast), on the calling thread: the sink's sender thread, never the
// engine's. Every step has the sink's timeout, so a receiver that hangs is a
// failed attempt, not a stuck sender.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/daemon/http_url.h"

namespace questline::daemon {

struct PostOutcome {
  int status = 0;      // the HTTP status; 0 when there was no answer
  std::string error;   // no answer: why (connect refused, timeout, …); else empty
};

class WebhookClient {
 public:
  WebhookClient(HttpUrl url, std::chrono::milliseconds timeout);
  ~WebhookClient();
  PostOutcome Post(const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers);
  // From another thread: the Post in progress ends now (as a failure).
  void Cancel();

 private:
  PostOutcome Attempt(const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers);
  // Runs the operations queued; false once cancelled.
  bool Run();
  struct State;   // Asio and Beast stay out of this header
  std::unique_ptr<State> state_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace questline::daemon
