#include "runtime/daemon/webhook_sink.h"

#include <algorithm>

#include "runtime/daemon/log.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"

namespace questline::daemon {
namespace {

using std::chrono::milliseconds;

HttpUrl UrlOf(const SinkConfig& config) {
  HttpUrl url;
  std::string ignored;
  ParseHttpUrl(config.url, &url, &ignored);   // LoadConfig has checked it
  return url;
}

// 408 and 429 say "later", not "never"; every other 4xx is the receiver
// refusing these actions, and sending them again would be refused again.
bool Permanent(int status) { return status >= 400 && status < 500 && status != 408 && status != 429; }

}  // namespace

WebhookSink::WebhookSink(const SinkConfig& config, const std::string& data_dir)
    : config_(config),
      data_dir_(data_dir),
      url_(UrlOf(config)),
      queue_(size_t(config.queue_max)),
      client_(url_, milliseconds(config.timeout_ms)),
      jitter_(std::random_device{}()) {}

WebhookSink::~WebhookSink() { Stop(); }

bool WebhookSink::Open(std::string* error) {
  if (!ack_.Open(data_dir_ + "/webhook-" + config_.name + ".ack", error)) return false;
  if (!dead_letter_.Open(config_.dead_letter, error)) return false;
  skip_through_ = ack_.Seq();
  acked_seq_ = ack_.Seq();
  thread_ = std::thread([this] { Send(); });
  return true;
}

void WebhookSink::Write(engine::Action&& action) {
  if (action.seq <= skip_through_) return;   // acknowledged before a restart
  QueuedAction queued;
  queued.seq = action.seq;
  engine::AppendHex64(queued.key, action.key.hi);
  engine::AppendHex64(queued.key, action.key.lo);
  io::AppendActionJson(queued.json, action);
  queue_.Push(std::move(queued));
}

bool WebhookSink::WaitForRoom(bool wait) {
  return queue_.WaitForRoom(milliseconds(wait ? config_.backlog_wait_ms : 0));
}

void WebhookSink::Send() {
  while (true) {
    const std::vector<QueuedAction> batch = queue_.Front(size_t(config_.batch_max));
    if (batch.empty() || !Deliver(batch)) return;   // stopped
    queue_.Pop(batch.size());
  }
}

bool WebhookSink::Deliver(const std::vector<QueuedAction>& batch) {
  // The same body and headers on every attempt: a receiver that dedupes
  // whole requests sees a retry as the request it already has.
  std::string body;
  for (const QueuedAction& a : batch) body += a.json;
  const std::string range = batch.front().key + ".." + batch.back().key;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Idempotency-Key", range},
      {"Questline-Seq", std::to_string(batch.front().seq) + "-" + std::to_string(batch.back().seq)}};
  std::string error;
  for (int64_t attempt = 1;; ++attempt) {
    ++requests_;
    const PostOutcome outcome = client_.Post(body, headers);
    if (queue_.Stopped()) return false;   // unacknowledged: resent after the restart
    if (outcome.status >= 200 && outcome.status < 300) {
      queue_.SetFailing(false);
      // Acknowledged, and durable before the next batch goes: a crash from
      // here to the write resends this batch once (receivers dedupe by key).
      while (!ack_.Store(batch.back().seq, &error)) {
        Log(LogLevel::Error, "webhook " + config_.name + ": " + error + "; retrying in 1 s");
        if (!queue_.Sleep(milliseconds(1000))) return false;
      }
      acked_ += batch.size();
      acked_seq_ = batch.back().seq;
      return true;
    }
    const std::string why = outcome.status ? "HTTP " + std::to_string(outcome.status) : outcome.error;
    if (Permanent(outcome.status))
      return DeadLetter(batch, outcome.status, why + " (a permanent refusal)", attempt);
    queue_.SetFailing(true);
    if (attempt >= config_.max_attempts)
      return DeadLetter(batch, outcome.status, why + " (max_attempts " + std::to_string(attempt) + " reached)", attempt);
    ++retries_;
    const milliseconds wait = Backoff(attempt);
    Log(LogLevel::Warn, "webhook " + config_.name + ": seq " + std::to_string(batch.front().seq) + "-" +
                            std::to_string(batch.back().seq) + " attempt " + std::to_string(attempt) + " failed (" +
                            why + "); retrying in " + std::to_string(wait.count()) + " ms");
    if (!queue_.Sleep(wait)) return false;
  }
}

bool WebhookSink::DeadLetter(const std::vector<QueuedAction>& batch, int status, const std::string& why,
                             int64_t attempts) {
  std::vector<std::string> lines;
  for (const QueuedAction& a : batch) lines.push_back(a.json);
  std::string error;
  // The dead-letter file first, then the ack: a crash between them
  // dead-letters the batch again after the restart, never loses it.
  while (!dead_letter_.Append(config_.name, status, why, attempts, lines, &error) ||
         !ack_.Store(batch.back().seq, &error)) {
    Log(LogLevel::Error, "webhook " + config_.name + ": " + error + "; retrying in 1 s");
    if (!queue_.Sleep(milliseconds(1000))) return false;
  }
  Log(LogLevel::Error, "webhook " + config_.name + ": seq " + std::to_string(batch.front().seq) + "-" +
                           std::to_string(batch.back().seq) + " dead-lettered to " + config_.dead_letter + ": " + why);
  dead_lettered_ += batch.size();
  acked_seq_ = batch.back().seq;
  // The receiver answered: it is up, whatever it thought of these actions.
  if (status) queue_.SetFailing(false);
  return true;
}

// Full jitter (a uniform wait from 0 to the cap): receivers coming back
// from an outage are not hit by every retry at once.
milliseconds WebhookSink::Backoff(int64_t failures) {
  int64_t cap = config_.backoff_initial_ms;
  if (config_.retry == "exponential")
    for (int64_t i = 1; i < failures && cap < config_.backoff_max_ms; ++i) cap *= 2;
  cap = std::min(cap, config_.backoff_max_ms);
  return milliseconds(std::uniform_int_distribution<int64_t>(0, cap)(jitter_));
}

WebhookSink::Counters WebhookSink::Read() const {
  Counters c;
  c.requests = requests_;
  c.acked = acked_;
  c.retries = retries_;
  c.dead_lettered = dead_lettered_;
  c.refusals = refusals_;
  c.depth = queue_.Depth();
  c.acked_seq = acked_seq_;
  return c;
}

void WebhookSink::Stop() {
  queue_.Stop();
  client_.Cancel();
  if (thread_.joinable()) thread_.join();
}

}  // namespace questline::daemon
